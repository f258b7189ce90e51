"""Hotspots, indices, quadrants, ranked tables and comparison, on the real processed data.

Statistics are checked against esda and libpysal called directly; the index method against
a hand-computed example. Fixtures are cut from the real data (values asserted against it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from esda import fdr as esda_fdr
from esda.getisord import G_Local
from libpysal.weights import Queen
from scipy.stats import false_discovery_control

from geodata import analysis as A
from geodata import registry
from geodata.analysis import hotspot
from geodata.analysis import weights as spatial
from geodata.cli import main
from geodata.profile import AreaNotFound, profile_for_area
from geodata.store import load

VIOLENCE = "violence_with_injury_rate"


@pytest.fixture(scope="module")
def data():
    return load()


def _esda_gi(gdf, y, seed=A.SEED):
    w = Queen.from_dataframe(gdf, ids=gdf.code.tolist(), use_index=False, silence_warnings=True)
    w.transform = "B"
    return w, G_Local(y, w, transform="R", star=True, permutations=999, seed=seed, n_jobs=1)


# ---------------------------------------------------------------------------- package hygiene


def test_analysis_imports_no_web_framework():
    code = "import sys, geodata.analysis, geodata.police; print(any(m.split('.')[0] in ('dash', 'flask') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- weights


def test_queen_weights_cover_every_lsoa_in_data_order(data):
    qw = A.queen_weights(data)
    assert qw is A.queen_weights(data)  # cached
    assert qw.n == 1719 and list(qw.w.id_order) == data.areas.lsoa21_code.tolist()
    assert qw.islands == () and qw.w.islands == []
    assert min(qw.w.cardinalities.values()) >= 1
    assert 5.0 < qw.mean_neighbours < 7.0
    assert qw.w.transform == "B"


def test_areas_left_without_neighbours_are_attached_to_the_nearest(data):
    # Solihull's LSOAs plus one Coventry LSOA: the Coventry one touches none of them.
    a = data.areas
    keep = (a.lad_code == "E08000029").to_numpy() | (a.lsoa21_code == "E01009607").to_numpy()
    direct = Queen.from_dataframe(
        data.lsoa21[keep], ids=a.lsoa21_code[keep].tolist(), use_index=False, silence_warnings=True
    )
    assert "E01009607" in direct.islands
    w, islands = spatial._weights_for(data, keep.tobytes())
    assert islands == tuple(direct.islands) and w.islands == []
    assert len(w.neighbors["E01009607"]) == 1
    values = np.where(keep, data.values[VIOLENCE], np.nan)
    hs = A.hotspots("custom", values=values, data=data)
    assert hs.attrs["islands_attached"] == len(direct.islands)
    assert hs.p[keep].notna().all() and hs.p[~keep].isna().all() and (hs["class"][~keep] == "none").all()


# ---------------------------------------------------------------------------- Gi*


def test_gi_star_equals_esda_on_a_real_borough_subset(data):
    # Coventry's 203 LSOAs: weights built by libpysal from Coventry's polygons alone.
    keep = (data.areas.lad_code == "E08000026").to_numpy()
    y = data.values[VIOLENCE][keep]
    w, g = _esda_gi(data.lsoa21[keep], y)
    assert w.islands == []
    hs = A.hotspots(VIOLENCE, values=np.where(keep, data.values[VIOLENCE], np.nan), permutations=999, data=data)
    sub = hs[keep]
    np.testing.assert_allclose(sub.p.to_numpy(), g.p_sim, rtol=1e-6)
    np.testing.assert_array_equal(
        sub.p.to_numpy(), np.round(g.p_sim.astype(float) * 1000) / 1000
    )  # (k + 1) / 1000 exactly
    np.testing.assert_allclose(sub.z.to_numpy(), g.z_sim, rtol=1e-12)
    cut = esda_fdr(sub.p.to_numpy(), 0.05)
    np.testing.assert_array_equal(sub.significant.to_numpy(), sub.p.to_numpy() <= cut)
    direct = A.gi_star(y, w, permutations=999)
    np.testing.assert_array_equal(direct.p_sim, g.p_sim)


def test_hotspots_on_all_lsoas_equal_esda_with_the_same_weights_and_seed(data):
    hs = A.hotspots(VIOLENCE, permutations=999, data=data)
    g = G_Local(
        data.values[VIOLENCE],
        A.queen_weights(data).w,
        transform="R",
        star=True,
        permutations=999,
        seed=A.SEED,
        n_jobs=1,
    )
    assert A.queen_weights(data).w.transform == "B"  # esda worked on a copy
    p = np.round(g.p_sim.astype(float) * 1000) / 1000  # esda's float32 noise removed
    np.testing.assert_allclose(hs.p.to_numpy(), g.p_sim, rtol=1e-6)
    np.testing.assert_array_equal(hs.p.to_numpy(), p)
    np.testing.assert_allclose(hs.z.to_numpy(), g.z_sim, rtol=1e-12)
    sig = p <= esda_fdr(p, 0.05)
    np.testing.assert_array_equal(hs.significant.to_numpy(), sig)
    np.testing.assert_array_equal(
        hs["class"].to_numpy(), np.where(sig & (g.z_sim > 0), "hot", np.where(sig & (g.z_sim < 0), "cold", "none"))
    )
    assert list(hs.columns[:7]) == ["lsoa21_code", "value", "z", "p", "significant", "significant_uncorrected", "class"]
    assert hs.attrs["n_hot"] > 20 and hs.attrs["n_cold"] > 20
    # hot spots sit where violence is high
    assert hs.value[hs["class"] == "hot"].mean() > 2 * hs.value[hs["class"] == "cold"].mean()


def test_benjamini_hochberg_published_example():
    # Benjamini & Hochberg (1995), section 4: 15 p-values; at q = 0.05 the first four are rejected.
    p = np.array(
        [
            0.0001,
            0.0004,
            0.0019,
            0.0095,
            0.0201,
            0.0278,
            0.0298,
            0.0344,
            0.0459,
            0.3240,
            0.4262,
            0.5719,
            0.6528,
            0.7590,
            1.0000,
        ]
    )
    sig, cut = A.fdr_significant(p, 0.05)
    assert sig.tolist() == [True] * 4 + [False] * 11
    assert cut == pytest.approx(4 * 0.05 / 15)
    assert A.fdr_significant(p[::-1], 0.05)[0].sum() == 4  # order does not matter
    assert not A.fdr_significant(np.array([0.2, 0.5, 0.9]), 0.05)[0].any()


def test_fdr_agrees_with_scipy_on_real_permutation_p_values(data):
    p = A.hotspots("retail_hazards_score", data=data).p.to_numpy()
    for alpha in (0.01, 0.05, 0.1):
        sig, _ = A.fdr_significant(p, alpha)
        np.testing.assert_array_equal(sig, false_discovery_control(p, method="bh") <= alpha)


def test_uncorrected_view_is_labelled_and_a_superset(data):
    fdr = A.hotspots(VIOLENCE, data=data)
    raw = A.hotspots(VIOLENCE, fdr=False, data=data)
    assert raw.attrs["view"].startswith("Uncorrected") and fdr.attrs["view"].startswith("Significant after false")
    np.testing.assert_array_equal(raw.significant, raw.significant_uncorrected)
    np.testing.assert_array_equal(raw.significant_uncorrected, fdr.significant_uncorrected)
    assert (raw.significant | ~fdr.significant).all()
    assert raw.significant.sum() > fdr.significant.sum()
    assert (raw.significant_uncorrected == (raw.p <= 0.05)).all()


@pytest.mark.parametrize(
    "p, band",
    [(0.001, 99), (0.01, 99), (0.011, 95), (0.05, 95), (0.08, 90), (0.1, 90), (0.101, 0), (0.5, 0), (np.nan, 0)],
)
def test_confidence_bands(p, band):
    assert A.confidence(np.array([p]))[0] == band


def test_bands_agree_with_class_and_confidence(data):
    hs = A.hotspots(VIOLENCE, fdr=False, alpha=0.1, data=data)
    sig = hs[hs.significant]
    assert set(sig.band) <= {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90"}
    assert (sig.band == sig["class"] + "_" + sig.confidence.astype(str)).all()
    assert (hs.band[~hs.significant] == "none").all()


def test_results_are_cached_and_callers_get_copies(data):
    before = hotspot._gi_cached.cache_info().hits
    a = A.hotspots(VIOLENCE, data=data)
    a.loc[0, "class"] = "changed"
    b = A.hotspots(VIOLENCE, data=data)
    c = A.hotspots(VIOLENCE, alpha=0.01, data=data)  # new alpha: no new permutations
    assert hotspot._gi_cached.cache_info().hits >= before + 1
    assert b.loc[0, "class"] != "changed"
    np.testing.assert_array_equal(b.p, c.p)
    assert c.significant.sum() <= b.significant.sum()


def test_a_different_seed_changes_only_the_permutation_noise(data):
    a = A.hotspots(VIOLENCE, data=data)
    b = A.hotspots(VIOLENCE, seed=7, data=data)
    assert not np.array_equal(a.p, b.p)
    assert np.corrcoef(a.z, b.z)[0, 1] > 0.99


def test_hotspots_are_the_same_when_two_threads_compute_at_once(data):
    # The web server answers the map and the planners' tables in parallel threads; esda's
    # permutations draw from NumPy's global random state, so without a lock they mix.
    y = [data.values[m] for m in (VIOLENCE, "imd_decile", "loneliness_pct", "household_churn")]
    w = A.queen_weights(data).w
    alone = [A.gi_star(v, w).p_sim for v in y]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda v: A.gi_star(v, w).p_sim, y))
    for a, b in zip(alone, together):
        np.testing.assert_array_equal(a, b)


def test_counts_by_borough(data):
    hs = A.hotspots(VIOLENCE, data=data)
    counts = A.hotspot_counts_by_borough(VIOLENCE, data=data)
    assert counts.lad_code.tolist() == sorted(data.lad_names)
    assert counts.borough.tolist() == [data.lad_names[c] for c in sorted(data.lad_names)]
    assert counts.areas.sum() == 1719 and counts.hot.sum() == hs.attrs["n_hot"]
    bham = hs[(data.areas.lad_code == "E08000025").to_numpy()]
    row = counts.set_index("lad_code").loc["E08000025"]
    assert (row.hot, row.cold, row.none) == (
        (bham["class"] == "hot").sum(),
        (bham["class"] == "cold").sum(),
        (bham["class"] == "none").sum(),
    )


@pytest.mark.parametrize("bad", ["nope", "permanent_exclusion_rate", "police_all_crime", 3])
def test_hotspots_refuse_unknown_and_borough_wide_measures(data, bad):
    with pytest.raises(A.MeasureError):
        A.hotspots(bad, data=data)


@pytest.mark.parametrize("kw", [{"alpha": 0}, {"alpha": 1.5}, {"permutations": 10}, {"values": np.ones(3)}])
def test_hotspots_check_arguments(data, kw):
    with pytest.raises(ValueError):
        A.hotspots(VIOLENCE, data=data, **kw)


def test_hotspots_of_an_index(data):
    hs = A.hotspots("risk_index", data=data)
    np.testing.assert_array_equal(hs.value, A.composite_index("risk", data=data).value)
    assert hs.attrs["label"] == "Risk index (all levels)" and hs.attrs["hot_meaning"].endswith("(worse)")
    decile = A.hotspots("imd_decile", data=data)
    assert decile.attrs["hot_meaning"].endswith("(better)")


# ---------------------------------------------------------------------------- composite indices


def test_index_method_reproduces_a_hand_computed_example(data):
    # Three real LSOAs: IMD decile (lower = more risk) and overcrowding (higher = more risk).
    codes = ["E01008881", "E01008882", "E01008883"]
    rows = [data.lsoa_row[c] for c in codes]
    frame = pd.DataFrame(
        {
            "imd_decile": data.values["imd_decile"][rows],
            "overcrowded_households_pct": data.values["overcrowded_households_pct"][rows],
        },
        index=codes,
    )
    assert frame.imd_decile.tolist() == [2.0, 1.0, 1.0]
    assert frame.overcrowded_households_pct.round(3).tolist() == [10.806, 15.648, 15.542]  # TS052 counts, unrounded
    # By hand: n = 3, R = (rank - 0.5) / 3, X = -23 ln(1 - R (1 - e^(-100/23))), 1 - e^(-100/23) = 0.98706510.
    # IMD (risk order 2 < 1 = 1): ranks 1, 2.5, 2.5 -> R 1/6, 2/3, 2/3 -> X 4.13397, 24.68064, 24.68064
    # Overcrowding (10.806 < 15.542 < 15.648): ranks 1, 3, 2 -> R 1/6, 5/6, 1/2 -> X 4.13397, 39.76908, 15.64679
    # Weights 2 : 1 -> 2/3 and 1/3.
    expected = [4.13397, 2 / 3 * 24.68064 + 1 / 3 * 39.76908, 2 / 3 * 24.68064 + 1 / 3 * 15.64679]
    assert expected[1:] == pytest.approx([29.71012, 21.66936], abs=1e-5)
    got = A.compose(
        frame,
        {"imd_decile": -1, "overcrowded_households_pct": 1},
        {"imd_decile": 2 / 3, "overcrowded_households_pct": 1 / 3},
    )
    assert got.tolist() == pytest.approx(expected, abs=1e-4)
    np.testing.assert_allclose(
        A.exp_transform(np.array([1 / 6, 1 / 2, 2 / 3, 5 / 6])), [4.13397, 15.64679, 24.68064, 39.76908], atol=1e-5
    )
    assert A.exp_transform(np.array([0.0, 1.0])).tolist() == pytest.approx([0.0, 100.0])


def test_missing_factor_values_reweight_the_rest(data):
    frame = pd.DataFrame({"a": data.values["loneliness_pct"][:3], "b": [np.nan, 1.0, 2.0]})
    got = A.compose(frame, {"a": 1, "b": 1}, {"a": 0.5, "b": 0.5})
    assert got.iloc[0] == pytest.approx(A.exp_transform(A.rank_normalise(frame.a.to_numpy()))[0])


def test_indices_keep_risk_protection_and_outcomes_apart():
    risk, prot = A.index_factors("risk"), A.index_factors("protective")
    assert risk and prot and {i.role for i in risk} == {"risk"} and {i.role for i in prot} == {"protective"}
    assert all(i.mappable for i in risk + prot)
    outcomes = {i.id for i in registry.INDICATORS if i.role == "outcome"}
    assert not outcomes & {i.id for i in risk + prot}
    with pytest.raises(ValueError):
        A.index_factors("outcome")
    with pytest.raises(ValueError, match="Not factors"):
        A.composite_index("risk", weights={VIOLENCE: 1})
    assert {i.level for i in A.index_factors("risk", "society")} == {"society"}
    # the one small-area protective factor at the individual level (issue 12 added it) makes its own index
    assert [i.id for i in A.index_factors("protective", "individual")] == ["adult_skills_decile"]
    assert "protective_index_individual" in A.index_ids()


def test_index_directions(data):
    risk = A.composite_index("risk", data=data)
    prot = A.composite_index("protective", data=data)
    assert np.corrcoef(risk.value, data.values["imd_decile"])[0, 1] < -0.7  # decile 1 = most deprived
    assert np.corrcoef(risk.value, data.values["households_deprived_2plus_pct"])[0, 1] > 0.7
    assert np.corrcoef(prot.value, data.values["households_not_deprived_pct"])[0, 1] > 0.3
    assert np.corrcoef(prot.value, data.values["gp_minutes"])[0, 1] < 0  # farther from a GP = less protection
    assert risk.value.between(0, 100).all() and prot.value.between(0, 100).all()
    assert risk.loc[risk["rank"] == 1, "value"].iloc[0] == risk.value.max()
    assert prot.loc[prot["rank"] == 1, "value"].iloc[0] == prot.value.min()  # rank 1 = least protection
    assert risk.attrs["directions"]["imd_decile"] == "lower is more risk"


def test_index_weights(data):
    ids = [i.id for i in A.index_factors("risk", "community")]
    assert {"loneliness_pct", "community_needs_score", "retail_hazards_score"} <= set(ids)
    assert "burglary_rate" not in ids  # an outcome, never in an index
    base = A.composite_index("risk", "community", data=data)
    assert base.attrs["weights"] == pytest.approx({c: 1 / len(ids) for c in ids})
    doubled = A.composite_index("risk", "community", weights=dict.fromkeys(ids, 2), data=data)
    np.testing.assert_allclose(doubled.value, base.value)
    without = A.composite_index("risk", "community", weights={"retail_hazards_score": 0}, data=data)
    rest = [c for c in ids if c != "retail_hazards_score"]
    frame = pd.DataFrame({c: data.values[c] for c in rest})
    np.testing.assert_allclose(
        without.value,
        A.compose(
            frame,
            {c: 1 if registry.get(c).higher_is_worse else -1 for c in rest},
            {c: 1 / len(rest) for c in rest},
        ),
    )
    for bad in (
        {"loneliness_pct": -1},
        {c.id: 0 for c in A.index_factors("risk", "community")},
        {"loneliness_pct": float("nan")},
    ):
        with pytest.raises(ValueError):
            A.composite_index("risk", "community", weights=bad, data=data)
    by_level = A.weights_by_level("risk", {"society": 4})
    assert sum(v for k, v in by_level.items() if registry.get(k).level == "society") == pytest.approx(4)
    assert sum(v for k, v in by_level.items() if registry.get(k).level == "community") == pytest.approx(1)


def test_index_sensitivity(data):
    s = A.index_sensitivity("risk", n=50, data=data)
    again = A.index_sensitivity("risk", n=50, data=data)
    pd.testing.assert_frame_equal(s, again)
    assert (s.rank_min <= s.rank_p05).all() and (s.rank_p05 <= s.rank_median).all()
    assert (s.rank_median <= s.rank_p95).all() and (s.rank_p95 <= s.rank_max).all()
    assert s.rank_spread.mean() > 10
    tight = A.index_sensitivity("risk", n=50, concentration=1e6, data=data)
    assert (tight.rank_spread <= 10).mean() > 0.95
    assert (abs(tight.rank_median - tight["rank"].astype(float)) <= 5).mean() > 0.95
    with pytest.raises(ValueError):
        A.index_sensitivity("risk", n=1, data=data)


# ---------------------------------------------------------------------------- quadrants

# Four real LSOAs: households deprived in 2+ ways (%) and violence with injury per 1,000 at-risk population.
TINY = [  # the households' shares from the TS011 counts (issue 12), no longer the 1-decimal published share
    ("E01008881", 30.822, 2.0, 14.4),
    ("E01008885", 15.278, 5.0, 5.2),
    ("E01008886", 25.324, 1.0, 18.9),
    ("E01009101", 35.902, 1.0, 4.8),
]


def test_quadrant_assignment_on_a_tiny_real_frame(data):
    codes, risk, decile, viol = (np.array(c) for c in zip(*TINY))
    rows = [data.lsoa_row[c] for c in codes]
    np.testing.assert_allclose(data.values["households_deprived_2plus_pct"][rows], risk, atol=5e-4)  # unrounded
    np.testing.assert_array_equal(data.values["imd_decile"][rows], decile)
    np.testing.assert_array_equal(data.values[VIOLENCE][rows], viol)
    rt, vt = A.split_value(risk), A.split_value(viol)
    assert (rt, vt) == pytest.approx((28.073, 9.8))
    assert A.assign_quadrants(risk, viol, rt, vt).tolist() == ["high_high", "low_low", "low_high", "high_low"]
    # a decile: lower is worse, so "high risk" is below the median (1.5)
    q = A.assign_quadrants(decile, viol, A.split_value(decile), vt, risk_worse_high=False)
    assert q.tolist() == ["low_high", "low_low", "high_high", "high_low"]
    # at the threshold counts as low; no value, no quadrant
    assert A.assign_quadrants(np.array([28.073, np.nan]), np.array([9.8, 1.0]), rt, vt).tolist() == ["low_low", ""]
    assert A.split_value(risk, "mean") == pytest.approx(risk.mean())
    with pytest.raises(ValueError):
        A.split_value(risk, "mode")


def test_quadrants_for_the_west_midlands(data):
    q = A.quadrants(data=data)
    assert q.risk_id == "risk_index" and q.violence_id == VIOLENCE and q.split == "median"
    assert set(q.areas.quadrant) == set(A.QUADRANTS)
    assert q.areas.label.isin(A.QUADRANT_LABELS.values()).all()
    high_risk = (q.areas.risk > q.risk_threshold).sum()
    assert (q.areas.quadrant.str.startswith("high_")).sum() == high_risk
    assert q.by_borough.areas.sum() == 1719 and len(q.by_borough) == 7
    assert q.by_ward.areas.sum() == 1719 and len(q.by_ward) == data.areas.ward_code.nunique()
    totals = q.by_borough[list(A.QUADRANTS)].sum()
    np.testing.assert_array_equal(totals.to_numpy(), q.areas.quadrant.value_counts().reindex(A.QUADRANTS).to_numpy())
    wards = q.by_ward.groupby("lad_code")[list(A.QUADRANTS)].sum()
    np.testing.assert_array_equal(wards.to_numpy(), q.by_borough.set_index("lad_code")[list(A.QUADRANTS)].to_numpy())
    assert A.quadrants(data=data) is q  # cached
    with pytest.raises(ValueError):
        A.quadrants(split="tercile", data=data)


# ---------------------------------------------------------------------------- ranked table


def test_ranked_table_filters_by_borough_and_ward(data):
    full = A.ranked_table(VIOLENCE, data=data)
    assert len(full) == 1719 and full["rank"].iloc[0] == 1 and full.value.iloc[0] == data.values[VIOLENCE].max()
    assert list(full.columns) == list(A.TABLE_COLUMNS)
    cov = A.ranked_table(VIOLENCE, borough="Coventry", data=data)
    assert len(cov) == 203 and (cov.lad_code == "E08000026").all()
    pd.testing.assert_frame_equal(cov, A.ranked_table(VIOLENCE, borough="e08000026", data=data))
    # ranks stay West Midlands ranks
    ranks = full.set_index("lsoa21_code")["rank"]
    assert (cov.set_index("lsoa21_code")["rank"] == ranks.loc[cov.lsoa21_code]).all()
    assert cov["rank"].is_monotonic_increasing
    ward = cov.ward_code.iloc[0]
    in_ward = A.ranked_table(VIOLENCE, ward=ward, data=data)
    assert len(in_ward) == (data.areas.ward_code == ward).sum() and (in_ward.ward_code == ward).all()
    pd.testing.assert_frame_equal(in_ward, A.ranked_table(VIOLENCE, ward=data.ward_names[ward].upper(), data=data))
    assert A.ranked_table(VIOLENCE, borough="Birmingham", ward=ward, data=data).empty
    for bad in ({"borough": "Leicester"}, {"ward": "Nowhere"}):
        with pytest.raises(ValueError):
            A.ranked_table(VIOLENCE, data=data, **bad)


def test_ranked_table_order_and_direction(data):
    up = A.ranked_table("imd_decile", borough="Solihull", ascending=True, data=data)
    assert up.value.is_monotonic_increasing
    down = A.ranked_table("imd_decile", borough="Solihull", ascending=False, data=data)
    assert down.value.is_monotonic_decreasing
    worst_first = A.ranked_table("imd_decile", data=data)
    assert worst_first.value.iloc[0] == 1 and worst_first["rank"].iloc[0] == 1  # decile 1 = most deprived
    prot = A.ranked_table("protective_index", data=data)
    assert prot.value.iloc[0] == prot.value.min()


# ---------------------------------------------------------------------------- compare


def test_compare_areas_side_by_side(data):
    ward = data.areas.ward_code.iloc[0]
    out = A.compare(["B1 1AA", "E01009417", ("ward", ward), {"kind": "borough", "code": "E08000026"}], data=data)
    assert [a["kind"] for a in out["areas"]] == ["postcode", "lsoa", "ward", "borough"]
    lsoa = profile_for_area("lsoa", "E01009417", data)
    entries = {e["id"]: e for e in lsoa["indicators"]}
    rows = [r for g in out["groups"] for r in g["indicators"]]
    assert sorted(r["id"] for r in rows) == sorted(i.id for i in registry.INDICATORS)
    for r in rows:
        assert len(r["values"]) == 4 and r["values"][1] == entries[r["id"]]["value"]
    keys = [(g["level"], g["role"]) for g in out["groups"]]
    assert keys[0] == ("individual", "risk") and keys[-1] == ("community", "outcome")
    assert json.loads(json.dumps(out))["caveat"]


@pytest.mark.parametrize("areas", [["E01009417"], ["E01009417"] * 5, "E01009417"])
def test_compare_needs_two_to_four_areas(data, areas):
    with pytest.raises(ValueError):
        A.compare(areas, data=data)


def test_compare_unknown_area(data):
    with pytest.raises(AreaNotFound):
        A.compare(["E01009417", "ZZ99 9ZZ"], data=data)
    with pytest.raises(AreaNotFound):
        A.compare(["E01009417", "E01999999"], data=data)


# ---------------------------------------------------------------------------- command line


def test_cli_hotspots_prints_one_json_object_per_lsoa(data, capsys):
    assert main(["hotspots", VIOLENCE]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [json.loads(x) for x in lines]
    assert len(rows) == 1719
    assert list(rows[0]) == ["lsoa21_code", "value", "z", "p", "significant", "class"]
    hs = A.hotspots(VIOLENCE, data=data)
    assert [r["lsoa21_code"] for r in rows] == hs.lsoa21_code.tolist()
    assert [r["class"] for r in rows] == hs["class"].tolist()
    assert [r["p"] for r in rows] == pytest.approx(hs.p.tolist(), abs=1e-4)


def test_cli_hotspots_uncorrected_and_errors(capsys):
    assert main(["hotspots", VIOLENCE, "--alpha", "0.05", "--no-fdr"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert all(r["significant"] == (r["p"] <= 0.05) for r in rows)
    assert main(["hotspots", "no_such_indicator"]) == 2
    assert "Unknown indicator" in capsys.readouterr().err
    assert main(["hotspots", VIOLENCE, "--alpha", "2"]) == 2


def test_methods_page_documents_every_index_factor():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "methods.md").read_text()
    for role in A.INDEX_ROLES:
        for ind in A.index_factors(role):
            assert f"`{ind.id}`" in text, ind.id
    for phrase in ("100/23", "esda.fdr", "Empirical_Bayes", "Dirichlet", "queen"):
        assert phrase in text
