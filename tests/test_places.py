"""Resolving what a person typed into a place (geodata.places.lookup_postcode).

Every postcode here is real: it was looked up in data/processed/postcodes.parquet and in
the raw files (geography/postcodes/postcodes_wm.csv and the ONS May 2022 lookup
geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz). The raw-backed tests
at the bottom re-check the facts each case relies on.
"""

from __future__ import annotations

import urllib.request

import pandas as pd
import pytest

import geodata
from geodata.places import AREA_NAME, PLACE_KEYS, STATUSES, lookup_postcode

ONS_WM = "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz"
POSTCODES_WM = "geography/postcodes/postcodes_wm.csv"
LSOA11_LSOA21 = "geography/lookups/lsoa11_lsoa21_wm.csv"
BOROUGHS = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")

# postcode, lsoa21, lsoa11, ward, lad, how the LSOA 2021 was assigned
OK_CASES = [
    # LSOA 2011 E01033631 split in 2021, so its 2021 part comes from point-in-polygon
    ("B15 2TT", "E01034937", "E01033631", "E05011134", "E08000025", "point_in_polygon"),
    # ONS's official LSOA (unchanged in 2021) wins over point-in-polygon, which says E01009365
    ("B11 1JR", "E01009363", "E01009363", "E05011170", "E08000025", "ons_lookup"),
    # introduced after the May 2022 ONS lookup: point-in-polygon for both LSOAs
    # (its ward is its small area's best-fit ward, Soho & Jewellery Quarter; Code-Point says Ladywood)
    ("B1 2SY", "E01034951", "E01033619", "E05011168", "E08000025", "point_in_polygon"),
    # one live postcode in each of the other six boroughs, official LSOA
    ("CV3 9QY", "E01009541", "E01009541", "E05001219", "E08000026", "ons_lookup"),
    ("DY5 1TB", "E01009746", "E01009746", "E05015905", "E08000027", "ons_lookup"),
    ("B69 2PZ", "E01010017", "E01010017", "E05001273", "E08000028", "ons_lookup"),
    # (ward: its small area's best-fit ward, Shirley South; Code-Point says St Alphege)
    ("B91 1NS", "E01010191", "E01010191", "E05001297", "E08000029", "ons_lookup"),
    ("WS3 3PU", "E01010290", "E01010290", "E05001306", "E08000030", "ons_lookup"),
    ("WV1 9DP", "E01010472", "E01010472", "E05014848", "E08000031", "ons_lookup"),
]


# ---------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("text", ["B15 2TT", "b152tt", " B15  2TT ", "b15 2tt", "B15\t2TT", "\tb15\t2tt\t"])
def test_spelling_of_a_postcode_does_not_matter(data, text: str) -> None:
    p = lookup_postcode(text, data)
    assert p.status == "ok"
    assert p.postcode == "B15 2TT"
    assert p.query == text
    assert p.lsoa21_code == "E01034937"


# ---------------------------------------------------------------------------- not a postcode


@pytest.mark.parametrize("text", ["hello", "B1 1A", "12345", "x" * 1000, "B15 2TT; DROP TABLE", "B1-1AA"])
def test_invalid_shapes(data, text: str) -> None:
    p = lookup_postcode(text, data)
    assert p.status == "invalid"
    assert p.postcode is None and p.latitude is None and p.lsoa21_code is None
    assert "is not a UK postcode" in p.message
    assert len(p.query) <= 32 and len(p.message) < 200  # a huge input is not echoed back


@pytest.mark.parametrize("value", [None, 12345, 1.5, b"B15 2TT", ["B15 2TT"]])
def test_non_string_input_is_invalid(data, value: object) -> None:
    p = lookup_postcode(value, data)
    assert p.status == "invalid"
    assert p.postcode is None and p.latitude is None
    assert p.message


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_input_asks_for_a_postcode(data, text: str) -> None:
    p = lookup_postcode(text, data)
    assert p.status == "invalid"
    assert p.message == "Type a postcode, such as B1 1AA."


# ---------------------------------------------------------------------------- full postcodes


@pytest.mark.parametrize(("pc", "lsoa21", "lsoa11", "ward", "lad", "method"), OK_CASES)
def test_ok_postcodes(data, pc: str, lsoa21: str, lsoa11: str, ward: str, lad: str, method: str) -> None:
    p = lookup_postcode(pc, data)
    assert p.status == "ok"
    assert (p.lsoa21_code, p.lsoa11_code, p.ward_code, p.lad_code) == (lsoa21, lsoa11, ward, lad)
    assert p.lsoa21_method == method
    assert p.lsoa21_name == data.areas.lsoa21_name.iloc[data.lsoa_row[lsoa21]]
    assert p.ward_name == data.ward_names[ward] and p.lad_name == data.lad_names[lad]
    assert p.message == f"{pc} is in {p.ward_name} ward, {p.lad_name}."
    assert 52.2 < p.latitude < 52.8 and -2.4 < p.longitude < -1.3
    assert list(p.public_dict()) == list(PLACE_KEYS)


def test_terminated_postcode_says_it_is_no_longer_in_use(data) -> None:
    # B1 1AA was retired in August 2010 (doterm 201008 in the ONS May 2022 lookup).
    p = lookup_postcode("B1 1AA", data)
    assert p.status == "terminated"
    assert p.terminated_yyyymm == "201008"
    assert "B1 1AA is no longer in use" in p.message
    assert "August 2010" in p.message
    assert "Ladywood ward, Birmingham" in p.message  # where it was
    assert p.located and p.lsoa21_code == "E01033625" and p.lad_code == "E08000025"


def test_terminated_after_the_ons_lookup_has_no_date(data) -> None:
    # B1 1WF: in NSPL May 2025 but not live in Code-Point Oct 2025, and not in the May 2022
    # lookup, so nobody published when it was retired. The message must not invent a date.
    p = lookup_postcode("B1 1WF", data)
    assert p.status == "terminated"
    assert p.terminated_yyyymm is None
    assert p.message == "B1 1WF is no longer in use. We show where it was: Ladywood ward, Birmingham."


@pytest.mark.parametrize(
    ("pc", "lad_code", "ward"), [("CV3 4FY", "E08000026", "Binley and Willenhall"), ("CV7 8SW", "E08000026", "Bablake")]
)
def test_postcode_outside_every_lsoa_has_no_small_area(data, pc: str, lad_code: str, ward: str) -> None:
    # Code-Point puts these in Coventry, but they lie >500 m outside the LSOA boundaries.
    p = lookup_postcode(pc, data)
    assert p.status == "ok"
    assert p.located
    assert p.lsoa21_code is None and p.lsoa21_name is None and p.lsoa21_method is None
    assert p.lad_code == lad_code and p.ward_name == ward
    assert "no small-area profile" in p.message


@pytest.mark.parametrize(("pc", "district"), [("B60 1AA", "Bromsgrove"), ("EC1A 1BB", "Islington")])
def test_postcode_outside_the_seven_boroughs_names_its_district(data, pc: str, district: str) -> None:
    p = lookup_postcode(pc, data)
    assert p.status == "outside_area"
    assert p.message == f"{pc} is in {district}, outside the area this tool covers: {AREA_NAME}."
    assert p.latitude is None and p.lsoa21_code is None


@pytest.mark.parametrize("pc", ["B99 9ZZ", "b99 9zz", "ZZ1 1ZZ"])
def test_well_formed_unknown_postcode_is_not_found(data, pc: str) -> None:
    p = lookup_postcode(pc, data)
    assert p.status == "not_found"
    assert p.postcode == pc.upper()
    assert p.message.startswith(f"We could not find {pc.upper()}.")
    assert p.latitude is None


@pytest.mark.parametrize("pc", ["B29 6XE", "B16 6AF"])
def test_unplaceable_birmingham_postcode_is_not_called_outside(data, pc: str) -> None:
    assert lookup_postcode(pc, data).status != "outside_area"


# ---------------------------------------------------------------------------- districts and sectors


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("B15", "B15", "district"),
        ("b15", "B15", "district"),
        ("CV1 2", "CV1 2", "sector"),
        ("cv1  2", "CV1 2", "sector"),
    ],
)
def test_district_and_sector_are_partial_at_their_live_centre(data, text: str, code: str, kind: str) -> None:
    p = lookup_postcode(text, data)
    assert p.status == "partial" and p.kind == kind and p.postcode == code
    # the centre is the mean position of the area's live West Midlands postcodes
    pcs = data.postcodes
    live = pcs[
        ~pcs.terminated & (pcs.postcode.str.split(" ").str[0] if kind == "district" else pcs.postcode.str[:-2]).eq(code)
    ]
    assert p.n_postcodes == len(live) > 0
    assert p.latitude == pytest.approx(round(float(live.lat.mean()), 5), abs=1e-9)
    assert p.longitude == pytest.approx(round(float(live.lon.mean()), 5), abs=1e-9)
    assert p.lsoa21_method == "nearest_to_centre" and p.lsoa21_code in data.lsoa_row
    assert f"{code} is a postcode {kind}, not a full postcode" in p.message
    assert f"{p.ward_name} ward, {p.lad_name}" in p.message


@pytest.mark.parametrize(
    ("text", "where"),
    [("CV12", "Nuneaton and Bedworth"), ("B98 7", "Redditch"), ("B60", "Bromsgrove"), ("B60 1", "Bromsgrove")],
)
def test_district_or_sector_wholly_outside_the_area_is_outside(data, text: str, where: str) -> None:
    """No live postcode of it is in the seven boroughs, and ONS places them elsewhere: outside, by name."""
    p = lookup_postcode(text, data)
    assert p.status == "outside_area" and p.latitude is None
    assert p.message.startswith(f"{text} is a postcode {'sector' if ' ' in text else 'district'} in {where}")
    assert "outside the area this tool covers" in p.message


@pytest.mark.parametrize("text", ["ZZ1", "B99 9"])
def test_district_or_sector_nobody_lists_is_not_found(data, text: str) -> None:
    p = lookup_postcode(text, data)
    assert p.status == "not_found"
    assert f"starting {text}" in p.message


def test_every_status_is_reachable(data) -> None:
    seen = {lookup_postcode(q, data).status for q in ("B15 2TT", "B1 1AA", "B15", "B60 1AA", "B99 9ZZ", "hello")}
    assert seen == set(STATUSES)


def test_lookup_uses_the_cached_data_by_default(data) -> None:
    assert lookup_postcode("B15 2TT") == lookup_postcode("B15 2TT", data)


# ---------------------------------------------------------------------------- against the raw files


def test_cases_rest_on_the_raw_files(raw_csv) -> None:
    ons = raw_csv(ONS_WM).set_index("pcds")
    pc = raw_csv(POSTCODES_WM).set_index("postcode")
    change = raw_csv(LSOA11_LSOA21).drop_duplicates("lsoa11_code").set_index("lsoa11_code").change_code
    # B15 2TT: official LSOA 2011 E01033631, which split in 2021
    assert ons.loc["B15 2TT", "lsoa11cd"] == "E01033631" and change["E01033631"] == "S"
    assert pc.loc["B15 2TT", "lsoa21"] == "E01034937"
    # B11 1JR: the official LSOA and point-in-polygon disagree
    assert ons.loc["B11 1JR", "lsoa11cd"] == "E01009363" and change["E01009363"] == "U"
    assert pc.loc["B11 1JR", "lsoa11"] == "E01009365"
    # B1 2SY is newer than the May 2022 lookup
    assert "B1 2SY" not in ons.index and pc.loc["B1 2SY", "lsoa21"] == "E01034951"
    # B1 1AA retired August 2010; B1 1WF not live and not in the lookup
    assert ons.loc["B1 1AA", "doterm"] == "201008" and pc.loc["B1 1AA", "live"] == 0
    assert "B1 1WF" not in ons.index and pc.loc["B1 1WF", "live"] == 0
    # B60 1AA is Bromsgrove's; CV3 4FY has no LSOA in postcodes_wm
    assert ons.loc["B60 1AA", "ladnm"] == "Bromsgrove"
    assert pd.isna(pc.loc["CV3 4FY", "lsoa21"]) and pc.loc["CV3 4FY", "lad"] == "E08000026"


def test_lsoa11_is_the_ons_assignment_where_ons_has_one(data, raw_csv) -> None:
    ons = raw_csv(ONS_WM)
    live_now = set(data.postcodes.postcode[~data.postcodes.terminated])
    # A postcode live now but terminated in May 2022 has been reused: the old assignment is
    # not its answer (tested below), so it is left out of this sample.
    reused = ons.pcds.isin(live_now) & ons.doterm.fillna("").astype(str).ne("")
    known = ons[ons.ladcd.isin(BOROUGHS) & ons.pcds.isin(data.postcodes.postcode) & ~reused]
    sample = known.sample(200, random_state=2)
    change = raw_csv(LSOA11_LSOA21).drop_duplicates("lsoa11_code").set_index("lsoa11_code").change_code
    for r in sample.itertuples():
        p = lookup_postcode(r.pcds, data)
        assert p.lsoa11_code == r.lsoa11cd, r.pcds
        if change[r.lsoa11cd] == "U":  # unchanged in 2021: same code, from the official lookup
            assert (p.lsoa21_code, p.lsoa21_method) == (r.lsoa11cd, "ons_lookup"), r.pcds


def test_lsoa21_is_a_part_of_the_lsoa11(data, raw_csv) -> None:
    lk = raw_csv(LSOA11_LSOA21)
    parts = set(zip(lk.lsoa11_code, lk.lsoa21_code))
    p = data.postcodes.dropna(subset=["lsoa21_code", "lsoa11_code"])
    # the LSOA 2011s the lookup in use has (all, or the cut's, each with every one of its parts)
    p = p[p.lsoa11_code.isin(lk.lsoa11_code)]
    assert len(p) > 3000
    stray = [pc for pc, a, b in zip(p.postcode, p.lsoa11_code, p.lsoa21_code) if (a, b) not in parts]
    assert stray == []


def test_newer_postcodes_are_placed_by_point_in_polygon(data, raw_csv) -> None:
    ons = raw_csv(ONS_WM)
    pc = raw_csv(POSTCODES_WM)
    newer = pc[~pc.postcode.isin(ons.pcds) & pc.lsoa21.notna()]
    assert len(newer) > 100
    for r in newer.sample(50, random_state=3).itertuples():
        p = lookup_postcode(r.postcode, data)
        assert (p.lsoa21_code, p.lsoa11_code, p.lsoa21_method) == (r.lsoa21, r.lsoa11, "point_in_polygon"), r.postcode
        assert p.status == ("ok" if r.live == 1 else "terminated")


# ---------------------------------------------------------------------------- pgeocode


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    import socket

    import pgeocode

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted: {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(pgeocode, "_open_extract_url", refuse)
    monkeypatch.setattr(pgeocode, "_open_extract_cycle_url", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("query", ["B15", "B15 2TT", "b15 2tt"])
def test_pgeocode_answers_offline_with_the_district_centre(data, no_network, monkeypatch, query: str) -> None:
    import pgeocode

    monkeypatch.setattr(pgeocode, "STORAGE_DIR", str(data.folder / "pgeocode"))
    got = pgeocode.Nominatim("gb").query_postal_code(query)
    centre = lookup_postcode("B15", data)
    assert got.postal_code == "B15"
    assert (got.latitude, got.longitude) == pytest.approx((centre.latitude, centre.longitude), abs=1e-9)


def test_pgeocode_without_the_file_would_download(no_network, monkeypatch, tmp_path) -> None:
    # Proves the guard above works: an empty storage folder makes pgeocode reach for the network.
    import pgeocode

    monkeypatch.setattr(pgeocode, "STORAGE_DIR", str(tmp_path))
    with pytest.raises(NetworkUsed):
        pgeocode.Nominatim("gb")


def test_pgeocode_file_has_every_district(data) -> None:
    gb = pd.read_csv(data.folder / "pgeocode" / "GB.txt", dtype={"postal_code": str})
    districts = sorted(code for kind, code in data.postcode_areas if kind == "district")
    assert sorted(gb.postal_code) == districts
    assert geodata.lookup_postcode("WV1").latitude == pytest.approx(
        float(gb.set_index("postal_code").latitude["WV1"]), abs=1e-9
    )


def test_reused_postcode_is_placed_where_it_is_now(data) -> None:
    # B31 2GT: live today, terminated in the May 2022 lookup whose LSOA lies 4 km away
    p = lookup_postcode("B31 2GT", data)
    assert p.status == "ok" and p.lsoa21_method == "point_in_polygon"
    row = data.postcodes.set_index("postcode").loc["B31 2GT"]
    assert row.lsoa11_method == "point_in_polygon"


# ---------------------------------------------------------------------------- every real postcode placed


@pytest.mark.parametrize(
    ("pc", "lad", "lsoa21", "why"),
    [
        # in the ONS lookup in Birmingham, not in postcodes_wm.csv (its Code-Point borough was elsewhere)
        ("B42 9LG", "E08000025", "E01009230", "ONS lists it; postcodes_wm.csv does not"),
        # ONS: Wolverhampton; its point is 27 m outside the generalised boundary
        ("WV6 8AX", "E08000031", "E01010549", "borough by ONS code, not the generalised boundary"),
        # Code-Point says Sandwell, ONS's small area is in Dudley: ward and borough follow the small area
        ("B64 5QY", "E08000027", "E01009871", "one borough, one small area"),
    ],
)
def test_real_postcodes_resolve_to_their_ons_borough_and_small_area(data, pc, lad, lsoa21, why) -> None:
    p = lookup_postcode(pc, data)
    assert p.status == "ok", why
    assert (p.lad_code, p.lsoa21_code) == (lad, lsoa21), why
    assert p.ward_code == data.lsoa_records[lsoa21][1]
    assert p.lad_name in p.message and "outside" not in p.message


def test_a_postcodes_ward_borough_and_small_area_never_contradict(data) -> None:
    """The rule (geodata.places._area_fields, METHOD_NOTES): a postcode's ward and borough are
    those of its small area (ONS best fit), for every postcode, and its profile's ward comparator
    is that ward. Only the 2 postcodes with no small area keep Code-Point's ward and borough."""
    pcs = data.postcodes
    placed = pcs[pcs.lsoa21_code.notna()]
    a = data.areas.set_index("lsoa21_code")
    assert (placed.ward_code == placed.lsoa21_code.map(a.ward_code)).all()
    assert (placed.lad_code == placed.lsoa21_code.map(a.lad_code)).all()
    assert len(pcs) - len(placed) == 2
    for pc in placed.postcode.iloc[::997]:  # through the lookup too
        p = lookup_postcode(pc, data)
        assert (p.ward_code, p.lad_code) == data.lsoa_records[p.lsoa21_code][1:], pc
    # B1 2SY: Code-Point says Ladywood ward; its small area's best-fit ward is Soho & Jewellery Quarter
    prof = geodata.profile_for_postcode("B1 2SY", 1.0)
    ward = prof["indicators"][0]["comparators"][0]
    assert ward["code"] == prof["area"]["ward_code"] == data.lsoa_records["E01034951"][1] == "E05011168"


def test_a_postcode_with_no_position_gets_its_district_centre_when_the_district_is_wholly_inside(data) -> None:
    p = lookup_postcode("DY5 9AA", data)  # in the NSPL with no coordinates
    centre = lookup_postcode("DY5", data)
    assert p.status == "partial" and p.postcode == "DY5 9AA"
    assert (p.latitude, p.longitude, p.lsoa21_code) == (centre.latitude, centre.longitude, centre.lsoa21_code)
    assert "no position" in p.message and "centre of its" in p.message
    assert data.postcode_areas[("district", "DY5")]["wholly_inside"]


def test_a_postcode_with_no_position_elsewhere_says_why(data) -> None:
    unplaced = [pc for pc, d in data.unplaced.items() if d == "WV98"]
    p = lookup_postcode(unplaced[0], data)
    assert p.status == "not_found" and "no position" in p.message and p.latitude is None


@pytest.mark.shared
def test_every_ons_live_postcode_in_the_boroughs_resolves_to_its_ons_borough_and_lsoa(data, raw_csv) -> None:
    """All 58,059 live postcodes ONS (May 2022) lists in the seven boroughs: placed (ok, or
    terminated since), in the ONS borough, in a 2021 part of the ONS LSOA 2011, ward of that LSOA."""
    ons = raw_csv(ONS_WM)
    ons = ons[ons.ladcd.isin(BOROUGHS) & ons.doterm.isna()]
    parts = raw_csv(LSOA11_LSOA21).groupby("lsoa11_code").lsoa21_code.agg(set)
    assert len(ons) == 58_059
    bad = []
    for pc, lsoa11, lad in zip(ons.pcds, ons.lsoa11cd, ons.ladcd):
        p = lookup_postcode(pc, data)
        ok = p.status in ("ok", "terminated") and p.lad_code == lad and p.lsoa21_code in parts[lsoa11]
        if not ok or p.ward_code != data.lsoa_records[p.lsoa21_code][1]:
            bad.append((pc, p.status, p.lad_code, lad, p.lsoa21_code))
    assert not bad, f"{len(bad)} not placed as ONS says, e.g. {bad[:5]}"
