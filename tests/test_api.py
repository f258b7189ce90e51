"""The JSON API under /api/v1/, through the Flask test client of the real app.

Every expected value is the geodata result for the same input (the single source of truth),
so these tests fail if the API ever reshapes or recomputes a profile.
"""

from __future__ import annotations

import gzip
import json

import pytest

import geodata
import service
from geodata.places import PLACE_KEYS

# ============================================================================ fixtures (API tests)
#
# Postcodes cut from the real data (data/processed), one per behaviour.
LIVE = "B15 2TT"  # ok: Edgbaston ward, Birmingham
TERMINATED = "B1 1AA"  # retired in 2010, still located
DISTRICT, SECTOR = "B15", "CV1 2"  # partial: the centre of their live postcodes
OUTSIDE = "SW1A 1AA"  # Westminster
UNKNOWN = "ZZ1 1ZZ"  # a well-formed postcode that does not exist
NO_LSOA = "CV3 4FY"  # located, but just outside the small-area boundaries
WARD, BOROUGH, LSOA = "E05011151", "E08000025", "E01009146"  # Ladywood, Birmingham, Birmingham 136B


@pytest.fixture(scope="module")
def server(explorer, no_rate_limit):
    """The app's Flask server with the API rate limit off."""
    return explorer.server


@pytest.fixture(scope="module")
def client(server):
    return server.test_client()


def get_json(client, url: str, status: int = 200, **kw) -> dict:
    resp = client.get(url, **kw)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/json"
    return resp.get_json()


def roundtrip(obj: object) -> object:
    """What a dict looks like after JSON (tuples become lists, numpy floats plain floats)."""
    return json.loads(json.dumps(obj))


def assert_json_error(resp, status: int) -> dict:
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["status"] == status and body["error"] and body["message"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "ETag" not in resp.headers
    text = resp.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    return body


# ============================================================================ postcodes


def test_postcode_is_the_geodata_profile(client):
    body = get_json(client, f"/api/v1/postcodes/{LIVE}")
    assert body == roundtrip(geodata.profile_for_postcode(LIVE, 1.0))
    assert list(body["place"]) == list(PLACE_KEYS)  # the lookup command's keys, in order
    assert body["place"] == roundtrip(geodata.lookup_postcode(LIVE).public_dict())
    assert body["place"]["status"] == "ok"
    assert body["area"]["kind"] == "postcode" and body["area"]["radius_km"] == 1.0
    assert len(body["indicators"]) == len(geodata.INDICATORS)


@pytest.mark.parametrize("text", ["b152tt", "B152TT", "b15 2tt", " B15  2TT ", "B 1 5 2 T T"])
def test_postcode_forgives_case_and_spacing(client, text):
    body = get_json(client, f"/api/v1/postcodes/{text}")
    assert body["place"]["postcode"] == LIVE
    assert body["place"]["query"] == text


@pytest.mark.parametrize(
    ("text", "status"), [(TERMINATED, "terminated"), (DISTRICT, "partial"), (SECTOR, "partial"), (LIVE, "ok")]
)
def test_postcode_statuses_that_have_a_profile(client, text, status):
    body = get_json(client, f"/api/v1/postcodes/{text}")
    assert body["place"]["status"] == status
    assert body["area"]["lsoa21_codes"]


def test_postcode_outside_the_small_areas_has_an_empty_profile(client):
    body = get_json(client, f"/api/v1/postcodes/{NO_LSOA}")
    assert body["area"] is None and body["indicators"] == []
    assert body["place"]["status"] == "ok" and "no small-area profile" in body["summary"]


@pytest.mark.parametrize(
    ("text", "status", "place_status"),
    [
        (OUTSIDE, 404, "outside_area"),
        (UNKNOWN, 404, "not_found"),
        ("xyz", 400, None),
        ("B1 1AA'; DROP TABLE", 400, None),
        ("=HYPERLINK(1)", 400, None),
        ("B" * 33, 400, None),
        ("B1%091AA", 400, None),  # a tab inside
        ("Ö1 1AA", 400, None),
    ],
)
def test_postcode_errors_are_json(client, text, status, place_status):
    body = assert_json_error(client.get(f"/api/v1/postcodes/{text}"), status)
    if place_status:
        place = geodata.lookup_postcode(text)
        assert body["error"] == place_status
        assert body["message"] == place.message  # the place's own sentence
        assert body["place"] == roundtrip(place.public_dict())
    else:
        assert body["error"] == "invalid_postcode"
        assert "postcode" in body["message"]


@pytest.mark.parametrize("radius", ["0.5", "1", "2", "2.0", "1e0", ".5"])
def test_radius_in_range(client, radius):
    body = get_json(client, f"/api/v1/postcodes/{LIVE}?radius_km={radius}")
    assert body["area"]["radius_km"] == float(radius)
    assert body == roundtrip(geodata.profile_for_postcode(LIVE, float(radius)))


@pytest.mark.parametrize(
    "query",
    [
        "radius_km=0",
        "radius_km=0.09",
        "radius_km=0.1",
        "radius_km=0.51",
        "radius_km=2.5",
        "radius_km=5",
        "radius_km=5.01",
        "radius_km=-1",
        "radius_km=abc",
        "radius_km=nan",
        "radius_km=inf",
        "radius_km=1_0",
        "radius_km=%201",
        "radius_km=",
        "radius_km=1&radius_km=2",
        "radius_km=" + "1" * 300,
    ],
)
def test_radius_out_of_range_or_malformed_is_400(client, query):
    body = assert_json_error(client.get(f"/api/v1/postcodes/{LIVE}?{query}"), 400)
    assert "radius" in body["message"] or "query string" in body["message"]


def test_unknown_query_parameters_are_ignored(client):
    assert get_json(client, f"/api/v1/postcodes/{LIVE}?foo=bar") == get_json(client, f"/api/v1/postcodes/{LIVE}")


# ============================================================================ areas


@pytest.mark.parametrize(("kind", "code"), [("lsoa", LSOA), ("ward", WARD), ("borough", BOROUGH)])
def test_area_is_the_geodata_profile(client, kind, code):
    body = get_json(client, f"/api/v1/areas/{kind}/{code}")
    assert body == roundtrip(geodata.profile_for_area(kind, code))
    assert body["area"]["kind"] == kind and "place" not in body


@pytest.mark.parametrize(
    "url", [f"/api/v1/postcodes/{LIVE}", f"/api/v1/areas/lsoa/{LSOA}", f"/api/v1/areas/borough/{BOROUGH}"]
)
def test_profile_entries_carry_the_standing_and_the_unit_in_words(client, url):
    body = get_json(client, url)
    for e in body["indicators"]:
        ind = geodata.get_indicator(e["id"])
        assert e["unit_plain"] == ind.unit_plain and e["unit_plain"]
        assert isinstance(e["wm_standing"], str) and e["wm_standing"] and "100%" not in e["wm_standing"]
        if ind.mappable:
            assert e["wm_standing"].endswith("of West Midlands small areas"), e["wm_standing"]
            assert e["wm_standing"].startswith("taken as a whole, ") == (body["area"]["kind"] != "lsoa")
        else:
            assert e["wm_standing"].startswith(f"ranks {e['wm_rank']}") and e["wm_standing"].endswith(
                " of 7 boroughs (1 = worst)"
            )
    viol = next(e for e in body["indicators"] if e["id"] == geodata.registry.DEFAULT_INDICATOR)
    assert f"Recorded violence with injury: {viol['wm_standing']}." in body["summary"]


def test_area_code_is_case_insensitive(client):
    assert get_json(client, f"/api/v1/areas/ward/{WARD.lower()}") == get_json(client, f"/api/v1/areas/ward/{WARD}")


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/v1/areas/ward/E05999999", 404, "area_not_found"),
        ("/api/v1/areas/lsoa/E05011151", 404, "area_not_found"),  # a ward code is not an LSOA
        ("/api/v1/areas/county/E05011151", 404, "unknown_area_kind"),
        ("/api/v1/areas/ward/E0501", 400, "invalid_area_code"),
        ("/api/v1/areas/ward/" + "E" * 40, 400, "invalid_area_code"),
        ("/api/v1/areas/borough/E08000025x", 400, "invalid_area_code"),
    ],
)
def test_area_errors(client, url, status, error):
    assert assert_json_error(client.get(url), status)["error"] == error


# ============================================================================ indicators


def test_indicators_are_the_registry(client):
    body = get_json(client, "/api/v1/indicators")
    assert body["indicators"] == roundtrip([i.to_dict() for i in geodata.INDICATORS])
    assert body["count"] == len(geodata.INDICATORS)
    assert [lv["id"] for lv in body["levels"]] == list(geodata.registry.LEVELS)
    for ind in body["indicators"]:  # all metadata, attribution included
        assert {"source_url", "licence", "licence_confirmed", "publisher", "period", "geography"} <= set(ind)


def test_one_indicator(client):
    assert get_json(client, "/api/v1/indicators/imd_decile") == roundtrip(geodata.get_indicator("imd_decile").to_dict())


def test_values_for_every_lsoa_match_the_lsoa_profiles(client, data):
    for ind in geodata.registry.mappable():
        body = get_json(client, f"/api/v1/indicators/{ind.id}/values")
        assert body["area_kind"] == "lsoa" and body["count"] == len(data.areas) == len(body["values"])
        by_code = {v["code"]: v["value"] for v in body["values"]}
        for code in (LSOA, data.areas.lsoa21_code.iloc[0], data.areas.lsoa21_code.iloc[-1]):
            entry = next(e for e in geodata.profile_for_area("lsoa", code)["indicators"] if e["id"] == ind.id)
            assert by_code[code] == entry["value"], (ind.id, code)


def test_values_of_a_borough_indicator_are_its_borough_figures(client):
    ind = next(i for i in geodata.INDICATORS if not i.mappable)
    body = get_json(client, f"/api/v1/indicators/{ind.id}/values")
    assert body["area_kind"] == "borough"
    boroughs = [v for v in body["values"] if v["kind"] == "borough"]
    assert len(boroughs) == 7
    for v in boroughs:
        entry = next(e for e in geodata.profile_for_area("borough", v["code"])["indicators"] if e["id"] == ind.id)
        assert v["value"] == entry["value"]


@pytest.mark.parametrize(
    "url", ["/api/v1/indicators/nope", "/api/v1/indicators/nope/values", "/api/v1/indicators/" + "x" * 200 + "/values"]
)
def test_unknown_indicator_is_404(client, url):
    assert assert_json_error(client.get(url), 404)["error"] == "unknown_indicator"


# ============================================================================ errors, caching, CORS


def test_unknown_endpoint_is_json_404(client):
    assert_json_error(client.get("/api/v1/nothing/here"), 404)
    assert_json_error(client.get("/api/v1/postcodes/"), 404)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_json_405(client, method):
    resp = getattr(client, method)(f"/api/v1/postcodes/{LIVE}")
    assert_json_error(resp, 405)
    assert "GET" in resp.headers["Allow"]


def test_long_query_string_is_400(client):
    assert_json_error(client.get("/api/v1/indicators?x=" + "a" * 300), 400)


def test_an_unexpected_fault_is_a_json_500_without_a_trace(client, monkeypatch):

    def boom(kind, code):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "area_profile", boom)
    service.cache.delete("api:area:ward:E05011152")  # so the view has to build it
    resp = client.get("/api/v1/areas/ward/E05011152")
    body = assert_json_error(resp, 500)
    assert "secret" not in resp.get_data(as_text=True)
    assert body["error"] == "internal_error"


def test_caching_headers_and_304(client, data):
    resp = client.get(f"/api/v1/postcodes/{LIVE}")
    etag = resp.headers["ETag"]
    assert etag.startswith('W/"') and data.version in etag
    assert resp.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get(f"/api/v1/postcodes/{LIVE}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    stale = client.get(f"/api/v1/postcodes/{LIVE}", headers={"If-None-Match": 'W/"old"'})
    assert stale.status_code == 200
    other = client.get(f"/api/v1/postcodes/{LIVE}?radius_km=2")
    assert other.headers["ETag"] != etag


def test_etag_ignores_query_order(client):
    a = client.get(f"/api/v1/postcodes/{LIVE}?radius_km=2&x=1").headers["ETag"]
    b = client.get(f"/api/v1/postcodes/{LIVE}?x=1&radius_km=2").headers["ETag"]
    assert a == b


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/indicators",
        f"/api/v1/postcodes/{LIVE}",
        "/api/v1/postcodes/xyz",
        f"/api/v1/postcodes/{OUTSIDE}",
        f"/api/v1/areas/ward/{WARD}/profile.csv",
    ],
)
def test_cross_origin_get_is_allowed(client, url):
    assert client.get(url, headers={"Origin": "https://example.org"}).headers["Access-Control-Allow-Origin"] == "*"


def test_preflight(client):
    resp = client.options(
        f"/api/v1/postcodes/{LIVE}", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert resp.status_code == 200
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ["/api/v1/indicators", f"/api/v1/postcodes/{LIVE}", f"/api/v1/areas/ward/{WARD}"])
def test_gzip_when_asked_compressed_once(client, url):
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    second = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in first.headers["Vary"]
    assert first.data == second.data  # the cached compressed body, not a new compression
    assert json.loads(gzip.decompress(first.data)) == plain.get_json()
    assert first.headers["ETag"] == plain.headers["ETag"]  # weak: the same representation, differently encoded


def test_rate_limit_answers_json_429(server):
    from web import api

    if not api.limiter.enabled:
        pytest.skip("EXPLORER_RATE_LIMIT was empty when the app started, so no limiter is installed")
    cfg = server.config["EXPLORER"]
    cfg["EXPLORER_RATE_LIMIT"] = "3/minute"
    try:
        c = server.test_client()
        env = {"REMOTE_ADDR": "127.0.0.77"}  # an address of its own, so no other test shares the window
        statuses = [c.get("/api/v1/indicators", environ_base=env).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        resp = c.get("/api/v1/indicators", environ_base=env)
        assert_json_error(resp, 429)
        assert int(resp.headers["Retry-After"]) > 0
        assert c.get("/api/v1/indicators", environ_base={"REMOTE_ADDR": "127.0.0.78"}).status_code == 200
    finally:
        cfg["EXPLORER_RATE_LIMIT"] = ""


def test_index_lists_the_documented_endpoints(client):
    from web.api.openapi import document

    body = get_json(client, "/api/v1/")
    assert body["endpoints"] == sorted(document()["paths"])
    assert body["openapi"] == "/api/v1/openapi.json"


# ============================================================================ export URLs

MEDIA = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "zip": "application/zip",
}


@pytest.mark.parametrize("fmt", list(MEDIA))
@pytest.mark.parametrize("base", [f"/api/v1/postcodes/{LIVE}", f"/api/v1/areas/ward/{WARD}"])
def test_export_urls(client, base, fmt):
    resp = client.get(f"{base}/profile.{fmt}")
    assert resp.status_code == 200
    assert resp.mimetype == MEDIA[fmt]
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="wm-profile-')
    assert resp.headers["Content-Disposition"].endswith(f'.{fmt}"')
    assert resp.headers["ETag"] and resp.headers["Access-Control-Allow-Origin"] == "*"
    assert len(resp.data) > 500


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/api/v1/postcodes/{LIVE}/profile.docx", 404),
        (f"/api/v1/postcodes/{OUTSIDE}/profile.pdf", 404),
        (f"/api/v1/postcodes/{UNKNOWN}/profile.csv", 404),
        (f"/api/v1/postcodes/{NO_LSOA}/profile.xlsx", 404),
        ("/api/v1/postcodes/xyz/profile.zip", 400),
        (f"/api/v1/postcodes/{LIVE}/profile.pdf?radius_km=50", 400),
        ("/api/v1/areas/ward/E05999999/profile.pdf", 404),
        ("/api/v1/areas/ward/nope/profile.geojson", 400),
    ],
)
def test_export_errors_are_json(client, url, status):
    assert_json_error(client.get(url), status)


def test_export_cache_is_bounded_and_most_recent_first():
    from web.api.responses import BytesLRU as _BytesLRU

    lru = _BytesLRU(max_bytes=10)
    made = []

    def make(tag: bytes):
        def render() -> bytes:
            made.append(tag)
            return tag * 4

        return render

    assert lru.get("a", make(b"a")) == b"aaaa"
    assert lru.get("b", make(b"b")) == b"bbbb"
    assert lru.get("a", make(b"x")) == b"aaaa"  # a hit: not made again
    lru.get("c", make(b"c"))  # 12 bytes > 10: the least recently used ("b") goes
    assert lru.get("b", make(b"B")) == b"BBBB"
    assert made == [b"a", b"b", b"c", b"B"]
    assert lru.get("big", lambda: b"z" * 11) == b"z" * 11  # too big to keep, still served
    assert lru.get("big", lambda: b"y" * 11) == b"y" * 11
