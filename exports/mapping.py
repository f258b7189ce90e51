"""A static map of a profile's area, drawn on the server (GeoPandas + Matplotlib, Agg).

No browser and no basemap tiles: the area's small areas are coloured by recorded violence
with injury (in West Midlands fifths, so the colours mean the same on every map), the
neighbouring small areas are grey, ward and borough boundaries are drawn, and a
postcode's surroundings show the postcode and its radius.
"""

from __future__ import annotations

import math
from typing import cast

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot (GeoPandas does): never a GUI backend

import geopandas as gpd
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

import geodata
from geodata.constants import KM_PER_DEG_LAT, KM_PER_DEG_LON_EQUATOR
from geodata.registry import DEFAULT_INDICATOR
from geodata.store import Data

MAP_INDICATOR = DEFAULT_INDICATOR
# Colour-blind-safe sequential palette (ColorBrewer YlOrRd, 5 classes).
FIFTHS_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
CONTEXT_FILL, EDGE = "#e6e6e6", "#ffffff"
CLOSE_GAPS_DEG = 2e-4  # about 20 m, the generalisation of the boundaries
MAP_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2025. Source: ONS (OGL v3.0)."


def _fifths(data: Data) -> np.ndarray:
    v = data.values[MAP_INDICATOR]
    return np.nanquantile(v, [0, 0.2, 0.4, 0.6, 0.8, 1.0])


def _bounds(area_geoms: gpd.GeoSeries, place: dict | None, radius_km: float | None) -> tuple[float, ...]:
    minx, miny, maxx, maxy = area_geoms.total_bounds
    if place and place.get("latitude") is not None and radius_km:
        lat, lon = place["latitude"], place["longitude"]
        dy = radius_km / KM_PER_DEG_LAT
        dx = radius_km / (KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)))
        minx, maxx = min(minx, lon - dx), max(maxx, lon + dx)
        miny, maxy = min(miny, lat - dy), max(maxy, lat + dy)
    padx, pady = (maxx - minx) * 0.08 + 0.002, (maxy - miny) * 0.08 + 0.002
    return minx - padx, miny - pady, maxx + padx, maxy + pady


def _scale_bar(ax, minx: float, miny: float, maxx: float, maxy: float, lat: float) -> None:
    km_per_deg = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))
    width_km = (maxx - minx) * km_per_deg
    length = next((k for k in (20, 10, 5, 2, 1, 0.5, 0.2, 0.1) if k <= width_km / 4), 0.1)
    x0, y0 = minx + (maxx - minx) * 0.04, miny + (maxy - miny) * 0.05
    x1 = x0 + length / km_per_deg
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    ax.plot([x0, x1], [y0, y0], color="black", linewidth=2.5, solid_capstyle="butt", zorder=10, path_effects=halo)
    ax.text(
        (x0 + x1) / 2,
        y0 + (maxy - miny) * 0.015,
        f"{length:g} km",
        ha="center",
        va="bottom",
        fontsize=7,
        zorder=10,
        path_effects=halo,
    )


def _fit(bounds: tuple[float, ...], ratio: float) -> tuple[float, ...]:
    """Widen the shorter side of lon/lat bounds so that the ground distances match width/height ``ratio``."""
    minx, miny, maxx, maxy = bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    w, h = (maxx - minx) * k, maxy - miny
    if w / h < ratio:
        extra = (h * ratio - w) / k / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (w / ratio - h) / 2
        miny, maxy = miny - extra, maxy + extra
    return minx, miny, maxx, maxy


def draw_map(ax, profile: dict, data: Data | None = None, ratio: float = 7.0 / 4.4) -> None:
    """Draw the profile's area on a Matplotlib axes (any backend) whose width/height is ``ratio``."""
    data = data or geodata.load()
    area = profile["area"]
    codes = area["lsoa21_codes"]
    lsoa = data.lsoa21
    in_area = lsoa.code.isin(codes)
    area_gdf = lsoa[in_area]
    place = profile.get("place")
    minx, miny, maxx, maxy = _fit(_bounds(area_gdf.geometry, place, area.get("radius_km")), ratio)
    lat0 = (miny + maxy) / 2

    context = lsoa.cx[minx:maxx, miny:maxy]
    context = context[~context.code.isin(codes)]
    if len(context):
        context.plot(ax=ax, color=CONTEXT_FILL, edgecolor=EDGE, linewidth=0.3, zorder=1)

    edges = _fifths(data)
    cmap = ListedColormap(FIFTHS_COLOURS)
    norm = BoundaryNorm(edges, cmap.N, clip=True)
    rows = [data.lsoa_row[c] for c in area_gdf.code]
    values = np.asarray(data.values[MAP_INDICATOR])[rows]
    colours = [("#bdbdbd" if math.isnan(v) else cmap(norm(v))) for v in values]
    area_gdf.plot(ax=ax, color=colours, edgecolor=EDGE, linewidth=0.4, zorder=2)

    if area["kind"] != "borough":
        wards = data.wards.cx[minx:maxx, miny:maxy]
        wards.boundary.plot(ax=ax, color="#737373", linewidth=0.5, zorder=3)
    boroughs = data.boroughs.cx[minx:maxx, miny:maxy]
    boroughs.boundary.plot(ax=ax, color="#252525", linewidth=1.0, linestyle=(0, (4, 2)), zorder=4)
    # Generalised boundaries leave hairline gaps between neighbours; close them so the outline
    # shows only the area's real edge.
    merged = area_gdf.geometry.union_all().buffer(CLOSE_GAPS_DEG).buffer(-CLOSE_GAPS_DEG)
    outline = gpd.GeoSeries([merged], crs=lsoa.crs)
    outline.boundary.plot(ax=ax, color="black", linewidth=1.8, zorder=5)

    if place and place.get("latitude") is not None:
        lat, lon, r = place["latitude"], place["longitude"], area.get("radius_km") or 0
        if r:
            ax.add_patch(
                Ellipse(
                    (lon, lat),
                    2 * r / (KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))),
                    2 * r / KM_PER_DEG_LAT,
                    fill=False,
                    edgecolor="#084594",
                    linewidth=1.4,
                    linestyle="--",
                    zorder=6,
                )
            )
        ax.plot([lon], [lat], marker="o", markersize=7, color="#084594", markeredgecolor="white", zorder=7)

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    kinds = ("lad",) if area["kind"] == "borough" else ("ward",)
    labels = data.labels[data.labels.type.isin(kinds)]
    labels = labels[labels.lon.between(minx, maxx) & labels.lat.between(miny, maxy)].head(14)
    for lab in labels.itertuples():
        ax.text(
            float(lab.lon),
            float(lab.lat),
            str(lab.name),
            fontsize=6.5,
            ha="center",
            va="center",
            zorder=8,
            color="#252525",
            path_effects=halo,
        )

    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians(lat0)), adjustable="box")
    ax.set_axis_off()
    _scale_bar(ax, minx, miny, maxx, maxy, lat0)


def legend_entries(data: Data | None = None) -> list[tuple[str, str]]:
    """(colour, label) for the five West Midlands fifths of the map indicator."""
    data = data or geodata.load()
    e = _fifths(data)
    names = ("lowest fifth", "second fifth", "middle fifth", "fourth fifth", "highest fifth")
    return [(c, f"{names[i]}: {e[i]:.1f} to {e[i + 1]:.1f}") for i, c in enumerate(FIFTHS_COLOURS)]


def render_map_image(
    profile: dict, data: Data | None = None, size_in: tuple[float, float] = (7.0, 4.4), dpi: int = 150
) -> np.ndarray:
    """The map as an RGBA array, rendered by Agg."""
    canvas = cast(_Canvas, _figure(profile, data, size_in, dpi).canvas)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


class _Canvas(FigureCanvasAgg):
    """Agg without idle redraws: GeoPandas asks for one after every layer, each a full render."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def _figure(profile: dict, data: Data | None, size_in: tuple[float, float], dpi: int) -> Figure:
    fig = Figure(figsize=size_in, dpi=dpi)
    _Canvas(fig)
    draw_map(fig.add_axes((0, 0, 1, 1)), profile, data, ratio=size_in[0] / size_in[1])
    return fig
