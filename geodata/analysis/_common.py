"""Small helpers the analysis modules share: read-only arrays, West Midlands ranks and counts by area."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..store import Data

# Any fixed seed makes every run, cached or not, give the same p-values.
SEED = 20_250_101


def readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=float)
    a.flags.writeable = False
    return a


def wm_rank(values: np.ndarray, worse_high: bool) -> pd.arrays.IntegerArray:
    """Rank among all areas, 1 = most concern; ties share the best rank; no value, no rank."""
    return pd.Series(values, dtype=float).rank(method="min", ascending=not worse_high).astype("Int64").array


def count_by(data: Data, labels: np.ndarray, categories: Sequence[str], by: str) -> pd.DataFrame:
    names = {"lad_code": ("borough", data.lad_names), "ward_code": ("ward", data.ward_names)}
    col, lookup = names[by]
    frame = pd.DataFrame({by: data.areas[by].to_numpy(), "label": pd.Categorical(labels, categories=list(categories))})
    out = pd.crosstab(frame[by], frame["label"], dropna=False).reindex(columns=list(categories), fill_value=0)
    out = out.reset_index().rename_axis(columns=None)
    out.insert(1, col, out[by].map(lookup))
    if by == "ward_code":
        lad = data.areas.drop_duplicates("ward_code").set_index("ward_code").lad_code
        out.insert(2, "lad_code", out[by].map(lad))
        out.insert(3, "borough", out["lad_code"].map(data.lad_names))
    out["areas"] = out[list(categories)].sum(axis=1)
    return out.sort_values(by).reset_index(drop=True)
