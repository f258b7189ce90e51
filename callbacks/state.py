"""Search box, controls, filters, map clicks and the URL, kept in step by one callback."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, html, no_update

import service
from layouts import ids
from layouts.mapview import ASSET_KINDS

from .urlstate import LSOA_CODE, clean, default_state, layer_of, parse_query, to_query

OK_STATUSES = ("ok", "terminated", "partial")
NOTHING = {
    "url": no_update,
    "state": no_update,
    "area": no_update,
    "layer": no_update,
    "typed": no_update,
    "message": no_update,
    "ward_message": no_update,
}


def message(place: dict) -> html.P:
    """The data layer's sentence about a place, styled by its status."""
    kind = "info" if place["status"] in OK_STATUSES else "error"
    return html.P(place["message"], className=f"message message--{kind}")


def area_of(state: dict) -> dict:
    """What the profile depends on: switching indicator or filters must not recompute it."""
    return {"postcode": state["postcode"], "lsoa": state["lsoa"], "radius": state["radius"]}


@callback(
    output={
        "url": Output(ids.URL, "search"),
        "state": Output(ids.STATE, "data"),
        "area": Output(ids.AREA, "data"),
        "layer": Output(ids.INDICATOR, "data"),
        "typed": Output(ids.SEARCH_INPUT, "value"),
        "message": Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
        "ward_message": Output(ids.WARD_MESSAGE, "children"),
    },
    inputs={
        "search": Input(ids.URL, "search"),
        "submit": Input(ids.SEARCH_INPUT, "n_submit"),
        "button": Input(ids.SEARCH_BUTTON, "n_clicks"),
        "indicator": Input(ids.indicator_option(ALL), "n_clicks"),
        "radius": Input(ids.radius_option(ALL), "n_clicks"),
        "view": Input(ids.view_option(ALL), "n_clicks"),
        "borough": Input(ids.borough_option(ALL), "n_clicks"),
        "ward": Input(ids.WARD_INPUT, "value"),
        "sort": Input(ids.sort_option(ALL), "n_clicks"),
        "point": Input(ids.quadrant_chart(ALL), "clickData"),
        "apply": Input(ids.WEIGHTS_APPLY, "n_clicks"),
        "click": Input(ids.MAP_AREAS, "clickData"),
    },
    state={
        "typed": State(ids.SEARCH_INPUT, "value"),
        "shown": State(ids.INDICATOR, "data"),
        "stored": State(ids.STATE, "data"),
        "weights": [State(w, "value") for w in ids.WEIGHT_INPUTS],
    },
    prevent_initial_call="initial_duplicate",
)
def update_state(
    search,
    submit=None,
    button=None,
    indicator=None,
    radius=None,
    view=None,
    borough=None,
    ward=None,
    sort=None,
    point=None,
    apply=None,
    click=None,
    typed=None,
    shown=None,
    stored=None,
    weights=None,
):
    """One source of truth, the URL: controls write it; opening a link or going back reads it."""
    current = parse_query(search)
    trigger = ctx.triggered_id
    out = dict(NOTHING)
    if trigger in (None, ids.URL) and current == (clean(stored) if isinstance(stored, dict) else default_state()):
        return out  # the URL says what the page already shows (before any choice the stores hold None: defaults)
    if trigger in (None, ids.URL):
        out.update(state=current, area=area_of(current), typed=current["postcode"] or no_update)
        if layer_of(current) != shown:
            out["layer"] = layer_of(current)
        return out
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        return out  # a button appearing, not a click
    new = dict(current)
    kind = trigger.get("type") if isinstance(trigger, dict) else trigger
    if kind in (ids.SEARCH_INPUT, ids.SEARCH_BUTTON):
        place = service.lookup(typed if isinstance(typed, str) else "")
        out["message"] = message(place)
        # A search that places nothing clears the area, so no stale profile or marker sits under
        # its message; measure, view and filters stay as they were.
        found = place["status"] in OK_STATUSES
        new.update(postcode=place["postcode"] if found else None, lsoa=None)
    elif kind == "indicator-option":
        new["indicator"] = trigger["id"]
    elif kind == "radius-option":
        new["radius"] = float(trigger["km"])
    elif kind == "view-option":
        new["view"] = trigger["view"]
    elif kind == "borough-option":
        new.update(borough=None if trigger["code"] == "all" else trigger["code"], ward=None)
    elif kind == ids.WARD_INPUT:
        code = service.ward_code(ward if isinstance(ward, str) else "")
        if code is False:
            out["ward_message"] = html.P(
                f"No ward called “{str(ward)[:80]}” in the seven boroughs: pick one from "
                "the list, or leave the box empty for all wards.",
                className="message message--error",
            )
            return out
        new.update(ward=code, borough=None if code else new["borough"])
        out["ward_message"] = ""
    elif kind == "sort-option":
        new["sort"] = trigger["sort"]
    elif kind == "quadrant-chart":
        code = _clicked_point(point[0] if isinstance(point, list) and point else None)
        if code is None:
            return out
        new.update(postcode=None, lsoa=code)
    elif kind == ids.WEIGHTS_APPLY:
        new["w"] = weights
    elif kind == ids.MAP_AREAS:
        code = _clicked_lsoa(click)
        if code is None:
            return out
        new.update(postcode=None, lsoa=code)
    new = clean(new)
    if new == current:
        return out
    out.update(url=to_query(new), state=new)
    if area_of(new) != area_of(current):
        out["area"] = area_of(new)
    if layer_of(new) != shown:
        out["layer"] = layer_of(new)
    return out


@callback(
    Output(ids.indicator_option(ALL), "aria-pressed"),
    Output(ids.radius_option(ALL), "aria-pressed"),
    Output(ids.view_option(ALL), "aria-pressed"),
    Output(ids.borough_option(ALL), "aria-pressed"),
    Output(ids.sort_option(ALL), "aria-pressed"),
    Output(ids.INDICATOR_CURRENT, "children"),
    Output(ids.PRIORITIES_OPEN, "open"),
    Output(ids.WARD_INPUT, "value"),
    Output(ids.WEIGHT_INPUTS[0], "value"),
    Output(ids.WEIGHT_INPUTS[1], "value"),
    Output(ids.WEIGHT_INPUTS[2], "value"),
    Output(ids.WEIGHT_INPUTS[3], "value"),
    Input(ids.STATE, "data"),
    prevent_initial_call=True,
)
def update_controls(state):
    """Show which choices are made (assets/map.js closes the indicator menu after a choice)."""
    s = clean(state if isinstance(state, dict) else {})

    def pressed(n: int, key: str, chosen: object) -> list[str]:
        return [str(o["id"][key] == chosen).lower() for o in ctx.outputs_list[n]]

    radii = [str(float(o["id"]["km"]) == s["radius"]).lower() for o in ctx.outputs_list[1]]
    ward = service.ward_label(s["ward"]) if s["ward"] else ""
    return (
        pressed(0, "id", s["indicator"]),
        radii,
        pressed(2, "view", s["view"]),
        pressed(3, "code", s["borough"] or "all"),
        pressed(4, "sort", s["sort"]),
        service.measure_label(s["indicator"]),
        True if planning(s) else no_update,
        ward,
        *s["w"],
    )


def planning(s: dict) -> bool:
    """The state carries a planner's choices (a view, filter, weights or order), so open their section."""
    return (
        s["view"] != "values"
        or bool(s["borough"] or s["ward"])
        or s["sort"] != "concern"
        or tuple(s["w"]) != service.DEFAULT_WEIGHTS
    )


@callback(
    Output(ids.LAYERS, "data"),
    Output(ids.layer_option(ALL), "aria-pressed"),
    Input(ids.layer_option(ALL), "n_clicks"),
    State(ids.LAYERS, "data"),
    prevent_initial_call=True,
)
def update_layers(_clicks, layers):
    """Switch a nearby-strengths layer on or off."""
    on = [k for k in (layers if isinstance(layers, list) else []) if isinstance(k, str) and k in ASSET_KINDS]
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and ctx.triggered[0]["value"]:
        kind = trigger.get("kind")
        on = [k for k in on if k != kind] if kind in on else [*on, kind]
    return on, [str(o["id"]["kind"] in on).lower() for o in ctx.outputs_list[1]]


def _clicked_point(click: object) -> str | None:
    """The small area behind a clicked point of the quadrant chart."""
    try:
        code = click["points"][0]["customdata"]  # type: ignore[index]
        return code if isinstance(code, str) else None
    except (TypeError, KeyError, IndexError):
        return None


def _clicked_lsoa(click: object) -> str | None:
    """The small area behind a click on the map's areas layer (its GeoJSON feature)."""
    code = click.get("id") if isinstance(click, dict) else None
    return code if isinstance(code, str) and LSOA_CODE.match(code) else None
