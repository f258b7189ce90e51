"""Ranked tables of small areas by one measure, filtered by borough or ward."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from .. import police, registry
from ..sources import SOURCES
from ..store import Data, load
from ._common import wm_rank
from .indices import index_factors, parse_index_id
from .measures import measure

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
        **provenance(m.id, data),
        "rank_of": f"{len(a):,} West Midlands small areas (1 = most concern)",
    }
    return out


def _joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(values))


def provenance(measure_id: str, data: Data | None = None) -> dict[str, str]:
    """Period, source and licence of a measure in words, for every row of an export: an
    indicator's own, an index's inputs' (each named once), police.uk's months."""
    index = parse_index_id(measure_id)
    if index is not None:
        inputs = index_factors(*index)
    elif registry.exists(measure_id):
        inputs = (registry.get(measure_id),)
    else:  # a police.uk rate
        ms = police.months(data)
        period = f"{ms[0]} to {ms[-1]}" if ms else ""
        return {"period": period, "source_name": police.PUBLISHER, "licence": police.LICENCE}
    return {
        "period": _joined([i.period for i in inputs]),
        "source_name": _joined([f"{SOURCES[i.source].publisher}: {SOURCES[i.source].dataset}" for i in inputs]),
        "licence": _joined([SOURCES[i.source].licence for i in inputs]),
    }
