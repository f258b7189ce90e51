"""Getis-Ord Gi* hot and cold spots (esda) with false discovery rate control."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from esda import fdr as esda_fdr
from esda.crand import vec_permutations
from esda.getisord import G_Local
from libpysal.weights import W

from ..store import Data, load
from ._common import SEED, count_by, readonly
from .measures import MeasureError, measure
from .weights import _weights_for

DEFAULT_ALPHA = 0.05

# On demand (an index with a planner's own weights): about 0.7 s for 1,719 areas. Two seeds
# then agree on about 99% of classes; the areas that flip sit at the FDR cut-off.
PERMUTATIONS = 9_999
# The build's layer for every registry measure and index (geodata.build.planning): about
# 5 s a measure; a second seed agrees on 99.42-100% of classes, at least 99.5% for 35 of
# the 37 measures (bench/results/hotspots_stability.txt).
BUILD_PERMUTATIONS = 99_999

# Confidence bands for the map legend, from the uncorrected permutation p-value.
CONFIDENCE_BANDS = ((0.01, 99), (0.05, 95), (0.10, 90))

_GLOBAL_RNG = threading.Lock()  # esda's permutations use NumPy's global random state


def gi_star(y: np.ndarray, w: W, permutations: int = PERMUTATIONS, seed: int = SEED) -> G_Local:
    """esda's Getis-Ord Gi* (self included, row-standardised) with conditional permutations:
    the reference :func:`gi_star_permutations` reproduces (and the tests compare with).

    ``w`` is binary; esda adds the self-weight and row-standardises a copy, so the
    cached weights are never changed. One process (``n_jobs=1``) is faster here than
    esda's default pool and keeps runs reproducible. (esda seeds NumPy's global random
    state with ``seed``, so two threads drawing at once would mix their draws and change each
    other's p-values: the lock keeps every run the same.)
    """
    with _GLOBAL_RNG:
        return G_Local(
            np.asarray(y, dtype=float),
            w,
            transform="R",
            star=True,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
            keep_simulations=True,
        )


@dataclass(frozen=True, eq=False)
class GiStar:
    """Gi* per area: the statistic ``gs``, ``z`` against its permutations and the pseudo p-value."""

    gs: np.ndarray
    z: np.ndarray
    p: np.ndarray
    permutations: int
    seed: int


@lru_cache(maxsize=8)
def permuted_ids(max_card: int, n: int, permutations: int, seed: int) -> np.ndarray:
    """esda's conditional-permutation draws (``esda.crand.vec_permutations``): row r holds
    the ``max_card`` positions among the other n - 1 areas drawn in permutation r. They depend
    only on these four numbers, never on the values, so one set serves every measure (cached)."""
    with _GLOBAL_RNG:
        ids = vec_permutations(max_card, n, permutations, seed)
    ids.flags.writeable = False
    return ids


def gi_star_permutations(
    y: np.ndarray, w: W, permutations: int = PERMUTATIONS, seed: int = SEED, block: int = 4_000_000
) -> GiStar:
    """Gi* exactly as ``esda.getisord.G_Local(y, w, transform="R", star=True,
    permutations, seed)`` computes it, p and z equal to the last bit, but vectorised.

    esda without numba loops over areas in Python (2 s for 9,999 permutations here); this
    gathers the permuted neighbours of all areas with the same number of neighbours at once,
    ``block`` values at a time, and reuses the cached draws. ``w`` is binary; the statistic
    is esda's own (``G_Local`` without permutations). p is esda's directed pseudo p-value
    ``(min(k, permutations - k) + 1) / (permutations + 1)``, k counting permuted statistics
    at or above the observed one; z is (observed - mean) / standard deviation of the permuted.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    gs = G_Local(y, w, transform="R", star=True, permutations=0).Gs
    card = np.array([w.cardinalities[i] for i in w.id_order])
    ids = permuted_ids(int(card.max()), n, int(permutations), int(seed))
    larger = np.zeros(n, dtype=np.int64)
    mean, sd = np.zeros(n), np.zeros(n)
    scaling = y.sum()
    for c in np.unique(card):
        areas = np.flatnonzero(card == c)
        drawn = ids[:, :c]
        wi = 1.0 / (c + 1)  # row-standardised, self included: every weight in the row is equal
        wv = np.full(c, wi)
        step = max(1, block // (permutations * c))
        for s in range(0, len(areas), step):
            at = areas[s : s + step]
            # esda draws among the other areas: positions at or after i skip i itself
            idx = drawn[None] + (drawn[None] >= at[:, None, None])
            sims = (y[idx] @ wv + wi * y[at][:, None]) / scaling
            k = (sims >= gs[at][:, None]).sum(axis=1)
            larger[at] = np.minimum(k, permutations - k)
            mean[at], sd[at] = sims.mean(axis=1), sims.std(axis=1)
    p = (larger + 1.0) / (permutations + 1.0)
    return GiStar(readonly(gs), readonly((gs - mean) / sd), readonly(p), int(permutations), int(seed))


def fdr_significant(p: np.ndarray, alpha: float = DEFAULT_ALPHA) -> tuple[np.ndarray, float]:
    """Benjamini-Hochberg false discovery rate control via ``esda.fdr``: which p-values are
    rejected at false discovery rate ``alpha``, and the p-value cut-off used."""
    p = np.asarray(p, dtype=float)
    ok = ~np.isnan(p)
    cutoff = float(esda_fdr(p[ok], alpha)) if ok.any() else 0.0
    return ok & (np.nan_to_num(p, nan=1.0) <= cutoff), cutoff


def confidence(p: np.ndarray) -> np.ndarray:
    """99, 95 or 90 (% confidence) from an uncorrected p-value; 0 below 90%."""
    out = np.zeros(len(p), dtype=int)
    for cut, band in reversed(CONFIDENCE_BANDS):
        out[np.nan_to_num(p, nan=1.0) <= cut] = band
    return out


def _check_hotspot_args(alpha: float, permutations: int) -> None:
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1.")
    if not isinstance(permutations, int) or not 99 <= permutations <= 99_999:
        raise ValueError("permutations must be a whole number from 99 to 99,999.")


def hotspots(
    indicator_id: str,
    alpha: float = DEFAULT_ALPHA,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    fdr: bool = True,
    values: np.ndarray | None = None,
    data: Data | None = None,
) -> pd.DataFrame:
    """Getis-Ord Gi* hot and cold spots of one measure over all LSOAs (cached).

    Returns one row per LSOA 2021 in code order: ``lsoa21_code, value, z, p,
    significant, significant_uncorrected, class, confidence, band``.

    * ``z``: the observed Gi* against its ``permutations`` conditional permutations
      (standard deviations above the permutation mean); ``p``: the pseudo p-value
      ``(k + 1) / (permutations + 1)``, uncorrected.
    * ``significant``: after false discovery rate control at ``alpha`` when ``fdr`` is
      true (the default), else ``p <= alpha``; ``significant_uncorrected`` is always
      ``p <= alpha``.
    * ``class``: ``hot`` (a significant cluster of high values), ``cold`` (of low values)
      or ``none``; ``confidence``: 99/95/90 from the uncorrected p (0 otherwise);
      ``band``: ``hot_99`` … ``cold_90`` for significant areas, else ``none``.

    ``values`` (aligned with Data.areas) replaces the measure's own values, e.g. an index
    with the user's weights; ``indicator_id`` then only names it. Areas without a value
    get NaN statistics and class ``none``. ``attrs`` carries the labels for a caption.
    """
    data = data or load()
    _check_hotspot_args(alpha, permutations)
    if values is None:
        m = measure(indicator_id, data)
        y, label, worse_high = m.values, m.label, m.worse_high
    else:
        y = np.asarray(values, dtype=float)
        if y.shape != (len(data.areas),):
            raise ValueError(f"values must have one number per LSOA ({len(data.areas)}).")
        try:
            m = measure(indicator_id, data)
            label, worse_high = m.label, m.worse_high
        except MeasureError:
            label, worse_high = str(indicator_id), True
    return _hotspot_frame(
        data,
        str(indicator_id),
        label,
        worse_high,
        np.ascontiguousarray(y).tobytes(),
        float(alpha),
        int(permutations),
        int(seed),
        bool(fdr),
    ).copy()


@lru_cache(maxsize=64)
def _gi_cached(data: Data, y_bytes: bytes, permutations: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    y = np.frombuffer(y_bytes, dtype=float)
    ok = ~np.isnan(y)
    z, p = np.full(len(y), np.nan), np.full(len(y), np.nan)
    if ok.sum() >= 3 and np.nanstd(y) > 0:
        w, islands = _weights_for(data, ok.tobytes())
        # esda's own pseudo p-values carry float32 noise (0.05 comes out as 0.0500000007);
        # these are (k + 1) / (permutations + 1) exactly, so that p <= alpha reads as printed.
        g = gi_star_permutations(y[ok], w, permutations, seed)
        z[ok], p[ok] = g.z, g.p
        return readonly(z), readonly(p), len(islands)
    return readonly(z), readonly(p), 0


@lru_cache(maxsize=256)
def _hotspot_frame(
    data: Data,
    measure_id: str,
    label: str,
    worse_high: bool,
    y_bytes: bytes,
    alpha: float,
    permutations: int,
    seed: int,
    fdr: bool,
) -> pd.DataFrame:
    y = np.frombuffer(y_bytes, dtype=float)
    z, p, n_islands = _gi_cached(data, y_bytes, permutations, seed)
    uncorrected = np.nan_to_num(p, nan=1.0) <= alpha
    corrected, cutoff = fdr_significant(p, alpha)
    sig = corrected if fdr else uncorrected
    cls = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "none"))
    conf = confidence(p)
    band = np.where(cls == "none", "none", np.char.add(np.char.add(cls.astype(str), "_"), conf.astype(str)))
    out = pd.DataFrame(
        {
            "lsoa21_code": data.areas.lsoa21_code.to_numpy(),
            "value": y.copy(),
            "z": z,
            "p": p,
            "significant": sig,
            "significant_uncorrected": uncorrected,
            "class": cls,
            "confidence": conf,
            "band": band,
        }
    )
    high, low = ("worse", "better") if worse_high else ("better", "worse")
    out.attrs = {
        "measure_id": measure_id,
        "label": label,
        "alpha": alpha,
        "fdr": fdr,
        "fdr_cutoff": cutoff,
        "permutations": permutations,
        "seed": seed,
        "n_hot": int((cls == "hot").sum()),
        "n_cold": int((cls == "cold").sum()),
        "islands_attached": n_islands,
        "view": (
            f"Significant after false discovery rate control at {alpha:g}"
            if fdr
            else f"Uncorrected: p ≤ {alpha:g} in each area separately; some of these are expected by chance"
        ),
        "hot_meaning": f"cluster of high values ({high})",
        "cold_meaning": f"cluster of low values ({low})",
        "method": f"Getis-Ord Gi* (esda), queen contiguity, {permutations:,} permutations, seed {seed}",
    }
    return out


def hotspot_counts_by_borough(
    indicator_id: str,
    alpha: float = DEFAULT_ALPHA,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    fdr: bool = True,
    values: np.ndarray | None = None,
    data: Data | None = None,
) -> pd.DataFrame:
    """Hot, cold and not-significant LSOA counts per borough (rows in code order)."""
    data = data or load()
    hs = hotspots(indicator_id, alpha, permutations, seed, fdr, values, data)
    out = count_by(data, hs["class"].to_numpy(), ("hot", "cold", "none"), "lad_code")
    out.attrs = dict(hs.attrs)
    return out


def class_counts_by_borough(classes: Sequence[str], data: Data | None = None) -> pd.DataFrame:
    """Hot, cold and not-significant counts per borough from one class per LSOA (Data order),
    e.g. the build's precomputed layer."""
    data = data or load()
    return count_by(data, np.asarray(classes, dtype=object), ("hot", "cold", "none"), "lad_code")
