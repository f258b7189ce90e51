"""Map updates as Patches: new values on an indicator switch, overlays on a new place.
The geometry is never sent again."""

from __future__ import annotations

from dash import Input, Output, Patch, callback, ctx, html, no_update

from geodata import mapdata, registry
from layouts import ids
from layouts.mapfig import ASSET_KINDS, TRACE, colour_props
from layouts.profile import values_table

from .urlstate import clean


@callback(
    Output(ids.MAP, "figure"),
    Output(ids.LEGEND, "children"),
    Input(ids.INDICATOR, "data"),
    Input(ids.PLACE, "data"),
    Input(ids.LAYERS, "data"),
)
def update_map(indicator_id, place, layers):
    """One writer for the figure: concurrent Patches to one output can overwrite each other.

    Each input sends only its part: the new values on an indicator switch, the overlays on a
    new place, the point layers on a toggle. The geometry went with the page and stays put.
    """
    ind_id = clean({"indicator": indicator_id})["indicator"]
    triggered = {t.split(".")[0] for t in ctx.triggered_prop_ids}
    if not triggered:  # first render: the page's figure is already right
        return no_update, legend(ind_id)
    fig = Patch()
    if ids.INDICATOR in triggered:
        for key, value in colour_props(ind_id).items():
            fig["data"][TRACE["lsoa"]][key] = value
    place = place if isinstance(place, dict) else None
    if ids.PLACE in triggered or ids.LAYERS in triggered:
        _patch_layers(fig, place, layers if isinstance(layers, list) else [])
    if ids.PLACE in triggered:
        _patch_place(fig, place)
    return fig, legend(ind_id)


def legend(ind_id: str) -> list:
    ind = registry.get(ind_id)
    direction = "darker means higher" if ind.higher_is_worse else "darker means lower"
    shared = "; neighbourhood (MSOA) figures are shared by their small areas" if ind.geography == "msoa" else ""
    return [html.Strong(ind.label), f": {ind.unit}, {ind.period}. Darker is worse ({direction}). ",
            f"Each small area is an LSOA 2021{shared}. Source: {ind.to_dict()['publisher']}."]


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
    lon, lat = mapdata.circle(place["lat"], place["lon"], place["radius"]) if place.get("radius") else ([], [])
    fig["data"][TRACE["radius"]]["lon"], fig["data"][TRACE["radius"]]["lat"] = lon, lat
    marker = fig["data"][TRACE["place"]]
    marker["lon"], marker["lat"], marker["text"] = [place["lon"]], [place["lat"]], [place["label"]]
    fig["layout"]["map"]["center"] = {"lat": place["lat"], "lon": place["lon"]}
    fig["layout"]["map"]["zoom"] = mapdata.zoom_for_radius(place.get("radius") or 0.5)
    fig["layout"]["uirevision"] = f"{place['lat']},{place['lon']},{place.get('radius')}"


@callback(
    Output(ids.MAP_TABLE, "children"),
    Input(ids.INDICATOR, "data"),
    Input(ids.PLACE, "data"),
    prevent_initial_call=True,
)
def update_map_table(indicator_id, place):
    if not isinstance(place, dict):
        return html.P("Search for a postcode to list the small areas around it.")
    ind = registry.get(clean({"indicator": indicator_id})["indicator"])
    return values_table(mapdata.values_table(ind.id, place["lsoas"]), ind.label, ind.unit)
