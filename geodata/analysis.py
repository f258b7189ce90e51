"""Delivery-team analysis: significance-tested hotspots, composite risk and protective
indices, risk-versus-violence quadrants, ranked tables and side-by-side comparisons.

Pure functions over the loaded :class:`~geodata.store.Data` (pandas, numpy, libpysal,
esda; never a web framework). Statistics come from PySAL: queen contiguity from
``libpysal.weights``, Getis-Ord Gi* and the false discovery rate from ``esda``. The method
is written out for people in ``docs/methods.md``.

Measures
--------
Every function that takes a *measure id* accepts:

* a small-area indicator id from the registry (borough-wide figures are refused: they
  are not measured for small areas and never colour the map);
* an index id: ``risk_index``, ``protective_index``, or one per socio-ecological level,
  e.g. ``risk_index_community`` (see :func:`index_ids`);
* a police.uk rate id such as ``police_all_crime`` when monthly police files were built
  (see :mod:`geodata.police`).

Ranks
-----
One convention everywhere: rank 1 is the small area of most concern among the 1,719 in
the West Midlands — the highest value where higher is worse (risk, violence, the risk
index), the lowest where higher is better (deciles, the protective index). Ties share the
best rank, as in the area profile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from esda import fdr as esda_fdr
from esda.getisord import G_Local
from libpysal.weights import KNN, Queen, W, w_subset
from libpysal.weights.util import attach_islands

from . import police, registry
from .profile import CAVEAT, AreaNotFound, profile_for_area, profile_for_postcode
from .registry import LEVEL_LABELS, LEVELS
from .store import Data, load

DEFAULT_ALPHA = 0.05
PERMUTATIONS = 999
# Any fixed seed makes every run, cached or not, give the same p-values.
SEED = 20_250_101
# Confidence bands for the map legend, from the uncorrected permutation p-value.
CONFIDENCE_BANDS = ((0.01, 99), (0.05, 95), (0.10, 90))
# The Indices of Deprivation's exponential transform: ranks map onto 0..100 with the
# worst 10% of areas spread over roughly the top half of the scale.
EXP_CONSTANT = 23.0
INDEX_ROLES = ("risk", "protective")
QUADRANTS = ("high_high", "high_low", "low_high", "low_low")
QUADRANT_LABELS = {
    "high_high": "High risk, high violence",
    "high_low": "High risk, low violence",
    "low_high": "Low risk, high violence",
    "low_low": "Low risk, low violence",
}
SPLITS = ("median", "mean")
SENSITIVITY_DRAWS = 200
BNG = "EPSG:27700"


class MeasureError(ValueError):
    """The id names no measure that can be mapped for small areas."""


# ---------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: str
    worse_high: bool  # True when a higher value is worse (more risk, less protection)
    kind: str  # indicator | index | police
    source: str  # one line for captions
    values: np.ndarray  # aligned with Data.areas (read-only)


def index_id(role: str, level: str | None = None) -> str:
    return f"{role}_index" + (f"_{level}" if level else "")


def index_ids() -> tuple[str, ...]:
    """Every index that has at least one small-area factor, overall first."""
    out = []
    for role in INDEX_ROLES:
        out.append(index_id(role))
        out += [index_id(role, lv) for lv in LEVELS if index_factors(role, lv)]
    return tuple(out)


def _parse_index_id(measure_id: str) -> tuple[str, str | None] | None:
    for role in INDEX_ROLES:
        if measure_id == index_id(role):
            return role, None
        for lv in LEVELS:
            if measure_id == index_id(role, lv):
                return role, lv
    return None


def index_label(role: str, level: str | None = None) -> str:
    name = {"risk": "Risk index", "protective": "Protective index"}[role]
    return f"{name}: {LEVEL_LABELS[level]}" if level else f"{name} (all levels)"


def measure(measure_id: str, data: Data | None = None) -> Measure:
    """Resolve a measure id (indicator, index or police rate) to its values; MeasureError if unknown."""
    data = data or load()
    if not isinstance(measure_id, str):
        raise MeasureError(f"Unknown measure {measure_id!r}.")
    parsed = _parse_index_id(measure_id)
    if parsed is not None:
        role, level = parsed
        idx = composite_index(role, level, data=data)
        return Measure(
            measure_id,
            index_label(role, level),
            "index score (0 to 100)",
            role == "risk",
            "index",
            "Composite of small-area indicators, built the way the Indices of Deprivation are",
            _readonly(idx["value"].to_numpy(dtype=float)),
        )
    if measure_id.startswith(police.MEASURE_PREFIX):
        if measure_id not in police.measure_ids(data):
            raise MeasureError(
                f"{measure_id!r}: {police.status(data)}"
                if data.police_monthly is None
                else f"Unknown police.uk measure {measure_id!r}."
            )
        return Measure(
            measure_id,
            police.measure_label(measure_id),
            police.RATE_UNIT,
            True,
            "police",
            police.source_line(data),
            _readonly(police.pooled_rates(data, measure_id)),
        )
    if not registry.exists(measure_id):
        raise MeasureError(f"Unknown indicator {measure_id!r}: see the registry or `index_ids()`.")
    ind = registry.get(measure_id)
    if not ind.mappable:
        raise MeasureError(f"{measure_id!r} is a borough-wide figure, not measured for small areas.")
    return Measure(
        ind.id,
        ind.label,
        ind.unit,
        ind.higher_is_worse,
        "indicator",
        f"{ind.source}: {ind.period}",
        data.values[ind.id],
    )


def measure_ids(data: Data | None = None) -> tuple[str, ...]:
    """Every id :func:`measure` accepts for this data: indicators, indices, police rates."""
    data = data or load()
    return tuple(i.id for i in registry.mappable()) + index_ids() + police.measure_ids(data)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=float)
    a.flags.writeable = False
    return a


def wm_rank(values: np.ndarray, worse_high: bool) -> pd.arrays.IntegerArray:
    """Rank among all areas, 1 = most concern; ties share the best rank; no value, no rank."""
    return pd.Series(values, dtype=float).rank(method="min", ascending=not worse_high).astype("Int64").array


# ---------------------------------------------------------------------------- weights


@dataclass(frozen=True, eq=False)
class QueenWeights:
    """Binary queen contiguity between LSOA 2021 polygons, ids = LSOA codes in Data order.

    An *island* (an area that shares no boundary point with another) is attached to its
    nearest neighbour by distance between inner points, so every area has at least one
    neighbour; ``islands`` names them (none in the 2021 West Midlands boundaries).
    """

    w: W
    islands: tuple[str, ...]
    seconds: float

    @property
    def n(self) -> int:
        return int(self.w.n)

    @property
    def mean_neighbours(self) -> float:
        return float(self.w.mean_neighbors)


def queen_weights(data: Data | None = None) -> QueenWeights:
    """Queen contiguity weights for all 1,719 LSOAs (cached per Data)."""
    return _queen(data or load())


def _attach_islands(w: W, points: np.ndarray, ids: list[str]) -> tuple[W, tuple[str, ...]]:
    islands = tuple(w.islands)
    if islands:
        knn = KNN.from_array(points, k=1, ids=ids, silence_warnings=True)
        w = attach_islands(w, knn, silence_warnings=True)
    w.transform = "B"
    return w, islands


@lru_cache(maxsize=4)
def _queen(data: Data) -> QueenWeights:
    t0 = time.perf_counter()
    codes = data.lsoa21.code.tolist()
    if codes != data.areas.lsoa21_code.tolist():  # pragma: no cover - the build sorts both
        raise RuntimeError("LSOA polygons and areas are not in the same order")
    w = Queen.from_dataframe(data.lsoa21, ids=codes, use_index=False, silence_warnings=True)
    w, islands = _attach_islands(w, _inner_points(data), codes)
    return QueenWeights(w, islands, time.perf_counter() - t0)


@lru_cache(maxsize=4)
def _inner_points(data: Data) -> np.ndarray:
    pts = data.lsoa21.geometry.representative_point().to_crs(BNG)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


@lru_cache(maxsize=16)
def _weights_for(data: Data, mask: bytes) -> tuple[W, tuple[str, ...]]:
    """Weights over the areas that have a value: the full queen weights, or their subset
    with any area left without neighbours attached to its nearest one."""
    keep = np.frombuffer(mask, dtype=bool)
    full = queen_weights(data)
    if keep.all():
        return full.w, full.islands
    ids = [c for c, k in zip(full.w.id_order, keep) if k]
    sub = w_subset(full.w, ids, silence_warnings=True)
    return _attach_islands(sub, _inner_points(data)[keep], ids)


# ---------------------------------------------------------------------------- hotspots

_GLOBAL_RNG = threading.Lock()  # esda's permutations use NumPy's global random state


def gi_star(y: np.ndarray, w: W, permutations: int = PERMUTATIONS, seed: int = SEED) -> G_Local:
    """esda's Getis-Ord Gi* (self included, row-standardised) with conditional permutations.

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
        g = gi_star(y[ok], w, permutations, seed)
        # esda's pseudo p-values carry float32 noise (0.05 comes out as 0.0500000007):
        # snap them back to (k + 1) / (permutations + 1) so that p <= alpha reads as printed.
        z[ok], p[ok] = g.z_sim, np.round(g.p_sim.astype(float) * (permutations + 1)) / (permutations + 1)
        return _readonly(z), _readonly(p), len(islands)
    return _readonly(z), _readonly(p), 0


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
        "method": f"Getis-Ord Gi* (esda), queen contiguity, {permutations} permutations, seed {seed}",
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
    out = _count_by(data, hs["class"].to_numpy(), ("hot", "cold", "none"), "lad_code")
    out.attrs = dict(hs.attrs)
    return out


def _count_by(data: Data, labels: np.ndarray, categories: Sequence[str], by: str) -> pd.DataFrame:
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


# ---------------------------------------------------------------------------- composite indices


def index_factors(role: str, level: str | None = None) -> tuple[registry.Indicator, ...]:
    """The small-area indicators of one role (and level) that make up an index; never outcomes."""
    if role not in INDEX_ROLES:
        raise ValueError(f"role must be one of {INDEX_ROLES}: outcomes are never inside an index.")
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS} or None.")
    return tuple(i for i in registry.mappable() if i.role == role and (level is None or i.level == level))


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


# ---------------------------------------------------------------------------- quadrants


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
        _count_by(data, q, QUADRANTS, "lad_code"),
        _count_by(data, q, QUADRANTS, "ward_code"),
        r.id,
        r.label,
        v.id,
        v.label,
        split,
        rt,
        vt,
    )


# ---------------------------------------------------------------------------- ranked table

TABLE_COLUMNS = ("lsoa21_code", "name", "msoa21_label", "ward_code", "ward", "lad_code", "borough", "value", "rank")


def _match(code_or_name: str, names: Mapping[str, str], what: str) -> str:
    key = str(code_or_name).strip()
    if key.upper() in names:
        return key.upper()
    hits = [c for c, n in names.items() if n.casefold() == key.casefold()]
    if len(hits) != 1:
        raise ValueError(
            f"No {what} called {code_or_name!r} in the West Midlands boroughs."
            if not hits
            else f"{code_or_name!r} names more than one {what}: use its code."
        )
    return hits[0]


def ranked_table(
    indicator_or_index: str,
    borough: str | None = None,
    ward: str | None = None,
    ascending: bool | None = None,
    data: Data | None = None,
    values: np.ndarray | None = None,
) -> pd.DataFrame:
    """LSOAs with one measure's value and West Midlands rank, optionally filtered.

    ``borough`` and ``ward`` take a code or a name. ``rank`` is always among all 1,719
    areas (1 = most concern), whatever the filter. Rows come most-concern first unless
    ``ascending`` is given (True: lowest value first, False: highest first). Each row's
    ``lsoa21_code`` opens its profile with ``find_area("lsoa", code)``. ``values`` (aligned
    with Data.areas) replaces the measure's own values, e.g. an index with the user's weights.
    """
    data = data or load()
    m = measure(indicator_or_index, data)
    if values is not None:
        m = replace(m, values=np.asarray(values, dtype=float))
    a = data.areas
    out = pd.DataFrame(
        {
            "lsoa21_code": a.lsoa21_code.to_numpy(),
            "name": a.lsoa21_name.to_numpy(),
            "msoa21_label": a.msoa21_label.to_numpy(),
            "ward_code": a.ward_code.to_numpy(),
            "ward": a.ward_name.to_numpy(),
            "lad_code": a.lad_code.to_numpy(),
            "borough": a.lad_name.to_numpy(),
            "value": m.values,
            "rank": wm_rank(m.values, m.worse_high),
        }
    )
    if borough is not None:
        out = out[out.lad_code == _match(borough, data.lad_names, "borough")]
    if ward is not None:
        out = out[out.ward_code == _match(ward, data.ward_names, "ward")]
    if ascending is None:
        out = out.sort_values(["rank", "lsoa21_code"], na_position="last")
    else:
        out = out.sort_values(["value", "lsoa21_code"], ascending=[ascending, True], na_position="last")
    out = out.reset_index(drop=True)
    out.attrs = {
        "measure_id": m.id,
        "label": m.label,
        "unit": m.unit,
        "source": m.source,
        "rank_of": f"{len(a):,} West Midlands small areas (1 = most concern)",
    }
    return out


def table_csv(table: pd.DataFrame) -> str:
    """A ranked table as CSV text, with the measure id and unit on every row."""
    t = table.assign(measure_id=table.attrs.get("measure_id", ""), unit=table.attrs.get("unit", ""))
    return t.to_csv(index=False, lineterminator="\n")


# ---------------------------------------------------------------------------- compare

MAX_COMPARE = 4
_KINDS = {"E01": "lsoa", "E05": "ward", "E08": "borough"}


def _area_spec(spec: object) -> tuple[str, str]:
    if isinstance(spec, Mapping):
        return str(spec.get("kind", "")), str(spec.get("code", ""))
    if isinstance(spec, (tuple, list)) and len(spec) == 2:
        return str(spec[0]), str(spec[1])
    text = str(spec).strip()
    kind, sep, code = text.partition(":")
    if sep and kind in ("postcode", "lsoa", "ward", "borough"):
        return kind, code.strip()
    up = text.upper()
    if len(up) == 9 and up[:3] in _KINDS and up[3:].isdigit():
        return _KINDS[up[:3]], up
    return "postcode", text


def compare(areas: Sequence[object], radius_km: float = 1.0, data: Data | None = None) -> dict:
    """Two to four areas side by side, indicator by indicator, grouped by level and role.

    Each area is a postcode (its surrounding area within ``radius_km``), an LSOA, ward
    or borough code (``E01…``, ``E05…``, ``E08…``), ``"kind:code"``, a ``(kind, code)``
    pair or ``{"kind": …, "code": …}``. Profiles come from :mod:`geodata.profile`.
    Raises ValueError for the wrong number of areas, AreaNotFound for an unknown one.
    """
    data = data or load()
    if isinstance(areas, (str, bytes)) or not 2 <= len(areas) <= MAX_COMPARE:
        raise ValueError(f"Compare two to {MAX_COMPARE} areas.")
    profiles = []
    for spec in areas:
        kind, code = _area_spec(spec)
        if kind == "postcode":
            p = profile_for_postcode(code, radius_km, data)
            if p["area"] is None:
                raise AreaNotFound(p["summary"])
        else:
            p = profile_for_area(kind, code, data)
        profiles.append(p)
    by_id = [{e["id"]: e for e in p["indicators"]} for p in profiles]
    groups = []
    order = [(lv, role) for lv in LEVELS for role in INDEX_ROLES] + [(lv, "outcome") for lv in LEVELS]
    for lv, role in order:
        rows = []
        for ind in registry.INDICATORS:
            if ind.level != lv or ind.role != role:
                continue
            es = [b[ind.id] for b in by_id]
            rows.append(
                {
                    "id": ind.id,
                    "label": ind.label,
                    "unit": ind.unit,
                    "higher_is_worse": ind.higher_is_worse,
                    "geography": ind.geography,
                    "decimals": ind.decimals,
                    "values": [e["value"] for e in es],
                    "wm_percentiles": [e["wm_percentile"] for e in es],
                    "notes": [e["value_note"] for e in es],
                }
            )
        if rows:
            groups.append({"level": lv, "level_label": LEVEL_LABELS[lv], "role": role, "indicators": rows})
    return {
        "areas": [p["area"] for p in profiles],
        "summaries": [p["summary"] for p in profiles],
        "groups": groups,
        "caveat": CAVEAT,
        "data_version": data.version,
    }
