"""The map: new colours when the measure, view or filter changes; the place and points when
the area does. The geometry went once, by URL, and is never sent again."""

from __future__ import annotations

import math

from dash import MATCH, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, html, no_update

import service
from geodata import mapdata, registry
from layouts import ids, layer_key
from layouts.mapview import ASSET_KINDS, asset_layers, hideout, legend, legend_title, place_layers
from layouts.profile import values_table
from service.urlstate import clean, layer_of


def _place(place: object) -> dict | None:
    """The place store if it has the shape update_area writes, else None (a browser can send anything)."""
    if not isinstance(place, dict):
        return None
    num = (int, float)
    ok = (
        isinstance(place.get("lat"), num)
        and isinstance(place.get("lon"), num)
        and isinstance(place.get("lsoa"), str)
        and isinstance(place.get("lsoas"), list)
        and all(isinstance(c, str) for c in place["lsoas"])
        and isinstance(place.get("assets", []), list)
        and all(
            isinstance(a, dict)
            and a.get("kind") in ASSET_KINDS
            and isinstance(a.get("lon"), num)
            and isinstance(a.get("lat"), num)
            and isinstance(a.get("name"), str)
            for a in place.get("assets", [])
        )
        and (place.get("radius") is None or isinstance(place.get("radius"), num))
        and all(math.isfinite(v) for v in (place["lat"], place["lon"]))
    )
    return place if ok else None


@callback(
    Output(ids.map_part(ids.MAP_COLOURS, MATCH), "data"),
    Output(ids.map_part(ids.LEGEND, MATCH), "children"),
    Input(ids.map_layer(MATCH), "data"),
    State(ids.map_part(ids.MAP_SHOWN, MATCH), "data"),
    prevent_initial_call=True,  # each page's map is painted with its layer from the start
)
def update_colours(layer, shown):
    """Each area's colour class for the chosen measure and view; areas outside the filter fade."""
    chosen = layer_of(clean(layer))  # a valid choice from whatever the store holds
    if layer_key(chosen) == shown:
        return no_update, no_update  # what the map was drawn with (a page just opened)
    info = service.map_layer(chosen["indicator"], chosen["view"], tuple(chosen["w"]))
    return (
        hideout(info, layer_key(chosen), chosen["ward"] or chosen["borough"]),
        legend(legend_title(chosen, info), info),
    )


clientside_callback(
    ClientsideFunction("explorer", "restyle"),
    Output(ids.map_part(ids.MAP_SHOWN, MATCH), "data"),
    Input(ids.map_part(ids.MAP_COLOURS, MATCH), "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.MAP_PLACE, "children"),
    Output(ids.MAP_ASSETS, "children"),
    Output(ids.MAP, "viewport"),
    Input(ids.PLACE, "data"),
    Input(ids.LAYERS, "data"),
    prevent_initial_call=True,
)
def update_place(place, layers):
    """The place's marker, outline and circle, and the map moved to it; the points switched on."""
    place = _place(place)
    shown = [k for k in layers if isinstance(k, str) and k in ASSET_KINDS] if isinstance(layers, list) else []
    points = asset_layers(place["assets"] if place else [], shown)
    if ids.PLACE not in {t.split(".")[0] for t in ctx.triggered_prop_ids}:
        return no_update, points, no_update
    if place is None:  # a failed search or a cleared area: nothing stale stays on the map
        return [], points, no_update
    radius = min(float(place["radius"]), 5.0) if place.get("radius") else 0.5
    view = {
        "center": [place["lat"], place["lon"]],
        "zoom": mapdata.zoom_for_radius(radius),
        "transition": "setView",
        "options": {"animate": False},
    }
    return place_layers(place, mapdata.lsoa_outline(place["lsoa"])), points, view


@callback(
    Output(ids.MAP_TABLE, "children"),
    Input(ids.map_layer("area"), "data"),
    Input(ids.PLACE, "data"),
    prevent_initial_call=True,
)
def update_map_table(layer, place):
    place = _place(place)
    if place is None:
        return html.P("Search for a postcode to list the small areas around it.")
    chosen = layer_of(clean(layer))
    if not registry.exists(chosen["indicator"]):
        return html.P("The table lists small-area indicators; choose one to see its values here.")
    ind = registry.get(chosen["indicator"])
    return values_table(mapdata.values_table(ind.id, place["lsoas"]), ind.label, ind.unit)
