"""Risk versus violence: areas split at the West Midlands median into four groups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import registry
from ..store import Data, load
from ._common import count_by
from .measures import measure

QUADRANTS = ("high_high", "high_low", "low_high", "low_low")

QUADRANT_LABELS = {
    "high_high": "High risk, high violence",
    "high_low": "High risk, low violence",
    "low_high": "Low risk, high violence",
    "low_low": "Low risk, low violence",
}

SPLITS = ("median", "mean")


@dataclass(frozen=True, eq=False)
class Quadrants:
    areas: pd.DataFrame  # one row per LSOA: codes, names, risk, violence, quadrant, label
    by_borough: pd.DataFrame  # counts per quadrant
    by_ward: pd.DataFrame
    risk_id: str
    risk_label: str
    violence_id: str
    violence_label: str
    split: str
    risk_threshold: float
    violence_threshold: float


def split_value(values: np.ndarray, split: str = "median") -> float:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}.")
    return float(np.nanmedian(values) if split == "median" else np.nanmean(values))


def assign_quadrants(
    risk: np.ndarray,
    violence: np.ndarray,
    risk_threshold: float,
    violence_threshold: float,
    risk_worse_high: bool = True,
    violence_worse_high: bool = True,
) -> np.ndarray:
    """``high_high`` … ``low_low`` per area: *high* means on the worse side of the threshold
    (strictly beyond it); areas at the threshold or without a value count as low / are ``""``."""
    risk, violence = np.asarray(risk, dtype=float), np.asarray(violence, dtype=float)
    hr = risk > risk_threshold if risk_worse_high else risk < risk_threshold
    hv = violence > violence_threshold if violence_worse_high else violence < violence_threshold
    q = np.char.add(np.where(hr, "high_", "low_"), np.where(hv, "high", "low")).astype(object)
    q[np.isnan(risk) | np.isnan(violence)] = ""
    return q


def quadrants(
    risk_index: str = "risk_index",
    violence_indicator: str = registry.DEFAULT_INDICATOR,
    split: str = "median",
    data: Data | None = None,
) -> Quadrants:
    """Areas split at the West Midlands median (or mean) of a risk measure and a violence
    outcome into four groups, with counts per borough and per ward (cached)."""
    data = data or load()
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}.")
    return _quadrants(data, risk_index, violence_indicator, split)


@lru_cache(maxsize=32)
def _quadrants(data: Data, risk_id: str, violence_id: str, split: str) -> Quadrants:
    r, v = measure(risk_id, data), measure(violence_id, data)
    rt, vt = split_value(r.values, split), split_value(v.values, split)
    q = assign_quadrants(r.values, v.values, rt, vt, r.worse_high, v.worse_high)
    a = data.areas
    areas = pd.DataFrame(
        {
            "lsoa21_code": a.lsoa21_code.to_numpy(),
            "name": a.lsoa21_name.to_numpy(),
            "ward_code": a.ward_code.to_numpy(),
            "ward": a.ward_name.to_numpy(),
            "lad_code": a.lad_code.to_numpy(),
            "borough": a.lad_name.to_numpy(),
            "risk": r.values,
            "violence": v.values,
            "quadrant": q,
            "label": [QUADRANT_LABELS.get(x, "No value") for x in q],
        }
    )
    return Quadrants(
        areas,
        count_by(data, q, QUADRANTS, "lad_code"),
        count_by(data, q, QUADRANTS, "ward_code"),
        r.id,
        r.label,
        v.id,
        v.label,
        split,
        rt,
        vt,
    )
