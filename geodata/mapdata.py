"""JSON-ready map pieces: the small areas, boundary lines and place names as GeoJSON, the
equal-count classes a choropleth paints, and the map as a table.

Pure and cached per loaded dataset; the web layer serves the GeoJSON once as static files
and sends only classes and colours afterwards. Coordinates are already quantised by the
build (1e-4 degrees), so they serialise short.
"""

from __future__ import annotations

import itertools
import json
import math
from functools import lru_cache

import numpy as np
import shapely

from . import registry
from .store import Data, load

GEOMETRY_LAYERS = ("lsoa21", "wards", "boroughs", "labels")


def _coords(geom: shapely.Geometry) -> list[list[list[float]]]:
    """Rings of a (multi)polygon as lists of [lon, lat], 4 decimals (the build's grid)."""
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        out.append([np.round(np.asarray(r.coords), 4).tolist() for r in (p.exterior, *p.interiors)])
    return out


@lru_cache(maxsize=2)
def lsoa_geojson(data: Data | None = None) -> dict:
    """FeatureCollection of the 1,719 LSOAs in ``areas`` order: ``id`` = LSOA 2021 code; properties
    ``i`` (the row, which indexes every per-area list the map is sent), ``name``, ``lad``, ``ward``."""
    data = data or load()
    geoms = dict(zip(data.lsoa21.code, data.lsoa21.geometry))
    names = area_names(data)
    feats = []
    for i, a in enumerate(data.areas[["lsoa21_code", "lad_code", "ward_code"]].itertuples(index=False)):
        rings = _coords(geoms[a.lsoa21_code])
        geometry = (
            {"type": "Polygon", "coordinates": rings[0]}
            if len(rings) == 1
            else {"type": "MultiPolygon", "coordinates": rings}
        )
        feats.append(
            {
                "type": "Feature",
                "id": a.lsoa21_code,
                "geometry": geometry,
                "properties": {"i": i, "name": names[i], "lad": a.lad_code, "ward": a.ward_code},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _lines(geoms) -> list[list[list[float]]]:
    """Boundaries as lines of [lon, lat]; an edge shared by two areas is drawn once."""
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(np.asarray(geoms))))
    return [np.round(np.asarray(line.coords), 4).tolist() for line in shapely.get_parts(merged)]


@lru_cache(maxsize=4)
def boundary_geojson(layer: str, data: Data | None = None) -> dict:
    """The ward or borough boundaries as one MultiLineString feature."""
    data = data or load()
    gdf = {"wards": data.wards, "boroughs": data.boroughs}[layer]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"layer": layer},
                "geometry": {"type": "MultiLineString", "coordinates": _lines(gdf.geometry)},
            }
        ],
    }


@lru_cache(maxsize=2)
def labels_geojson(data: Data | None = None) -> dict:
    """Borough and ward names at their label points, for a map with no basemap."""
    data = data or load()
    lab = data.labels[data.labels["type"].isin(("lad", "ward"))]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": r.name, "kind": r.type},
                "geometry": {"type": "Point", "coordinates": [round(float(r.lon), 4), round(float(r.lat), 4)]},
            }
            for r in lab.itertuples(index=False)
        ],
    }


def geometry_json(layer: str, data: Data | None = None) -> bytes:
    """One of GEOMETRY_LAYERS as compact GeoJSON bytes (served once, as a static file)."""
    if layer == "lsoa21":
        doc = lsoa_geojson(data)
    elif layer == "labels":
        doc = labels_geojson(data)
    else:
        doc = boundary_geojson(layer, data)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def lsoa_outline(code: str, data: Data | None = None) -> list[list[list[float]]]:
    """The boundary of one LSOA as lines of [lat, lon] (Leaflet's order); [] for an unknown code."""
    data = data or load()
    hit = data.lsoa21[data.lsoa21.code == code]
    return [[[lat, lon] for lon, lat in line] for line in _lines(hit.geometry)] if len(hit) else []


def bounds(data: Data | None = None) -> list[list[float]]:
    """[[south, west], [north, east]] of the seven boroughs."""
    data = data or load()
    w, s, e, n = data.lsoa21.total_bounds
    return [[round(float(s), 4), round(float(w), 4)], [round(float(n), 4), round(float(e), 4)]]


def classify(values, n_classes: int = 7) -> tuple[list[int | None], list[tuple[float, float]]]:
    """Equal-count classes of the finite values: each area's class (None where missing) and each
    class's (lowest, highest) bound. A measure with at most ``n_classes + 3`` distinct whole values
    (deciles) gets one class per value, whose bounds are that value twice."""
    v = np.asarray(values, dtype=float)
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return [None] * len(v), []
    distinct = np.unique(finite)
    if distinct.size <= n_classes + 3 and np.all(distinct == np.round(distinct)):
        bounds = [(x, x) for x in distinct.tolist()]
        cls = np.searchsorted(distinct, v)
    else:
        edges = np.unique(np.quantile(finite, np.linspace(0, 1, n_classes + 1))).tolist()
        bounds = list(itertools.pairwise(edges))
        cls = np.clip(np.searchsorted(np.asarray(edges[1:-1]), v, side="right"), 0, max(len(edges) - 2, 0))
    return [None if not math.isfinite(x) else int(c) for x, c in zip(v, cls)], bounds


def area_codes(data: Data | None = None) -> list[str]:
    data = data or load()
    return data.areas.lsoa21_code.tolist()


def area_names(data: Data | None = None) -> list[str]:
    data = data or load()
    return (data.areas.lsoa21_name + " · " + data.areas.msoa21_label + ", " + data.areas.lad_name).tolist()


def zoom_for_radius(radius_km: float) -> float:
    """A Leaflet zoom that shows the radius circle with some margin on a phone or a laptop."""
    return round(max(10.0, min(16.0, 14.0 - math.log2(max(radius_km, 0.1)))), 2)


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
        rows.append(
            {
                "code": code,
                "name": f"{a.lsoa21_name} · {a.msoa21_label}",
                "ward": a.ward_name,
                "value": None if math.isnan(v) else round(float(v), ind.decimals + 1),
            }
        )
    return rows
