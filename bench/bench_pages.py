"""Page benchmark: how long, how heavy and how wide each page is, and how fast a search answers.

    .venv/bin/python bench/bench_pages.py [--repo PATH] [--url / --url '/?postcode=B15+2TT']
        [--ready '#profile-heading'] [--postcode 'B15 2TT'] [--rounds 5]

Starts ``python app.py`` from the checkout ``--repo`` (default: the repository this file is in),
with that checkout's own code and data/processed, on a free loopback port, with no basemap.
The browser is Debian's Chromium driven by Playwright's sync API, with background networking
off and every host name but 127.0.0.1 unresolvable. At a desktop viewport (1,366×900) and a
phone one (375×812, mobile emulation, device scale 1), in a fresh context (empty cache) each:

1. Each URL is loaded and left to settle: the Dash app hydrated, its first "Loading..." gone, no
   callback pending in the renderer's store, no request open, the URL's ready element present
   (``--ready`` for a URL with a postcode or an area, ``--home-ready`` otherwise) and the
   document height unchanged, all at once for 0.5 s. Then it reports the document height
   (``document.documentElement.scrollHeight``) in px and in screens (÷ viewport height), the
   Dash components in the rendered layout, the DOM elements, the size of the layout as JSON,
   whether the page scrolls sideways (``scrollWidth > clientWidth`` of the document), the
   elements that reach past the viewport's right edge unclipped, and the boxes inside the page
   that scroll sideways (overflow-x auto or scroll, wider content).
2. Search, ``--rounds`` times: on a fresh load of ``/``, settled, the postcode is typed into
   ``#search-input`` and Enter pressed; the time runs on the page's clock (performance.now())
   from the Enter keydown to the first frame or DOM change at which the ``--ready`` element is
   visible (and is new, or its text changed, if it was there before), and, beside it, to the
   last moment the renderer's pending callbacks fell to none before it settled again. Median,
   min and max.

Dash components are counted in the renderer's own layout tree: the redux store Dash registers
in ``window.dash_stores`` (dash-renderer's ``createAppStore``; ``window.store`` is the fallback),
whose ``getState().layout`` holds the tree under ``components`` since Dash 3. Every node with a
string ``type`` and ``namespace`` and a ``props`` object counts, wherever it sits in another's
props (children, or components passed in any other prop). Without a store the count is "n/a"
and the DOM count is the measure. One unmeasured load and search warm the server first; the
same postcode each round, so the server's caches are warm. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
# As tests/serving.py has them; not imported from there because that module imports this
# checkout's web package, and the bench must run whatever state the checkout under test is in.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORTS = {  # name: Playwright context options
    "desktop 1366×900": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
    "phone 375×812": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}
SETTLE_QUIET_S = 0.5
SETTLE_TIMEOUT_S = 90.0
SEARCH_TIMEOUT_MS = 60_000

# Installed before any page script: the page's clock at the last Enter keydown.
INPUT_CLOCK = """
addEventListener('keydown', e => { if (e.key === 'Enter') window.benchEnter = performance.now(); }, true);
"""
# The renderer's redux store and whether it is busy. Pending callbacks are what dash-renderer's
# getPendingCallbacks counts: every list in state.callbacks but 'stored' and 'completed'.
DASH_STATE = """(sel) => {
  const store = (window.dash_stores && window.dash_stores[0]) || window.store;
  const el = sel && document.querySelector(sel);
  const out = {
    store: !!store, loading: !!document.querySelector('._dash-loading'),
    busy: !!document.querySelector('._dash-loading-callback'), ready: !sel || (!!el && el.getClientRects().length > 0),
    height: document.documentElement.scrollHeight, hydrated: false, pending: 0,
  };
  if (store) {
    const s = store.getState();
    out.hydrated = s.appLifecycle === 'HYDRATED';
    for (const [k, v] of Object.entries(s.callbacks || {})) {
      if (k !== 'stored' && k !== 'completed' && Array.isArray(v)) out.pending += v.length;
    }
  }
  return out;
}"""
METRICS = """() => {
  const de = document.documentElement, vw = de.clientWidth;
  const store = (window.dash_stores && window.dash_stores[0]) || window.store;
  let components = null, layoutBytes = null;
  const byNamespace = {};
  if (store) {
    const root = store.getState().layout;
    const tree = root && typeof root === 'object' && 'components' in root ? root.components : root;
    const seen = new Set();
    components = 0;
    const walk = v => {
      if (!v || typeof v !== 'object' || seen.has(v)) return;
      seen.add(v);
      if (Array.isArray(v)) { v.forEach(walk); return; }
      if (typeof v.type === 'string' && typeof v.namespace === 'string' && v.props && typeof v.props === 'object') {
        components++;
        byNamespace[v.namespace] = (byNamespace[v.namespace] || 0) + 1;
        Object.values(v.props).forEach(walk);
        return;
      }
      Object.values(v).forEach(walk);  // a component can sit in a plain object, e.g. an option's label
    };
    walk(tree);
    layoutBytes = JSON.stringify(tree).length;
  }
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // An element past the right edge only shows there if no ancestor inside the viewport clips it
  // (the map's panes, a table in its own scroll box); boxes that scroll sideways are counted apart.
  const clips = el => getComputedStyle(el).overflowX !== 'visible';
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(a) && a.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  const past = [], scrollers = [];
  for (const el of document.body.getElementsByTagName('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.right > vw + 1 && !clipped(el)) {
      past.push([describe(el), Math.round(r.width), Math.round(r.right)]);
    }
    if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) {
      scrollers.push(describe(el));
    }
  }
  return {
    height: de.scrollHeight, viewportHeight: innerHeight, components, byNamespace, layoutBytes,
    dom: document.getElementsByTagName('*').length,
    hscroll: de.scrollWidth > de.clientWidth, scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
    past: past.length, pastExamples: past.slice(0, 4), scrollers: scrollers.length, scrollerExamples: scrollers.slice(0, 3),
  };
}"""
# From here on, the first moment the ready element is visible (and new, or with new text), and
# the last moment the store went from callbacks pending to none.
SEARCH_ARM = """(sel) => {
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const first = document.querySelector(sel);
  const b = window.benchSearch = {t: 0, idle: 0, busy: 0, wasThere: !!first && visible(first)};
  const text = first ? first.textContent : null;
  const check = () => {
    if (b.t || !window.benchEnter) return;
    const el = document.querySelector(sel);
    if (el && visible(el) && (el !== first || el.textContent !== text)) b.t = performance.now();
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const frame = () => { check(); if (!b.t) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const store = (window.dash_stores && window.dash_stores[0]) || window.store;
  if (store) store.subscribe(() => {
    const c = store.getState().callbacks || {};
    const n = Object.entries(c).reduce((a, [k, v]) => a + (k !== 'stored' && k !== 'completed' && Array.isArray(v) ? v.length : 0), 0);
    if (!n && b.busy) b.idle = performance.now();
    b.busy = n;
  });
  window.benchEnter = 0;
}"""


@dataclass
class PageRow:
    url: str
    viewport: str
    metrics: dict = field(default_factory=dict)
    failure: str = ""


@dataclass
class SearchRow:
    viewport: str
    ready_ms: list[float] = field(default_factory=list)
    idle_ms: list[float] = field(default_factory=list)
    was_there: bool = False
    failure: str = ""


class Network:
    """Requests the page has open, from Playwright's request events."""

    def __init__(self, page) -> None:
        self.open: set = set()
        page.on("request", self._opened)  # Playwright takes Python functions, not set.add itself
        page.on("requestfinished", self._closed)
        page.on("requestfailed", self._closed)

    def _opened(self, request) -> None:
        self.open.add(request)

    def _closed(self, request) -> None:
        self.open.discard(request)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git_head(repo: Path) -> str:
    """The checkout's commit (hash and subject, shortened), and whether it has local changes."""

    def git(*cmd: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *cmd], check=False, capture_output=True, text=True
        ).stdout.strip()

    head, dirty = git("log", "-1", "--format=%H %s"), git("status", "--porcelain")
    head = head if len(head) <= 110 else head[:109] + "…"
    return (head or "not a git checkout") + (" (with uncommitted changes)" if dirty else "")


@contextmanager
def app_server(repo: Path, log: Path):
    """``python app.py`` from ``repo``, its own code first on the path; stopped by its process id."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    env.update(
        PYTHONPATH=str(repo),
        EXPLORER_PORT=str(port),
        EXPLORER_HOST="127.0.0.1",
        EXPLORER_LOG_LEVEL="WARNING",
        EXPLORER_BASEMAP="none",
    )
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(
                    f"the app exited with code {proc.returncode}: {log.read_text(errors='replace')[-500:]}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status < 500:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the app did not answer on port {port} within 120 s")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def settle(page, net: Network, selector: str | None) -> None:
    """Wait until the app is idle, every request answered, ``selector`` present and the height
    steady, all for SETTLE_QUIET_S together."""
    deadline, since, height, last = time.monotonic() + SETTLE_TIMEOUT_S, None, None, {}
    while time.monotonic() < deadline:
        s = page.evaluate(DASH_STATE, selector)
        last = s
        calm = s["store"] and s["hydrated"] and not s["loading"] and not s["busy"] and not s["pending"]
        calm = calm and s["ready"] and not net.open and s["height"] == height
        height = s["height"]
        if not calm:
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since >= SETTLE_QUIET_S:
            return
        page.wait_for_timeout(100)
    raise RuntimeError(f"did not settle within {SETTLE_TIMEOUT_S:.0f} s (last state {last}, {len(net.open)} open)")


def ready_for(url: str, args: argparse.Namespace) -> str:
    return args.ready if ("postcode=" in url or "lsoa=" in url) else args.home_ready


def measure_page(browser, base: str, url: str, name: str, args: argparse.Namespace) -> PageRow:
    row = PageRow(url, name)
    ctx = browser.new_context(**VIEWPORTS[name])
    try:
        page = ctx.new_page()
        net = Network(page)
        page.goto(base + url, wait_until="commit")
        settle(page, net, ready_for(url, args))
        row.metrics = page.evaluate(METRICS)
    except (RuntimeError, PlaywrightError) as exc:
        row.failure = str(exc).strip().splitlines()[0][:300]
    finally:
        ctx.close()
    return row


def search_once(browser, base: str, name: str, args: argparse.Namespace) -> tuple[float, float, bool]:
    ctx = browser.new_context(**VIEWPORTS[name])
    ctx.add_init_script(INPUT_CLOCK)
    try:
        page = ctx.new_page()
        net = Network(page)
        page.goto(base + "/", wait_until="commit")
        settle(page, net, "#search-input")
        page.fill("#search-input", args.postcode)
        page.evaluate(SEARCH_ARM, args.ready)
        page.press("#search-input", "Enter")
        page.wait_for_function("() => window.benchSearch.t", timeout=SEARCH_TIMEOUT_MS, polling=100)
        settle(page, net, args.ready)
        b = page.evaluate("() => [window.benchEnter, window.benchSearch]")
        enter, s = b[0], b[1]
        return s["t"] - enter, (s["idle"] or s["t"]) - enter, s["wasThere"]
    finally:
        ctx.close()


def fmt_ms(xs: list[float]) -> str:
    if not xs:
        return "n/a"
    return f"{median(xs):,.0f} ms ({min(xs):,.0f}–{max(xs):,.0f})"


def report(args, repo: Path, pages: list[PageRow], searches: list[SearchRow], load: tuple[float, float]) -> None:
    print(f"## Pages of {repo}\n")
    print(f"- checkout: {git_head(repo)}")
    print(f"- command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"- {time.strftime('%Y-%m-%d %H:%M %Z')}; load average (1 min) at start / end: {load[0]:.1f} / {load[1]:.1f}")
    print(f"  on {os.cpu_count()} cores; Chromium {CHROMIUM}\n")
    print(
        "| URL | Viewport | Height (px) | Screens | Dash components | DOM elements | Layout JSON | "
        "Page scrolls sideways | Elements past the right edge | Boxes scrolling sideways |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in pages:
        if r.failure:
            print(f"| `{r.url}` | {r.viewport} | FAILED: {r.failure} ||||||||")
            continue
        m = r.metrics
        comps = "n/a" if m["components"] is None else f"{m['components']:,}"
        layout = "n/a" if m["layoutBytes"] is None else f"{m['layoutBytes'] / 1024:,.0f} KB"
        side = f"yes ({m['scrollWidth']} > {m['clientWidth']} px)" if m["hscroll"] else "no"
        print(
            f"| `{r.url}` | {r.viewport} | {m['height']:,} | {m['height'] / m['viewportHeight']:.1f} | {comps} | "
            f"{m['dom']:,} | {layout} | {side} | {m['past']} | {m['scrollers']} |"
        )
    print()
    for r in pages:
        if r.failure:
            continue
        ns = ", ".join(f"{k} {v}" for k, v in sorted(r.metrics["byNamespace"].items(), key=lambda kv: -kv[1]))
        print(f"- `{r.url}`, {r.viewport}: components by library: {ns or 'n/a'}")
        for desc, width, right in r.metrics["pastExamples"]:
            print(f"  - past the right edge: `{desc[:90]}` {width} px wide, right edge at {right} px")
        for desc in r.metrics["scrollerExamples"]:
            print(f"  - scrolls sideways inside the page: `{desc[:90]}`")
    print(f"\n### Search: Enter in #search-input with {args.postcode!r} → {args.ready} visible, {args.rounds} rounds\n")
    print("| Viewport | Enter → ready visible, median (min–max) | Enter → callbacks done | Rounds |")
    print("|---|---|---|---|")
    for s in searches:
        note = f" FAILED: {s.failure}" if s.failure else ""
        print(f"| {s.viewport} | {fmt_ms(s.ready_ms)} | {fmt_ms(s.idle_ms)} | {len(s.ready_ms)}{note} |")
    if any(s.was_there for s in searches):
        print(f"\n- {args.ready} was already visible before the search: the time is to its next change.")
    print()


def measure(browser, base: str, args: argparse.Namespace) -> tuple[list[PageRow], list[SearchRow]]:
    try:
        search_once(browser, base, next(iter(VIEWPORTS)), args)  # warm the server, unmeasured
    except (RuntimeError, PlaywrightError) as exc:
        print(f"warm-up search failed: {str(exc).splitlines()[0]}", file=sys.stderr)
    pages: list[PageRow] = []
    for url in args.urls:
        for name in VIEWPORTS:
            pages.append(measure_page(browser, base, url, name, args))
            print(f"{url} {name}: {pages[-1].failure or 'done'}", file=sys.stderr, flush=True)
    searches = [SearchRow(name) for name in VIEWPORTS]
    for n in range(args.rounds):  # the viewports interleave, so other load on the machine hits both alike
        for s in searches:
            if s.failure:
                continue
            try:
                ready, idle, s.was_there = search_once(browser, base, s.viewport, args)
                s.ready_ms.append(ready)
                s.idle_ms.append(idle)
            except (RuntimeError, PlaywrightError) as exc:
                s.failure = f"round {n + 1}: {str(exc).strip().splitlines()[0][:200]}"
            print(f"search round {n + 1} {s.viewport}: {s.failure or 'done'}", file=sys.stderr, flush=True)
    return pages, searches


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=ROOT, help="checkout to start the app from (default: this one)")
    ap.add_argument("--url", action="append", dest="urls", help="path to measure (repeatable)")
    ap.add_argument("--ready", default="#profile-heading", help="element that shows a place's answer")
    ap.add_argument("--home-ready", default="#search-input", help="element a page without a place waits for")
    ap.add_argument("--postcode", default="B15 2TT")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    args.urls = args.urls or ["/", "/?postcode=B15+2TT"]
    repo = args.repo.resolve()
    if not (repo / "app.py").is_file():
        raise SystemExit(f"{repo} has no app.py")
    load0 = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory() as tmp,
        app_server(repo, Path(tmp) / "app.log") as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages, searches = measure(browser, base, args)
        browser.close()
    report(args, repo, pages, searches, (load0, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
