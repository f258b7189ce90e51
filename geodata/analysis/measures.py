"""Measure ids: a small-area indicator, an index or a police.uk rate, resolved to values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import police, registry
from ..store import Data, load
from ._common import readonly
from .indices import composite_index, index_ids, index_label, parse_index_id


class MeasureError(ValueError):
    """The id names no measure that can be mapped for small areas."""


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: str
    worse_high: bool  # True when a higher value is worse (more risk, less protection)
    kind: str  # indicator | index | police
    source: str  # one line for captions
    values: np.ndarray  # aligned with Data.areas (read-only)


def measure(measure_id: str, data: Data | None = None) -> Measure:
    """Resolve a measure id (indicator, index or police rate) to its values; MeasureError if unknown."""
    data = data or load()
    if not isinstance(measure_id, str):
        raise MeasureError(f"Unknown measure {measure_id!r}.")
    parsed = parse_index_id(measure_id)
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
            readonly(idx["value"].to_numpy(dtype=float)),
        )
    if registry.police_rate(measure_id) is not None:
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
            readonly(police.pooled_rates(data, measure_id)),
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
