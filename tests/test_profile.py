"""Area profiles (geodata.profile): every indicator, honest comparators, hand-checked sums."""

from __future__ import annotations

import json
import math
import re

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
    standing,
)

REGION, ENGLAND = "E12000005", "E92000001"
LAIT = "education/lait_wm_indicators_long.csv.gz"
# B15 2TT: Edgbaston ward, Birmingham; LSOA 2021 E01034937
PC, PC_LSOA, PC_WARD, PC_LAD = "B15 2TT", "E01034937", "E05011134", "E08000025"
# B92 0JT (Solihull, rural) is 3.9 km from its LSOA's population-weighted centre: only the
# own-LSOA rule puts E01010108 inside a 0.5 or 1 km surrounding area.
FAR_PC, FAR_LSOA = "B92 0JT", "E01010108"

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
    if pc != FAR_PC:  # B92 0JT is rural: even 2 km reaches no other LSOA's centre
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
        assert e[ind_id]["value"] == pytest.approx(combine(a[ind_id], a.population), rel=1e-12)  # unrounded


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
        assert e["value"] == row[ind.id]  # the small area's own value, unrounded


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
        assert comparator(e, code)["value"] == pytest.approx(value, rel=1e-12), code  # unrounded
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


# ---------------------------------------------------------------------------- standing in words

WM = "of West Midlands small areas"


def claims(text: str) -> dict[str, int]:
    """The percentages a standing text states: {"better": X, "worse": Y, "same": Z}."""
    keys = {"better": "better than", "worse": "worse than", "same": "the same as"}
    found = {k: re.findall(rf"{words} (\d+)%", text) for k, words in keys.items()}
    return {k: int(v[0]) for k, v in found.items() if v}


def check_standing_is_true(text: str, value: float, col: pd.Series, ind: registry.Indicator, whole: bool) -> None:
    """Every percentage in the text is the rounded-down share of small areas it claims, counted here by hand."""
    col = col.dropna()
    n = len(col)
    better = int(((col < value) if ind.higher_is_worse else (col > value)).sum())
    worse = int(((col > value) if ind.higher_is_worse else (col < value)).sum())
    same = int((col == value).sum()) - (0 if whole else 1)  # "the same as" counts the other areas
    got = claims(text)
    assert got, text
    assert "100%" not in text or (whole and got == {"same": 100}), text
    if "better" in got:
        assert got["better"] == 100 * worse // n and worse >= better, (text, better, worse)
    if "worse" in got:
        assert got["worse"] == 100 * better // n and better > worse, (text, better, worse)
    assert got.get("same", 0) == 100 * same // n, (text, same)  # said whenever it is 1% or more
    assert text.startswith("taken as a whole, ") == whole
    assert text.endswith(WM), text


def lsoa_value(data, ind_id: str, code: str) -> float:
    return float(data.areas.set_index("lsoa21_code").loc[code, ind_id])


@pytest.mark.parametrize("ind_id", [i.id for i in registry.mappable()])
def test_top_and_bottom_small_areas_never_read_100_percent(data, ind_id: str) -> None:
    ind = registry.get(ind_id)
    col = data.areas.set_index("lsoa21_code")[ind_id].dropna()
    best = col.idxmin() if ind.higher_is_worse else col.idxmax()
    worst = col.idxmax() if ind.higher_is_worse else col.idxmin()
    for code, word in ((best, "better"), (worst, "worse")):
        e = by_id(profile_for_area("lsoa", code))[ind_id]
        text = e["wm_standing"]
        assert "100%" not in text and text.startswith(f"{word} than "), (code, text)
        check_standing_is_true(text, float(col[code]), col, ind, whole=False)
        if (col == col[code]).sum() == 1:  # a value no other area shares: 1,718 of 1,719 is 99%, not 100%
            assert text == f"{word} than 99% {WM}", (code, text)


@pytest.mark.parametrize("make", PROFILES[:-2])  # the district and terminated postcodes are postcode areas too
def test_every_small_area_standing_is_true(data, make) -> None:
    p = make()
    whole = p["area"]["kind"] != "lsoa"
    for e in p["indicators"]:
        ind = registry.get(e["id"])
        if not ind.mappable or e["value"] is None:
            continue
        a = data.areas.set_index("lsoa21_code").loc[p["area"]["lsoa21_codes"]]
        a = a[a[ind.id].notna()]
        combine = weighted_median if ind.agg == "median" else weighted_mean
        # unrounded, as the profile ranks it; one small area is its own value exactly
        exact = float(a[ind.id].iloc[0]) if not whole else combine(a[ind.id], a.population)
        check_standing_is_true(e["wm_standing"], exact, data.areas[ind.id], ind, whole)


def test_a_tie_heavy_decile_stays_true(data) -> None:
    """About 30% of West Midlands small areas are in IDACI decile 1: the text says so and claims nothing more."""
    ind = registry.get("idaci_decile")
    col = data.areas.set_index("lsoa21_code")[ind.id]
    top = col.value_counts()
    decile, count = top.index[0], int(top.iloc[0])
    assert count / len(col) > 0.25  # the real data are this tie-heavy
    code = col[col == decile].index[0]
    e = by_id(profile_for_area("lsoa", code))[ind.id]
    others = count - 1
    assert f"the same as {100 * others // len(col)}%" in e["wm_standing"]
    check_standing_is_true(e["wm_standing"], float(decile), col, ind, whole=False)
    # the ward around it: a median decile is tied with every small area of that decile, itself not among them
    w = by_id(profile_for_area("ward", data.areas.set_index("lsoa21_code").loc[code, "ward_code"]))[ind.id]
    check_standing_is_true(w["wm_standing"], w["value"], col, ind, whole=True)


@pytest.mark.parametrize(
    ("ind_id", "pick"),
    [
        ("sports_sites_within_1km", "max"),  # protective, more is better
        ("civic_assets_score", "min"),  # protective, a low CNI score is more assets
        ("households_not_deprived_pct", "max"),  # protective, more is better
        ("violence_with_injury_rate", "min"),  # outcome, less is better
        ("overcrowded_households_pct", "min"),  # risk, less is better
    ],
)
def test_better_means_less_risk_or_more_protection_for_every_role(data, ind_id: str, pick: str) -> None:
    col = data.areas.set_index("lsoa21_code")[ind_id]
    good = col.idxmax() if pick == "max" else col.idxmin()
    bad = col.idxmin() if pick == "max" else col.idxmax()
    assert by_id(profile_for_area("lsoa", good))[ind_id]["wm_standing"].startswith("better than 9")
    assert by_id(profile_for_area("lsoa", bad))[ind_id]["wm_standing"].startswith("worse than ")


def test_borough_measures_rank_the_seven_boroughs(data) -> None:
    bv = data.borough_values
    for ind in registry.INDICATORS:
        if ind.mappable:
            continue
        vals = bv[(bv.indicator_id == ind.id) & bv.area_code.str.startswith("E08")].set_index("area_code").value
        for lad, v in vals.items():
            rank = 1 + int(((vals > v) if ind.higher_is_worse else (vals < v)).sum())
            tied = " (tied)" if (vals == v).sum() > 1 else ""
            e = by_id(profile_for_area("borough", lad))[ind.id]
            assert e["wm_standing"] == f"ranks {rank}{tied} of 7 boroughs (1 = worst)", (ind.id, lad)
            assert e["wm_rank"] == rank
    # Life satisfaction 2021: Birmingham and Wolverhampton both 7.5, the highest (best) with Dudley 7.52 above
    e = by_id(profile_for_area("borough", "E08000025"))["life_satisfaction"]
    assert e["wm_standing"] == "ranks 5 (tied) of 7 boroughs (1 = worst)"


def test_summary_uses_the_standing_words(data) -> None:
    for p in (profile_for_area("lsoa", PC_LSOA), profile_for_area("ward", PC_WARD), profile_for_postcode(PC, 1.0)):
        viol = by_id(p)[registry.DEFAULT_INDICATOR]["wm_standing"]
        assert f"Recorded violence with injury: {viol}." in p["summary"]
        assert "100%" not in p["summary"]


@pytest.mark.parametrize("make", PROFILES)
def test_a_standing_exactly_when_there_is_a_value(data, make) -> None:
    for e in make()["indicators"]:
        assert isinstance(e["wm_standing"], str)
        assert (e["value"] is None) == (e["wm_standing"] == ""), e["id"]


@pytest.mark.parametrize(
    ("value", "among", "higher_is_worse", "whole", "text"),
    [
        # the pure rule on the West Midlands IDACI deciles: 512 areas share decile 1 (the worst)
        (1.0, "idaci", False, False, "worse than 70% and the same as 29% of West Midlands small areas"),
        (
            1.0,
            "idaci",
            False,
            True,
            "taken as a whole, worse than 70% and the same as 29% of West Midlands small areas",
        ),
        (None, "idaci", False, False, ""),
    ],
)
def test_standing_rule_table(data, value, among, higher_is_worse, whole, text) -> None:
    col = data.values["idaci_decile"]
    sv = np.sort(col[~np.isnan(col)])
    assert int((sv == 1.0).sum()) == 512 and len(sv) == 1719
    assert standing(value, sv, higher_is_worse, whole=whole) == text


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


# ---------------------------------------------------------------------------- rounded once


def _hand_combined(a: pd.DataFrame, ind: registry.Indicator, mask: pd.Series | None = None) -> float | None:
    v, w = (a[ind.id], a.population) if mask is None else (a[ind.id][mask], a.population[mask])
    ok = v.notna()
    if not ok.any():
        return None
    if (v[ok] == v[ok].iloc[0]).all():
        return float(v[ok].iloc[0])
    return (weighted_median if ind.agg == "median" else weighted_mean)(v[ok], w[ok])


def test_every_shown_value_is_rounded_once_from_the_unrounded_value(data) -> None:
    """Over every small area and its ward, borough and West Midlands comparators: the string the
    page (layouts.profile.fmt) and the exports (exports.tables.format_value) show is the
    unrounded value rounded once to the indicator's decimals; the profile never pre-rounds."""
    from exports.tables import format_value
    from layouts.profile import fmt

    a = data.areas
    want: dict[tuple[str, str | None], float | None] = {}
    for ind in registry.mappable():
        for col in ("ward_code", "lad_code"):
            for code in a[col].unique():
                want[(ind.id, code)] = _hand_combined(a, ind, a[col] == code)
        want[(ind.id, None)] = _hand_combined(a, ind)
    shown = off = 0
    bad = []
    for i, code in enumerate(a.lsoa21_code):
        for e in profile_for_area("lsoa", code, data)["indicators"]:
            ind = registry.get(e["id"])
            if not ind.mappable:
                continue
            own = float(a[ind.id].iloc[i])
            pairs = [(e["value"], None if math.isnan(own) else own)]
            pairs += [(c["value"], want[(ind.id, c["code"])]) for c in e["comparators"] if c["code"] != ENGLAND]
            for got, true in pairs:
                if true is None:
                    assert got is None
                    continue
                shown += 1
                expect = f"{true:,.{ind.decimals}f}"
                export = expect.lstrip("-") if float(expect.replace(",", "")) == 0 else expect  # never "-0.00"
                if fmt(got, ind.decimals) != expect or format_value(got, ind.decimals) != export:
                    off += 1
                    bad.append((code, ind.id, got, true))
    assert shown > 150_000
    assert off == 0, f"{off} of {shown} shown values are off in the last digit, e.g. {bad[:3]}"


@pytest.mark.shared
def test_small_area_values_carry_the_full_precision_of_their_raw_derivation(data, shared_raw_dir) -> None:
    """The areas artifact holds each value exactly as derived from the raw files, unrounded."""
    from geodata.build.indicators import build_lsoa_indicators
    from geodata.build.raw import Raw

    derived = build_lsoa_indicators(Raw(shared_raw_dir), data.areas, data.lsoa21)
    cut_short = []
    for ind in registry.mappable():
        v = derived[ind.id].to_numpy(float)
        np.testing.assert_array_equal(v, data.areas[ind.id].to_numpy(float), ind.id)
        ok = np.isfinite(v)
        if (v[ok] != np.round(v[ok], max(ind.decimals, 2) + 1)).any():
            cut_short.append(ind.id)
    # the build used to round every value to max(decimals, 2) + 1 places; derived values need more
    assert "households_not_deprived_pct" in cut_short and len(cut_short) >= 3, cut_short


def test_api_values_are_unrounded(client) -> None:
    e = by_id(json.loads(client.get("/api/v1/areas/lsoa/E01009146").data))["households_not_deprived_pct"]
    assert e["value"] != round(e["value"], 3)  # 37.476099..., not 37.48 or 37.476


# ---------------------------------------------------------------------------- centres and the radius rule


def test_small_area_centres_are_the_mean_of_their_live_postcodes(data) -> None:
    """Population-weighted centres from unquantised postcode points, not a point of the map's
    quantised polygon (which was up to 513 m off)."""
    pcs = data.postcodes[~data.postcodes.terminated & data.postcodes.lsoa21_code.notna()]
    mean = pcs.groupby("lsoa21_code")[["lat", "lon"]].mean()
    a = data.areas.set_index("lsoa21_code")
    have = a.index.isin(mean.index)
    assert have.mean() > 0.99
    np.testing.assert_allclose(a.lat[have], mean.lat.reindex(a.index[have]), atol=5e-7)
    np.testing.assert_allclose(a.lon[have], mean.lon.reindex(a.index[have]), atol=5e-7)
    # every other area: a point inside its boundary
    for code in a.index[~have]:
        pt = data.lsoa21.set_index("code").geometry[code]
        assert pt.buffer(1e-3).contains(__import__("shapely").Point(a.lon[code], a.lat[code])), code


@pytest.mark.parametrize("radius", RADII_KM)
def test_radius_rule_is_one_pure_function_of_the_stored_centres(data, radius: float) -> None:
    """B1 1BB flipped an area in or out at 1 km with the quantised inner point; the rule is
    areas_within_radius over the centres in areas.parquet, and the profile uses exactly it."""
    from geodata.profile import areas_within_radius

    place = profile_for_postcode("B1 1BB", radius, data)["place"]
    a = data.areas
    pcs = data.postcodes[~data.postcodes.terminated & data.postcodes.lsoa21_code.notna()]
    mean = pcs.groupby("lsoa21_code")[["lat", "lon"]].mean().reindex(a.lsoa21_code)
    d = haversine_km(place["latitude"], place["longitude"], mean.lat.to_numpy(), mean.lon.to_numpy())
    expected = set(a.lsoa21_code[d <= radius]) | {place["lsoa21_code"]}
    rows = areas_within_radius(
        np.column_stack([a.lat, a.lon]),
        place["latitude"],
        place["longitude"],
        radius,
        data.lsoa_row[place["lsoa21_code"]],
    )
    assert {a.lsoa21_code.iloc[r] for r in rows} == expected
    assert set(profile_for_postcode("B1 1BB", radius, data)["area"]["lsoa21_codes"]) == expected


def test_sports_sites_within_1km_are_counted_from_the_same_centres(data) -> None:
    import geopandas as gpd

    from geodata.constants import BNG, WGS84

    s = data.assets[data.assets.kind == "sport"]
    pts = gpd.GeoSeries(gpd.points_from_xy(s.lon, s.lat), crs=WGS84).to_crs(BNG)
    c = gpd.GeoSeries(gpd.points_from_xy(data.areas.lon, data.areas.lat), crs=WGS84).to_crs(BNG)
    sx, sy = pts.x.to_numpy(), pts.y.to_numpy()
    counts = [int((np.hypot(sx - x, sy - y) <= 1000).sum()) for x, y in zip(c.x, c.y)]
    assert counts == data.areas.sports_sites_within_1km.astype(int).tolist()
