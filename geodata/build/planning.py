"""The planners' precomputed layers: Gi* hot and cold spots of every small-area measure in the
registry and every composite index, the bivariate local Moran clusters of the two overall
indices against violence, IoD 2019 → 2025 change and the LAIT borough series.

Everything here is computed once per build with fixed seeds, so the app serves a map view
from a file and a rebuild writes the same bytes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import registry
from ..analysis import bivariate, change, hotspot
from ..analysis._common import SEED
from ..analysis.indices import compose, direction, resolve_weights
from ..analysis.weights import queen_from_polygons, weights_subset
from .raw import Raw, check

IOD2019 = "deprivation/iod2019_lsoa11_west_midlands.csv"
IOD2025 = "deprivation/iod2025_lsoa21_west_midlands.csv"
LSOA_LOOKUP = "geography/lookups/lsoa11_lsoa21_wm.csv"  # the official ONS lookup, with area shares

# Bivariate local Moran pairs: (id, x = the index at the area, y = violence around it).
BIVARIATE_PAIRS = (
    ("risk_vs_violence", "risk_index", registry.DEFAULT_INDICATOR),
    ("protective_vs_violence", "protective_index", registry.DEFAULT_INDICATOR),
)

CLASSES = ("hot", "cold", "none")
BANDS = ("cold_99", "cold_95", "cold_90", "none", "hot_90", "hot_95", "hot_99")


def measure_values(areas: pd.DataFrame) -> dict[str, tuple[np.ndarray, str, bool, str]]:
    """(values, label, worse_high, kind) for every small-area indicator of the registry and
    every composite index with its stated (equal) weights, in registry order."""
    out: dict[str, tuple[np.ndarray, str, bool, str]] = {}
    for ind in registry.mappable():
        out[ind.id] = (areas[ind.id].to_numpy(dtype=float), ind.label, ind.higher_is_worse, "indicator")
    for ix in registry.INDICES:
        wts = dict(resolve_weights(ix.role, ix.level))
        signs = {f.id: direction(f, ix.role) for f in ix.factors}
        v = compose(areas[list(wts)], signs, {k: w for k, w in wts.items() if w > 0}).to_numpy()
        out[ix.id] = (v, ix.label, ix.role == "risk", "index")
    return out


def build_hotspots(
    areas: pd.DataFrame,
    lsoa21: gpd.GeoDataFrame,
    permutations: int = hotspot.BUILD_PERMUTATIONS,
    seed: int = SEED,
    alpha: float = hotspot.DEFAULT_ALPHA,
) -> dict[str, pd.DataFrame]:
    """``hotspots.parquet`` (lsoa21_code, indicator, z, p, class, band; one row per area and
    measure), ``hotspots_meta.parquet`` (one row per measure: method, permutations, seed,
    tests, alpha, fdr_cutoff, counts), ``bivariate.parquet`` and ``bivariate_meta.parquet``."""
    codes = lsoa21.code.tolist()
    check(codes == areas.lsoa21_code.tolist(), "areas and LSOA polygons are not in the same order")
    w, islands, points = queen_from_polygons(lsoa21)
    values = measure_values(areas)
    frames, meta = [], []
    for mid, (y, label, worse_high, kind) in values.items():
        ok = ~np.isnan(y)
        z, p = np.full(len(y), np.nan), np.full(len(y), np.nan)
        n_islands = len(islands)
        if ok.sum() >= 3 and np.nanstd(y) > 0:
            wk, isl = (w, islands) if ok.all() else weights_subset(w, ok, points)
            g = hotspot.gi_star_permutations(y[ok], wk, permutations, seed)
            z[ok], p[ok], n_islands = g.z, g.p, len(isl)
        sig, cutoff = hotspot.fdr_significant(p, alpha)
        cls = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "none"))
        conf = hotspot.confidence(p)
        band = np.where(cls == "none", "none", np.char.add(np.char.add(cls.astype(str), "_"), conf.astype(str)))
        frames.append(
            pd.DataFrame(
                {
                    "lsoa21_code": codes,
                    "indicator": mid,
                    "z": np.round(z, 2).astype("float32"),
                    "p": p.astype("float32"),
                    "class": pd.Categorical(cls, categories=CLASSES),
                    "band": pd.Categorical(band, categories=BANDS),
                }
            )
        )
        meta.append(
            {
                "indicator": mid,
                "label": label,
                "kind": kind,
                "worse_high": worse_high,
                "method": "Getis-Ord Gi* (esda G_Local, star, row-standardised), queen contiguity, "
                "conditional permutation inference, Benjamini-Hochberg FDR",
                "permutations": int(permutations),
                "seed": int(seed),
                "tests": int(ok.sum()),
                "alpha": float(alpha),
                "fdr_cutoff": float(cutoff),
                "n_hot": int((cls == "hot").sum()),
                "n_cold": int((cls == "cold").sum()),
                "islands_attached": int(n_islands),
            }
        )
    hs = pd.concat(frames, ignore_index=True)
    hs["lsoa21_code"] = pd.Categorical(hs.lsoa21_code, categories=codes)
    hs["indicator"] = pd.Categorical(hs.indicator, categories=list(values))
    bv, bv_meta = build_bivariate(values, codes, w, seed, alpha)
    return {
        "hotspots.parquet": hs,
        "hotspots_meta.parquet": pd.DataFrame(meta),
        "bivariate.parquet": bv,
        "bivariate_meta.parquet": bv_meta,
    }


def build_bivariate(values: dict, codes: list[str], w, seed: int, alpha: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, meta = [], []
    for pair, x_id, y_id in BIVARIATE_PAIRS:
        b = bivariate.bivariate_moran(values[x_id][0], values[y_id][0], w, bivariate.BV_PERMUTATIONS, seed, alpha)
        frames.append(
            pd.DataFrame(
                {
                    "lsoa21_code": codes,
                    "pair": pair,
                    "I": np.round(b.I.to_numpy(), 4).astype("float32"),
                    "p": b.p.to_numpy().astype("float32"),
                    "quadrant": pd.Categorical(b.quadrant, categories=bivariate.CLUSTERS),
                    "cluster": pd.Categorical(b.cluster, categories=(*bivariate.CLUSTERS, "none")),
                }
            )
        )
        meta.append(
            {
                "pair": pair,
                "x": x_id,
                "x_label": values[x_id][1],
                "y": y_id,
                "y_label": values[y_id][1],
                "method": "Bivariate local Moran's I (esda Moran_Local_BV): the area's x against the "
                "mean of y in its queen neighbours, conditional permutation inference, Benjamini-Hochberg FDR",
                "permutations": b.attrs["permutations"],
                "seed": b.attrs["seed"],
                "tests": b.attrs["tests"],
                "alpha": b.attrs["alpha"],
                "fdr_cutoff": float(b.attrs["fdr_cutoff"]),
                **{f"n_{c}": int((b.cluster == c).sum()) for c in bivariate.CLUSTERS},
            }
        )
    bv = pd.concat(frames, ignore_index=True)
    bv["lsoa21_code"] = pd.Categorical(bv.lsoa21_code, categories=codes)
    bv["pair"] = pd.Categorical(bv.pair, categories=[p for p, _, _ in BIVARIATE_PAIRS])
    return bv, pd.DataFrame(meta)


def build_iod_change(raw: Raw) -> pd.DataFrame:
    """``iod_change.parquet``: IoD 2019 → 2025 per LSOA 2021 and shared domain."""
    out = change.iod_change(raw.csv(IOD2019), raw.csv(IOD2025), raw.csv(LSOA_LOOKUP))
    check(bool(out.rank_2025.notna().all()), "IoD change: an LSOA 2021 without its 2025 rank")
    check(bool(out.rank_2019.notna().all()), "IoD change: an LSOA 2021 without a 2019 rank through the lookup")
    for c in ("lsoa21_code", "domain", "change_code"):
        out[c] = out[c].astype("category")
    return out


def build_borough_series(raw: Raw) -> pd.DataFrame:
    """``borough_series.parquet``: every period of each LAIT measure the registry uses, for
    the seven boroughs, the West Midlands region and England (indicator_id first)."""
    frames = []
    for ind in registry.INDICATORS:
        d = ind.derived
        if isinstance(d, registry.LaitMeasure):
            s = change.lait_series(raw.csv(d.file), d.measure)
            frames.append(s.assign(indicator_id=ind.id, measure_short=d.measure))
    check(bool(frames), "no LAIT indicators in the registry")
    out = pd.concat(frames, ignore_index=True)
    cols = ["indicator_id", "measure_short", *[c for c in out.columns if c not in ("indicator_id", "measure_short")]]
    out = out[cols].sort_values(["indicator_id", "period_order", "area_code"]).reset_index(drop=True)
    out["value"] = out.value.astype("float32")
    return out
