"""JSON-ready map pieces: LSOA GeoJSON, outlines, labels, values, circles.

Pure and cached per loaded dataset; the web layer turns these into Plotly traces.
Coordinates are already quantised by the build (1e-4 degrees), so they serialise short.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely

from . import registry
from .store import Data, load

WM_CENTRE = {"lat": 52.50, "lon": -1.82}
WM_ZOOM = 8.8


def _coords(geom: shapely.Geometry) -> list[list[list[float]]]:
    """Rings of a (multi)polygon as lists of [lon, lat], 4 decimals (the build's grid)."""
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        out.append([np.round(np.asarray(r.coords), 4).tolist() for r in (p.exterior, *p.interiors)])
    return out


@lru_cache(maxsize=2)
def lsoa_geojson(data: Data | None = None) -> dict:
    """FeatureCollection of the 1,719 LSOAs with ``id`` = LSOA 2021 code, in ``areas`` order."""
    data = data or load()
    geoms = dict(zip(data.lsoa21.code, data.lsoa21.geometry))
    feats = []
    for code in data.areas.lsoa21_code:
        rings = _coords(geoms[code])
        geometry = ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                    else {"type": "MultiPolygon", "coordinates": rings})
        feats.append({"type": "Feature", "id": code, "geometry": geometry})
    return {"type": "FeatureCollection", "features": feats}


def _lines(geoms) -> tuple[list[float | None], list[float | None]]:
    """Boundaries as lon/lat lists broken by None; an edge shared by two areas is drawn once."""
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(np.asarray(geoms))))
    lons: list[float | None] = []
    lats: list[float | None] = []
    for line in shapely.get_parts(merged):
        xy = np.round(np.asarray(line.coords), 4)
        lons += xy[:, 0].tolist() + [None]
        lats += xy[:, 1].tolist() + [None]
    return lons, lats


@lru_cache(maxsize=4)
def outlines(layer: str, data: Data | None = None) -> tuple[list[float | None], list[float | None]]:
    """Boundary lines of the wards or boroughs, as lon/lat lists broken by None."""
    data = data or load()
    gdf = {"wards": data.wards, "boroughs": data.boroughs}[layer]
    return _lines(gdf.geometry)


def lsoa_outline(code: str, data: Data | None = None) -> tuple[list[float | None], list[float | None]]:
    data = data or load()
    hit = data.lsoa21[data.lsoa21.code == code]
    return _lines(hit.geometry) if len(hit) else ([], [])


@lru_cache(maxsize=2)
def place_labels(data: Data | None = None) -> dict[str, dict[str, list]]:
    """Borough and ward names at their label points, for a map with no basemap."""
    data = data or load()
    out = {}
    for kind in ("lad", "ward"):
        lab = data.labels[data.labels["type"] == kind]
        out[kind] = {"lon": lab.lon.round(4).tolist(), "lat": lab.lat.round(4).tolist(), "text": lab.name.tolist()}
    return out


def indicator_values(indicator_id: str, data: Data | None = None) -> list[float | None]:
    """The indicator for every LSOA, in ``lsoa_geojson`` order, rounded for the wire."""
    data = data or load()
    ind = registry.get(indicator_id)
    if not ind.mappable:
        raise ValueError(f"{indicator_id} is a borough-wide figure and is never drawn on the small-area map.")
    v = np.round(data.values[ind.id], ind.decimals + 1)
    return [None if math.isnan(x) else float(x) for x in v]


def area_codes(data: Data | None = None) -> list[str]:
    data = data or load()
    return data.areas.lsoa21_code.tolist()


def area_names(data: Data | None = None) -> list[str]:
    data = data or load()
    return (data.areas.lsoa21_name + " · " + data.areas.msoa21_label + ", " + data.areas.lad_name).tolist()


def circle(lat: float, lon: float, radius_km: float, n: int = 72) -> tuple[list[float], list[float]]:
    """A circle of ``radius_km`` around a point, as a closed lon/lat line."""
    t = np.linspace(0, 2 * math.pi, n + 1)
    dlat = radius_km / 110.574 * np.sin(t)
    dlon = radius_km / (111.320 * math.cos(math.radians(lat))) * np.cos(t)
    return np.round(lon + dlon, 5).tolist(), np.round(lat + dlat, 5).tolist()


def zoom_for_radius(radius_km: float) -> float:
    """A map zoom that shows the radius circle with some margin."""
    return round(max(9.0, min(15.0, 13.6 - math.log2(max(radius_km, 0.1)))), 2)


def values_table(indicator_id: str, codes: list[str], data: Data | None = None) -> list[dict]:
    """Rows (code, name, value) of one indicator for some LSOAs: the map as a table."""
    data = data or load()
    ind = registry.get(indicator_id)
    rows = []
    for code in codes:
        i = data.lsoa_row.get(code)
        if i is None:
            continue
        a = data.areas.iloc[i]
        v = data.values[ind.id][i]
        rows.append({"code": code, "name": f"{a.lsoa21_name} · {a.msoa21_label}", "ward": a.ward_name,
                     "value": None if math.isnan(v) else round(float(v), ind.decimals + 1)})
    return rows
