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
    "choices": no_update,
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


# The planner's choices: what the controls and the planners' section show. A search or a
# radius change leaves them alone, so neither of those callbacks runs for it.
CHOICE_KEYS = ("indicator", "view", "borough", "ward", "sort", "w")


def choices_of(state: dict) -> dict:
    return {k: state[k] for k in CHOICE_KEYS}


# ---------------------------------------------------------------------------- steps
#
# One pure step per control: (the control's id, what the callback received) -> the state's
# changes, or None for "nothing to do", and any messages to show. update_state looks the
# step up by the control that fired.

Step = tuple[dict | None, dict]


def _search(_trigger: dict, given: dict) -> Step:
    typed = given["typed"]
    place = service.lookup(typed if isinstance(typed, str) else "")
    # A search that places nothing clears the area, so no stale profile or marker sits under
    # its message; measure, view and filters stay as they were.
    found = place["status"] in OK_STATUSES
    return {"postcode": place["postcode"] if found else None, "lsoa": None}, {"message": message(place)}


def _ward(_trigger: dict, given: dict) -> Step:
    ward = given["ward"]
    code = service.ward_code(ward if isinstance(ward, str) else "")
    if code is False:
        note = html.P(
            f"No ward called “{str(ward)[:80]}” in the seven boroughs: pick one from "
            "the list, or leave the box empty for all wards.",
            className="message message--error",
        )
        return None, {"ward_message": note}
    changes = {"ward": code} if code else {"ward": None}
    if code:
        changes["borough"] = None
    return changes, {"ward_message": ""}


def _small_area(code: str | None) -> Step:
    """Open one small area's profile (a click on the map or on the quadrant chart)."""
    return ({"postcode": None, "lsoa": code} if code else None), {}


def _quadrant_point(_trigger: dict, given: dict) -> Step:
    point = given["point"]
    return _small_area(_clicked_point(point[0] if isinstance(point, list) and point else None))


STEPS = {
    ids.SEARCH_INPUT: _search,
    ids.SEARCH_BUTTON: _search,
    ids.WARD_INPUT: _ward,
    ids.WEIGHTS_APPLY: lambda _t, given: ({"w": given["weights"]}, {}),
    ids.MAP_AREAS: lambda _t, given: _small_area(_clicked_lsoa(given["click"])),
    "quadrant-chart": _quadrant_point,
    "indicator-option": lambda t, _g: ({"indicator": t["id"]}, {}),
    "radius-option": lambda t, _g: ({"radius": float(t["km"])}, {}),
    "view-option": lambda t, _g: ({"view": t["view"]}, {}),
    "borough-option": lambda t, _g: ({"borough": None if t["code"] == "all" else t["code"], "ward": None}, {}),
    "sort-option": lambda t, _g: ({"sort": t["sort"]}, {}),
}


@callback(
    output={
        "url": Output(ids.URL, "search"),
        "state": Output(ids.STATE, "data"),
        "choices": Output(ids.CHOICES, "data"),
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
def update_state(search, ward=None, point=None, click=None, typed=None, shown=None, stored=None, weights=None, **_):
    """One source of truth, the URL: controls write it; opening a link or going back reads it."""
    current = parse_query(search)
    before = clean(stored) if isinstance(stored, dict) else default_state()  # before any choice: the defaults
    trigger = ctx.triggered_id
    out = dict(NOTHING)
    if trigger in (None, ids.URL):
        if current == before:
            return out  # the URL says what the page already shows
        out.update(state=current, typed=current["postcode"] or no_update)
        return _changed(out, before, current, shown)
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        return out  # a button appearing, not a click
    kind = trigger.get("type") if isinstance(trigger, dict) else trigger
    given = {"typed": typed, "ward": ward, "point": point, "click": click, "weights": weights}
    changes, shown_messages = STEPS[kind](trigger if isinstance(trigger, dict) else {}, given)
    out.update(shown_messages)
    new = clean({**current, **changes}) if changes is not None else current
    if new == current:
        return out
    out.update(url=to_query(new), state=new)
    return _changed(out, current, new, shown)


def _changed(out: dict, old: dict, new: dict, shown: object) -> dict:
    """Write each derived store only when its part of the state changed."""
    if area_of(new) != area_of(old):
        out["area"] = area_of(new)
    if choices_of(new) != choices_of(old):
        out["choices"] = choices_of(new)
    if layer_of(new) != shown:
        out["layer"] = layer_of(new)
    return out


@callback(
    Output(ids.indicator_option(ALL), "aria-pressed"),
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
    Input(ids.CHOICES, "data"),
    prevent_initial_call=True,
)
def update_controls(choices):
    """Show which choices are made (assets/map.js closes the indicator menu after a choice)."""
    s = clean(choices if isinstance(choices, dict) else {})

    def pressed(n: int, key: str, chosen: object) -> list[str]:
        return [str(o["id"][key] == chosen).lower() for o in ctx.outputs_list[n]]

    ward = service.ward_label(s["ward"]) if s["ward"] else ""
    return (
        pressed(0, "id", s["indicator"]),
        pressed(1, "view", s["view"]),
        pressed(2, "code", s["borough"] or "all"),
        pressed(3, "sort", s["sort"]),
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
