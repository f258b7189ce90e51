"""Indicator values per area, read from the loaded data (never recomputed).

The API's ``/indicators/{id}/values`` and the GeoJSON export both come from here, and both
carry the full precision :mod:`geodata.profile` carries (only what people read is rounded, once),
so an LSOA's value is the same in the profile, the values list and the GeoJSON.
"""

from __future__ import annotations

import math

import geodata
from geodata.registry import Indicator
from geodata.store import Data

BOROUGH_VALUE_KINDS = {"E12": "region", "E92": "country"}


def _value(v: float, ind: Indicator) -> float | None:
    # Unrounded, as geodata.profile gives a single small area's value.
    return None if math.isnan(v) else float(v)


def lsoa_records(codes: list[str] | None = None, data: Data | None = None) -> list[dict]:
    """Identity and every mappable indicator's value for each LSOA (all when ``codes`` is None)."""
    data = data or geodata.load()
    a = data.areas
    rows = range(len(a)) if codes is None else [data.lsoa_row[c] for c in codes]
    cols = {
        k: a[k].to_numpy()
        for k in ("lsoa21_code", "lsoa21_name", "msoa21_label", "ward_code", "ward_name", "lad_code", "lad_name")
    }
    mappable = [i for i in geodata.INDICATORS if i.mappable]
    out = []
    for r in rows:
        rec: dict[str, object] = {k: str(v[r]) for k, v in cols.items()}
        rec["population"] = int(data.values["population"][r])
        for ind in mappable:
            rec[ind.id] = _value(data.values[ind.id][r], ind)
        out.append(rec)
    return out


def indicator_values(indicator_id: str, data: Data | None = None) -> dict:
    """One indicator for every area of its own geography: LSOAs, or the boroughs with region and England.

    KeyError when there is no such indicator.
    """
    data = data or geodata.load()
    ind = geodata.get_indicator(indicator_id)
    if ind.mappable:
        a = data.areas
        v = data.values[ind.id]
        codes, names = a.lsoa21_code.to_numpy(), a.lsoa21_name.to_numpy()
        wards, lads = a.ward_code.to_numpy(), a.lad_code.to_numpy()
        values = [
            {
                "code": str(codes[i]),
                "name": str(names[i]),
                "kind": "lsoa",
                "ward_code": str(wards[i]),
                "lad_code": str(lads[i]),
                "value": _value(v[i], ind),
            }
            for i in range(len(a))
        ]
        area_kind = "lsoa"
    else:
        bv = data.borough_values[data.borough_values.indicator_id == ind.id]
        values = [
            {
                "code": str(r.area_code),
                "name": str(r.area_name),
                "kind": BOROUGH_VALUE_KINDS.get(str(r.area_code)[:3], "borough"),
                "value": None if r.value is None or math.isnan(r.value) else float(r.value),
            }
            for r in bv.itertuples()
        ]
        area_kind = "borough"
    return {
        "indicator": ind.to_dict(),
        "data_version": data.version,
        "area_kind": area_kind,
        "count": len(values),
        "values": values,
    }
