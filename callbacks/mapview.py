"""Map updates as Patches. The geometry went with the page and is never sent again."""

from __future__ import annotations

import math

from dash import Input, Output, Patch, callback, ctx, html, no_update

import insights
from geodata import mapdata, registry
from geodata.sources import SOURCES
from layouts import ids
from layouts.mapfig import ASSET_KINDS, TRACE, layer_props
from layouts.profile import values_table

from .urlstate import clean


def _place(place: object) -> dict | None:
    """The place store if it has the shape update_area writes, else None (a browser can send anything)."""
    if not isinstance(place, dict):
        return None
    num = (int, float)
    ok = (isinstance(place.get("lat"), num) and isinstance(place.get("lon"), num)
          and isinstance(place.get("lsoa"), str) and isinstance(place.get("lsoas"), list)
          and all(isinstance(c, str) for c in place["lsoas"])
          and isinstance(place.get("assets", []), list)
          and all(isinstance(a, dict) and a.get("kind") in ASSET_KINDS and isinstance(a.get("lon"), num)
                  and isinstance(a.get("lat"), num) and isinstance(a.get("name"), str) for a in place.get("assets", []))
          and (place.get("radius") is None or isinstance(place.get("radius"), num))
          and all(math.isfinite(v) for v in (place["lat"], place["lon"])))
    return place if ok else None


def _layer(layer: object) -> dict:
    """A valid layer choice from the store: measure, view and weights."""
    s = clean({"indicator": layer.get("indicator"), "view": layer.get("view"), "w": layer.get("w")}
              if isinstance(layer, dict) else {})
    return {"indicator": s["indicator"], "view": s["view"], "w": s["w"]}


@callback(
    Output(ids.MAP, "figure"),
    Output(ids.LEGEND, "children"),
    Input(ids.INDICATOR, "data"),
    Input(ids.PLACE, "data"),
    Input(ids.LAYERS, "data"),
)
def update_map(layer, place, layers):
    """One writer for the figure (concurrent Patches to one output can overwrite each other).

    Each input sends only its part: new colours when the measure or view changes, the
    overlays on a new place, the point layers on a toggle.
    """
    chosen = _layer(layer)
    info = insights.map_layer(chosen["indicator"], chosen["view"], tuple(chosen["w"]))
    triggered = {t.split(".")[0] for t in ctx.triggered_prop_ids}
    if not triggered:  # first render: the page's figure is already right
        return no_update, legend(chosen, info)
    fig = Patch()
    if ids.INDICATOR in triggered:
        for key, value in layer_props(info).items():
            fig["data"][TRACE["lsoa"]][key] = value
    place = _place(place)
    if ids.PLACE in triggered or ids.LAYERS in triggered:
        _patch_layers(fig, place, layers if isinstance(layers, list) else [])
    if ids.PLACE in triggered:
        _patch_place(fig, place)
    return fig, legend(chosen, info)


def legend(chosen: dict, info: dict) -> list:
    label = insights.measure_label(chosen["indicator"])
    if chosen["view"] != "values":
        return [html.Strong(f"{insights.VIEWS[chosen['view']]}: {label}. "), info["note"]]
    if registry.exists(chosen["indicator"]):
        ind = registry.get(chosen["indicator"])
        direction = "darker means higher" if ind.higher_is_worse else "darker means lower"
        shared = "; neighbourhood (MSOA) figures are shared by their small areas" if ind.geography == "msoa" else ""
        return [html.Strong(ind.label), f": {ind.unit}, {ind.period}. Darker is worse ({direction}). ",
                f"Each small area is an LSOA 2021{shared}. Source: {SOURCES[ind.source].publisher}."]
    return [html.Strong(label), ": 0 to 100, darker is more risk or less protection. Built from the small-area "
            "indicators of that role the way the Indices of Deprivation are (see Methods)."]


def _patch_layers(fig: Patch, place: dict | None, layers: list) -> None:
    assets = place.get("assets", []) if place else []
    for kind in ASSET_KINDS:
        pts = [a for a in assets if a["kind"] == kind]
        t = fig["data"][TRACE[kind]]
        t["visible"] = kind in layers
        t["lon"], t["lat"], t["text"] = [a["lon"] for a in pts], [a["lat"] for a in pts], [a["name"] for a in pts]


def _patch_place(fig: Patch, place: dict | None) -> None:
    if place is None:
        for key in ("selected", "radius", "place"):
            fig["data"][TRACE[key]]["lon"], fig["data"][TRACE[key]]["lat"] = [], []
        return
    lon, lat = mapdata.lsoa_outline(place["lsoa"])
    fig["data"][TRACE["selected"]]["lon"], fig["data"][TRACE["selected"]]["lat"] = lon, lat
    radius = min(float(place["radius"]), 5.0) if place.get("radius") else 0
    lon, lat = mapdata.circle(place["lat"], place["lon"], radius) if radius > 0 else ([], [])
    fig["data"][TRACE["radius"]]["lon"], fig["data"][TRACE["radius"]]["lat"] = lon, lat
    marker = fig["data"][TRACE["place"]]
    marker["lon"], marker["lat"], marker["text"] = [place["lon"]], [place["lat"]], [str(place.get("label", ""))[:60]]
    fig["layout"]["map"]["center"] = {"lat": place["lat"], "lon": place["lon"]}
    fig["layout"]["map"]["zoom"] = mapdata.zoom_for_radius(radius or 0.5)
    fig["layout"]["uirevision"] = f"{place['lat']},{place['lon']},{place.get('radius')}"


@callback(
    Output(ids.MAP_TABLE, "children"),
    Input(ids.INDICATOR, "data"),
    Input(ids.PLACE, "data"),
    prevent_initial_call=True,
)
def update_map_table(layer, place):
    place = _place(place)
    if place is None:
        return html.P("Search for a postcode to list the small areas around it.")
    chosen = _layer(layer)
    if not registry.exists(chosen["indicator"]):
        return html.P("The table lists small-area indicators; choose one to see its values here.")
    ind = registry.get(chosen["indicator"])
    return values_table(mapdata.values_table(ind.id, place["lsoas"]), ind.label, ind.unit)
