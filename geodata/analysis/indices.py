"""Composite risk and protective indices, built the way the Indices of Deprivation are:
rank-normalise each factor, exponentially transform, take the weighted mean; and how
far ranks move when the weights are perturbed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import registry
from ..registry import LEVELS
from ..store import Data, load
from ._common import SEED, wm_rank

# The Indices of Deprivation's exponential transform: ranks map onto 0..100 with the
# worst 10% of areas spread over roughly the top half of the scale.
EXP_CONSTANT = 23.0

INDEX_ROLES = registry.INDEX_ROLES

SENSITIVITY_DRAWS = 200


def index_id(role: str, level: str | None = None) -> str:
    return _entry(role, level).id


def _entry(role: str, level: str | None) -> registry.CompositeIndex:
    if role not in INDEX_ROLES:
        raise ValueError(f"role must be one of {INDEX_ROLES}: outcomes are never inside an index.")
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS} or None.")
    return registry.CompositeIndex(f"{role}_index" + (f"_{level}" if level else ""), role, level)  # type: ignore[arg-type]


def index_ids() -> tuple[str, ...]:
    """Every index that has at least one small-area factor, overall first (the registry's INDICES)."""
    return tuple(ix.id for ix in registry.INDICES)


def parse_index_id(measure_id: object) -> tuple[str, str | None] | None:
    """(role, level) of a composite index id; None if the id names no index."""
    ix = registry.index(measure_id)
    return (ix.role, ix.level) if ix else None


def index_label(role: str, level: str | None = None) -> str:
    return _entry(role, level).label


def index_factors(role: str, level: str | None = None) -> tuple[registry.Indicator, ...]:
    """The small-area indicators of one role (and level) that make up an index; never outcomes."""
    return _entry(role, level).factors


def direction(ind: registry.Indicator, role: str) -> int:
    """+1 when a higher value means more of what the index measures (risk or protection), else -1."""
    return 1 if (role == "risk") == ind.higher_is_worse else -1


def rank_normalise(values: np.ndarray) -> np.ndarray:
    """(rank - 0.5) / n in (0, 1), ties averaged, NaN kept; n counts areas with a value."""
    s = pd.Series(np.asarray(values, dtype=float))
    return ((s.rank(method="average") - 0.5) / s.notna().sum()).to_numpy()


def exp_transform(r: np.ndarray) -> np.ndarray:
    """The Indices of Deprivation's exponential transform: X = -23 ln(1 - R (1 - exp(-100/23)))."""
    return -EXP_CONSTANT * np.log(1.0 - np.asarray(r) * (1.0 - np.exp(-100.0 / EXP_CONSTANT)))


def compose(values: pd.DataFrame, signs: Mapping[str, int], weights: Mapping[str, float]) -> pd.Series:
    """The index method on any frame: one column per factor, one row per area.

    Each factor is oriented (``signs``: +1 keeps it, -1 flips it), rank-normalised,
    exponentially transformed and combined as a weighted mean of the transformed scores;
    an area missing a factor is scored on the factors it has (weights renormalised).
    """
    cols = list(weights)
    x = np.column_stack([exp_transform(rank_normalise(signs[c] * values[c].to_numpy(dtype=float))) for c in cols])
    wt = np.array([float(weights[c]) for c in cols])
    have = ~np.isnan(x)
    num, den = np.nan_to_num(x) @ wt, have @ wt
    return pd.Series(np.where(den > 0, num / np.where(den > 0, den, 1), np.nan), index=values.index)


def resolve_weights(
    role: str, level: str | None = None, weights: Mapping[str, float] | None = None
) -> tuple[tuple[str, float], ...]:
    """The index's factor weights, normalised to sum to 1 (registry order).

    Unspecified factors keep weight 1 (equal weights by default); 0 leaves a factor out.
    """
    factors = index_factors(role, level)
    if not factors:
        raise ValueError(f"There are no small-area {role} factors at the {level} level.")
    ids = [i.id for i in factors]
    weights = dict(weights or {})
    stray = sorted(set(weights) - set(ids))
    if stray:
        raise ValueError(f"Not factors of the {index_label(role, level).lower()}: {stray}.")
    w = np.array([float(weights.get(i, 1.0)) for i in ids])
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("Weights must be finite and not negative.")
    if w.sum() <= 0:
        raise ValueError("At least one weight must be above zero.")
    w = w / w.sum()
    return tuple((i, round(float(x), 12)) for i, x in zip(ids, w))


def weights_by_level(role: str, level_weights: Mapping[str, float]) -> dict[str, float]:
    """Factor weights giving each level a share of the overall index, split equally among
    its factors (levels left out get weight 1; levels without small-area factors are ignored)."""
    out: dict[str, float] = {}
    for lv in LEVELS:
        fs = index_factors(role, lv)
        for f in fs:
            out[f.id] = float(level_weights.get(lv, 1.0)) / len(fs)
    return out


def composite_index(
    role: str, level: str | None = None, weights: Mapping[str, float] | None = None, data: Data | None = None
) -> pd.DataFrame:
    """A risk or protective index for every LSOA, built the way the Indices of Deprivation are.

    ``value`` runs from 0 to 100: higher means more risk (risk index) or more protection
    (protective index). ``rank`` is 1 for the area of most concern: the highest risk, or
    the lowest protection. ``attrs`` holds the id, label and normalised weights.
    """
    data = data or load()
    return _composite(data, role, level, resolve_weights(role, level, weights)).copy()


@lru_cache(maxsize=64)
def _composite(data: Data, role: str, level: str | None, weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    wd = dict(weights)
    factors = {i.id: i for i in index_factors(role, level)}
    values = pd.DataFrame({c: data.values[c] for c in wd})
    signs = {c: direction(factors[c], role) for c in wd}
    used = {c: w for c, w in wd.items() if w > 0}
    v = compose(values, signs, used).to_numpy()
    out = pd.DataFrame(
        {
            "lsoa21_code": data.areas.lsoa21_code.to_numpy(),
            "value": v,
            "rank": wm_rank(v, role == "risk"),
            "factors": values[list(used)].notna().sum(axis=1).to_numpy(),
        }
    )
    out.attrs = {
        "index_id": index_id(role, level),
        "label": index_label(role, level),
        "role": role,
        "level": level,
        "weights": dict(weights),
        "directions": {
            c: ("higher is more " if signs[c] > 0 else "lower is more ") + ("risk" if role == "risk" else "protection")
            for c in wd
        },
    }
    return out


def _factor_scores(data: Data, role: str, level: str | None, ids: Sequence[str]) -> np.ndarray:
    factors = {i.id: i for i in index_factors(role, level)}
    return np.column_stack([exp_transform(rank_normalise(direction(factors[c], role) * data.values[c])) for c in ids])


def index_sensitivity(
    role: str,
    level: str | None = None,
    n: int = SENSITIVITY_DRAWS,
    seed: int = SEED,
    weights: Mapping[str, float] | None = None,
    concentration: float = 1.0,
    data: Data | None = None,
) -> pd.DataFrame:
    """How far each area's rank moves when the index weights are perturbed (Monte Carlo).

    ``n`` weight sets are drawn from a Dirichlet distribution centred on the chosen
    weights, with parameters ``concentration × k × w`` for k factors: with equal weights
    and ``concentration=1`` every weighting of the factors is equally likely; larger
    values keep draws closer to the chosen weights. Returns ``lsoa21_code, value, rank,
    rank_p05, rank_median, rank_p95, rank_min, rank_max, rank_spread`` (p95 - p05).
    """
    data = data or load()
    if not isinstance(n, int) or not 10 <= n <= 10_000:
        raise ValueError("n must be a whole number from 10 to 10,000.")
    if not concentration > 0:
        raise ValueError("concentration must be above zero.")
    return _sensitivity(
        data, role, level, resolve_weights(role, level, weights), n, int(seed), float(concentration)
    ).copy()


@lru_cache(maxsize=16)
def _sensitivity(
    data: Data,
    role: str,
    level: str | None,
    weights: tuple[tuple[str, float], ...],
    n: int,
    seed: int,
    concentration: float,
) -> pd.DataFrame:
    used = [(c, w) for c, w in weights if w > 0]
    ids, w0 = [c for c, _ in used], np.array([w for _, w in used])
    x = _factor_scores(data, role, level, ids)
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(concentration * len(ids) * w0, size=n) if len(ids) > 1 else np.ones((n, 1))
    have = ~np.isnan(x)
    scores = (np.nan_to_num(x) @ draws.T) / np.where(have @ draws.T > 0, have @ draws.T, np.nan)
    # rank 1 = most concern in every draw
    ranks = pd.DataFrame(scores).rank(method="min", ascending=role != "risk").to_numpy()
    base = _composite(data, role, level, weights)
    q = np.nanpercentile(ranks, [5, 50, 95], axis=1)
    out = pd.DataFrame(
        {
            "lsoa21_code": base.lsoa21_code.to_numpy(),
            "value": base.value.to_numpy(),
            "rank": base["rank"].array,
            "rank_p05": q[0],
            "rank_median": q[1],
            "rank_p95": q[2],
            "rank_min": np.nanmin(ranks, axis=1),
            "rank_max": np.nanmax(ranks, axis=1),
        }
    )
    out["rank_spread"] = out.rank_p95 - out.rank_p05
    out.attrs = {**base.attrs, "draws": n, "seed": seed, "concentration": concentration}
    return out
