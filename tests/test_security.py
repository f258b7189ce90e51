"""Security: headers, the CSP in a real browser, rate limits, body limits, error responses,
debug mode and bandit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dash import html
from plotly.utils import PlotlyJSONEncoder
from serving import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SEARCH_OUTPUT,
    app_env,
    app_server,
    browser_missing,
    callback_body,
    search_values,
)

import service
from app import app
from callbacks.router import render
from layouts import ids, shell
from layouts.pages import by_name, pages
from service.urlstate import default_state
from web.errors import MESSAGES
from web.security import content_security_policy

# The code that serves requests: top-level modules and packages. bench/, docs/ and tests/ are run
# by developers, not exposed.
SERVED_CODE = sorted(
    p.name
    for p in ROOT.iterdir()
    if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").is_file() and p.name not in ("tests", "bench", "docs"))
)


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def _page_layout(name: str) -> dict:
    """What the renderer holds on a page: the shell with the page drawn into it, as JSON."""
    page = by_name(name)
    tree = html.Div([shell(), html.Div(render(page, default_state(), app.server.config["EXPLORER_SITE"]))])
    return json.loads(json.dumps(tree, cls=PlotlyJSONEncoder))


def _search_body(client, typed: str, page: str = "plan") -> dict:
    """The body the renderer posts when someone types ``typed`` on ``page`` and presses Enter:
    every control of the page listed, as the renderer lists them."""
    deps = client.get("/_dash-dependencies").get_json()
    return callback_body(
        deps,
        _page_layout(page),
        SEARCH_OUTPUT,
        search_values(typed, by_name(page).path),
        [f"{ids.SEARCH_INPUT}.n_submit"],
    )


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/_dash-layout",
        "/api/v1/indicators",
        "/api/v1/postcodes/B15%202TT",
        "/healthz",
        "/api/v1/no-such-thing",
        "/_dash-component-suites/nope.js",
    ],
)
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    h = r.headers
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in h["Permissions-Policy"]


def test_page_csp_allows_dash_and_leaflet_but_no_inline_or_eval_scripts(client):
    csp = dict(d.strip().split(" ", 1) for d in client.get("/").headers["Content-Security-Policy"].split(";"))
    scripts = csp["script-src"].split()
    assert scripts[0] == "'self'" and set(app.csp_hashes()) <= set(scripts)
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"} & set(scripts)
    assert csp["worker-src"] == "'none'" and csp["child-src"] == "'none'"  # Leaflet needs no workers
    assert {"data:", "blob:"} <= set(csp["img-src"].split())
    assert csp["connect-src"] == "'self'"  # EXPLORER_BASEMAP=none: the browser talks only to us
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "basemap, hosts",
    [
        ("none", []),
        ("white-bg", []),
        ("carto-positron", ["https://*.basemaps.cartocdn.com"]),
        ("open-street-map", ["https://tile.openstreetmap.org"]),
        ("https://tiles.example.org/{z}/{x}/{y}.png", ["https://tiles.example.org"]),
        ("https://tiles.example.org/style.json", []),  # not a tile template: no basemap, nothing allowed
    ],
)
def test_tile_hosts_are_allowed_only_with_a_basemap(basemap, hosts):
    csp = dict(d.strip().split(" ", 1) for d in content_security_policy([], basemap).split(";"))
    for directive in ("connect-src", "img-src"):
        listed = {s for s in csp[directive].split() if s.startswith("https://")}
        assert set(hosts) <= listed if hosts else not listed


# ---------------------------------------------------------------------------- limits and errors


def test_oversized_bodies_get_413_json(client):
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert limit == 65536
    big = json.dumps({"output": "x", "pad": "x" * limit})
    r = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert r.status_code == 413 and r.get_json()["error"] == "request_entity_too_large"
    assert b"Traceback" not in r.data


@pytest.mark.parametrize("page", [p.name for p in pages()])
def test_largest_real_callback_body_fits_with_room_to_spare(client, page):
    """The search's body lists every control of the page (Plan has the most)."""
    body = json.dumps(_search_body(client, "B2 2TY", page))
    r = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert r.status_code == 200, r.data[:300]
    # A browser session (2 km around central Birmingham, every layer on) posts at most ~8 KB.
    assert len(body) * 4 < app.server.config["MAX_CONTENT_LENGTH"]


def _good_spec(client) -> dict:
    """The search callback as /_dash-dependencies lists it."""
    return next(d for d in client.get("/_dash-dependencies").get_json() if d["output"].startswith(SEARCH_OUTPUT))


def _junk_callback_bodies(client) -> list[tuple[str, object]]:
    good = _search_body(client, "B15 2TT")
    pattern_input = next(i for i, e in enumerate(good["inputs"]) if isinstance(e, list) and e)
    radius_input = next(i for i, s in enumerate(_good_spec(client)["inputs"]) if "radius-option" in s["id"])
    not_on_page = json.loads(json.dumps(good))
    not_on_page["inputs"][radius_input].append(
        {"id": {"type": "radius-option", "km": "abc"}, "property": "n_clicks", "value": 1}
    )
    not_on_page["changedPropIds"] = ['{"km":"abc","type":"radius-option"}.n_clicks']
    wild_trigger = json.loads(json.dumps(good))
    wild_trigger["changedPropIds"] = [good["inputs"][pattern_input][0]["id"]["type"] + ".n_clicks"]
    short = dict(good, inputs=good["inputs"][:-1])
    wrong_id = json.loads(json.dumps(good))
    wrong_id["inputs"][0]["id"] = "profile-body"
    return [
        ("not json", "not json"),
        ("json list", [1, 2, 3]),
        ("json string", "hello"),
        ("empty object", {}),
        ("unknown output", dict(good, output="..nope.children..")),
        ("output not a string", dict(good, output=["x"])),
        ("outputs missing", {k: v for k, v in good.items() if k != "outputs"}),
        ("inputs missing", {k: v for k, v in good.items() if k != "inputs"}),
        ("one input short", short),
        ("input for another component", wrong_id),
        ("pattern id not on the page", not_on_page),
        ("changed prop not an input", wild_trigger),
        ("changedPropIds not a list", dict(good, changedPropIds="search-input.n_submit")),
        ("inputs of the wrong type", dict(good, inputs={"a": 1})),
    ]


def test_malformed_callback_requests_get_400_json_not_500(client):
    for name, body in _junk_callback_bodies(client):
        data = body if isinstance(body, str) else json.dumps(body)
        r = client.post("/_dash-update-component", data=data, content_type="application/json")
        assert r.status_code == 400, name
        assert r.get_json()["error"] == "bad_callback_request", name
        if name == "pattern id not on the page":  # it fits the pattern: the page check rejects it
            assert "not on the page" in r.get_json()["message"], r.get_json()
        assert b"Traceback" not in r.data and b"KeyError" not in r.data


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("GET", "/_dash-update-component", {}),
        ("POST", "/_dash-update-component", {"data": b"\xff\xfe\x00", "content_type": "application/json"}),
        ("POST", "/_dash-update-component", {"data": b"{}", "content_type": "text/plain"}),
        ("POST", "/", {"data": b"x"}),
        ("PUT", "/api/v1/indicators", {"data": b"x"}),
        ("DELETE", "/_dash-layout", {}),
        ("GET", "/_dash-component-suites/dash/../../../etc/passwd", {}),
        ("GET", "/_dash-component-suites/nope/x.js", {}),
        ("GET", "/assets/../app.py", {}),
        ("GET", "/%ff%fe", {}),
        ("GET", "/%00", {}),
        ("GET", "/" + "a/" * 500, {}),
        ("GET", "/?postcode=%ff&radius=%00&indicator=" + "x" * 3000, {}),
        ("GET", "/api/v1/postcodes/%ff%fe", {}),
        ("GET", "/api/v1/postcodes/B15%202TT?radius_km=" + "9" * 400, {}),
        ("GET", "/api/v1/areas/lsoa/%00", {}),
        ("GET", "/healthz?x=%ff", {}),
    ],
)
def test_junk_requests_never_500_and_never_leak_internals(client, method, path, kwargs):
    r = client.open(path, method=method, **kwargs)
    assert r.status_code < 500
    for leak in (b"Traceback", b'File "', b"/work/", b"site-packages", b"Error:"):
        assert leak not in r.data


def test_unexpected_errors_answer_one_sentence_without_internals(client, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("secret detail: /srv/data/key.txt")

    monkeypatch.setattr(service, "lookup", broken)
    r = client.post("/_dash-update-component", json=_search_body(client, "B15 2TT"))
    assert r.status_code == 500
    assert r.get_json() == {"status": 500, "error": "internal_error", "message": MESSAGES[500]}
    monkeypatch.setattr(service, "area_profile", broken)
    # a well-formed code no other test has cached, so the view really calls the broken function
    r = client.get("/api/v1/areas/lsoa/E01099999", environ_base={"REMOTE_ADDR": "10.66.0.1"})
    assert r.status_code == 500 and b"secret" not in r.data and b"Traceback" not in r.data


@pytest.mark.slow
def test_rate_limit_answers_429_json_and_debug_stays_off():
    """A low limit in a fresh process, with FLASK_DEBUG=1 and EXPLORER_DEBUG=1 set: still no debug."""
    script = """
import json
from app import app
c = app.server.test_client()
out = {"debug": app.server.debug, "propagate": app.server.config["PROPAGATE_EXCEPTIONS"], "api": []}
for _ in range(5):
    r = c.get("/api/v1/indicators")
    out["api"].append([r.status_code, r.get_json(), r.headers.get("Retry-After")])
out["page"] = [c.get("/").status_code for _ in range(5)]
# X-Forwarded-For is ignored unless EXPLORER_TRUSTED_PROXIES says a proxy sets it: no dodging by header
out["spoofed"] = c.get("/api/v1/indicators", headers={"X-Forwarded-For": "203.0.113.9"}).status_code
out["boom"] = c.post("/_dash-update-component", data="[]", content_type="application/json").status_code
print(json.dumps(out))
"""
    env = app_env(EXPLORER_RATE_LIMIT="3/minute", EXPLORER_DEBUG="1", FLASK_DEBUG="1")
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["debug"] is False and out["propagate"] is False
    statuses = [s for s, _, _ in out["api"]]
    assert statuses == [200, 200, 200, 429, 429]
    _, body, retry_after = out["api"][3]
    assert body["status"] == 429 and body["error"] == "too_many_requests" and "slow down" in body["message"]
    assert int(retry_after) > 0
    assert out["page"] == [200] * 5  # only the API is limited
    assert out["spoofed"] == 429
    assert out["boom"] == 400


@pytest.mark.slow
def test_behind_a_proxy_each_forwarded_client_has_its_own_limit():
    script = """
import json
from app import app
c = app.server.test_client()
hop = lambda ip: {"X-Forwarded-For": ip, "X-Forwarded-Proto": "https"}
a = [c.get("/api/v1/indicators", headers=hop("203.0.113.1")).status_code for _ in range(3)]
b = c.get("/api/v1/indicators", headers=hop("203.0.113.2"))
print(json.dumps({"a": a, "b": b.status_code, "hsts": b.headers.get("Strict-Transport-Security")}))
"""
    env = app_env(EXPLORER_RATE_LIMIT="2/minute", EXPLORER_TRUSTED_PROXIES="1")
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"a": [200, 200, 429], "b": 200, "hsts": "max-age=31536000"}


# ---------------------------------------------------------------------------- bandit


def test_bandit_finds_nothing_unjustified_in_served_code():
    bandit = Path(sys.executable).with_name("bandit")
    if not bandit.exists():
        pytest.skip("bandit is not installed (pip install -r requirements-dev.txt)")
    proc = subprocess.run(
        [str(bandit), "-q", "-r", "-f", "json", *SERVED_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(proc.stdout)
    found = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert not found, "bandit findings (fix, or justify with `# nosec BXXX: why`):\n" + "\n".join(found)


# ---------------------------------------------------------------------------- browser


BROWSER_SKIP = browser_missing()


@pytest.mark.browser
@pytest.mark.skipif(BROWSER_SKIP is not None, reason=BROWSER_SKIP or "")
def test_csp_does_not_block_the_app_in_chromium(tmp_path):
    import numpy as np
    from PIL import Image
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    errors: list[str] = []
    outside: list[str] = []
    with app_server(app_env(), log_path=tmp_path / "server.log") as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(
                lambda url: not url.startswith(f"http://127.0.0.1:{port}/"),
                lambda route: (outside.append(route.request.url), route.abort()),
            )
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', "
                "e => window.__csp = (window.__csp || []).concat([e.violatedDirective + ' ' + e.blockedURI]))"
            )
            page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function(
                "() => window.explorerPaint && window.explorerPaint.features >= 1719", timeout=60_000
            )
            page.fill(f"#{ids.SEARCH_INPUT}", "B15 2TT")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('#profile-body h2')"
                " && document.querySelector('#profile-body h2').textContent.includes('B15 2TT')",
                timeout=30_000,
            )
            page.wait_for_function(
                "() => { const c = window.explorerMap.getCenter(); return Math.abs(c.lat - 52.45328) < 1e-4; }"
            )
            violations, console_errors = page.evaluate("() => window.__csp || []"), list(errors)
            shot = tmp_path / "map.png"
            page.locator(f"#{ids.MAP}").screenshot(path=str(shot))
            # Control: an inline script is refused, so the listener and the policy are live.
            page.evaluate(
                "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                " document.body.appendChild(s); }"
            )
            page.wait_for_timeout(200)
            control = page.evaluate("() => [window.__ran === undefined, (window.__csp || []).length]")
        finally:
            browser.close()
    assert violations == [] and console_errors == [], (violations, console_errors)
    assert control == [True, 1]
    assert outside == []  # EXPLORER_BASEMAP=none: nothing leaves the machine
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    painted = (pixels.min(axis=2) < 235).mean()  # the choropleth's fills, outlines and labels
    assert painted > 0.15, f"the map canvas is blank ({painted:.0%} painted)"
