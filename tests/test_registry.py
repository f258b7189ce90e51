"""The indicator registry: its invariants, its data, and values traced back to the raw files."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from geodata import registry
from geodata.registry import INDICATORS, LEVELS, MAPPABLE_GEOGRAPHIES, ROLES
from geodata.sources import SOURCES

BOROUGHS = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")
# areas.parquet columns that are not indicators: keys, names, the inner point and the weights
AREA_KEY_COLUMNS = {
    "lsoa21_code",
    "lsoa21_name",
    "msoa21_code",
    "msoa21_label",
    "ward_code",
    "ward_name",
    "lad_code",
    "lad_name",
    "lon",
    "lat",
    "population",
}
IOD = "deprivation/iod2025_lsoa21_west_midlands.csv"
IOD_UI = "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv"
LSOA11_LSOA21 = "geography/lookups/lsoa11_lsoa21_wm.csv"
SIMPLE_COLUMN = re.compile(r"^column (\w+) of (\S+\.csv)(?: \(TS\d+\))?$")


def stored_digits(ind_id: str) -> int:
    """Decimal places the build keeps for a small-area value (see build_lsoa_indicators)."""
    return max(registry.get(ind_id).decimals, 2) + 1


def processed(data, ind_id: str, lsoa21: str) -> float:
    return float(data.areas.set_index("lsoa21_code").at[lsoa21, ind_id])


# ---------------------------------------------------------------------------- invariants


def test_enough_indicators_from_enough_publishers() -> None:
    assert len(INDICATORS) >= 30
    assert len({SOURCES[i.source].publisher for i in INDICATORS}) >= 6


def test_ids_are_unique_snake_case() -> None:
    ids = [i.id for i in INDICATORS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids), ids
    assert len({i.label for i in INDICATORS}) == len(INDICATORS)  # two pickers entries never look alike


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_has_risk_and_protective_factors(level: str) -> None:
    roles = {i.role for i in INDICATORS if i.level == level}
    assert {"risk", "protective"} <= roles


def test_outcomes_include_the_violence_measures() -> None:
    outcomes = {i.id for i in INDICATORS if i.role == "outcome"}
    assert {
        "violence_with_injury_rate",
        "violence_without_injury_rate",
        "public_order_weapons_rate",
        "antisocial_behaviour_rate",
    } <= outcomes
    assert all(registry.get(i).higher_is_worse for i in outcomes)


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.id)
def test_every_indicator_is_fully_described(ind) -> None:
    assert ind.level in LEVELS and ind.role in ROLES
    assert ind.geography in registry.GEOGRAPHY_LABELS
    assert ind.source in SOURCES
    for field in ("label", "description", "unit", "unit_plain", "period", "derivation"):
        assert getattr(ind, field).strip(), field
    d = ind.to_dict()
    src = SOURCES[ind.source]
    assert (d["publisher"], d["licence"], d["source_url"]) == (src.publisher, src.licence, src.url)
    assert d["licence"] and d["source_url"].startswith("https://") and d["attribution"]
    if "decile" in ind.unit:  # averaging deciles would invent values no area has
        assert ind.agg == "median" and not ind.higher_is_worse


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_unconfirmed_licences_say_so(key: str) -> None:
    src = SOURCES[key]
    assert src.licence and src.publisher and src.vintage and src.files
    assert src.licence_confirmed == ("not confirmed" not in src.licence)


def test_stable_ids_keep_their_meaning() -> None:
    imd = registry.get("imd_decile")
    assert (imd.level, imd.role, imd.higher_is_worse, imd.geography) == ("society", "risk", False, "lsoa21")
    assert "IMD" in imd.label and imd.unit.startswith("decile")
    assert imd.derivation == f"column imd_decile of {IOD}"
    idaci = registry.get("idaci_decile")
    assert "IDACI" in idaci.label and idaci.derivation == f"column idaci_decile of {IOD}"
    assert (idaci.level, idaci.role, idaci.higher_is_worse) == ("relationships", "risk", False)
    vwi = registry.get("violence_with_injury_rate")
    assert (vwi.role, vwi.higher_is_worse, vwi.unit) == ("outcome", True, "per 1,000 at-risk population")
    assert vwi.derivation == f"column violence_with_injury_rate_per_1_000_at_risk_population of {IOD_UI}"
    assert registry.DEFAULT_INDICATOR == "violence_with_injury_rate"
    with pytest.raises(KeyError):
        registry.get("no_such_indicator")
    assert registry.exists("imd_decile") and not registry.exists("no_such_indicator") and not registry.exists(None)


# ---------------------------------------------------------------------------- registry <-> data


def test_every_indicator_has_data_and_every_column_an_indicator(data) -> None:
    columns = set(data.areas.columns) - AREA_KEY_COLUMNS
    mappable = {i.id for i in INDICATORS if i.mappable}
    borough = {i.id for i in INDICATORS if not i.mappable}
    assert columns == mappable
    assert set(data.borough_values.indicator_id) == borough
    assert mappable | borough == {i.id for i in INDICATORS}


@pytest.mark.parametrize("ind", [i for i in INDICATORS if i.mappable], ids=lambda i: i.id)
def test_small_area_indicators_have_values_in_range(data, ind) -> None:
    v = data.areas[ind.id]
    assert v.notna().mean() >= 0.95
    v = v.dropna()
    if "decile" in ind.unit:
        assert v.between(1, 10).all() and (v == v.round()).all()
    if ind.unit.startswith("%"):
        assert v.between(0, 100).all()
    if ind.unit.startswith("per ") or ind.unit in ("minutes", "sites"):
        assert (v >= 0).all()
    assert v.nunique() > 1


@pytest.mark.parametrize("ind", [i for i in INDICATORS if not i.mappable], ids=lambda i: i.id)
def test_borough_indicators_are_never_mapped(data, ind) -> None:
    assert ind.geography == "borough" and ind.geography not in MAPPABLE_GEOGRAPHIES
    assert ind not in registry.mappable()
    assert ind.id not in data.values and ind.id not in data.areas.columns
    rows = data.borough_values[data.borough_values.indicator_id == ind.id]
    assert set(BOROUGHS) <= set(rows.area_code) and rows.area_code.is_unique
    assert rows.value.notna().all()


def test_imd_decile_values_are_the_published_deciles(data, raw_csv) -> None:
    iod = raw_csv(IOD).set_index("lsoa21_code")
    assert set(data.areas.imd_decile.unique()) == set(range(1, 11))
    for code in ("E01034937", "E01008881", "E01009541", "E01010472", "E01010191"):
        assert processed(data, "imd_decile", code) == iod.at[code, "imd_decile"]
        assert processed(data, "idaci_decile", code) == iod.at[code, "idaci_decile"]


# ---------------------------------------------------------------------------- trace-back to raw


SIMPLE = [i for i in INDICATORS if i.geography == "lsoa21" and SIMPLE_COLUMN.match(i.derivation)]


def test_most_small_area_indicators_are_a_single_raw_column() -> None:
    assert len(SIMPLE) >= 15  # so the test below is not vacuous


@pytest.mark.parametrize("ind", SIMPLE, ids=lambda i: i.id)
def test_single_column_indicators_equal_their_raw_column(data, raw_csv, ind) -> None:
    column, rel = SIMPLE_COLUMN.match(ind.derivation).groups()
    raw = raw_csv(rel).set_index("lsoa21_code")[column].astype(float)
    # every small area the raw folder in use has (all 1,719, or the cut's 202)
    assert len(raw) >= 200 and set(raw.index) <= set(data.areas.lsoa21_code)
    got = data.areas.set_index("lsoa21_code")[ind.id].reindex(raw.index)
    np.testing.assert_allclose(got.to_numpy(), raw.to_numpy(), rtol=0, atol=0.5 * 10 ** -stored_digits(ind.id) + 1e-12)


@pytest.mark.parametrize(
    ("ind_id", "rel", "column", "code"),
    [
        ("violence_with_injury_rate", IOD_UI, "violence_with_injury_rate_per_1_000_at_risk_population", "E01034937"),
        ("violence_with_injury_rate", IOD_UI, "violence_with_injury_rate_per_1_000_at_risk_population", "E01008881"),
        ("loneliness_pct", "protective/loneliness_cls_lsoa21_wm.csv", "pct_lonely_often_some_of_time", "E01008881"),
        ("loneliness_pct", "protective/loneliness_cls_lsoa21_wm.csv", "pct_lonely_often_some_of_time", "E01010472"),
        ("gp_minutes", "protective/ahah_v4_lsoa21_wm.csv", "ah4gp", "E01009541"),
    ],
)
def test_lsoa_value_equals_raw_value(data, raw_csv, ind_id: str, rel: str, column: str, code: str) -> None:
    raw = float(raw_csv(rel).set_index("lsoa21_code").at[code, column])
    assert processed(data, ind_id, code) == pytest.approx(raw, abs=0.5 * 10 ** -stored_digits(ind_id) + 1e-9)


def test_census_share_is_computed_from_the_counts(data, raw_csv) -> None:
    c = raw_csv("census/census2021_lsoa21_west_midlands.csv").set_index("lsoa21_code")
    for code in ("E01008881", "E01034937"):
        want = 100 * c.at[code, "ts011_hh_deprived_0_dims"] / c.at[code, "ts011_households_total"]
        assert processed(data, "households_not_deprived_pct", code) == pytest.approx(want, abs=5e-4)
        assert processed(data, "population", code) == c.at[code, "age6_residents_total"]


LSOA11_CASES = [
    ("household_churn", "protective/cdrc_household_churn_2018_2023_lsoa11_wm.csv", "churn_2018_2023", 100.0),
    ("retail_hazards_score", "protective/ahah_v3_domains_lsoa11_wm.csv", "ah3r", 1.0),
    ("green_space_score", "protective/ahah_v3_domains_lsoa11_wm.csv", "ah3g", 1.0),
]


@pytest.mark.parametrize(("ind_id", "rel", "column", "scale"), LSOA11_CASES)
def test_lsoa11_indicator_carried_to_lsoa21(data, raw_csv, ind_id: str, rel: str, column: str, scale: float) -> None:
    assert registry.get(ind_id).geography == "lsoa11"
    raw = raw_csv(rel).set_index("lsoa11_code")[column].astype(float) * scale
    lk = raw_csv(LSOA11_LSOA21)
    tol = 0.5 * 10 ** -stored_digits(ind_id) + 1e-12
    # unchanged: the 2011 value under the same code
    unchanged = lk[lk.change_code == "U"].lsoa11_code
    for code in ("E01008881", "E01009541", unchanged.iloc[len(unchanged) // 2]):
        assert (lk.set_index("lsoa11_code").at[code, "change_code"]) == "U"
        assert processed(data, ind_id, code) == pytest.approx(raw[code], abs=tol)
    # split (E01008914 became E01034929 and E01034930): both parts take the parent's value
    for child in ("E01034929", "E01034930"):
        assert processed(data, ind_id, child) == pytest.approx(raw["E01008914"], abs=tol)
    # merged (E01009198 and E01033647 became E01034935): the area-weighted mean of the parts
    parts = lk[lk.lsoa21_code == "E01034935"].set_index("lsoa11_code").share_of_lsoa21_area
    assert set(parts.index) == {"E01009198", "E01033647"}
    want = (raw[parts.index] * parts).sum() / parts.sum()
    assert processed(data, ind_id, "E01034935") == pytest.approx(want, abs=tol)


def test_msoa_indicator_is_shared_by_its_lsoas(data, raw_csv) -> None:
    assert registry.get("same_address_pct").geography == "msoa"
    raw = raw_csv("protective/census2021_ts019_migration_msoa21_wm.csv").set_index("msoa21_code")
    a = data.areas
    for msoa in ("E02001827", raw.index[len(raw) // 2]):
        lsoas = a[a.msoa21_code == msoa]
        assert len(lsoas) >= 3
        assert (lsoas.same_address_pct == raw.at[msoa, "pct_same_address_one_year_ago"]).all()


def test_borough_values_equal_their_raw_source(data, raw_csv) -> None:
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    css = raw_csv("crime/crime_severity_score_ltla_wm_2022-23.csv").set_index("ltla23_code")
    for code in BOROUGHS:
        assert bv[("crime_severity_score", code)] == pytest.approx(css.at[code, "crime_severity_score"], abs=5e-5)
    ui = raw_csv(IOD_UI)
    home = ui.groupby("ltla24_code").homelessness_indicator_rate_per_1_000_households.first()
    for code in BOROUGHS:
        assert bv[("homelessness_rate", code)] == pytest.approx(home[code], abs=5e-5)
    hi = raw_csv("protective/ons_health_index_indicators_ltla_wm.csv")
    ls = hi[(hi.indicator == "Life satisfaction") & (hi.year == 2021)].set_index("lad_code").value
    for code in BOROUGHS:
        assert bv[("life_satisfaction", code)] == pytest.approx(ls[code], abs=5e-5)


def test_lait_borough_values_are_the_registry_period(data, raw_csv) -> None:
    lait = pd.concat(
        [
            raw_csv("education/lait_wm_indicators_long.csv.gz"),
            raw_csv("health/lait_wm_health_youth_indicators_long.csv"),
        ]
    )
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    for ind in INDICATORS:
        if ind.source != "dfe_lait":
            continue
        measure = ind.derivation.split("'")[1]
        rows = lait[(lait.measure_short == measure)].dropna(subset=["value"])
        rows = rows[[ind.period.startswith(str(p)) for p in rows.period]].drop_duplicates(["area_code"])
        assert set(BOROUGHS) <= set(rows.area_code), ind.id
        got = bv[ind.id]
        want = rows.set_index("area_code").value.astype(float).round(4)
        assert got.to_dict() == want.to_dict(), ind.id


# ---------------------------------------------------------------------------- one entry reaches every surface
#
# Adding an indicator from a raw file the build already reads is one registry entry: these
# tests follow every entry (connectedness_score was added that way in issue 14) through the
# build's output, the app, the API, OpenAPI, the exports and the docs.


@pytest.fixture(scope="module")
def surfaces(data):
    from pathlib import Path

    from app import app
    from exports.csvfile import render_csv
    from geodata import profile_for_postcode
    from layouts.methods import indicator_table
    from web.api.openapi import document

    repo = Path(__file__).resolve().parents[1]
    profile = profile_for_postcode("B15 2TT", 1.0, data)
    return {
        "profile": {e["id"]: e for e in profile["indicators"]},
        "csv": render_csv(profile).decode("utf-8-sig"),
        "openapi": document()["components"]["schemas"]["Indicator"]["properties"]["id"]["enum"],
        "methods": str(indicator_table().to_plotly_json()),
        "readme": (repo / "README.md").read_text(encoding="utf-8"),
        "client": app.server.test_client(),
    }


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.id)
def test_each_registry_entry_reaches_every_surface(data, surfaces, ind) -> None:
    if ind.mappable:
        assert ind.id in data.values and np.isfinite(data.values[ind.id]).mean() >= 0.95
    else:
        assert set(data.borough_values[data.borough_values.indicator_id == ind.id].area_code) >= set(BOROUGHS)
    entry = surfaces["profile"][ind.id]
    assert entry["label"] == ind.label and entry["value"] is not None
    assert ind.label in surfaces["csv"]
    assert ind.id in surfaces["openapi"]
    assert ind.id in surfaces["methods"] and ind.derivation in surfaces["methods"]
    assert f"| `{ind.id}` |" in surfaces["readme"]
    api = surfaces["client"].get(f"/api/v1/indicators/{ind.id}", environ_base={"REMOTE_ADDR": "10.14.0.1"})
    assert api.status_code == 200
    body = api.get_json()
    assert body["derivation"] == ind.derivation and body["derived_from"]["kind"] == type(ind.derived).__name__
    assert body["unit_plain"] == ind.unit_plain == entry["unit_plain"] and ind.unit_plain in surfaces["csv"]


def test_connectedness_is_the_raw_cni_domain_score(data, raw_csv) -> None:
    """The issue 14 example: one entry, read from a file the build already loaded."""
    ind = registry.get("connectedness_score")
    assert ind.derived == registry.Column("protective/cni2023_lsoa21_wm.csv", "connectedness_score")
    raw = raw_csv(ind.derived.file).set_index("lsoa21_code")["connectedness_score"].astype(float)
    got = pd.Series(data.values[ind.id], index=data.areas.lsoa21_code).reindex(raw.index)
    assert np.allclose(got.to_numpy(), raw.to_numpy(), atol=1e-9)
    assert ind.role == "protective" and ind.higher_is_worse  # CNI: a higher score is more need


# ---------------------------------------------------------------------------- units in words

_BETTER = {"higher is better": False, "more is better": False, "lower is better": True}


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.id)
def test_unit_in_words_says_which_way_is_better(ind) -> None:
    """Each unit in words says which way is better, and that agrees with the registry's direction."""
    text = ind.unit_plain
    assert text.strip() and text != ind.unit and not text[0].isupper()  # shown after the value, mid-sentence
    said = [worse for words, worse in _BETTER.items() if words in text]
    if said:
        assert said == [ind.higher_is_worse], text
    elif "decile" not in text:
        assert "higher means " in text, text  # a score says what a higher value means instead
    assert "100 = " not in text and "out of 10" not in text  # no scale the sources do not state


@pytest.mark.parametrize("ind", registry.mappable(), ids=lambda i: i.id)
def test_unit_in_words_claims_only_ranges_the_data_bear_out(data, ind) -> None:
    """A stated range holds for every small area; "no fixed range (it can be below 0)" only where values are."""
    v = data.values[ind.id]
    v = v[~np.isnan(v)]
    text = ind.unit_plain
    for lo, hi in re.findall(r"from (-?[\d.]+) to (-?[\d.]+)", text):
        assert float(lo) <= v.min() and v.max() <= float(hi), (text, v.min(), v.max())
    if text.startswith("%") or text.startswith("estimated %"):
        assert v.min() >= 0 and v.max() <= 100
    if "below 0" in text:
        assert v.min() < 0, text
    elif "score" in text:
        assert v.min() >= 0, text  # a score with negative values must say it can be below 0
    if "decile" in text:
        assert "from 1 to 10" in text and set(np.unique(v)) <= set(range(1, 11))


def test_unit_in_words_is_documented_for_the_api() -> None:
    from web.api.openapi import document

    assert registry.FIELD_DOCS["unit_plain"]
    props = document()["components"]["schemas"]["Indicator"]["properties"]
    assert props["unit_plain"] == {"type": "string", "description": registry.FIELD_DOCS["unit_plain"]}
    entry = document()["components"]["schemas"]["ProfileIndicator"]["properties"]
    assert entry["unit_plain"]["type"] == "string" and entry["wm_standing"]["type"] == "string"


# ---------------------------------------------------------------------------- issue 12: data truth

LAIT = "education/lait_wm_indicators_long.csv.gz"
CENSUS = "census/census2021_lsoa21_west_midlands.csv"
BIRMINGHAM, ENGLAND = "E08000025", "E92000001"


def _lait_value(raw_csv, measure: str, period: str, area: str) -> float:
    lait = raw_csv(LAIT)
    row = lait[(lait.measure_short == measure) & (lait.period.astype(str) == period) & (lait.area_code == area)]
    assert len(row.drop_duplicates(["area_code"])) == 1, (measure, period, area)
    return float(row.value.iloc[0])


def test_school_readiness_is_lait_2025_not_the_health_index_carried_forward(data, raw_csv) -> None:
    ind = registry.get("early_years_development")
    assert ind.derived == registry.LaitMeasure(LAIT, "FSP_NEW_GOODDEV") and ind.source == "dfe_lait"
    assert ind.period.startswith("2025") and (ind.level, ind.role, ind.higher_is_worse) == (
        "individual",
        "protective",
        False,
    )
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    for area in (BIRMINGHAM, ENGLAND):  # England now stands beside the boroughs
        assert bv[("early_years_development", area)] == _lait_value(raw_csv, "FSP_NEW_GOODDEV", "2025", area)


def test_neet_replaces_the_health_index_share_and_runs_worse_high(data, raw_csv) -> None:
    ind = registry.get("neet_16_17_pct")
    assert ind.derived == registry.LaitMeasure(LAIT, "16-17 NEET") and ind.period == "2025"
    assert (ind.role, ind.higher_is_worse) == ("risk", True) and "lower is better" in ind.unit_plain
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    assert bv[("neet_16_17_pct", BIRMINGHAM)] == _lait_value(raw_csv, "16-17 NEET", "2025", BIRMINGHAM)
    assert not registry.exists("young_people_in_education_employment")
    assert "neet_16_17_pct" in registry.RETIRED["young_people_in_education_employment"]
    assert not any(
        i.source == "ons_health_index" and i.period == "2021" and i.id != "life_satisfaction" for i in INDICATORS
    )


def test_suspensions_are_per_100_pupils_and_the_share_suspended_is_shown_too(data, raw_csv) -> None:
    rate = registry.get("suspension_rate")
    assert rate.unit == "suspensions per 100 pupils" and "%" not in rate.unit and "per 100 pupils" in rate.label
    assert "more than once" in rate.unit_plain and rate.caveat
    share = registry.get("pupils_suspended_pct")
    assert share.derived == registry.LaitMeasure(LAIT, "Total_ Pup_FixedEx") and share.unit == "% of pupils"
    assert share.period == rate.period == "2023/24 academic year"
    bv = data.borough_values.set_index(["indicator_id", "area_code"]).value
    assert bv[("pupils_suspended_pct", BIRMINGHAM)] == _lait_value(raw_csv, "Total_ Pup_FixedEx", "2023/24", BIRMINGHAM)
    assert bv[("pupils_suspended_pct", BIRMINGHAM)] < bv[("suspension_rate", BIRMINGHAM)]  # pupils ≤ suspensions


IOD_CRIME = [
    i for i in INDICATORS if isinstance(i.derived, registry.Column) and "_per_1_000_at_risk_" in i.derived.column
]


@pytest.mark.parametrize("ind", IOD_CRIME, ids=lambda i: i.id)
def test_iod_crime_rates_say_what_the_source_measures(ind) -> None:
    """Per 1,000 at-risk population (or properties), as the raw column says; never "residents"."""
    at_risk = ind.derived.column.split("_per_1_000_")[1].replace("_", " ")  # at risk population / properties
    assert ind.unit == f"per 1,000 {at_risk.replace('at risk', 'at-risk')}"
    for text in (ind.unit, ind.unit_plain, ind.description, ind.period):
        assert "resident" not in text and "people living" not in text
    assert "years not stated in the raw file" in ind.period and "at-risk" in ind.caveat


def test_new_iod_crime_rates_are_community_outcomes_kept_out_of_the_indices() -> None:
    """Recorded crime measures the unsafe community the frame names, but as an outcome: in the
    risk index it would make "risk against violence" partly crime against crime."""
    from geodata.analysis import index_factors

    assert len(IOD_CRIME) == 8
    for i in ("burglary_rate", "theft_rate", "criminal_damage_rate"):
        assert (registry.get(i).level, registry.get(i).role) == ("community", "outcome")
        assert i not in {f.id for f in index_factors("risk", None)}
    unsafe = next(f for f in registry.FRAME if f.factor == "unsafe or violent communities")
    assert {"burglary_rate", "theft_rate", "criminal_damage_rate"} <= set(unsafe.indicators)


@pytest.mark.parametrize(
    ("ind_id", "counts", "total", "rounded"),
    [
        (
            "overcrowded_households_pct",
            ("ts052_occ_rating_bedrooms_minus1", "ts052_occ_rating_bedrooms_minus2_or_less"),
            "ts052_households_total",
            "pct_hh_overcrowded_bedrooms",
        ),
        (
            "households_deprived_2plus_pct",
            ("ts011_hh_deprived_2_dims", "ts011_hh_deprived_3_dims", "ts011_hh_deprived_4_dims"),
            "ts011_households_total",
            "pct_hh_deprived_2plus_dims",
        ),
    ],
)
def test_census_percentages_are_computed_from_counts(data, raw_csv, ind_id, counts, total, rounded) -> None:
    d = registry.get(ind_id).derived
    assert d.columns == counts and d.per == total and not d.column.startswith("pct_")
    c = raw_csv(CENSUS).set_index("lsoa21_code")
    codes = list(data.areas.lsoa21_code)
    want = 100 * c.loc[codes, list(counts)].sum(axis=1) / c.loc[codes, total]
    got = data.areas.set_index("lsoa21_code")[ind_id]
    assert np.allclose(got.to_numpy(), want.to_numpy(), atol=0.5 * 10 ** -stored_digits(ind_id) + 1e-9)
    # the published 1-decimal share agrees only to its rounding, so the build no longer reads it
    assert (got - c.loc[codes, rounded]).abs().max() <= 0.05 + 1e-9


def test_column_counts_need_a_total() -> None:
    from geodata.build.indicators import column_values
    from geodata.build.raw import BuildError

    df = pd.DataFrame({"a": [1, 2], "b": [3, 4], "t": [8, 10]})
    assert column_values(df, registry.Column("f.csv", "a", plus=("b",), per="t"), "x").tolist() == [50.0, 60.0]
    assert registry.Column("f.csv", "a", plus=("b",), per="t").describe("lsoa21") == "100 × (a + b) / t of f.csv"
    with pytest.raises(BuildError):
        column_values(df, registry.Column("f.csv", "a", plus=("b",)), "x")


def test_health_index_links_to_its_source_not_scotland() -> None:
    src = SOURCES["ons_health_index"]
    assert "scotland" not in src.url.lower() and src.url == "https://github.com/humaniverse/healthyr"
    assert "England" in src.dataset


def test_crime_severity_claims_no_england_figure_it_lacks(data) -> None:
    ind = registry.get("crime_severity_score")
    rows = data.borough_values[data.borough_values.indicator_id == ind.id]
    assert ENGLAND not in set(rows.area_code)  # the raw file has the 7 boroughs only
    for text in (ind.unit, ind.unit_plain, ind.national_note, ind.caveat):
        assert "England" not in text


CELLS_BEFORE = {  # issue 12 found 40 indicators, 34 of them factors
    ("individual", "risk"): 7,
    ("individual", "protective"): 3,
    ("relationships", "risk"): 5,
    ("relationships", "protective"): 2,
    ("community", "risk"): 3,
    ("community", "protective"): 6,
    ("society", "risk"): 5,
    ("society", "protective"): 3,
}


def test_at_least_50_factors_over_all_eight_level_role_cells() -> None:
    cells = {
        (lv, r): sum(i.level == lv and i.role == r for i in INDICATORS) for lv in LEVELS for r in ("risk", "protective")
    }
    assert sum(cells.values()) >= 50 and len(INDICATORS) >= 50
    assert all(n >= 2 for n in cells.values()), cells
    assert all(cells[k] >= CELLS_BEFORE[k] for k in cells)  # every cell kept or gained


# The unit's own lists (product.md), as (level, role, factor).
SEED_FACTORS = (
    [
        ("individual", "risk", f)
        for f in (
            "perinatal trauma",
            "early malnutrition",
            "behavioural and learning difficulties",
            "alcohol and substance misuse",
            "traumatic brain injury",
            "gender",
        )
    ]
    + [
        ("individual", "protective", f)
        for f in (
            "healthy problem solving and emotional regulation",
            "school readiness",
            "good communication skills",
            "healthy social relationships",
        )
    ]
    + [
        ("relationships", "risk", f)
        for f in (
            "low family income",
            "poor parenting",
            "family size",
            "abuse and neglect",
            "household substance misuse",
            "mental illness",
            "violence in the family",
            "family breakdown",
            "offending",
        )
    ]
    + [
        ("relationships", "protective", f)
        for f in (
            "stable homes",
            "nurturing relationships",
            "consistent parenting",
            "shared activities",
            "financial security and economic opportunity",
        )
    ]
    + [
        ("community", "risk", f)
        for f in (
            "unsafe or violent communities",
            "low social integration and mobility",
            "lack of recreation",
            "too little for young people to do",
        )
    ]
    + [
        ("community", "protective", f)
        for f in (
            "belonging and connectedness",
            "a safe environment",
            "cohesion",
            "opportunities for sport and hobbies",
        )
    ]
    + [
        ("society", "risk", f)
        for f in (
            "socio-economic deprivation",
            "high unemployment",
            "homelessness and poor housing",
            "a culture that normalises violence",
            "discrimination",
            "hard-to-reach services",
        )
    ]
    + [("society", "protective", f) for f in ("good housing", "high standards of living", "valued social roles")]
)


def test_every_seed_factor_is_covered_or_declared_as_having_no_open_data() -> None:
    assert [(f.level, f.role, f.factor) for f in registry.FRAME] == SEED_FACTORS
    for f in registry.FRAME:
        assert bool(f.indicators) != bool(f.no_open_data), f  # one or the other, never both
        assert all(registry.exists(i) for i in f.indicators), f
    assert {f.factor for f in registry.NO_OPEN_DATA} >= {"poor parenting", "a culture that normalises violence"}
    for named in ("school readiness", "belonging and connectedness", "offending", "family breakdown"):
        assert next(f for f in registry.FRAME if f.factor == named).indicators, named


def test_frame_is_on_the_methods_page() -> None:
    from pathlib import Path

    methods = (Path(__file__).resolve().parents[1] / "docs" / "methods.md").read_text(encoding="utf-8")
    for f in registry.NO_OPEN_DATA:
        assert f"| {f.factor} | **No open data:** {f.no_open_data} |" in methods
    assert "`connectedness_score`" in methods.split("<!-- frame:start -->")[1]


@pytest.mark.parametrize(
    "ind_id",
    [
        "fsm_primary_pct",
        "fsm_secondary_pct",
        "children_looked_after_rate",
        "first_time_entrants_rate",
        "youth_reoffending_pct",
        "ehcp_pupils_pct",
        "early_years_social_emotional_pct",
        "early_years_communication_pct",
    ],
)
def test_named_lait_factors_are_borough_figures_with_their_caveat(data, ind_id) -> None:
    ind = registry.get(ind_id)
    assert ind.geography == "borough" and not ind.mappable and ind.source == "dfe_lait"
    assert ind.caveat and ind.to_dict()["caveat"] == ind.caveat
    assert set(data.borough_values[data.borough_values.indicator_id == ind_id].area_code) >= set(BOROUGHS)


def test_caveat_is_documented_for_the_api() -> None:
    from web.api.openapi import document

    props = document()["components"]["schemas"]["Indicator"]["properties"]
    assert props["caveat"]["description"] == registry.FIELD_DOCS["caveat"]


def test_caveats_are_on_the_methods_page() -> None:
    from layouts.methods import indicator_table

    table = str(indicator_table().to_plotly_json())
    caveated = [i for i in INDICATORS if i.caveat]
    assert len(caveated) >= 20 and all(i.caveat in table for i in caveated)
