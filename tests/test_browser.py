"""What only a browser shows: the explorer in headless Debian Chromium, driven by Playwright.

The app runs as a real server (``python app.py``) on a free loopback port with no basemap
tiles, so nothing leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import geodata

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_READY = "() => { const g = document.querySelector('#map .js-plotly-plot'); return !!(g && g._fullLayout && g._fullLayout.map); }"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian chromium is not installed (bash .ci/run installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


if _missing() and not os.environ.get("CI"):
    pytest.skip(_missing(), allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url():
    port = _free_port()
    env = {**os.environ, "EXPLORER_PORT": str(port), "EXPLORER_BASEMAP": "none", "EXPLORER_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode()[-2000:])
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("the app did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.external_requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: None if r.url.startswith(base_url) or r.url.startswith("data:")
          or r.url.startswith("blob:") else pg.external_requests.append(r.url))
    yield pg
    ctx.close()


def open_app(page, query: str = "") -> None:
    page.goto("/" + query)
    page.wait_for_function(MAP_READY)
    page.wait_for_selector("#map-legend strong")  # the first callbacks have answered


def search(page, text: str) -> None:
    page.fill("#search-input", text)
    page.press("#search-input", "Enter")


def map_state(page) -> dict:
    return page.evaluate("""() => { const g = document.querySelector('#map .js-plotly-plot');
        return {center: g._fullLayout.map.center, z: g.data[0].z.slice(0, 5), marker: g.data[7].lon,
                circle: (g.data[6].lon || []).length}; }""")


def test_search_by_postcode_updates_map_and_profile(page):
    open_app(page)
    search(page, "b15 2tt")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    assert "Edgbaston ward, Birmingham" in page.inner_text("#search-message")
    for level in ("Individual", "Relationships (family and peers)", "Community", "Society", "Violence in this area"):
        assert page.locator(f"#profile-body h3:has-text('{level}')").count() == 1
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').data[7].lon.length === 1")
    m = map_state(page)
    assert m["marker"] == [pytest.approx(-1.92789)]
    assert m["center"]["lat"] == pytest.approx(52.45328, abs=1e-4) and m["circle"] > 60
    assert "postcode=B15+2TT" in page.url
    assert page.external_requests == []  # no tiles, fonts or anything else from outside


def test_bad_input_gives_a_sentence_and_leaves_the_page_alone(page):
    open_app(page, "?postcode=B15+2TT")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    url = page.url
    for text, words in (("hello", "is not a UK postcode"), ("B99 9ZZ", "could not find"),
                        ("B60 1AA", "Bromsgrove")):
        search(page, text)
        page.wait_for_selector(f"#search-message:has-text('{words}')")
        assert "B15 2TT" in page.inner_text("#profile-heading")
        assert page.url == url


def test_indicator_switch_sends_only_values(page):
    open_app(page)
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "_dash-update-component" in r.url
            and r.request.post_data and "map.figure" in r.request.post_data else None)
    page.click("#indicator-menu summary")
    page.click("button:has-text('Overall deprivation (IMD decile)')")
    page.wait_for_selector("#indicator-current:has-text('Overall deprivation')")
    expected = geodata.load().values["imd_decile"][:5].tolist()
    page.wait_for_function(f"() => document.querySelector('#map .js-plotly-plot').data[0].z.slice(0,5).join() === '{','.join(str(int(v)) for v in expected)}'")
    assert "indicator=imd_decile" in page.url
    assert sizes and max(sizes) < 20_000
    assert page.get_attribute("button:has-text('Overall deprivation (IMD decile)')", "aria-pressed") == "true"


def test_opening_a_shared_url_reproduces_the_view_and_back_button_works(page):
    open_app(page, "?postcode=CV1+2&indicator=loneliness_pct&radius=0.5")
    page.wait_for_selector("#profile-heading:has-text('CV1 2')")
    assert "postcode sector" in page.inner_text("#search-message")
    assert page.get_attribute("button:has-text('0.5 km')", "aria-pressed") == "true"
    assert "Loneliness" in page.inner_text("#indicator-current")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').data[6].lon.length > 60")
    search(page, "B15 2TT")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    page.go_back()
    page.wait_for_selector("#profile-heading:has-text('CV1 2')")
    assert "postcode=CV1+2" in page.url


def test_keyboard_only_search_and_controls(page):
    open_app(page)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to the area profile"
    for _ in range(5):
        if page.evaluate("document.activeElement.id") == "search-input":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("B15 2TT")
    page.keyboard.press("Enter")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    # reach the 2 km button by keyboard and press it
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "2 km":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("#profile-heading:has-text('within 2 km')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm ci` (bash .ci/run does)")
def test_accessibility_scan_finds_no_violations(browser, base_url):
    # axe is injected as a script, which the app's Content-Security-Policy rightly blocks:
    # this one context bypasses CSP so the scanner can run.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url, bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    open_app(page)
    assert _axe(page) == []
    search(page, "B15 2TT")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    page.click("#indicator-menu summary")
    assert _axe(page) == []
    open_app(page, "?indicator=risk_index&view=quadrants&borough=E08000026")
    page.wait_for_selector(".counts table")
    assert _axe(page) == []
    ctx.close()


def test_hotspot_view_and_ranked_table(page):
    open_app(page, "?indicator=violence_with_injury_rate&view=hotspots&borough=E08000026")
    page.wait_for_function("() => { const z = document.querySelector('#map .js-plotly-plot').data[0].z; "
                           "return z.some(v => v === 3) && z.every(v => v === null || (v >= -3 && v <= 3)); }")
    assert "false discovery rate" in page.inner_text("#map-legend")
    page.wait_for_selector(".counts table")
    assert "Coventry" in page.inner_text(".counts table")
    first = page.locator(".ranked tbody tr").first
    assert "Coventry" in first.inner_text()
    first.locator("a").click()
    page.wait_for_selector("#profile-heading:has-text('Coventry')")


def test_phone_width_screenshot(browser, base_url, tmp_path):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, base_url=base_url, is_mobile=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto("/?postcode=B15+2TT")
    pg.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    pg.wait_for_function(MAP_READY)
    shot = tmp_path / "phone.png"
    pg.screenshot(path=str(shot), full_page=True)
    width = pg.evaluate("document.scrollingElement.scrollWidth")
    profile_y = pg.locator("#profile-heading").bounding_box()["y"]
    map_y = pg.locator("#map").bounding_box()["y"]
    search_box = pg.locator("#search-input").bounding_box()
    ctx.close()
    assert width <= 375, "the page scrolls sideways at phone width"
    assert profile_y < map_y, "on a phone the profile comes before the map"
    assert search_box["width"] >= 150
    assert shot.stat().st_size > 20_000
