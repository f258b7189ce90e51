"""Map benchmark: the product's dash-leaflet canvas map beside a naive Plotly MapLibre map
(bench/baseline_app.py), in one headless Chromium, in interleaved rounds.

    .venv/bin/python bench/bench_map.py [--rounds 5]

Both apps run on free loopback ports (the product as ``python app.py`` with no basemap).
The browser is Debian's Chromium driven by Playwright's sync API, with background networking
off and every host name but 127.0.0.1 unresolvable, so nothing leaves the machine; any request
for another host is reported. Each round opens a fresh browser context (empty cache) for the
product, then for the baseline, and measures:

1. First load bytes: Chromium's own count (CDP ``Network.loadingFinished`` encodedDataLength)
   for every http request finished when the first paint is seen.
2. First paint, from the start of navigation: the product's ``window.explorerPaint`` reports a
   draw of all 1,719 small areas; the baseline's MapLibre map fires ``idle`` with the choropleth
   in its style. Then a screenshot of the map element must not be blank; if it is, the clock
   runs on to the first screenshot that is not.
3. Indicator switch with repaint, six per round: from the click on the option until the map
   says it redrew with the new indicator (product: explorerPaint key and count; baseline: an
   ``idle`` after Plotly took the new ``z``) and a screenshot differs from the one before the
   click (again, the clock runs on until one does).
4. Bytes of a switch: encodedDataLength of the callback responses it triggered, counted once
   the network is quiet.
5. Search, product only: from Enter in the search box until the profile heading names the
   postcode, the Leaflet map is centred on it and has drawn since it last moved, and a
   screenshot differs. Server share: the union of the callbacks' server time (request sent
   to response headers received, from Chromium's timing).

Times are read on the page's own clock (performance.now()): a paint from the start of the
navigation (the document's time origin), a switch from the click event on the option, a
search from the Enter keydown; each stops at the time the page recorded for the drawing
(explorerPaint.t, or the 'idle' event; for search the later of that and the heading's
change), or just after the first confirming screenshot if the first one disagreed.
Playwright's own latency (actionability checks, round trips) is therefore not in them; the
predicates are polled every animation frame, and how long after the drawing a poll saw it
is printed as "poll lag" (the main thread busy with other work after the draw).
Prints a Markdown table (median / 95th percentile) beside the targets, then the page errors
and console errors of each app. Nothing is asserted. About four minutes with 5 rounds on
two cores; other work on the machine slows both apps alike, as the rounds interleave.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from serving import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_http  # noqa: E402  (shared with the tests)

from geodata import registry  # noqa: E402

ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1280, "height": 720}
SWITCHES = (
    "imd_decile",
    "loneliness_pct",
    "idaci_decile",
    "gp_minutes",
    "household_churn",
    "violence_with_injury_rate",
)  # the product opens on violence with injury
POSTCODE, POSTCODE_LAT, POSTCODE_LON, CENTRE_TOLERANCE = "B15 2TT", 52.4533, -1.9279, 0.01
AREAS = 1719
PAINT_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000
CALLBACK = "/_dash-update-component"

# The page's clock at the last user input: a click, or Enter (installed before any page script).
INPUT_CLOCK = """
addEventListener('click', () => { window.benchInput = performance.now(); }, true);
addEventListener('keydown', e => { if (e.key === 'Enter') window.benchInput = performance.now(); }, true);
"""
# Each "done" predicate returns the page's clock when the drawing it waits for was done, or false.
PRODUCT_PAINTED = f"() => {{ const p = window.explorerPaint; return !!p && p.features >= {AREAS} && p.t; }}"
PRODUCT_ARM = "() => window.explorerPaint.count"
PRODUCT_SWITCHED = (
    "([id, count]) => { const p = window.explorerPaint; return p.count > count && p.key.startsWith(id + '|') && p.t; }"
)
# The MapLibre map Plotly draws with fires 'idle' after the frame that finished drawing a change.
BASELINE_PAINTED = """() => {
  const g = document.querySelector('.js-plotly-plot');
  const m = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot && g._fullLayout.map._subplot.map;
  if (!m) return false;
  if (!window.benchIdle) {
    const b = window.benchIdle = {painted: 0, z: null, t: 0, z0: null};
    const drawn = () => m.loaded() && m.getStyle().layers.some(l => l.type === 'fill');
    m.on('idle', () => {
      const now = performance.now();
      if (!b.painted && drawn()) b.painted = now;
      if (g.data[0].z !== b.z) { b.z = g.data[0].z; b.t = now; }  // first idle with these values
    });
    if (drawn()) m.triggerRepaint();  // hooked after the choropleth went idle: one more idle
  }
  return window.benchIdle.painted;
}"""
BASELINE_ARM = "() => { window.benchIdle.z0 = document.querySelector('.js-plotly-plot').data[0].z; return 0; }"
BASELINE_SWITCHED = "() => window.benchIdle.z !== window.benchIdle.z0 && window.benchIdle.t"
SEARCH_ARM = """(text) => {
  const m = window.explorerMap, b = window.benchMove = {moving: false, t: performance.now(), heading: 0};
  m.on('movestart', () => { b.moving = true; });
  m.on('move', () => { b.t = performance.now(); });
  m.on('moveend', () => { b.moving = false; });
  new MutationObserver(() => {
    const h = document.querySelector('#profile-heading');
    if (!b.heading && h && h.textContent.includes(text)) b.heading = performance.now();
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""
SEARCHED = """([lat, lon, tol]) => {
  const m = window.explorerMap, b = window.benchMove, p = window.explorerPaint, c = m.getCenter();
  const there = Math.abs(c.lat - lat) <= tol && Math.abs(c.lng - lon) <= tol;
  return !!b.heading && there && !b.moving && p.t > b.t && Math.max(b.heading, p.t);
}"""


@dataclass
class App:
    name: str
    map_selector: str  # the element screenshotted for pixels
    painted: str
    arm: str
    switched: str
    search: bool
    url: str = ""
    failure: str = ""
    late_pixels: int = 0  # times the page said "drawn" before a screenshot showed it
    map_size: str = ""  # of the element screenshotted
    heaviest: list[tuple[int, str]] = field(default_factory=list)  # the largest first-load requests, last round
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    foreign: set[str] = field(default_factory=set)  # requests for any host but loopback


class StepFailed(RuntimeError):
    """One line saying what the page never did."""


class Wire:
    """Chromium's own count of bytes received per http request, from the CDP Network domain."""

    def __init__(self, page, app: App) -> None:
        self.app = app
        self.sent: list[str] = []
        self.url: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.server: dict[str, tuple[float, float]] = {}  # request sent, response headers in (s)
        self.open: set[str] = set()
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", lambda e: self.open.discard(e["requestId"]))
        cdp.send("Network.enable")

    def _sent(self, e: dict) -> None:
        url = e["request"]["url"]
        if urlsplit(url).scheme not in ("http", "https", "ws", "wss"):
            return  # blob: and data: URLs never touch the network
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            self.app.foreign.add(url)
        if e["requestId"] not in self.url:
            self.sent.append(e["requestId"])
        self.url[e["requestId"]] = url
        self.open.add(e["requestId"])

    def _response(self, e: dict) -> None:
        t = e["response"].get("timing")
        if t and e["requestId"] in self.url:
            self.server[e["requestId"]] = (
                t["requestTime"] + t["sendEnd"] / 1e3,
                t["requestTime"] + t["receiveHeadersEnd"] / 1e3,
            )

    def _finished(self, e: dict) -> None:
        if e["requestId"] in self.url:
            self.bytes[e["requestId"]] = int(e["encodedDataLength"])
            self.open.discard(e["requestId"])

    def total(self) -> int:
        return sum(self.bytes.values())

    def callbacks(self, since: int) -> list[str]:
        return [r for r in self.sent[since:] if CALLBACK in self.url[r]]

    def server_ms(self, since: int) -> float:
        """Server time of the callbacks sent since ``since`` so far: the union of their intervals."""
        return union_ms([self.server[r] for r in self.callbacks(since) if r in self.server])

    def quiet(self, page, ms: int = 300) -> None:
        """Wait until no request has been open for ``ms`` (not a measurement: counting only)."""
        still, deadline = 0, time.perf_counter() + STEP_TIMEOUT_MS / 1e3
        while still < ms and time.perf_counter() < deadline:
            page.wait_for_timeout(50)
            still = still + 50 if not self.open else 0


def union_ms(spans: list[tuple[float, float]]) -> float:
    """Length of the union of the intervals, in ms."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total * 1e3


def screenshot(page, selector: str) -> np.ndarray:
    png = page.locator(selector).first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def drawn(img: np.ndarray) -> bool:
    """Choropleth colours on at least 3% of the pixels. Both palettes are orange-red; grey and
    black (boundary lines, place names, no-data areas, controls) do not count."""
    rgb = img.astype(np.int16)
    return float((rgb.max(axis=2) - rgb.min(axis=2) >= 40).mean()) >= 0.03


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    """At least 1% of the pixels changed by more than antialiasing noise."""
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    delta = np.abs(a[:h, :w].astype(np.int16) - b[:h, :w].astype(np.int16)).max(axis=2)
    return float((delta > 8).mean()) >= 0.01


def until_pixels(page, app: App, ok, t_signal: float) -> float:
    """The stop time (page clock, ms): the signal's if the first screenshot agrees, else the
    time just after the first screenshot that does."""
    deadline = time.perf_counter() + STEP_TIMEOUT_MS / 1e3
    if ok(screenshot(page, app.map_selector)):
        return t_signal
    app.late_pixels += 1
    while time.perf_counter() < deadline:
        if ok(screenshot(page, app.map_selector)):
            return page.evaluate("performance.now()")
        page.wait_for_timeout(20)
    raise StepFailed(f"the page said it drew, but the pixels of {app.map_selector} never showed it")


def wait(page, app: App, js: str, arg=None, timeout: int = STEP_TIMEOUT_MS, what: str = "") -> float:
    """The time ``js`` returns (page clock, ms) once it returns one; polled every animation frame.
    How long after that time the poll saw it is kept as poll lag."""
    stamped = f"(arg) => {{ const t = ({js})(arg); return t && [t, performance.now()]; }}"
    try:
        done, seen = page.wait_for_function(stamped, arg=arg, polling="raf", timeout=timeout).json_value()
    except PlaywrightError:
        raise StepFailed(f"{what} not seen within {timeout / 1e3:.0f} s") from None
    app.samples["poll_lag_ms"].append(seen - done)
    return done


def first_paint(page, app: App, wire: Wire) -> None:
    page.goto(app.url, wait_until="commit")
    t = wait(page, app, app.painted, timeout=PAINT_TIMEOUT_MS, what=paint_wanted(app))
    app.samples["load_bytes"].append(wire.total())
    app.samples["paint_s"].append(until_pixels(page, app, drawn, t) / 1e3)  # from the time origin
    box = page.locator(app.map_selector).first.bounding_box()
    app.map_size = f"{box['width']:.0f}×{box['height']:.0f} px"


def paint_wanted(app: App) -> str:
    if app.search:
        landed = "exists" if (ROOT / "assets" / "map.js").exists() else "is not there yet"
        return f"window.explorerPaint with features >= {AREAS} (assets/map.js {landed})"
    return "MapLibre 'idle' with the choropleth drawn"


def open_menu(page) -> None:
    if not page.eval_on_selector("#indicator-menu", "d => d.open"):
        page.click("#indicator-menu summary")


def switch(page, app: App, wire: Wire, indicator_id: str) -> None:
    before = screenshot(page, app.map_selector)
    open_menu(page)
    armed = page.evaluate(app.arm)
    since = len(wire.sent)
    page.locator("#indicator-menu button", has_text=registry.get(indicator_id).label).click()
    t = wait(page, app, app.switched, [indicator_id, armed], what=f"a repaint with {indicator_id}")
    app.samples["switch_server_ms"].append(wire.server_ms(since))
    t = until_pixels(page, app, lambda img: differs(img, before), t)
    app.samples["switch_ms"].append(t - page.evaluate("window.benchInput"))
    wire.quiet(page)
    app.samples["switch_bytes"].append(sum(wire.bytes.get(r, 0) for r in wire.callbacks(since)))


def search(page, app: App, wire: Wire) -> None:
    before = screenshot(page, app.map_selector)
    page.fill("#search-input", POSTCODE)
    page.evaluate(SEARCH_ARM, POSTCODE)
    since = len(wire.sent)
    page.press("#search-input", "Enter")
    t = wait(
        page,
        app,
        SEARCHED,
        [POSTCODE_LAT, POSTCODE_LON, CENTRE_TOLERANCE],
        what=f"#profile-heading with {POSTCODE}, the map centred on it and drawn after the move",
    )
    app.samples["search_server_ms"].append(wire.server_ms(since))
    t = until_pixels(page, app, lambda img: differs(img, before), t)
    app.samples["search_ms"].append(t - page.evaluate("window.benchInput"))


def note_console(app: App, msg) -> None:
    if msg.type == "error":
        app.errors.update([f"console error: {msg.text}"])


def run_round(browser, app: App) -> None:
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(INPUT_CLOCK)
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda e: app.errors.update([f"pageerror: {e}"]))
        page.on("console", lambda msg: note_console(app, msg))
        wire = Wire(page, app)
        first_paint(page, app, wire)
        app.heaviest = sorted(((b, wire.url[r]) for r, b in wire.bytes.items()), reverse=True)[:5]
        wire.quiet(page)
        for indicator_id in SWITCHES:
            switch(page, app, wire, indicator_id)
        if app.search:
            search(page, app, wire)
    finally:
        ctx.close()


def warm(browser, app: App) -> None:
    """One unmeasured load to first paint, so neither server's first-request work is in round 1."""
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        page.goto(app.url, wait_until="commit")
        wait(page, app, app.painted, timeout=PAINT_TIMEOUT_MS, what=paint_wanted(app))
    finally:
        ctx.close()
        app.samples.clear()


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def serve(app: App, proc: subprocess.Popen, port: int, log: Path) -> None:
    try:
        wait_http(port, proc, timeout=90, path="/")
        app.url = f"http://127.0.0.1:{port}/"
    except RuntimeError as exc:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        app.failure = f"server did not start ({exc}): {tail[0][:200]}"


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


ROWS = (  # key, measure, unit scale, unit, target, product meets it (from its median and the baseline's)
    ("load_bytes", "First load (bytes on the wire)", 1 / 1024, "KB", "≤ 800 KB", lambda p, b: p <= 800 * 1024),
    (
        "paint_s",
        "First paint (polygons drawn)",
        1,
        "s",
        "≤ 1.5 s and ≥ 4× faster",
        lambda p, b: p <= 1.5 and (b is None or b / p >= 4),
    ),
    ("switch_ms", "Indicator switch with repaint", 1, "ms", "≤ 300 ms median", lambda p, b: p <= 300),
    ("switch_server_ms", "… of which server (callbacks)", 1, "ms", "—", None),
    ("switch_bytes", "Bytes of one switch", 1 / 1024, "KB", "≤ 15 KB", lambda p, b: p <= 15 * 1024),
    ("search_ms", "Search → profile and map", 1, "ms", "≤ 1 s median", lambda p, b: p <= 1000),
    ("search_server_ms", "… of which server (callbacks)", 1, "ms", "≤ 100 ms", lambda p, b: p <= 100),
)


def cell(xs: list[float], scale: float, unit: str) -> str:
    if not xs:
        return "n/a"
    digits = 2 if unit == "s" else 1 if unit == "KB" else 0
    return f"{np.median(xs) * scale:,.{digits}f} / {pct(xs, 95) * scale:,.{digits}f} {unit} (n={len(xs)})"


def report(product: App, baseline: App, rounds: int, load: tuple[float, ...]) -> None:
    print(f"\n## Map: dash-leaflet canvas (product) against bare go.Choroplethmap (baseline), {rounds} rounds\n")
    print(f"Load average (1 min) at start / end: {load[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| Measure | Product median / p95 | Baseline median / p95 | Baseline ÷ product | Target | Meets it |")
    print("|---|---|---|---|---|---|")
    for key, label, scale, unit, target, meets in ROWS:
        p, b = product.samples.get(key, []), baseline.samples.get(key, [])
        pm, bm = (float(np.median(p)) if p else None), (float(np.median(b)) if b else None)
        ratio = f"{bm / pm:.1f}×" if pm and bm else "n/a"
        ok = ("yes" if meets(pm, bm) else "NO") if pm is not None and meets else "n/a"
        print(f"| {label} | {cell(p, scale, unit)} | {cell(b, scale, unit)} | {ratio} | {target} | {ok} |")
    print()
    for app in (product, baseline):
        if app.failure:
            print(f"- {app.name} FAILED: {app.failure}")
        if app.map_size:
            print(f"- {app.name}: map element {app.map_size} in a {VIEWPORT['width']}×{VIEWPORT['height']} viewport")
        if app.samples.get("poll_lag_ms"):
            lag = app.samples["poll_lag_ms"]
            print(
                f"- {app.name}: poll lag after the drawing, median / p95: {np.median(lag):.0f} / {pct(lag, 95):.0f} ms"
            )
        if app.late_pixels:
            print(f"- {app.name}: {app.late_pixels} time(s) the page said it had drawn before a screenshot showed it")
        if app.heaviest:
            print(
                f"- {app.name}, largest first-load responses: "
                + ", ".join(
                    f"{urlsplit(url).path.rsplit('/', 1)[-1] or '/'} {b / 1024:,.0f} KB" for b, url in app.heaviest
                )
            )
        for url in sorted(app.foreign):
            print(f"- {app.name}: request for a non-loopback host (blocked): {url}")
    print()
    for app in (product, baseline):
        print(f"### Page and console errors: {app.name} ({sum(app.errors.values())})\n")
        for msg, n in app.errors.most_common():
            print(f"- {n}× {msg[:300]}")
        if not app.errors:
            print("- none")
        print()
    page_errors = sum(n for msg, n in product.errors.items() if msg.startswith("pageerror"))
    if page_errors:
        print(f"!!! THE PRODUCT RAISED {page_errors} PAGE ERROR(S) IN THE BROWSER: see above. !!!")


def attempt(app: App, step: str, fn, *args) -> None:
    """One step of an app's measurement; a step that fails takes the app out, with one line."""
    if app.failure:
        return
    try:
        fn(*args)
    except StepFailed as exc:
        app.failure = f"{step}: {exc}"
    except PlaywrightError as exc:
        app.failure = f"{step}: {str(exc).strip().splitlines()[0]}"


def measure(product: App, baseline: App, rounds: int) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for app in (product, baseline):
            attempt(app, "warm-up", warm, browser, app)
        for n in range(rounds):
            for app in (product, baseline):
                attempt(app, f"round {n + 1}", run_round, browser, app)
                print(f"round {n + 1} {app.name}: {app.failure or 'done'}", file=sys.stderr, flush=True)
        browser.close()


@contextmanager
def servers(product: App, baseline: App) -> Iterator[None]:
    """Both apps on free loopback ports, started together, each stopped by its own process id."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    pport, bport = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        plog, blog = Path(tmp) / "product.log", Path(tmp) / "baseline.log"
        procs = [
            start(
                [sys.executable, "app.py"],
                {
                    **env,
                    "EXPLORER_PORT": str(pport),
                    "EXPLORER_HOST": "127.0.0.1",
                    "EXPLORER_LOG_LEVEL": "WARNING",
                    "EXPLORER_BASEMAP": "none",
                },
                plog,
            )
        ]
        try:
            procs.append(start([sys.executable, "bench/baseline_app.py", "--port", str(bport)], env, blog))
            serve(product, procs[0], pport, plog)
            serve(baseline, procs[1], bport, blog)
            yield
        finally:
            for proc in procs:
                stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    rounds = ap.parse_args().rounds
    load = os.getloadavg()
    product = App("product", "#map", PRODUCT_PAINTED, PRODUCT_ARM, PRODUCT_SWITCHED, search=True)
    baseline = App("baseline", ".maplibregl-canvas", BASELINE_PAINTED, BASELINE_ARM, BASELINE_SWITCHED, search=False)
    with servers(product, baseline):
        measure(product, baseline, rounds)
    report(product, baseline, rounds, load)


if __name__ == "__main__":
    main()
