"""Spatial priorities: bivariate local Moran (esda) of an index against violence, and the
"high risk, low protection" selection at a planner's threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
from esda.moran import Moran_Local_BV
from libpysal.weights import W

from ._common import SEED
from .hotspot import _GLOBAL_RNG, DEFAULT_ALPHA, fdr_significant

# Two per build (risk and protective index against violence), about 5 s each.
BV_PERMUTATIONS = 99_999

# esda's quadrant codes: the area's own x against the spatial lag of y around it.
BV_QUADRANTS = {1: "high_high", 2: "low_high", 3: "low_low", 4: "high_low"}
CLUSTERS = ("high_high", "low_low", "high_low", "low_high")
CLUSTER_LABELS = {
    "high_high": "High {x}, high {y} around it",
    "low_low": "Low {x}, low {y} around it",
    "high_low": "High {x}, low {y} around it",
    "low_high": "Low {x}, high {y} around it",
    "none": "Not significant",
}

PRIORITY_THRESHOLDS = (10, 20, 30)


def bivariate_moran(
    x: np.ndarray,
    y: np.ndarray,
    w: W,
    permutations: int = BV_PERMUTATIONS,
    seed: int = SEED,
    alpha: float = DEFAULT_ALPHA,
) -> pd.DataFrame:
    """Bivariate local Moran's I (esda ``Moran_Local_BV``): each area's standardised ``x``
    against the row-standardised spatial lag of standardised ``y`` (its neighbours' mean).

    Returns one row per area (``w.id_order``): ``I``, ``p`` (esda's conditional-permutation
    pseudo p-value, directed, ``(k + 1) / (permutations + 1)``), ``quadrant`` (``high_high``
    … from the signs of x and the lag of y), ``significant`` (Benjamini-Hochberg false
    discovery rate at ``alpha`` over all areas) and ``cluster`` (the quadrant where
    significant, else ``none``). ``attrs``: permutations, seed, alpha, fdr_cutoff, tests.
    ``w`` is binary queen contiguity and is not changed (esda transforms a copy).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if np.isnan(x).any() or np.isnan(y).any():
        raise ValueError("bivariate local Moran needs a value for every area.")
    wc = W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    with _GLOBAL_RNG:  # esda seeds NumPy's global random state
        m = Moran_Local_BV(
            x, y, wc, transformation="r", permutations=permutations, seed=seed, n_jobs=1, keep_simulations=False
        )
    p = np.round(np.asarray(m.p_sim, dtype=float) * (permutations + 1)) / (permutations + 1)
    sig, cutoff = fdr_significant(p, alpha)
    quad = np.array([BV_QUADRANTS[int(q)] for q in m.q], dtype=object)
    out = pd.DataFrame(
        {
            "I": np.asarray(m.Is, dtype=float),
            "p": p,
            "quadrant": quad,
            "significant": sig,
            "cluster": np.where(sig, quad, "none"),
        }
    )
    out.attrs = {
        "permutations": int(permutations),
        "seed": int(seed),
        "alpha": float(alpha),
        "fdr_cutoff": cutoff,
        "tests": len(p),
    }
    return out


def priority_flags(risk: np.ndarray, protective: np.ndarray, pct: float) -> np.ndarray:
    """True where an area is in the top ``pct``% of the risk index and the bottom ``pct``%
    of the protective index among the areas with both values (ranks, ties at the better
    rank, so an area tied at the edge is in)."""
    if not 0 < pct < 100:
        raise ValueError("pct must be between 0 and 100.")
    r, q = pd.Series(np.asarray(risk, dtype=float)), pd.Series(np.asarray(protective, dtype=float))
    both = r.notna() & q.notna()
    k = pct / 100 * int(both.sum())
    high_risk = r[both].rank(method="min", ascending=False) <= k
    low_protection = q[both].rank(method="min", ascending=True) <= k
    out = np.zeros(len(r), dtype=bool)
    out[both.to_numpy()] = (high_risk & low_protection).to_numpy()
    return out
