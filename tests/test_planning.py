"""The Plan page's precomputed layers: Gi* against esda on a committed fixture, seed stability,
the build's artifacts, bivariate clusters, high risk with low protection, IoD change and the
borough series, and the service functions that serve them."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from esda import fdr as esda_fdr
from esda.getisord import G_Local
from esda.moran import Moran_Local_BV
from libpysal.weights import W

from geodata import analysis as A
from geodata import registry, store
from geodata.analysis import bivariate as bv
from geodata.analysis import change
from geodata.analysis.hotspot import fdr_significant, gi_star_permutations
from geodata.build import planning as stage
from service import planning as plan

FIXTURE = Path(__file__).parent / "data" / "hotspots"
VIOLENCE = registry.DEFAULT_INDICATOR


@pytest.fixture(scope="module")
def data():
    return store.load()


@pytest.fixture(scope="module")
def fixture_w():
    values = pd.read_csv(FIXTURE / "coventry_values.csv")
    edges = pd.read_csv(FIXTURE / "coventry_queen.csv")
    codes = values.lsoa21_code.tolist()
    nb = {c: sorted(edges.neighbour[edges.lsoa21_code == c]) for c in codes}
    w = W(nb, id_order=codes, silence_warnings=True)
    w.transform = "B"  # binary, as the app's queen weights
    return values, w


def _classes(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    sig, _ = fdr_significant(p, 0.05)
    return np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "none"))


# ---------------------------------------------------------------------------- Gi* against esda


@pytest.mark.parametrize("measure", ["violence_with_injury_rate", "risk_index", "idaci_decile"])
def test_gi_star_reproduces_the_committed_independent_esda_classes(fixture_w, measure):
    values, w = fixture_w
    expected = pd.read_csv(FIXTURE / "coventry_esda_classes.csv")
    assert len(values) == 203 and (expected.lsoa21_code == values.lsoa21_code).all()
    g = gi_star_permutations(values[measure].to_numpy(), w, 9_999, A.SEED)
    np.testing.assert_array_equal(_classes(g.z, g.p), expected[measure].to_numpy())
    np.testing.assert_allclose(g.p, expected[f"{measure}_p"], rtol=1e-5)
    assert (expected[measure] == "hot").sum() > 5  # the fixture has clusters to find


def test_gi_star_equals_a_fresh_esda_run_bit_for_bit(fixture_w):
    values, w = fixture_w
    y = values[VIOLENCE].to_numpy()
    for seed in (1, A.SEED):
        g = gi_star_permutations(y, w, 9_999, seed)
        e = G_Local(y, w, transform="R", star=True, permutations=9_999, seed=seed, n_jobs=1)
        np.testing.assert_array_equal(g.p, np.round(e.p_sim.astype(float) * 10_000) / 10_000)
        np.testing.assert_array_equal(g.z, e.z_sim)
        np.testing.assert_array_equal(g.gs, e.Gs)
        sig = e.p_sim <= esda_fdr(e.p_sim, 0.05)
        esda_cls = np.where(sig & (e.z_sim > 0), "hot", np.where(sig & (e.z_sim < 0), "cold", "none"))
        np.testing.assert_array_equal(_classes(g.z, g.p), esda_cls)
    assert w.transform == "B"  # esda worked on a copy


# ---------------------------------------------------------------------------- the build's layer


def test_hotspot_artifact_covers_every_registry_measure_and_index(data):
    hs = store.artifact("hotspots.parquet", data)
    meta = store.artifact("hotspots_meta.parquet", data)
    ids = [i.id for i in registry.mappable()] + [ix.id for ix in registry.INDICES]
    assert meta.indicator.tolist() == ids
    assert len(hs) == len(ids) * len(data.areas)
    assert (meta.permutations >= 9_999).all() and (meta.alpha == 0.05).all()
    assert (meta.tests == hs.groupby("indicator", observed=True).p.count().reindex(meta.indicator).to_numpy()).all()
    one = hs[hs.indicator == VIOLENCE]
    assert one.lsoa21_code.astype(str).tolist() == data.areas.lsoa21_code.tolist()
    row = meta.set_index("indicator").loc[VIOLENCE]
    assert row.n_hot == (one["class"] == "hot").sum() > 20
    # class is FDR at the recorded cut-off
    sig = one.p.to_numpy(dtype=float) <= row.fdr_cutoff * (1 + 1e-6)
    np.testing.assert_array_equal(sig, one["class"].astype(str).to_numpy() != "none")


@pytest.mark.slow
@pytest.mark.parametrize("measure", [VIOLENCE, "risk_index", "protective_index"])
def test_a_second_seed_agrees_on_at_least_99_5_percent_of_classes(data, measure):
    hs = store.artifact("hotspots.parquet", data)
    built = hs[hs.indicator == measure]["class"].astype(str).to_numpy()
    other = A.hotspots(measure, permutations=A.BUILD_PERMUTATIONS, seed=1, data=data)["class"].to_numpy()
    assert (built == other).mean() >= 0.995


def test_build_indices_equal_the_apps_composite_index(data):
    vals = stage.measure_values(data.areas)
    for ix in registry.INDICES:
        np.testing.assert_allclose(vals[ix.id][0], A.measure(ix.id, data).values, rtol=1e-12)


def test_hotspot_layer_serves_the_build_fast_and_weighted_on_demand(data):
    t0 = time.perf_counter()
    lay = plan.hotspot_layer.uncached(VIOLENCE)
    assert time.perf_counter() - t0 < 0.5
    assert lay["meta"]["computed"] == "build" and lay["meta"]["permutations"] == A.BUILD_PERMUTATIONS
    assert len(lay["codes"]) == len(lay["class"]) == len(lay["p"]) == 1719
    assert lay["meta"]["n_hot"] == lay["class"].count("hot")
    raw = plan.hotspot_layer.uncached(VIOLENCE, fdr=False)
    assert raw["meta"]["n_hot"] >= lay["meta"]["n_hot"] and raw["meta"]["view"].startswith("Uncorrected")
    mine = plan.hotspot_layer.uncached("risk_index", (2.0, 1.0, 1.0, 1.0))
    assert mine["meta"]["computed"] == "on demand" and mine["meta"]["permutations"] == A.PERMUTATIONS
    assert "your weights" in mine["label"]


# ---------------------------------------------------------------------------- priorities


def test_bivariate_clusters_equal_esda(data):
    b = store.artifact("bivariate.parquet", data)
    b = b[b.pair == "risk_vs_violence"]
    x, y = A.measure("risk_index", data).values, data.values[VIOLENCE]
    w = W(A.queen_weights(data).w.neighbors, id_order=data.areas.lsoa21_code.tolist(), silence_warnings=True)
    e = Moran_Local_BV(x, y, w, permutations=bv.BV_PERMUTATIONS, seed=A.SEED, n_jobs=1, keep_simulations=False)
    np.testing.assert_allclose(b.p.to_numpy(dtype=float), e.p_sim, rtol=1e-5)
    quad = np.array([bv.BV_QUADRANTS[int(q)] for q in e.q])
    sig = e.p_sim <= esda_fdr(e.p_sim, 0.05)
    np.testing.assert_array_equal(b.cluster.astype(str).to_numpy(), np.where(sig, quad, "none"))
    out = plan.bivariate_clusters.uncached("risk_vs_violence")
    assert out["counts"]["high_high"] > 10 and sum(out["counts"].values()) == 1719
    assert sum(r["areas"] for r in out["by_borough"]) == 1719


@pytest.mark.parametrize(
    "risk, prot, pct, flag",
    [
        ([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [0, 9, 1, 8, 2, 7, 3, 6, 4, 5], 20, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [0, 1, 9, 8, 2, 7, 3, 6, 4, 5], 20, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
        ([9, 8, np.nan, 6], [0, 1, 0, 3], 50, [1, 0, 0, 0]),  # 3 areas with both: k = 1.5
        ([9, 8, np.nan, 6], [0, 1, 0, 3], 70, [1, 1, 0, 0]),
    ],
)
def test_priority_flags(risk, prot, pct, flag):
    assert bv.priority_flags(np.array(risk, float), np.array(prot, float), pct).astype(int).tolist() == flag


def test_high_risk_low_protection_counts_add_up(data):
    counts = []
    for pct in bv.PRIORITY_THRESHOLDS:
        out = plan.high_risk_low_protection.uncached(pct)
        n = sum(out["flag"])
        assert (
            n
            == len(out["areas"])
            == sum(r["flagged"] for r in out["by_borough"])
            == sum(r["flagged"] for r in out["by_ward"])
        )
        assert all(
            r["risk_rank"] <= pct / 100 * 1719 and r["protective_rank"] <= pct / 100 * 1719 for r in out["areas"]
        )
        w = out["by_ward"]
        assert [r["flagged"] for r in w] == sorted((r["flagged"] for r in w), reverse=True)
        counts.append(n)
    assert counts == sorted(counts) and counts[0] > 0
    with pytest.raises(ValueError):
        plan.high_risk_low_protection.uncached(15)


# ---------------------------------------------------------------------------- change over time


def test_carry_keeps_splits_and_picks_the_largest_parent_of_a_merge():
    lk = pd.DataFrame(
        {
            "lsoa11_code": ["A", "B", "B", "C", "D"],
            "change_code": ["U", "S", "S", "M", "M"],
            "lsoa21_code": ["a", "b1", "b2", "cd", "cd"],
            "share_of_lsoa21_area": [1.0, 1.0, 1.0, 0.3, 0.7],
        }
    )
    c = change.carry_lsoa11_to_lsoa21(lk).set_index("lsoa21_code")
    assert c.lsoa11_code.to_dict() == {"a": "A", "b1": "B", "b2": "B", "cd": "D"}
    assert c.loc["cd", "lsoa11_codes"] == "C;D" and c.loc["b2", "change_code"] == "S"


def test_iod_change_in_national_terms(data):
    out = plan.iod_change.uncached("imd")
    rows = {r["code"]: r for r in out["rows"]}
    assert len(rows) == 1719
    r = rows["E01008978"]  # the most deprived WM LSOA in both editions (PROVENANCE)
    assert (r["rank_2019"], r["rank_2025"], r["change_code"]) == (45, 81, "U")
    assert r["rank_change"] == pytest.approx(81 - 45 * 33_755 / 32_844, abs=0.05)
    assert (out["summary"]["split"], out["summary"]["merged"]) == (80, 1)  # PROVENANCE: 80 S rows, 1 merged LSOA
    assert sum(v for k, v in out["summary"].items() if k.endswith("decile")) == 1719
    assert "methods changed" in out["caveat"]
    domains = dict(plan.iod_domains())
    assert {"imd", "income", "crime", "living_env", "idaci"} <= set(domains)


def test_borough_series_has_every_year_for_boroughs_region_and_england():
    ids = dict(plan.series_indicators())
    assert "permanent_exclusion_rate" in ids
    s = plan.borough_series.uncached("permanent_exclusion_rate")
    assert [a["type"] for a in s["areas"]] == ["local_authority"] * 7 + ["region", "country"]
    assert len(s["rows"]) == len(s["periods"]) * 9 and len(s["periods"]) >= 5
    brum = {r["period"]: r["value"] for r in s["rows"] if r["area_name"] == "Birmingham"}
    assert brum["2023/24"] == pytest.approx(0.1471)
