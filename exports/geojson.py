"""The area's small areas (LSOA 2021) as RFC 7946 GeoJSON, each with its indicator values.

Feature properties are the same per-LSOA values the API serves at
``/api/v1/indicators/{id}/values`` (see :mod:`exports.values`). Borough-wide indicators are
not properties of small areas; the area's own profile values, borough-wide ones included,
travel as the foreign member ``profile``, with the attribution as ``attribution``.
"""

from __future__ import annotations

import json

import shapely
from shapely.geometry import mapping

import geodata
from geodata.store import Data

from .tables import area_facts, attribution_lines, sources_used
from .values import lsoa_records

COORD_DECIMALS = 6  # about 0.1 m; the boundaries are generalised to 20 m


def _round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(c, COORD_DECIMALS) for c in obj]
        return [_round_coords(o) for o in obj]
    return obj


def _property_metadata() -> dict[str, dict]:
    """What each value property means: the registry entry of every mappable indicator."""
    keys = ("label", "unit", "period", "geography_label", "publisher", "source_url", "licence", "licence_confirmed")
    return {i.id: {k: d[k] for k in keys} for i in geodata.INDICATORS if i.mappable for d in (i.to_dict(),)}


def render_geojson(profile: dict, data: Data | None = None) -> bytes:
    data = data or geodata.load()
    codes = profile["area"]["lsoa21_codes"]
    geoms = data.lsoa21.set_index("code").geometry
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    shapes = shapely.orient_polygons(geoms.loc[codes].to_numpy(), exterior_cw=False)
    features = []
    for rec, shape in zip(lsoa_records(codes, data), shapes, strict=True):
        geometry = mapping(shape)
        features.append(
            {
                "type": "Feature",
                "id": rec["lsoa21_code"],
                "geometry": {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])},
                "properties": rec,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": profile["area"]["name"],
        "area": {k: v for k, v in profile["area"].items() if k != "lsoa21_codes"},
        "data_version": profile.get("data_version"),
        "about": dict(area_facts(profile)),
        "caveat": profile.get("caveat"),
        "indicators": _property_metadata(),
        "profile": [
            {
                "id": e["id"],
                "label": e["label"],
                "value": e["value"],
                "unit": e["unit"],
                "geography": e["geography"],
                "value_note": e.get("value_note") or "",
            }
            for e in profile.get("indicators") or []
        ],
        "attribution": attribution_lines(sources_used(profile)),
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
