"""The map figure and the small pieces callbacks patch into it.

Trace order is fixed (TRACE); callbacks patch traces by these indices, so geometry is
sent once with the page and an indicator switch sends only the new values.
"""

from __future__ import annotations

import plotly.graph_objects as go

from geodata import mapdata

TRACE = {"lsoa": 0, "wards": 1, "boroughs": 2, "ward_labels": 3, "borough_labels": 4,
         "selected": 5, "radius": 6, "place": 7, "sport": 8, "library": 9, "warm_space": 10, "school": 11}
ASSET_KINDS = {
    "sport": ("Sports sites", "#1b7837", "circle"),
    "library": ("Libraries", "#2166ac", "circle"),
    "warm_space": ("Warm spaces", "#b35806", "circle"),
    "school": ("Schools", "#762a83", "circle"),
}
GLYPHS_PATH = "/_glyphs"
# With no basemap, a blank MapLibre style whose font glyphs point at this server: the route
# answers 404, and MapLibre then draws label text with the browser's own fonts. The browser
# never reaches out to a font server.
BLANK_STYLE = {
    "version": 8,
    "glyphs": GLYPHS_PATH + "/{fontstack}/{range}.pbf",
    "sources": {},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}],
}


LAYER_KEYS = ("z", "zmin", "zmax", "colorscale", "reversescale", "colorbar", "hovertemplate", "hovertext")


def layer_props(layer: dict) -> dict:
    """The parts of the choropleth that change with the measure or view (see insights.map_layer)."""
    return {k: layer[k] for k in LAYER_KEYS}


def map_figure(layer: dict, basemap: str = "none") -> go.Figure:
    geojson = mapdata.lsoa_geojson()
    codes = mapdata.area_codes()
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=geojson, locations=codes, customdata=codes, text=mapdata.area_names(),
        marker={"line": {"width": 0.3, "color": "rgba(255,255,255,0.6)"}, "opacity": 0.85},
        name="Small areas", **layer_props(layer),
    ))
    for layer, width, colour in (("wards", 0.6, "#8c8c8c"), ("boroughs", 2.0, "#252525")):
        lon, lat = mapdata.outlines(layer)
        fig.add_trace(go.Scattermap(lon=lon, lat=lat, mode="lines", line={"width": width, "color": colour},
                                    hoverinfo="skip", name=f"{layer.title()} boundaries", showlegend=False))
    labels = mapdata.place_labels()
    for kind, size, colour in (("ward", 9, "#4d4d4d"), ("lad", 15, "#000000")):
        lab = labels[kind]
        fig.add_trace(go.Scattermap(lon=lab["lon"], lat=lab["lat"], text=lab["text"], mode="text",
                                    textfont={"size": size, "color": colour}, hoverinfo="skip",
                                    showlegend=False, name=f"{kind} names"))
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="lines", line={"width": 3, "color": "#0b0c0c"},
                                hoverinfo="skip", showlegend=False, name="Selected small area"))
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="lines", line={"width": 2, "color": "#1d70b8"},
                                hoverinfo="skip", showlegend=False, name="Surrounding area"))
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="markers", marker={"size": 14, "color": "#1d70b8"},
                                hoverinfo="text", text=[], showlegend=False, name="Your postcode"))
    for kind, (label, colour, symbol) in ASSET_KINDS.items():
        fig.add_trace(go.Scattermap(lon=[], lat=[], text=[], mode="markers", name=label, visible=False,
                                    marker={"size": 9, "color": colour, "symbol": symbol},
                                    hovertemplate="%{text}<extra>" + label + "</extra>"))
    fig.update_layout(
        map={"style": BLANK_STYLE if basemap == "none" else basemap, "center": mapdata.WM_CENTRE,
             "zoom": mapdata.WM_ZOOM},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision="keep",  # user pan/zoom survives patches
        legend={"orientation": "h", "y": 0, "x": 0, "bgcolor": "rgba(255,255,255,0.8)"},
        paper_bgcolor="#ffffff",
    )
    return fig
