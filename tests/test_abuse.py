"""Serving under abuse (issue 13): bounded cost per client, bounded caches, no 500 from any input,
stalled clients that cannot hold every worker.

Each test here fails on the code before the change: any radius from 0.1 to 5 km was a fresh
profile and a cache entry, every spelling of a postcode its own four keys, the PDF export and
the callback endpoint had no limit of their own, a deeply nested body was a 500, a 405 off the
API was Werkzeug's page, and two clients sending half their headers froze two sync workers.
"""

from __future__ import annotations

import json
import logging
import random
import runpy
import shutil
import socket
import time

import pytest
from serving import ROOT, RedisServer, app_env, app_server, get, search_body

import service
from app import app
from geodata.profile import RADII_KM
from web import limits
from web.callback_guard import MAX_JSON_DEPTH, json_depth

NO_REDIS = shutil.which("redis-server") is None
SERVER = app.server
LIVE = "B15 2TT"
_n = iter(range(1, 10**6))


def _addr() -> dict:
    """A client address of its own, so one test's counts never reach another's."""
    n = next(_n)
    return {"REMOTE_ADDR": f"10.13.{n // 250 % 250}.{n % 250 + 1}"}


@pytest.fixture
def client():
    return SERVER.test_client()


@pytest.fixture
def limited():
    """The limits on (as in production), whatever another module set."""
    cfg = SERVER.config["EXPLORER"]
    saved = cfg["EXPLORER_RATE_LIMIT"]
    cfg["EXPLORER_RATE_LIMIT"] = saved or "120/minute"
    yield
    cfg["EXPLORER_RATE_LIMIT"] = saved


def _backend_keys() -> set[str]:
    backend = SERVER.extensions["cache"][service.cache].backend  # SimpleCache in the tests
    return set(backend._cache)


# ---------------------------------------------------------------------------- bounded keys


@pytest.mark.parametrize("radius", ["0.1", "0.7", "1.5", "2.5", "3", "5", "0.50001"])
def test_only_the_offered_radii_are_accepted(client, radius):
    for url in (
        f"/api/v1/postcodes/{LIVE}?radius_km={radius}",
        f"/api/v1/postcodes/{LIVE}/profile.pdf?radius_km={radius}",
    ):
        r = client.get(url, environ_base=_addr())
        assert r.status_code == 400
        assert "one of 0.5, 1 or 2 km" in r.get_json()["message"]


def test_the_offered_radii_are_the_apps():
    from layouts.mapview import radius_options

    shown = json.dumps(radius_options(1.0).to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert all(f"{r:g} km" in shown for r in RADII_KM) and RADII_KM == (0.5, 1.0, 2.0)


def test_every_spelling_of_a_postcode_shares_one_cache_entry_and_says_what_was_typed(client, limited):
    pc = "B16 9NG"  # a postcode no other test asks for
    before = _backend_keys()
    spellings = ["B16 9NG", "b169ng", "B169NG", " b16  9ng ", "B 1 6 9 N G"]
    bodies = []
    for text in spellings * 2:
        r = client.get(f"/api/v1/postcodes/{text}", environ_base=_addr())
        assert r.status_code == 200
        bodies.append(r.get_json())
    new = {k for k in _backend_keys() - before if pc in k}
    # the canonical body (raw and gzip) only: not four keys per spelling
    assert len(new) <= 2, new
    assert [b["place"]["query"] for b in bodies] == spellings * 2
    assert all({**b, "place": {**b["place"], "query": pc}} == bodies[0] for b in bodies)


def test_invalid_input_is_never_cached(client):
    before = _backend_keys()
    for text in ["ZZ1 1ZZ", "SW1A 1AA", "xyz", "B15 2TT'--", "QQ9"]:
        assert client.get(f"/api/v1/postcodes/{text}", environ_base=_addr()).status_code in (400, 404)
        assert client.get(f"/api/v1/postcodes/{LIVE}?radius_km=1.3", environ_base=_addr()).status_code == 400
    assert _backend_keys() == before


def test_random_radii_and_spellings_make_a_bounded_number_of_keys(client):
    rng = random.Random(13)
    pcs = ["B15 2TT", "CV1 2", "B1 1AA", "WS1 1RN"]
    before = _backend_keys()
    for _ in range(200):
        pc = rng.choice(pcs)
        text = "".join(c.lower() if rng.random() < 0.5 else c for c in pc).replace(" ", " " * rng.randint(0, 2))
        radius = rng.choice(["0.5", "1", "2", f"{rng.uniform(0.1, 5):.3f}"])
        r = client.get(f"/api/v1/postcodes/{text}?radius_km={radius}", environ_base=_addr())
        assert r.status_code in (200, 400, 404)  # "CV12" is another district
    assert len(_backend_keys() - before) <= len(pcs) * len(RADII_KM) * 2


def test_per_process_caches_are_bounded():
    from service.cache import LOCAL_ITEMS, SIMPLE_ITEMS

    backend = SERVER.extensions["cache"][service.cache].backend
    assert backend._threshold == SIMPLE_ITEMS <= 1000 and LOCAL_ITEMS <= 500


def test_app_callbacks_cache_a_postcode_under_its_canonical_spelling():
    a = service.postcode_profile("b152tt", 1.0)
    b = service.postcode_profile("B15 2TT", 1.0)
    assert a["place"]["query"] == "b152tt" and b["place"]["query"] == "B15 2TT"
    assert {**a, "place": b["place"]} == b
    assert service.canonical_postcode(" b15  2tt ") == "B15 2TT" and service.canonical_postcode("nope!") is None


# ---------------------------------------------------------------------------- cost limits


def test_pdf_burst_gets_429_json_with_retry_after(client, limited):
    who = _addr()
    statuses = [client.get(f"/api/v1/postcodes/{LIVE}/profile.pdf", environ_base=who) for _ in range(4)]
    codes = [r.status_code for r in statuses]
    assert codes[:2] == [200] * 2 and codes[2:] == [429, 429]
    r = statuses[-1]
    assert r.mimetype == "application/json" and int(r.headers["Retry-After"]) >= 1
    body = r.get_json()
    assert body["error"] == "too_many_requests" and "PDF downloads" in body["message"]
    # another client is not affected, and cheap formats have their own, larger allowance
    assert client.get(f"/api/v1/postcodes/{LIVE}/profile.pdf", environ_base=_addr()).status_code == 200
    assert [client.get(f"/api/v1/postcodes/{LIVE}/profile.csv", environ_base=who).status_code for _ in range(5)] == [
        200
    ] * 5


def test_callback_storm_gets_429_and_a_person_does_not(client, limited):
    body = _search(client)
    person, script = _addr(), _addr()
    post = {"data": body, "content_type": "application/json"}
    # a person: a page load and a few searches, well under the burst allowance
    assert {client.post("/_dash-update-component", environ_base=person, **post).status_code for _ in range(20)} == {200}
    codes = [client.post("/_dash-update-component", environ_base=script, **post).status_code for _ in range(80)]
    assert codes.count(429) >= 15 and set(codes) <= {200, 429}
    r = client.post("/_dash-update-component", environ_base=script, **post)
    assert r.status_code == 429 and "updates to the page" in r.get_json()["message"] and r.headers["Retry-After"]


def _search(client) -> bytes:
    from serving import callback_body, search_values

    deps = client.get("/_dash-dependencies").get_json()
    layout = client.get("/_dash-layout").get_json()
    return json.dumps(
        callback_body(deps, layout, "..url.pathname...url.search...", search_values(LIVE), ["search-input.n_submit"])
    ).encode()


def test_compare_and_weighted_indices_cost_more_than_other_callbacks():
    from layouts import ids

    def costs(output: str) -> list[str]:
        return limits.costs_of("/_dash-update-component", "POST", json.dumps({"output": output}).encode())

    assert costs(f"{ids.COMPARE_RESULT}.children") == ["callback", "compare"]
    assert "weights" in costs(f"..{ids.COUNTS}.children...{ids.RANKED}.children..")
    assert costs("url.search") == ["callback"]
    assert limits.costs_of("/api/v1/areas/ward/E05011151/profile.zip", "GET") == ["export-pdf"]
    assert limits.costs_of("/api/v1/postcodes/B15/profile.xlsx", "GET") == ["export-xlsx"]
    assert limits.costs_of("/api/v1/plans/borough/E08000031/plan.pdf", "GET") == ["export-pdf"]  # plans too
    assert limits.costs_of("/api/v1/plans/ward/E05011134/plan.xlsx", "GET") == ["export-xlsx"]
    assert limits.costs_of("/api/v1/postcodes/B15", "GET") == [] and limits.costs_of("/", "GET") == []


def test_a_limited_page_is_a_page_with_a_sentence():
    with SERVER.test_request_context("/plan"):
        r = limits.too_many(limits.COSTS["weights"], 7)
    assert r.status_code == 429 and r.mimetype == "text/html" and r.headers["Retry-After"] == "7"
    assert "re-weighted indices" in r.get_data(as_text=True) and "<main>" in r.get_data(as_text=True)


def test_no_cost_limits_when_the_rate_limit_is_off(client):
    cfg = SERVER.config["EXPLORER"]
    saved, cfg["EXPLORER_RATE_LIMIT"] = cfg["EXPLORER_RATE_LIMIT"], ""
    try:
        who = _addr()
        assert {
            client.get(f"/api/v1/postcodes/{LIVE}/profile.pdf", environ_base=who).status_code for _ in range(6)
        } == {200}
    finally:
        cfg["EXPLORER_RATE_LIMIT"] = saved


@pytest.mark.redis
@pytest.mark.skipif(NO_REDIS, reason="redis-server is not installed (bash .ci/run installs it)")
def test_cost_limits_are_shared_across_workers_through_redis_and_fall_back_to_memory():
    from limits.storage import storage_from_string

    redis = RedisServer().start()
    try:
        # two workers: two processes' limiters on the same storage
        a, b = (limits.CostLimiter(storage_from_string(redis.url)) for _ in range(2))
        hits = [(a if i % 2 else b).over("export-pdf", "203.0.113.7") for i in range(4)]
        assert hits[:2] == [None] * 2 and all(h and h >= 1 for h in hits[2:])
        assert redis.keys("LIMITS*")
        redis.kill()
        start = time.perf_counter()
        assert a.over("export-pdf", "203.0.113.8") is None  # storage gone: counted per process, no error
        assert time.perf_counter() - start < 2
    finally:
        redis.kill()


# ---------------------------------------------------------------------------- no 500 from input


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 973 + b"]" * 973,
        b'{"a":' * 600 + b"1" + b"}" * 600,
        b'{"output":"url.search","inputs":' + b"[" * 200 + b"]" * 200 + b"}",
        b"[" * 5000,  # unbalanced
    ],
)
def test_deeply_nested_bodies_get_400_before_parsing_with_one_log_line(client, caplog, body):
    caplog.set_level(logging.INFO)
    r = client.post("/_dash-update-component", data=body, content_type="application/json", environ_base=_addr())
    assert r.status_code == 400 and r.get_json()["error"] == "too_deeply_nested"
    lines = [rec for rec in caplog.records if rec.levelno >= logging.INFO and rec.name.startswith("explorer")]
    assert len(lines) == 1 and lines[0].exc_info is None


def test_json_depth_ignores_brackets_in_strings_and_real_bodies_pass(client):
    assert json_depth(b'{"a":"[[[[[[[[{{{{{{","b":[1,[2]]}') == 3
    assert json_depth(b'"\\"[[[["') == 0 and json_depth(b"") == 0
    assert json_depth(_search(client)) < MAX_JSON_DEPTH // 2


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("POST", "/", "html"),
        ("DELETE", "/plan", "html"),
        ("PUT", "/compare", "html"),
        ("POST", "/healthz", "json"),
        ("PUT", "/_dash-update-component", "json"),
        ("POST", "/api/v1/indicators", "json"),
    ],
)
def test_405_is_in_the_apps_style_with_allow(client, method, path, kind):
    r = client.open(path, method=method, environ_base=_addr())
    assert r.status_code == 405 and r.headers.get("Allow")
    text = r.get_data(as_text=True)
    assert "Werkzeug" not in text and "<title>405 Method Not Allowed</title>" not in text
    if kind == "json":
        assert r.mimetype == "application/json" and r.get_json()["message"]
    else:
        assert r.mimetype == "text/html" and "<main>" in text and "not allowed" in text


@pytest.mark.parametrize("path", ["/api/nope", "/api/v2/postcodes/B15", "/_dash-nope", "/_dash-layout/x"])
def test_unknown_json_paths_are_json_404(client, path):
    r = client.get(path, environ_base=_addr())
    assert r.status_code == 404 and r.mimetype == "application/json" and r.get_json()["message"]


@pytest.mark.parametrize("path", ["/console", "/admin", "/wp-login.php", "/.env", "/plan/extra"])
def test_unknown_pages_are_the_helpful_404_page(client, path):
    r = client.get(path, environ_base=_addr())
    text = r.get_data(as_text=True)
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "There is no page at this address" in text and 'href="/plan"' in text


# ---------------------------------------------------------------------------- slow clients


@pytest.mark.slow
def test_stalled_clients_cannot_hold_every_worker(tmp_path):
    """Against the production config (gunicorn.conf.py, 2 workers): 24 connections that send half
    their headers and stop (twelve times what froze the sync workers) while others are served."""
    stall_timeout_s = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["STALL_TIMEOUT_S"]
    log_path = tmp_path / "gunicorn.log"
    with app_server(app_env(EXPLORER_RATE_LIMIT=""), workers=2, log_path=log_path) as port:
        stalled = []
        for _ in range(24):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(b"GET /api/v1/indicators HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
            stalled.append(s)
        time.sleep(0.5)
        start = time.perf_counter()
        codes = [get(port, "/api/v1/postcodes/B15%202TT", timeout=3)[0] for _ in range(20)]
        codes.append(
            get(
                port,
                "/_dash-update-component",
                method="POST",
                body=search_body(port, "CV1 2"),
                headers={"Content-Type": "application/json"},
                timeout=3,
            )[0]
        )
        served_in = time.perf_counter() - start
        assert codes == [200] * 21 and served_in < 3.0
        # the stalled connections are closed once they have been quiet STALL_TIMEOUT_S
        time.sleep(stall_timeout_s + 1.0)
        assert all(s.recv(100) == b"" for s in stalled)
        for s in stalled:
            s.close()
    log = log_path.read_text()
    assert "Using worker: StallBoundedWorker" in log and "Traceback" not in log
