"""Search box, controls, map clicks and the URL, kept in step by one callback."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, html, no_update

import services
from geodata import registry
from layouts import ids
from layouts.mapfig import ASSET_KINDS

from .urlstate import clean, parse_query, to_query

OK_STATUSES = ("ok", "terminated", "partial")


def message(place: dict) -> html.P:
    """The data layer's sentence about a place, styled by its status."""
    kind = "info" if place["status"] in OK_STATUSES else "error"
    return html.P(place["message"], className=f"message message--{kind}")


@callback(
    Output(ids.URL, "search"),
    Output(ids.STATE, "data"),
    Output(ids.INDICATOR, "data"),
    Output(ids.SEARCH_INPUT, "value"),
    Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
    Input(ids.URL, "search"),
    Input(ids.SEARCH_INPUT, "n_submit"),
    Input(ids.SEARCH_BUTTON, "n_clicks"),
    Input(ids.indicator_option(ALL), "n_clicks"),
    Input(ids.radius_option(ALL), "n_clicks"),
    Input(ids.MAP, "clickData"),
    State(ids.SEARCH_INPUT, "value"),
    State(ids.INDICATOR, "data"),
    prevent_initial_call="initial_duplicate",
)
def update_state(search, _submit, _clicks, _ind_clicks, _radius_clicks, click, typed, shown):
    """One source of truth, the URL: controls write it; opening a link or going back reads it."""
    current = parse_query(search)
    trigger = ctx.triggered_id
    if trigger in (None, ids.URL):
        ind = current["indicator"] if current["indicator"] != shown else no_update
        return no_update, current, ind, current["postcode"] or no_update, no_update
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        return (no_update,) * 5  # a button appearing, not a click
    new, msg = dict(current), no_update
    if trigger in (ids.SEARCH_INPUT, ids.SEARCH_BUTTON):
        place = services.lookup(typed if isinstance(typed, str) else "")
        msg = message(place)
        if place["status"] not in OK_STATUSES:  # bad input changes nothing but the message
            return no_update, no_update, no_update, no_update, msg
        new.update(postcode=place["postcode"], lsoa=None)
    elif isinstance(trigger, dict) and trigger.get("type") == "indicator-option":
        new["indicator"] = trigger["id"]
    elif isinstance(trigger, dict) and trigger.get("type") == "radius-option":
        new["radius"] = float(trigger["km"])
    elif trigger == ids.MAP:
        code = _clicked_lsoa(click)
        if code is None:
            return (no_update,) * 5
        new.update(postcode=None, lsoa=code)
    new = clean(new)
    if new == current:
        return no_update, no_update, no_update, no_update, msg
    ind = new["indicator"] if new["indicator"] != shown else no_update
    return to_query(new), new, ind, no_update, msg


@callback(
    Output(ids.indicator_option(ALL), "aria-pressed"),
    Output(ids.radius_option(ALL), "aria-pressed"),
    Output(ids.INDICATOR_CURRENT, "children"),
    Output(ids.INDICATOR_MENU, "open"),
    Input(ids.STATE, "data"),
    prevent_initial_call=True,
)
def update_controls(state):
    """Show which indicator and radius are chosen; close the indicator menu after a choice."""
    s = clean(state if isinstance(state, dict) else {})
    inds = [str(o["id"]["id"] == s["indicator"]).lower() for o in ctx.outputs_list[0]]
    radii = [str(float(o["id"]["km"]) == s["radius"]).lower() for o in ctx.outputs_list[1]]
    return inds, radii, registry.get(s["indicator"]).label, False


@callback(
    Output(ids.LAYERS, "data"),
    Output(ids.layer_option(ALL), "aria-pressed"),
    Input(ids.layer_option(ALL), "n_clicks"),
    State(ids.LAYERS, "data"),
    prevent_initial_call=True,
)
def update_layers(_clicks, layers):
    """Switch a nearby-strengths layer on or off."""
    on = [k for k in (layers if isinstance(layers, list) else []) if k in ASSET_KINDS]
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and ctx.triggered[0]["value"]:
        kind = trigger.get("kind")
        on = [k for k in on if k != kind] if kind in on else on + [kind]
    return on, [str(o["id"]["kind"] in on).lower() for o in ctx.outputs_list[1]]


def _clicked_lsoa(click: object) -> str | None:
    try:
        point = click["points"][0]  # type: ignore[index]
        if point.get("curveNumber") != 0:
            return None
        code = point.get("customdata") or point.get("location")
        return code if isinstance(code, str) else None
    except (TypeError, KeyError, IndexError, AttributeError):
        return None

