"""Area profiles (geodata.profile): every indicator, honest comparators, hand-checked sums."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from geodata import registry
from geodata.places import PLACE_KEYS
from geodata.profile import (
    RADII_KM,
    AreaNotFound,
    check_radius,
    find_area,
    nearby_assets,
    profile_for_area,
    profile_for_postcode,
)

REGION, ENGLAND = "E12000005", "E92000001"
LAIT = "education/lait_wm_indicators_long.csv.gz"
# B15 2TT: Edgbaston ward, Birmingham; LSOA 2021 E01034937
PC, PC_LSOA, PC_WARD, PC_LAD = "B15 2TT", "E01034937", "E05011134", "E08000025"
# B92 0FG (Solihull) is 1.7 km from its LSOA's inner point: only the own-LSOA rule puts
# E01010108 inside a 0.5 or 1 km surrounding area.
FAR_PC, FAR_LSOA = "B92 0FG", "E01010108"

PROFILES = [
    pytest.param(lambda: profile_for_area("lsoa", PC_LSOA), id="lsoa"),
    pytest.param(lambda: profile_for_area("ward", PC_WARD), id="ward"),
    pytest.param(lambda: profile_for_area("borough", "E08000026"), id="borough"),
    *[pytest.param(lambda r=r: profile_for_postcode(PC, r), id=f"postcode-{r}km") for r in RADII_KM],
    pytest.param(lambda: profile_for_postcode("B15", 1.0), id="district"),
    pytest.param(lambda: profile_for_postcode("B1 1AA", 0.5), id="terminated"),
]


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Written out here rather than taken from pgeocode, to check the profile independently."""
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * 6371.009 * np.arcsin(np.sqrt(a))


def weighted_mean(v: pd.Series, w: pd.Series) -> float:
    return float((v * w).sum() / w.sum())


def weighted_median(v: pd.Series, w: pd.Series) -> float:
    """The smallest value with at least half the residents at or below it."""
    share = w.groupby(v).sum().sort_index().cumsum() / w.sum()
    return float(share[share >= 0.5].index[0])


def by_id(p: dict) -> dict[str, dict]:
    return {e["id"]: e for e in p["indicators"]}


def comparator(entry: dict, code: str | None, label: str | None = None) -> dict:
    [c] = [c for c in entry["comparators"] if c["code"] == code and (label is None or c["label"] == label)]
    return c


# ---------------------------------------------------------------------------- shape


@pytest.mark.parametrize("make", PROFILES)
def test_every_indicator_once_in_registry_order(data, make) -> None:
    p = make()
    assert [e["id"] for e in p["indicators"]] == [i.id for i in registry.INDICATORS]
    for e in p["indicators"]:
        ind = registry.get(e["id"])
        assert (e["label"], e["level"], e["role"], e["unit"]) == (ind.label, ind.level, ind.role, ind.unit)
        assert e["source"] in registry.SOURCES and e["licence"] and e["period"]
        assert e["comparators"] and all({"label", "code", "value"} <= set(c) for c in e["comparators"])
    json.dumps(p, allow_nan=False)  # strict JSON: no NaN sneaks through
    assert p["data_version"] == data.version and p["caveat"]


def test_postcode_profile_carries_its_place(data) -> None:
    p = profile_for_postcode(PC, 1.0)
    assert list(p["place"]) == list(PLACE_KEYS)
    assert (p["place"]["postcode"], p["place"]["status"]) == (PC, "ok")
    assert (p["area"]["kind"], p["area"]["radius_km"], p["area"]["ward_code"], p["area"]["lad_code"]) == (
        "postcode",
        1.0,
        PC_WARD,
        PC_LAD,
    )


@pytest.mark.parametrize(
    ("text", "status"), [("B99 9ZZ", "not_found"), ("CV3 4FY", "ok"), ("B60 1AA", "outside_area"), ("hello", "invalid")]
)
def test_no_profile_without_a_small_area(data, text: str, status: str) -> None:
    p = profile_for_postcode(text, 1.0)
    assert p["area"] is None and p["indicators"] == []
    assert p["place"]["status"] == status
    assert p["summary"] == p["place"]["message"]


# ---------------------------------------------------------------------------- surrounding area


@pytest.mark.parametrize("pc", [PC, FAR_PC, "WV1 9DP"])
def test_bigger_radius_covers_a_superset_and_always_the_own_lsoa(data, pc: str) -> None:
    own = profile_for_postcode(pc, 1.0)["place"]["lsoa21_code"]
    sets = [set(profile_for_postcode(pc, r)["area"]["lsoa21_codes"]) for r in RADII_KM]
    assert all(own in s for s in sets)
    assert sets[0] <= sets[1] <= sets[2]
    if pc != FAR_PC:  # B92 0FG is rural: even 2 km reaches no other LSOA's inner point
        assert len(sets[0]) < len(sets[1]) < len(sets[2])


@pytest.mark.parametrize("radius", RADII_KM)
def test_surrounding_area_is_the_lsoas_within_the_radius(data, radius: float) -> None:
    for pc in (PC, FAR_PC):
        place = profile_for_postcode(pc, radius)["place"]
        a = data.areas
        d = haversine_km(place["latitude"], place["longitude"], a.lat.to_numpy(), a.lon.to_numpy())
        expected = set(a.lsoa21_code[d <= radius]) | {place["lsoa21_code"]}
        assert set(profile_for_postcode(pc, radius)["area"]["lsoa21_codes"]) == expected


def test_own_lsoa_is_included_even_when_its_centre_is_beyond_the_radius(data) -> None:
    place = profile_for_postcode(FAR_PC, 0.5)["place"]
    assert place["lsoa21_code"] == FAR_LSOA
    i = data.lsoa_row[FAR_LSOA]
    far = haversine_km(
        place["latitude"], place["longitude"], data.areas.lat.to_numpy()[[i]], data.areas.lon.to_numpy()[[i]]
    )[0]
    assert far > 1.0  # so the 0.5 and 1 km areas include it only because it is the postcode's own
    for r in (0.5, 1.0):
        assert FAR_LSOA in profile_for_postcode(FAR_PC, r)["area"]["lsoa21_codes"]


def test_surrounding_value_is_the_population_weighted_mean(data) -> None:
    p = profile_for_postcode(PC, 2.0)
    a = data.areas.set_index("lsoa21_code").loc[p["area"]["lsoa21_codes"]]
    assert p["area"]["population"] == int(a.population.sum())
    e = by_id(p)
    for ind_id, combine in (
        ("violence_with_injury_rate", weighted_mean),
        ("loneliness_pct", weighted_mean),
        ("imd_decile", weighted_median),
    ):
        dec = registry.get(ind_id).decimals
        assert e[ind_id]["value"] == pytest.approx(round(combine(a[ind_id], a.population), dec + 1), abs=1e-9)


# ---------------------------------------------------------------------------- ranks and comparators


def test_lsoa_profile_ranks_among_all_small_areas(data) -> None:
    p = profile_for_area("lsoa", PC_LSOA)
    row = data.areas.set_index("lsoa21_code").loc[PC_LSOA]
    for e in p["indicators"]:
        ind = registry.get(e["id"])
        if not ind.mappable:
            continue
        assert e["wm_count"] == 1719 and e["wm_rank_of"] == "small areas"
        col = data.areas[ind.id]
        worse = (col > row[ind.id]) if ind.higher_is_worse else (col < row[ind.id])
        assert e["wm_rank"] == int(worse.sum()) + 1, ind.id  # 1 = worst in the West Midlands
        better = (col < row[ind.id]) if ind.higher_is_worse else (col > row[ind.id])
        ties = col == row[ind.id]
        assert e["wm_percentile"] == round(100 * (better.sum() + 0.5 * ties.sum()) / 1719, 1), ind.id
        assert e["value"] == pytest.approx(round(row[ind.id], ind.decimals + 1), abs=1e-9)


@pytest.mark.parametrize("ind_id", [i.id for i in registry.mappable()])
def test_comparators_are_hand_computable(data, ind_id: str) -> None:
    ind = registry.get(ind_id)
    combine = weighted_median if ind.agg == "median" else weighted_mean
    a = data.areas
    e = by_id(profile_for_area("lsoa", PC_LSOA))[ind_id]
    want = {
        PC_WARD: combine(a[ind_id][a.ward_code == PC_WARD], a.population[a.ward_code == PC_WARD]),
        PC_LAD: combine(a[ind_id][a.lad_code == PC_LAD], a.population[a.lad_code == PC_LAD]),
        None: combine(a[ind_id], a.population),
    }
    for code, value in want.items():
        assert comparator(e, code)["value"] == pytest.approx(round(value, ind.decimals + 1), abs=1e-9), code
    assert comparator(e, ENGLAND)["value"] is None  # small-area sources give no England figure
    # the ward's own profile shows the same figure as its value
    assert by_id(profile_for_area("ward", PC_WARD))[ind_id]["value"] == comparator(e, PC_WARD)["value"]


def test_ward_profile_compares_with_borough_not_itself(data) -> None:
    e = by_id(profile_for_area("ward", PC_WARD))["violence_with_injury_rate"]
    assert [c["code"] for c in e["comparators"]] == [PC_LAD, None, ENGLAND]
    e = by_id(profile_for_area("borough", PC_LAD))["violence_with_injury_rate"]
    assert [c["code"] for c in e["comparators"]] == [None, ENGLAND]


@pytest.mark.parametrize(
    ("make", "lad"),
    [
        (lambda: profile_for_area("borough", "E08000025"), "E08000025"),
        (lambda: profile_for_postcode(PC, 1.0), "E08000025"),
        (lambda: profile_for_area("lsoa", "E01009541"), "E08000026"),  # Coventry, by CV3 9QY
    ],
)
def test_borough_indicators_show_the_borough_figure_and_published_comparators(data, make, lad: str) -> None:
    e = by_id(make())
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    for ind in registry.INDICATORS:
        if ind.mappable:
            continue
        got = e[ind.id]
        assert got["value"] == pytest.approx(bv[(ind.id, lad)], abs=1e-9), ind.id
        assert got["wm_percentile"] is None and got["wm_count"] == 7 and got["wm_rank_of"] == "boroughs"
        assert data.lad_names[lad] in got["value_note"]
        for code in (REGION, ENGLAND):
            want = bv.get((ind.id, code))
            c = comparator(got, code)
            assert c["value"] == (None if want is None else pytest.approx(want, abs=1e-9)), (ind.id, code)


def test_permanent_exclusions_trace_back_to_lait(data, raw_csv) -> None:
    lait = raw_csv(LAIT)
    rows = lait[(lait.measure_short == "TotPermEx") & (lait.period == "2023/24")].set_index("area_code").value
    e = by_id(profile_for_area("borough", "E08000025"))["permanent_exclusion_rate"]
    assert e["value"] == pytest.approx(0.1471, abs=1e-9) == rows["E08000025"]
    assert comparator(e, ENGLAND)["value"] == pytest.approx(0.1289, abs=1e-9) == rows[ENGLAND]
    assert comparator(e, REGION)["value"] == pytest.approx(rows[REGION], abs=1e-9)
    e = by_id(profile_for_area("borough", "E08000026"))["permanent_exclusion_rate"]
    assert e["value"] == pytest.approx(rows["E08000026"], abs=1e-9)


def test_borough_rank_among_the_seven(data) -> None:
    bv = data.borough_values
    pe = bv[(bv.indicator_id == "permanent_exclusion_rate") & bv.area_code.str.startswith("E08")]
    assert len(pe) == 7
    for r in pe.itertuples():
        e = by_id(profile_for_area("borough", r.area_code))["permanent_exclusion_rate"]
        assert e["wm_rank"] == 1 + int((pe.value > r.value).sum())  # higher is worse: 1 = most exclusions


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("radius", [0, 0.05, -1, 5.01, 100, math.nan, math.inf, "abc", "", None, [1]])
def test_invalid_radius_raises(data, radius: object) -> None:
    with pytest.raises(ValueError):
        check_radius(radius)
    with pytest.raises(ValueError):
        profile_for_postcode(PC, radius)  # type: ignore[arg-type]


@pytest.mark.parametrize("radius", [*RADII_KM, 0.1, 5, "1.5"])
def test_valid_radius(radius: object) -> None:
    assert check_radius(radius) == float(radius)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("lsoa", "E01999999"),
        ("lsoa", PC_WARD),
        ("ward", "E05000000"),
        ("ward", PC_LSOA),
        ("borough", "E08000032"),
        ("borough", "E07000234"),  # Bromsgrove: outside the seven
        ("county", PC_LAD),
        ("lsoa", ""),
        ("lsoa", None),
    ],
)
def test_unknown_area_raises_area_not_found(data, kind: str, code: object) -> None:
    with pytest.raises(AreaNotFound):
        find_area(kind, code)  # type: ignore[arg-type]
    with pytest.raises(AreaNotFound):
        profile_for_area(kind, code)  # type: ignore[arg-type]


def test_area_codes_are_forgiving_about_case_and_spaces(data) -> None:
    assert find_area("lsoa", " e01034937 ").code == PC_LSOA
    assert find_area("ward", PC_WARD.lower()).rows == find_area("ward", PC_WARD).rows


def test_area_rows_follow_the_official_best_fit(data) -> None:
    a = data.areas
    rows = find_area("ward", PC_WARD).rows
    assert [a.lsoa21_code.iloc[i] for i in rows] == list(a.lsoa21_code[a.ward_code == PC_WARD])
    assert len(find_area("borough", "E08000025").rows) == 659  # Birmingham's LSOA 2021 count


# ---------------------------------------------------------------------------- nearby strengths


def test_nearby_assets_are_within_the_radius_nearest_first(data) -> None:
    place = profile_for_postcode(PC, 1.0)["place"]
    near = nearby_assets(place["latitude"], place["longitude"], 1.0)
    assert near and {a["kind"] for a in near} <= {"sport", "library", "warm_space", "school"}
    for a in near:
        d = haversine_km(place["latitude"], place["longitude"], np.array([a["lat"]]), np.array([a["lon"]]))[0]
        assert a["distance_km"] == pytest.approx(d, abs=0.006) and a["distance_km"] <= 1.0
    for kind in {a["kind"] for a in near}:
        dists = [a["distance_km"] for a in near if a["kind"] == kind]
        assert dists == sorted(dists)
