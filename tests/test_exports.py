"""Exports read back and compared with the API's JSON: XLSX, PDF, GeoJSON, CSV, the zip bundle.

Each export is fetched from its API URL and checked against the API's own profile, so the
exports and the API are held to one source of truth.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import geodata
from exports import csvfile, tables, xlsx
from exports.tables import COLUMN_KEYS, COLUMNS, neutralise, profile_rows, sources_used
from geodata.registry import LEVEL_LABELS
from geodata.sources import SOURCES

# ============================================================================ fixtures (export tests)

LIVE = "B15 2TT"  # a live postcode in Edgbaston ward, Birmingham (real data)
WARD, BOROUGH, LSOA = "E05011151", "E08000025", "E01009146"  # Ladywood, Birmingham, Birmingham 136B
AREAS = {
    "postcode": f"/api/v1/postcodes/{LIVE}",
    "lsoa": f"/api/v1/areas/lsoa/{LSOA}",
    "ward": f"/api/v1/areas/ward/{WARD}",
    "borough": f"/api/v1/areas/borough/{BOROUGH}",
}


@pytest.fixture(scope="module")
def fetch(client):
    """GET an API URL (memoised for the module): the JSON profile or an export's bytes."""
    seen: dict[str, bytes] = {}

    def get(url: str) -> bytes:
        if url not in seen:
            resp = client.get(url)
            assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
            seen[url] = resp.data
        return seen[url]

    return get


@pytest.fixture(scope="module", params=list(AREAS))
def area(request, fetch):
    """(base URL, the API's profile JSON) for a postcode's surroundings, an LSOA, a ward and a borough."""
    base = AREAS[request.param]
    return base, json.loads(fetch(base))


def squash(text: str) -> str:
    """Text without any whitespace, so wrapped lines compare equal to the original."""
    return re.sub(r"\s+", "", text)


def values_by_id(profile: dict) -> dict[str, float | None]:
    return {e["id"]: e["value"] for e in profile["indicators"]}


# ============================================================================ XLSX


def _profile_table(wb) -> list[dict]:
    ws = wb["Profile"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == xlsx.PROFILE_TABLE_FIRST_HEADER)
    assert list(rows[start][: len(COLUMNS)]) == [c.header for c in COLUMNS]
    return [dict(zip(COLUMN_KEYS, r, strict=False)) for r in rows[start + 1 :] if any(v is not None for v in r)]


def test_xlsx_profile_sheet_equals_the_api(area, fetch):
    base, profile = area
    wb = load_workbook(io.BytesIO(fetch(f"{base}/profile.xlsx")))
    assert wb.sheetnames == ["Profile", "Metadata", "Sources"]
    table = _profile_table(wb)
    api = {e["id"]: e for e in profile["indicators"]}
    assert sorted(r["indicator_id"] for r in table) == sorted(api)
    for row in table:
        e = api[row["indicator_id"]]
        num = isinstance(e["value"], float)  # full precision; XLSX keeps 15 significant digits
        assert row["value"] == (pytest.approx(e["value"], rel=1e-14) if num else e["value"]), row["indicator_id"]
        assert row["wm_percentile"] == e["wm_percentile"]
        assert row["wm_rank"] == e["wm_rank"]
        assert row["unit"] == e["unit"] and row["period"] == e["period"]
        assert row["unit_plain"] == e["unit_plain"] and row["wm_standing"] == (e["wm_standing"] or None)
        assert row["licence"] == e["licence"] and row["publisher"] == e["publisher"]
        comparators = {c["label"]: c["value"] for c in e["comparators"] if c["code"] != "E92000001"}
        written = {
            row[f"{s}_label"]: row[f"{s}_value"] for s in ("ward", "borough", "west_midlands") if row[f"{s}_label"]
        }
        assert written.keys() == comparators.keys()
        for k, v in comparators.items():  # full precision; XLSX keeps 15 significant digits
            assert written[k] == (v if v is None else pytest.approx(v, rel=1e-14)), k
        if isinstance(e["value"], (int, float)):
            assert isinstance(row["value"], (int, float))  # numbers stay numbers
    assert wb["Profile"]["A1"].value == tables.area_title(profile)


def test_xlsx_metadata_sheet_has_every_indicator_definition(fetch):
    wb = load_workbook(io.BytesIO(fetch(f"{AREAS['ward']}/profile.xlsx")))
    rows = list(wb["Metadata"].iter_rows(values_only=True))
    header = [h for _k, h, _w in xlsx.METADATA_COLUMNS]
    assert list(rows[0]) == header
    by_id = {r[0]: dict(zip([k for k, _h, _w in xlsx.METADATA_COLUMNS], r, strict=True)) for r in rows[1:]}
    assert list(by_id) == [i.id for i in geodata.INDICATORS]
    for ind in geodata.INDICATORS:
        d, row = ind.to_dict(), by_id[ind.id]
        for key in (
            "description",
            "unit_plain",
            "period",
            "geography",
            "publisher",
            "source_url",
            "licence",
            "derivation",
        ):
            assert row[key] == d[key], (ind.id, key)
        assert row["licence_confirmed"] == ("yes" if d["licence_confirmed"] else "no")


def test_xlsx_sources_sheet_carries_the_attribution(fetch, area):
    base, profile = area
    wb = load_workbook(io.BytesIO(fetch(f"{base}/profile.xlsx")))
    text = squash(" ".join(str(v) for r in wb["Sources"].iter_rows(values_only=True) for v in r if v))
    for src in sources_used(profile):
        assert squash(src.attribution) in text and squash(src.publisher) in text and squash(src.url) in text
        if not src.licence_confirmed:
            assert squash(tables.licence_text(src)) in text and "notconfirmed" in squash(tables.licence_text(src))


# ============================================================================ PDF


def _pdf_text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_holds_name_levels_and_attribution(area, fetch):
    base, profile = area
    body = fetch(f"{base}/profile.pdf")
    assert body.startswith(b"%PDF-")
    reader, text = _pdf_text(body)
    # a paragraph may run over a page break: read it without the running footers
    flat = squash("\n".join(ln for ln in text.splitlines() if "| data version" not in ln))
    assert squash(profile["area"]["name"]) in flat
    assert tables.today() in text
    for label in LEVEL_LABELS.values():
        assert squash(label) in flat, label
    assert "Riskfactors" in flat and "Protectivefactors" in flat
    assert squash(tables.OUTCOME_SECTION) in flat
    for e in profile["indicators"]:
        assert squash(e["label"]) in flat, e["id"]
    for src in sources_used(profile):
        assert squash(src.attribution) in flat, src.key
        assert squash(src.publisher) in flat
        if not src.licence_confirmed:
            assert squash(tables.licence_text(src)) in flat
    assert squash("Method notes") in flat and squash(profile["caveat"]) in flat
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    assert len(page.images) >= 1  # the map


def test_pdf_shows_the_values_of_the_api(fetch):
    profile = json.loads(fetch(AREAS["ward"]))
    flat = squash(_pdf_text(fetch(f"{AREAS['ward']}/profile.pdf"))[1])
    for e in profile["indicators"]:
        if e["value"] is not None:
            assert squash(f"{tables.format_value(e['value'], e['decimals'])} {e['unit']}") in flat, e["id"]


def test_pdf_shows_each_unit_in_words(fetch):
    profile = json.loads(fetch(AREAS["lsoa"]))
    flat = squash(_pdf_text(fetch(f"{AREAS['lsoa']}/profile.pdf"))[1])
    for e in profile["indicators"]:
        assert e["unit_plain"] and squash(f"({e['unit_plain']})") in flat, e["id"]


# ============================================================================ one standing, every format


def test_standing_reads_the_same_in_the_api_pdf_xlsx_and_csv(area, fetch):
    """The API's ``wm_standing`` is geodata's, word for word, and each export shows exactly that text."""
    base, profile = area
    kind = base.split("/")[-2] if "/areas/" in base else "postcode"
    direct = (
        geodata.profile_for_postcode(LIVE, 1.0)
        if kind == "postcode"
        else geodata.profile_for_area(kind, base.split("/")[-1])
    )
    assert [e["wm_standing"] for e in profile["indicators"]] == [e["wm_standing"] for e in direct["indicators"]]
    pdf = squash(
        "\n".join(ln for ln in _pdf_text(fetch(f"{base}/profile.pdf"))[1].splitlines() if "| data version" not in ln)
    )
    table = {r["indicator_id"]: r for r in _profile_table(load_workbook(io.BytesIO(fetch(f"{base}/profile.xlsx"))))}
    rows = {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(fetch(f"{base}/profile.csv").decode("utf-8-sig")))}
    for e in profile["indicators"]:
        text = e["wm_standing"]
        assert text and "100%" not in text, e["id"]
        assert squash(text) in pdf, e["id"]
        assert table[e["id"]]["wm_standing"] == text, e["id"]
        assert rows[e["id"]]["wm_standing"] == text, e["id"]
        assert table[e["id"]]["unit_plain"] == e["unit_plain"] == rows[e["id"]]["unit_plain"], e["id"]
    viol = next(e for e in profile["indicators"] if e["id"] == geodata.registry.DEFAULT_INDICATOR)
    assert squash(f"Recorded violence with injury: {viol['wm_standing']}.") in pdf  # the summary, too


def test_exports_drop_the_old_worse_than_wording(fetch):
    """The PDF once said "Worse than 2%" where the app said "Better than 98%": one phrasing now."""
    flat = squash(_pdf_text(fetch(f"{AREAS['lsoa']}/profile.pdf"))[1])
    assert "Worsethan" not in flat and "Rank1of7" not in flat
    assert all(c.header != "Worse than % of West Midlands small areas" for c in COLUMNS)


# ============================================================================ GeoJSON


def test_geojson_is_valid_and_matches_the_api(area, fetch):
    import shapely
    from shapely.geometry import shape

    base, profile = area
    doc = json.loads(fetch(f"{base}/profile.geojson"))
    assert doc["type"] == "FeatureCollection"
    assert [f["id"] for f in doc["features"]] == profile["area"]["lsoa21_codes"]
    for f in doc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty
        minx, miny, maxx, maxy = geom.bounds
        assert -3.0 < minx < maxx < -1.0 and 52.2 < miny < maxy < 52.8  # WGS 84 lon/lat, West Midlands
        polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        for p in polys:  # RFC 7946 winding: exteriors counter-clockwise, holes clockwise
            assert p.exterior.is_ccw and not any(r.is_ccw for r in p.interiors)
        assert shapely.equals(geom, shapely.orient_polygons(geom))  # same shape as stored, only oriented
    # Every small-area value equals the API's values list; the area values equal the profile.
    props = {f["id"]: f["properties"] for f in doc["features"]}
    for ind in geodata.registry.mappable()[:12]:
        api_values = {v["code"]: v["value"] for v in json.loads(fetch(f"/api/v1/indicators/{ind.id}/values"))["values"]}
        for code, p in props.items():
            assert p[ind.id] == api_values[code], (ind.id, code)
    assert {e["id"]: e["value"] for e in doc["profile"]} == values_by_id(profile)
    assert doc["attribution"] == tables.attribution_lines(sources_used(profile))


def test_geojson_of_one_lsoa_carries_its_profile_values(fetch):
    profile = json.loads(fetch(AREAS["lsoa"]))
    (feature,) = json.loads(fetch(f"{AREAS['lsoa']}/profile.geojson"))["features"]
    for e in profile["indicators"]:
        if e["geography"] != "borough":
            assert feature["properties"][e["id"]] == e["value"], e["id"]


# ============================================================================ CSV


def test_csv_is_utf8_with_bom_and_equals_the_api(area, fetch):
    base, profile = area
    body = fetch(f"{base}/profile.csv")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMN_KEYS)
    api = values_by_id(profile)
    assert len(rows) == len(api)
    for row in rows:
        expected = api[row["indicator_id"]]
        assert (row["value"] == "") if expected is None else float(row["value"]) == expected
        assert row["area_code"] == profile["area"]["code"]
        assert row["licence"] and row["publisher"] and row["source_url"].startswith("http")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ladywood ward", "Ladywood ward"),
        ("within 1 km of B1 1AA", "within 1 km of B1 1AA"),
        ("", ""),
        (-0.74, -0.74),  # numbers stay numbers
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


@pytest.fixture
def hostile_profile(fetch) -> dict:
    """A real ward profile whose text fields have been given formula-like values."""
    profile = json.loads(fetch(AREAS["ward"]))
    profile["area"]["name"] = "=cmd|' /C calc'!A0"
    first, second, third = profile["indicators"][:3]
    first["label"], first["description"] = '=HYPERLINK("http://evil","click")', "+SUM(1,2)"
    second["label"], second["unit"] = "@SUM(A1:A9)", "-1+2"
    third["label"] = "\tTAB=1"
    return profile


def test_csv_neutralises_formula_cells(hostile_profile):
    rows = list(csv.reader(io.StringIO(csvfile.render_csv(hostile_profile).decode("utf-8-sig"))))
    cells = [c for r in rows[1:] for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not re.fullmatch(r"-[0-9.e]+", c)]  # numbers only
    assert "'=cmd|' /C calc'!A0" in cells and "'+SUM(1,2)" in cells and "'@SUM(A1:A9)" in cells
    assert "'-1+2" in cells and "'\tTAB=1" in cells


def test_xlsx_never_writes_a_formula(hostile_profile):
    wb = load_workbook(io.BytesIO(xlsx.render_xlsx(hostile_profile)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    table = _profile_table(wb)
    assert table[0]["area_name"] == "'=cmd|' /C calc'!A0"
    assert any(r["indicator"] == "'@SUM(A1:A9)" for r in table)


def test_one_row_function_feeds_csv_and_xlsx(fetch):
    profile = json.loads(fetch(AREAS["ward"]))
    rows = profile_rows(profile)
    assert [r["indicator_id"] for r in rows] == [
        r["indicator_id"] for r in _profile_table(load_workbook(io.BytesIO(fetch(f"{AREAS['ward']}/profile.xlsx"))))
    ]
    csv_rows = list(csv.DictReader(io.StringIO(fetch(f"{AREAS['ward']}/profile.csv").decode("utf-8-sig"))))
    assert [r["indicator_id"] for r in csv_rows] == [r["indicator_id"] for r in rows]
    # reading order: violence first, then each level's risks then strengths
    assert rows[0]["section"] == tables.OUTCOME_SECTION
    sections = list(dict.fromkeys(r["section"] for r in rows))
    assert sections == [tables.OUTCOME_SECTION, *LEVEL_LABELS.values()]


# ============================================================================ bundle and attribution


def test_zip_bundle_has_all_four_and_a_readme(area, fetch):
    base, profile = area
    z = zipfile.ZipFile(io.BytesIO(fetch(f"{base}/profile.zip")))
    names = z.namelist()
    stem = tables.slug(profile)
    assert sorted(names) == sorted(
        f"{stem}/{n}" for n in ("README.md", f"{stem}.pdf", f"{stem}.xlsx", f"{stem}.csv", f"{stem}.geojson")
    )
    assert z.testzip() is None
    readme = z.read(f"{stem}/README.md").decode()
    assert profile["area"]["name"] in readme and "## Methods" in readme and "## Sources and licences" in readme
    for src in sources_used(profile):
        assert src.attribution in readme and tables.licence_text(src) in readme
    # the bundle holds the very files the single-format URLs serve
    for fmt in ("csv", "geojson", "xlsx", "pdf"):
        assert z.read(f"{stem}/{stem}.{fmt}") == fetch(f"{base}/profile.{fmt}"), fmt


def test_attribution_names_only_the_sources_used(fetch):
    ward = json.loads(fetch(AREAS["ward"]))
    postcode = json.loads(fetch(AREAS["postcode"]))
    ward_keys = {s.key for s in sources_used(ward)}
    assert ward_keys == {"ons_geography"} | {e["source"] for e in ward["indicators"]}
    assert "postcodes" not in ward_keys and "gias" not in ward_keys  # asset lists are not in a profile
    assert {"postcodes", "ons_postcode_lookup"} <= {s.key for s in sources_used(postcode)}


@pytest.mark.parametrize("key", [k for k, s in SOURCES.items() if not s.licence_confirmed])
def test_unconfirmed_licences_are_flagged(key):
    assert "not confirmed" in tables.licence_text(SOURCES[key]).lower()


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (21.84, 1, "21.8"),
        (1234.0, 0, "1,234"),
        (-0.74, 2, "-0.74"),
        (-0.001, 2, "0.00"),
        (-0.0, 1, "0.0"),
        (None, 1, "no data"),
        (-12.0, 0, "-12"),
    ],
)
def test_format_value_for_people(value, decimals, shown):
    assert tables.format_value(value, decimals) == shown


# ============================================================================ the ranked table's CSV


def _ranked_rows(measure_id: str, **filters) -> list[dict]:
    from geodata import analysis

    text = csvfile.ranked_csv(analysis.ranked_table(measure_id, **filters))
    return list(csv.DictReader(io.StringIO(text)))


def test_ranked_csv_says_period_source_and_licence_on_every_row():
    rows = _ranked_rows("violence_with_injury_rate", borough="Walsall")
    assert len(rows) == 169 and {r["measure_id"] for r in rows} == {"violence_with_injury_rate"}
    ind = geodata.registry.get("violence_with_injury_rate")
    assert {r["period"] for r in rows} == {ind.period}
    assert {r["licence"] for r in rows} == {SOURCES[ind.source].licence}
    assert {r["source_name"] for r in rows} == {f"{SOURCES[ind.source].publisher}: {SOURCES[ind.source].dataset}"}
    # an index names every input's source once
    index_rows = _ranked_rows("risk_index", ward="E05011140")
    assert index_rows and "Census 2021" in index_rows[0]["period"] and "; " in index_rows[0]["source_name"]


def test_ranked_csv_neutralises_every_text_cell():
    from geodata import analysis

    t = analysis.ranked_table("imd_decile", borough="Walsall")
    t.loc[0, "name"] = '=HYPERLINK("http://evil.example","x")'
    t.loc[1, "ward"] = "+1+1"
    rows = list(csv.DictReader(io.StringIO(csvfile.ranked_csv(t))))
    assert rows[0]["name"] == "'" + '=HYPERLINK("http://evil.example","x")' and rows[1]["ward"] == "'+1+1"
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for k, v in r.items() if k != "value")
