"""Measures the map and the planners' tools can show: small-area indicators, composite
indices and police.uk rates, with the four level weights a planner may set."""

from __future__ import annotations

from geodata import analysis, police, registry
from geodata.registry import LEVELS

DEFAULT_WEIGHTS = (1.0, 1.0, 1.0, 1.0)  # individual, relationships, community, society


def measure_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """Index (and, when built, police.uk) measures for the picker: (title, [(id, label)])."""
    out = []
    for role in registry.INDEX_ROLES:
        out.append((f"Composite {role} index", [(ix.id, ix.label) for ix in registry.INDICES if ix.role == role]))
    police_ids = police.measure_ids()
    if police_ids:
        out.append(("Police.uk monthly files (pooled, smoothed rates)", [(i, measure_label(i)) for i in police_ids]))
    return out


def is_measure(measure_id: object) -> bool:
    if not isinstance(measure_id, str):
        return False
    if registry.exists(measure_id):
        return registry.get(measure_id).mappable
    return registry.index(measure_id) is not None or measure_id in police.measure_ids()


def measure_label(measure_id: str) -> str:
    """An indicator's, index's or police.uk rate's label; KeyError for an unknown id."""
    entry = registry.index(measure_id) or registry.police_rate(measure_id) or registry.get(measure_id)
    return entry.label


def weights_map(measure_id: str, weights: tuple[float, ...]) -> dict | None:
    """Factor weights for an index from the four level weights: None for defaults or a non-index."""
    parsed = analysis.parse_index_id(measure_id)
    # Level weights scale every factor of one level alike, so they only matter to an
    # all-levels index (and a zero would otherwise empty a one-level index).
    if parsed is None or parsed[1] is not None or tuple(weights) == DEFAULT_WEIGHTS:
        return None
    role, level = parsed
    factors = {i.id for i in analysis.index_factors(role, level)}
    wmap = analysis.weights_by_level(role, dict(zip(LEVELS, weights)))
    return {k: v for k, v in wmap.items() if k in factors} or None


def weighted_values(measure_id: str, weights: tuple[float, ...]):
    """The measure's values, re-weighted when it is an index with non-default weights."""
    wmap, ix = weights_map(measure_id, weights), registry.index(measure_id)
    if wmap is None or ix is None:
        return None
    return analysis.composite_index(ix.role, ix.level, wmap)["value"].to_numpy()
