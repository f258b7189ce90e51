"""The OpenAPI description is kept true: real responses are checked against it, every route is
documented, and a property-based run (Schemathesis) finds no server error and no response
outside the schema.
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app import app
from web.api.openapi import AREA_CODE_PATTERN, POSTCODE_PATTERN, document

# ============================================================================ fixtures (OpenAPI tests)

PREFIX = "/api/v1"
LIVE, TERMINATED, NO_LSOA = "B15 2TT", "B1 1AA", "CV3 4FY"  # real postcodes: ok, retired, outside the LSOAs
WARD, BOROUGH, LSOA = "E05011151", "E08000025", "E01009146"
IDENTITY = {"Accept-Encoding": "identity"}  # the WSGI client does not decompress


pytestmark = pytest.mark.usefixtures("no_rate_limit")  # every test here makes many requests


schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app.server)


# ============================================================================ the document


def test_served_document_is_the_built_one(client):
    resp = client.get(f"{PREFIX}/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    served = resp.get_json()
    assert served == json.loads(json.dumps(document()))
    assert served["openapi"].startswith("3.1")
    assert served["servers"] == [{"url": PREFIX}]


def _documented() -> set[str]:
    return set(document()["paths"])


def _routed() -> set[str]:
    """The API's Flask routes as OpenAPI path templates (the export route expanded per format)."""
    import exports
    import service

    out = set()
    for rule in app.server.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX) or rule.endpoint == "api.unknown":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(PREFIX) :]) or "/"
        if path.endswith("/profile.{fmt}"):
            out.update(path.replace("{fmt}", f) for f in exports.FORMATS)
        elif path.endswith("/plan.{fmt}"):
            out.update(path.replace("{fmt}", f) for f in service.PLAN_FORMATS)
        else:
            out.add(path)
    return out


def test_every_route_is_documented_and_every_path_routed():
    assert _routed() == _documented()


def test_enums_follow_the_registry():
    import geodata

    doc = document()
    ind = doc["components"]["schemas"]["Indicator"]["properties"]
    assert ind["id"]["enum"] == [i.id for i in geodata.INDICATORS]
    assert set(ind) == set(geodata.INDICATORS[0].to_dict())
    entry = doc["components"]["schemas"]["ProfileIndicator"]["properties"]
    assert set(entry) == set(geodata.profile_for_area("ward", WARD)["indicators"][0])


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("B1 1AA", True),
        ("b11aa", True),
        ("B 1 1 A A", True),
        (" B15 2TT ", True),
        ("CV1 2", True),
        ("CV1   2", True),
        ("B15", True),
        ("WV10", True),
        ("SW1A 1AA", True),
        ("EC1A1BB", True),
        ("xyz", False),
        ("B1 1A", False),
        ("B1\t1AA", False),
        ("B1 1AA\n", False),
        ("", False),
        ("1B 1AA", False),
        ("B1 1AA1", False),
        ("Ö1 1AA", False),
        ("B15 2", True),
        ("B152", False),
        ("B15 2T", False),
    ],
)
def test_postcode_pattern_is_the_server_check(text, matches):
    """The documented pattern and the server's check agree (Python reads the ECMA pattern the same way)."""
    import geodata

    assert bool(re.fullmatch(POSTCODE_PATTERN, text)) is matches
    if matches:  # everything the pattern admits is understood by geodata, so the API never says 400 to it
        assert geodata.lookup_postcode(text).status != "invalid"


def test_area_code_pattern():
    assert re.fullmatch(AREA_CODE_PATTERN, WARD) and not re.fullmatch(AREA_CODE_PATTERN, "E0501115")


# ============================================================================ real responses against the schema

REAL = [
    ("/", "/", 200),
    ("/postcodes/{postcode}", f"/postcodes/{LIVE}", 200),
    ("/postcodes/{postcode}", f"/postcodes/{TERMINATED}?radius_km=2", 200),
    ("/postcodes/{postcode}", "/postcodes/B15", 200),
    ("/postcodes/{postcode}", f"/postcodes/{NO_LSOA}", 200),
    ("/postcodes/{postcode}", "/postcodes/SW1A 1AA", 404),
    ("/postcodes/{postcode}", "/postcodes/ZZ1 1ZZ", 404),
    ("/postcodes/{postcode}", "/postcodes/xyz", 400),
    ("/postcodes/{postcode}", f"/postcodes/{LIVE}?radius_km=9", 400),
    ("/areas/{kind}/{code}", f"/areas/lsoa/{LSOA}", 200),
    ("/areas/{kind}/{code}", f"/areas/ward/{WARD}", 200),
    ("/areas/{kind}/{code}", f"/areas/borough/{BOROUGH}", 200),
    ("/areas/{kind}/{code}", "/areas/ward/E05999999", 404),
    ("/areas/{kind}/{code}", "/areas/ward/E05", 400),
    ("/indicators", "/indicators", 200),
    ("/indicators/{indicator_id}", "/indicators/imd_decile", 200),
    ("/indicators/{indicator_id}", "/indicators/nope", 404),
    ("/indicators/{indicator_id}/values", "/indicators/violence_with_injury_rate/values", 200),
    ("/indicators/{indicator_id}/values", "/indicators/attainment8_score/values", 200),
    ("/indicators/{indicator_id}/values", "/indicators/nope/values", 404),
    ("/postcodes/{postcode}/profile.geojson", f"/postcodes/{LIVE}/profile.geojson", 200),
    ("/postcodes/{postcode}/profile.csv", f"/postcodes/{LIVE}/profile.csv", 200),
    ("/postcodes/{postcode}/profile.xlsx", f"/postcodes/{NO_LSOA}/profile.xlsx", 404),
    ("/areas/{kind}/{code}/profile.pdf", f"/areas/lsoa/{LSOA}/profile.pdf", 200),
    ("/areas/{kind}/{code}/profile.zip", f"/areas/lsoa/{LSOA}/profile.zip", 200),
    ("/areas/{kind}/{code}/profile.xlsx", "/areas/ward/E05999999/profile.xlsx", 404),
]


@pytest.mark.parametrize(("template", "url", "status"), REAL)
def test_real_response_matches_the_schema(client, template, url, status):
    resp = client.get(PREFIX + url, headers=IDENTITY)
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    schema[template]["GET"].validate_response(resp)  # raises on any mismatch


def test_the_check_can_fail(client):
    """An undocumented field in a real response is caught (the schemas are closed)."""
    from werkzeug.test import TestResponse

    resp = client.get(f"{PREFIX}/areas/ward/{WARD}", headers=IDENTITY)
    body = resp.get_json()
    body["indicators"][0]["surprise"] = 1
    forged = TestResponse(json.dumps(body), status=200, headers=dict(resp.headers), request=resp.request)
    forged.headers["Content-Length"] = str(len(forged.get_data()))
    with pytest.raises(Exception, match=r"surprise|additional|Additional"):
        schema["/areas/{kind}/{code}"]["GET"].validate_response(forged)


def test_304_is_documented(client):
    etag = client.get(f"{PREFIX}/indicators", headers=IDENTITY).headers["ETag"]
    resp = client.get(f"{PREFIX}/indicators", headers={**IDENTITY, "If-None-Match": etag})
    assert resp.status_code == 304
    assert "304" in document()["paths"]["/indicators"]["get"]["responses"]


# ============================================================================ property-based


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_api_property_based(case):
    """Generated valid and invalid requests: never a 5xx, always a documented status, body and headers."""
    case.call_and_validate(headers=IDENTITY)


def test_every_ward_and_borough_and_a_sample_of_postcodes_conform(client, data):
    """No area breaks the API or its schema: all 192 wards, all 7 boroughs, 40 LSOAs and 40 postcodes."""
    import random

    rng = random.Random(5)
    urls = [(f"/areas/ward/{c}", "/areas/{kind}/{code}") for c in sorted(data.ward_names)]
    urls += [(f"/areas/borough/{c}", "/areas/{kind}/{code}") for c in sorted(data.lad_names)]
    urls += [(f"/areas/lsoa/{c}", "/areas/{kind}/{code}") for c in rng.sample(list(data.lsoa_row), 40)]
    urls += [
        (f"/postcodes/{p}?radius_km={rng.choice(['0.5', '1', '2'])}", "/postcodes/{postcode}")
        for p in rng.sample(data.postcodes.postcode.tolist(), 40)
    ]
    for url, template in urls:
        resp = client.get(PREFIX + url, headers=IDENTITY)
        assert resp.status_code == 200, (url, resp.get_data(as_text=True)[:200])
        schema[template]["GET"].validate_response(resp)
