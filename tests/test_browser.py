"""What only a browser shows: the explorer in headless Debian Chromium, driven by Playwright.

The app runs as a real server (``python app.py``) on a free loopback port with no basemap
tiles, so nothing leaves the machine.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from serving import CHROMIUM, CHROMIUM_ARGS, browser_missing, free_port

import app  # noqa: F401  (sets up the cache the expected colours are computed through)
import geodata
import service

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What the map really drew: the Leaflet map's own state and the canvas of the small areas
# (assets/map.js keeps window.explorerPaint up to date after every draw).
PAINTED = """([prefix, since]) => { const p = window.explorerPaint;
    return !!p && p.count > since && p.features >= 1719 && p.key.startsWith(prefix); }"""
PLACE_LAYERS = """() => { const out = [];
    window.explorerMap.eachLayer(l => { if (l.options.pane !== 'place') return;
        if (l instanceof L.Circle) out.push({kind: 'circle', lat: l.getLatLng().lat, lon: l.getLatLng().lng, radius: l.getRadius()});
        else if (l instanceof L.CircleMarker) out.push({kind: 'marker', lat: l.getLatLng().lat, lon: l.getLatLng().lng});
        else if (l instanceof L.Polyline) out.push({kind: 'outline'}); });
    return out; }"""
FILL_OF = """(codes) => { const out = {};
    window.explorerMap.eachLayer(l => { if (l.feature && codes.includes(l.feature.id)) out[l.feature.id] = l.options.fillColor; });
    return out; }"""


if browser_missing() and not os.environ.get("CI"):
    pytest.skip(browser_missing(), allow_module_level=True)


@pytest.fixture(scope="module")
def base_url():
    port = free_port()
    env = {
        **os.environ,
        "EXPLORER_PORT": str(port),
        "EXPLORER_BASEMAP": "none",
        "EXPLORER_LOG_LEVEL": "WARNING",
        "EXPLORER_RATE_LIMIT": "",
    }  # one address drives every test faster than a person: limits are tested in test_abuse
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server; not a pipe: a full pipe would stall the server mid-test
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode()[-2000:]) from None
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
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.external_requests = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(base_url) or r.url.startswith("data:") or r.url.startswith("blob:")
            else pg.external_requests.append(r.url)
        ),
    )
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()
    assert pg.errors == [], "the page reported errors"


def open_app(page, query: str = "", path: str = "/") -> None:
    """Open a page with a map (Your area by default, or Plan) and wait for its first paint."""
    page.goto(path + query)
    page.wait_for_function(PAINTED, arg=["", 0])
    page.wait_for_selector(".legend strong")


def search(page, text: str) -> None:
    page.fill("#search-input", text)
    page.press("#search-input", "Enter")


def choose_indicator(page, label: str) -> None:
    """Open the indicator menu (once the last choice has closed it) and pick one."""
    page.wait_for_selector("#indicator-menu:not([open])", state="attached")
    page.click("#indicator-menu summary")
    page.click(f"#indicator-menu button:has-text('{label}')")


def paints(page) -> int:
    return page.evaluate("window.explorerPaint ? window.explorerPaint.count : 0")


def wait_painted(page, prefix: str, since: int) -> None:
    page.wait_for_function(PAINTED, arg=[prefix, since])


def centre(page) -> tuple[float, float, float]:
    c = page.evaluate("() => { const m = window.explorerMap, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }")
    return c[0], c[1], c[2]


def wait_centred(page, lat: float, lon: float) -> None:
    page.wait_for_function(
        """([lat, lon]) => { const c = window.explorerMap.getCenter();
        return Math.abs(c.lat - lat) < 1e-4 && Math.abs(c.lng - lon) < 1e-4; }""",
        arg=[lat, lon],
    )


def map_image(page):
    from PIL import Image

    return Image.open(io.BytesIO(page.locator("#map").screenshot())).convert("RGB")


def colour_share(img, hex_colour: str, tol: int = 6, opacity: float = 1.0) -> float:
    """The share of the map's pixels painted (within ``tol``) in one colour, laid over white at ``opacity``."""
    target = tuple(round(int(hex_colour[i : i + 2], 16) * opacity + 255 * (1 - opacity)) for i in (1, 3, 5))
    px = list(img.getdata())
    return sum(all(abs(a - b) <= tol for a, b in zip(p, target)) for p in px) / len(px)


def painted_share(img) -> float:
    """The share of the map's pixels that are not the white background."""
    px = list(img.getdata())
    return sum(min(p) < 245 for p in px) / len(px)


def expected_fill(measure: str, view: str, codes: list[str]) -> dict[str, str]:
    """The colour the server's layer gives each of some areas (grey where there is no value)."""
    layer = service.map_layer(measure, view)
    order = {c: i for i, c in enumerate(geodata.load().areas.lsoa21_code)}
    return {c: "#d9d9d9" if layer["cls"][order[c]] is None else layer["colours"][layer["cls"][order[c]]] for c in codes}


AREA_OPACITY = 0.85  # assets/map.js: the areas' fill opacity
B15 = (52.45328, -1.92789)  # B15 2TT, from the ONS lookup
WV10 = (52.6045, -2.1133)


def test_search_moves_the_drawn_map_and_marks_the_place(page):
    open_app(page)
    search(page, "b15 2tt")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    assert "Edgbaston ward, Birmingham" in page.inner_text("#search-message")
    for level in ("Individual", "Relationships (family and peers)", "Community", "Society"):
        assert page.locator(f"#glance .spine__level-name:has-text('{level}')").count() == 1
    assert "Violence and crime here" in page.inner_text("#glance")
    wait_centred(page, *B15)
    assert centre(page)[2] == 14  # zoomed to the 1 km circle
    layers = page.wait_for_function(
        f"() => {{ const l = ({PLACE_LAYERS})(); return l.length === 3 && l; }}"
    ).json_value()
    marker = next(x for x in layers if x["kind"] == "marker")
    assert (marker["lat"], marker["lon"]) == pytest.approx(B15)
    assert next(x for x in layers if x["kind"] == "circle")["radius"] == 1000
    assert any(x["kind"] == "outline" for x in layers)
    assert colour_share(map_image(page), "#1d70b8", tol=10) > 0.0005  # the marker and circle are on screen
    assert "postcode=B15+2TT" in page.url
    assert page.external_requests == []  # no tiles, fonts or anything else from outside


def test_a_search_runs_only_the_callbacks_whose_inputs_change(page):
    open_app(page)
    page.wait_for_timeout(500)  # let start-up requests settle
    sent = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data or "{}").get("output", ""))
            if "_dash-update-component" in r.url
            else None
        ),
    )
    search(page, "B15 2TT")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    page.wait_for_timeout(500)
    assert any("view-state.data" in o for o in sent) and any("profile-body" in o for o in sent)
    # neither the controls (indicator menu, filters) nor the planners' tables
    assert not any("indicator-current" in o or "priority-ranked" in o for o in sent), sent
    # state, then the area, then the map's place and the table, and the factor buttons' (empty) answer
    assert len(sent) == 5, sent


def test_a_second_search_moves_the_map_again(page):
    open_app(page, "?postcode=B15+2TT")
    wait_centred(page, *B15)
    search(page, "WV10 0BT")
    page.wait_for_selector("#profile-heading:has-text('WV10 0BT')")
    lat, lon = page.evaluate("() => { const c = window.explorerMap.getCenter(); return [c.lat, c.lng]; }")
    page.wait_for_function("""() => { const c = window.explorerMap.getCenter(); return c.lat > 52.58; }""")
    markers = [x for x in page.evaluate(PLACE_LAYERS) if x["kind"] == "marker"]
    assert len(markers) == 1 and markers[0]["lat"] > 52.58 and (lat, lon) != pytest.approx(B15)


def test_failed_search_leaves_no_stale_place(page):
    open_app(page, "?postcode=B15+2TT&indicator=imd_decile")
    page.wait_for_function(f"() => ({PLACE_LAYERS})().length === 3")
    for text, words in (("hello", "is not a UK postcode"), ("B99 9ZZ", "could not find"), ("B60 1AA", "Bromsgrove")):
        search(page, text)
        page.wait_for_selector(f"#search-message:has-text('{words}')")
        page.wait_for_function(f"() => ({PLACE_LAYERS})().length === 0")  # no marker, circle or outline
        page.wait_for_selector("#profile-body h2:has-text('Your area')")  # no profile of the last place
        assert "postcode=" not in page.url and "indicator=imd_decile" in page.url
        search(page, "B15 2TT")
        page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
        page.wait_for_function(f"() => ({PLACE_LAYERS})().length === 3")


def test_indicator_switch_repaints_the_areas_and_sends_no_geometry(page):
    open_app(page)
    sizes = []
    page.on(
        "response",
        lambda r: (
            sizes.append(len(r.body()))
            if "_dash-update-component" in r.url and r.request.post_data and "map-colours" in r.request.post_data
            else None
        ),
    )
    before = map_image(page)
    codes = geodata.load().areas.lsoa21_code.tolist()[::97]
    since = paints(page)
    choose_indicator(page, "Overall deprivation (IMD decile)")
    wait_painted(page, "imd_decile|values|", since)
    after = map_image(page)
    assert page.evaluate(FILL_OF, codes) == expected_fill("imd_decile", "values", codes)
    assert before.tobytes() != after.tobytes() and painted_share(after) > 0.2  # repainted, not blank
    assert "Overall deprivation" in page.inner_text(".legend")
    assert "indicator=imd_decile" in page.url
    assert sizes and max(sizes) < 40_000  # colour classes only (uncompressed); no geometry
    assert page.get_attribute("button:has-text('Overall deprivation (IMD decile)')", "aria-pressed") == "true"
    assert page.evaluate("document.getElementById('indicator-menu').open") is False  # closed after the choice
    page.click("#indicator-menu summary")
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('indicator-menu').open") is False
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_hotspot_view_paints_hot_areas_in_the_hot_colour(page):
    open_app(page, path="/plan")
    since = paints(page)
    page.click("button:has-text('Hot and cold spots (Gi*, FDR 5%)')")
    wait_painted(page, "violence_with_injury_rate|hotspots|", since)
    layer = service.map_layer("violence_with_injury_rate", "hotspots")
    codes = geodata.load().areas.lsoa21_code.tolist()
    hot = [c for c, k in zip(codes, layer["cls"]) if k == 6][:20]
    assert hot and set(page.evaluate(FILL_OF, hot).values()) == {service.BAND_COLOURS[6]}
    assert colour_share(map_image(page), service.BAND_COLOURS[6], opacity=AREA_OPACITY) > 0.001  # on screen
    assert "Hot spot, 99%" in page.inner_text(".legend")


def test_clicking_an_area_on_the_map_opens_its_profile(page):
    open_app(page)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
    page.wait_for_url("**lsoa=E01*")
    code = page.url.split("lsoa=")[1][:9]
    name = geodata.load().areas.set_index("lsoa21_code").lsoa21_name[code]
    page.wait_for_selector(f"#profile-heading:has-text('{name}')")
    page.wait_for_function(f"() => ({PLACE_LAYERS})().some(l => l.kind === 'outline')")


def test_three_searches_five_measures_three_views_always_right(page):
    """The issue's 'done when': every step shows the right place and the right colours."""
    open_app(page)
    sample = geodata.load().areas.lsoa21_code.tolist()[::53]
    measures = [
        ("Overall deprivation (IMD decile)", "imd_decile"),
        ("Loneliness (modelled)", "loneliness_pct"),
        ("Children in low-income families (IDACI decile)", "idaci_decile"),
        ("Household turnover", "household_churn"),
        ("Violence with injury", "violence_with_injury_rate"),
    ]
    views = [
        ("Hot and cold spots (Gi*, FDR 5%)", "hotspots"),
        ("Risk versus violence", "quadrants"),
        ("Values", "values"),
    ]
    for postcode, where in (("B15 2TT", B15), ("WV10 0BT", WV10), ("CV1 2", None)):
        search(page, postcode)
        page.wait_for_selector(f"#profile-heading:has-text('{postcode}')")
        page.wait_for_function(f"() => ({PLACE_LAYERS})().length === 3")
        if where:
            lat, lon, _ = centre(page)
            assert abs(lat - where[0]) < 0.01 and abs(lon - where[1]) < 0.01
        for label, measure in measures:
            since = paints(page)
            choose_indicator(page, label)
            wait_painted(page, f"{measure}|values|", since)
            assert page.evaluate(FILL_OF, sample) == expected_fill(measure, "values", sample)
        assert len(page.evaluate(PLACE_LAYERS)) == 3  # the place survives every switch
    assert painted_share(map_image(page)) > 0.3
    page.click(".nav >> text=Plan")  # the views are the planners'
    page.wait_for_function(PAINTED, arg=["violence_with_injury_rate|values|", 0])
    for label, view in views:
        since = paints(page)
        page.click(f"button:has-text('{label}')")
        wait_painted(page, f"violence_with_injury_rate|{view}|", since)
        assert page.evaluate(FILL_OF, sample) == expected_fill("violence_with_injury_rate", view, sample)


def test_opening_a_shared_url_reproduces_the_view_and_back_button_works(page):
    open_app(page, "?postcode=CV1+2&indicator=loneliness_pct&radius=0.5")
    page.wait_for_selector("#profile-heading:has-text('CV1 2')")
    assert "postcode sector" in page.inner_text("#search-message")
    assert page.get_attribute(".controls button:has-text('0.5 km')", "aria-pressed") == "true"
    assert "Loneliness" in page.inner_text("#indicator-menu summary")
    page.wait_for_function(f"() => ({PLACE_LAYERS})().some(l => l.kind === 'circle' && l.radius === 500)")
    search(page, "B15 2TT")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    page.go_back()
    page.wait_for_selector("#profile-heading:has-text('CV1 2')")
    assert "postcode=CV1+2" in page.url


def test_keyboard_only_search_and_controls(page):
    open_app(page)
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page's content"
    for _ in range(10):  # past the app's name and the nav's links
        if page.evaluate("document.activeElement.id") == "search-input":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("B15 2TT")
    page.keyboard.press("Enter")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    # reach the 2 km button by keyboard and press it
    for _ in range(120):  # past the chart's factor buttons to the map's controls
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "2 km":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".spine__legend:has-text('Within 2 km')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")


# Every page, and the open states of its menus; pages drawn from a link carrying a place.
AXE_STATES = (
    ("/", None),
    ("/?postcode=B15+2TT", "#glance"),
    ("/?postcode=B15+2TT", "open-menu"),
    ("/?postcode=B15+2TT", "open-card"),
    ("/plan?indicator=risk_index&view=quadrants&borough=E08000026", ".counts table"),
    ("/plan?w=2,1,1,1", "open-menu"),
    ("/compare?compare=B15+2TT;CV1+2AB", ".compare__table"),
    ("/download?postcode=B15+2TT", "#downloads a"),
    ("/methods", "open-details"),
    ("/no-such-page", None),
)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm ci` (bash .ci/run does)")
@pytest.mark.parametrize("width", [1280, 375])
def test_accessibility_scan_finds_no_violations_on_any_page(browser, base_url, width):
    # axe is injected as a script, which the app's Content-Security-Policy rightly blocks:
    # this one context bypasses CSP so the scanner can run.
    ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=base_url, bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    found = {}
    for url, state in AXE_STATES:
        page.goto(url)
        page.wait_for_selector("h1, h2")
        if state == "open-menu":
            page.wait_for_selector("#indicator-menu summary")
            page.click("#indicator-menu summary")
        elif state == "open-card":
            page.click("#glance .spine__name >> nth=0")
            page.wait_for_selector("#factor-card-heading")
        elif state == "open-details":
            for d in page.locator("main details summary").all():
                d.click()
        elif state:
            page.wait_for_selector(state)
        page.wait_for_timeout(300)
        found[f"{url} {state}"] = _axe(page)
    ctx.close()
    assert {k: v for k, v in found.items() if v} == {}


def test_hotspot_view_and_ranked_table(page):
    open_app(page, "?indicator=violence_with_injury_rate&view=hotspots&borough=E08000026", path="/plan")
    wait_painted(page, "violence_with_injury_rate|hotspots|E08000026|", 0)
    assert "false discovery rate" in page.inner_text(".legend")
    assert "outside Coventry are faded" in page.inner_text(".legend")
    page.wait_for_selector(".counts table")
    assert "Coventry" in page.inner_text(".counts table")
    first = page.locator(".ranked tbody tr").first
    assert "Coventry" in first.inner_text()
    page.evaluate("window.__noReload = 1")
    first.locator("a").click()
    page.wait_for_selector("#profile-heading:has-text('Coventry')")
    assert page.url.split("?")[0].endswith("/")  # Your area opened in the page, with the place
    assert page.evaluate("window.__noReload") == 1  # client-side navigation, no reload
    assert "view=hotspots" in page.url and "borough=E08000026" in page.url  # the planner's choices kept
    page.go_back()
    page.wait_for_selector(".ranked tbody tr")
    assert "Coventry" in page.locator(".ranked tbody tr").first.inner_text()
    assert page.get_attribute(".ranked th[aria-sort]", "aria-sort") == "ascending"


def test_weights_the_box_offers_are_honoured_and_others_refused(page):
    open_app(page, "?indicator=risk_index", path="/plan")
    page.wait_for_selector(".ranked tbody tr")
    page.click(".weights summary")
    boxes = page.locator(".weights input")
    for k, v in enumerate(("1.5", "2.5", "0.5", "3")):
        boxes.nth(k).fill(v)
    page.click("text=Apply weights")
    page.wait_for_function("() => location.search.includes('w=1.5%2C2.5%2C0.5%2C3')")
    boxes.nth(0).fill("1.25")
    page.click("text=Apply weights")
    page.wait_for_selector(".weights [role=status]:has-text('Those weights cannot be used')")
    assert "w=1.5%2C2.5%2C0.5%2C3" in page.url  # nothing changed


def test_phone_width_screenshot(browser, base_url, tmp_path):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, base_url=base_url, is_mobile=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto("/?postcode=B15+2TT")
    pg.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    pg.wait_for_function(PAINTED, arg=["", 0])
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


def test_the_chart_marks_each_factor_where_its_standing_says(page):
    """The spine chart as drawn: each mark sits at 100 - wm_percentile along its track, for the
    small area and for the area around; worse is left for every factor, risk or protective."""
    open_app(page, "?postcode=B15+2TT")
    page.wait_for_selector("#glance li.has-small")
    around = geodata.profile_for_postcode("B15 2TT", 1.0)
    small = geodata.profile_for_area("lsoa", around["place"]["lsoa21_code"])
    # the marks are drawn by CSS (the row's ::after, the button's ::after) beside the button, on
    # the rest of the row: where they are drawn, as a share of that track
    drawn = page.evaluate("""() => [...document.querySelectorAll('#glance li.spine__row')].map(r => {
        const row = r.getBoundingClientRect(), b = r.querySelector('.spine__name');
        const start = b.getBoundingClientRect().right, width = row.right - start;
        const at = (el, cls) => { if (!r.classList.contains(cls)) return null;
            const x = el.getBoundingClientRect().left + parseFloat(getComputedStyle(el, '::after').left);
            return 100 * (x - start) / width; };
        return {label: b.firstChild.textContent, small: at(r, 'has-small'), around: at(b, 'has-around'),
                said: b.querySelector('.visually-hidden').textContent};
    })""")
    by_label = {d["label"]: d for d in drawn}
    mapped = [i for i in around["indicators"] if i["geography"] != "borough"]
    assert set(by_label) == {i["label"] for i in mapped}
    small_by_id = {i["id"]: i for i in small["indicators"]}
    for ind in mapped:
        d = by_label[ind["label"]]
        for key, entry in (("around", ind), ("small", small_by_id[ind["id"]])):
            if entry["wm_percentile"] is None:
                assert d[key] is None
            else:
                assert d[key] == pytest.approx(100 - entry["wm_percentile"], abs=2.5), (ind["id"], key)
        assert ind["wm_standing"] in d["said"]
    # the key says which mark is which, and both areas are named
    legend = page.inner_text(".spine__legend")
    assert "Your small area" in legend and "Within 1 km" in legend
    assert "Borough figures for Birmingham" in page.inner_text("#area-more")


def test_a_factor_card_opens_from_the_chart_with_focus_on_it(page):
    open_app(page, "?postcode=B15+2TT")
    page.wait_for_selector("#glance")
    page.focus("#glance button:has-text('Overcrowded homes')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#factor-card-heading:has-text('Overcrowded homes')")
    page.wait_for_function("() => document.activeElement.id === 'factor-card-heading'")
    ind = next(
        i for i in geodata.profile_for_postcode("B15 2TT", 1.0)["indicators"] if i["id"] == "overcrowded_households_pct"
    )
    card = page.inner_text("#factor-card")
    assert ind["unit_plain"] in card and ind["wm_standing"] in card and "Your small area" in card
    assert "100%" not in page.inner_text("main")
    # a borough-only factor opens from the borough figures
    page.click("#area-more summary")  # the borough figures open on demand
    page.click("#area-more button:has-text('Children in need')")
    page.wait_for_selector("#factor-card-heading:has-text('Children in need')")
    assert "Birmingham figure" in page.inner_text("#factor-card")


def test_pages_have_their_own_urls_titles_and_history(page):
    open_app(page, "?postcode=B15+2TT&indicator=imd_decile")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    assert page.title().startswith("Your area")
    assert page.get_attribute(".nav a[data-page='area']", "aria-current") == "page"
    page.click(".nav >> text=Plan")
    page.wait_for_selector("#page-heading:has-text('Plan')")
    assert page.url.split("?")[0].endswith("/plan") and "postcode=B15+2TT" in page.url and "imd_decile" in page.url
    page.wait_for_function("() => document.title.startsWith('Plan')")
    assert page.get_attribute(".nav a[data-page='plan']", "aria-current") == "page"
    page.wait_for_selector(".ranked table")
    page.click(".nav >> text=Download and API")
    page.wait_for_selector("#downloads a:has-text('PDF')")
    assert "B15%202TT/profile.pdf" in page.get_attribute("#downloads a >> nth=0", "href")
    page.go_back()
    page.wait_for_selector("#page-heading:has-text('Plan')")
    page.go_back()
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    page.wait_for_function(PAINTED, arg=["imd_decile|values|", 0])
    page.go_forward()
    page.wait_for_selector("#page-heading:has-text('Plan')")
    # a search on Plan opens Your area for the place; a failed one stays, with its sentence
    search(page, "HELLO")
    page.wait_for_selector("#search-message:has-text('not a UK postcode')")
    assert page.url.split("?")[0].endswith("/plan")
    search(page, "CV1 2AB")
    page.wait_for_selector("#profile-heading:has-text('CV1 2AB')")
    assert "/plan" not in page.url


def test_a_link_that_cannot_be_honoured_says_so(page):
    page.goto("/?postcode=B15+2TT&indicator=no_such_measure&radius=7&sort=sideways")
    page.wait_for_selector("#profile-heading:has-text('B15 2TT')")
    notice = page.inner_text("#url-notice")
    assert "no_such_measure" in notice and "radius" in notice and "order" in notice
    page.goto("/?postcode=ZZ99+9ZZ")
    page.wait_for_selector("#search-message .message--error")
    assert page.locator("#profile-heading").count() == 0
    page.goto("/?lsoa=E01999999")
    page.wait_for_selector("#search-message:has-text('E01999999')")


def test_an_unknown_path_is_a_404_page_that_helps(browser, base_url):
    ctx = browser.new_context(base_url=base_url)
    pg = ctx.new_page()
    resp = pg.goto("/no-such-page")
    assert resp.status == 404
    links = pg.eval_on_selector_all("a", "as => as.map(a => a.getAttribute('href'))")
    ctx.close()
    assert set(links) >= {"/", "/plan", "/compare", "/download", "/methods"}


@pytest.mark.parametrize(
    "url,ready",
    [
        ("/?postcode=B15+2TT", "#glance"),
        ("/plan?indicator=risk_index", ".ranked table"),
        ("/compare?compare=B15+2TT;CV1+2AB;E08000026", ".compare__table"),
        ("/download?postcode=B15+2TT", "#downloads a"),
        ("/methods", "#page-heading"),
    ],
)
def test_phone_width_nothing_scrolls_sideways_or_hides_a_column(browser, base_url, url, ready):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, base_url=base_url, is_mobile=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(url)
    pg.wait_for_selector(ready)
    pg.wait_for_timeout(300)
    width = pg.evaluate("document.scrollingElement.scrollWidth")
    # every cell of the first ranked rows, and the legend, lie inside the screen
    outside = pg.evaluate("""() => [...document.querySelectorAll('.ranked-table tbody tr:nth-child(-n+3) td, .legend')]
        .filter(e => { const b = e.getBoundingClientRect(); return b.width === 0 || b.left < 0 || b.right > 376; })
        .map(e => e.outerHTML.slice(0, 80))""")
    ctx.close()
    assert width <= 375, "the page scrolls sideways at phone width"
    assert outside == []
