"""Search box, controls, map clicks and the URL, kept in step by one callback."""

from __future__ import annotations

from dash import Input, Output, State, callback, ctx, html, no_update

import services
from layouts import ids

from .urlstate import clean, parse_query, to_query

OK_STATUSES = ("ok", "terminated", "partial")


def message(place: dict) -> html.P:
    """The data layer's sentence about a place, styled by its status."""
    kind = "info" if place["status"] in OK_STATUSES else "error"
    return html.P(place["message"], className=f"message message--{kind}")


@callback(
    Output(ids.URL, "search"),
    Output(ids.STATE, "data"),
    Output(ids.INDICATOR, "value"),
    Output(ids.RADIUS, "value"),
    Output(ids.SEARCH_INPUT, "value"),
    Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
    Input(ids.URL, "search"),
    Input(ids.SEARCH_INPUT, "n_submit"),
    Input(ids.SEARCH_BUTTON, "n_clicks"),
    Input(ids.INDICATOR, "value"),
    Input(ids.RADIUS, "value"),
    Input(ids.MAP, "clickData"),
    State(ids.SEARCH_INPUT, "value"),
    prevent_initial_call="initial_duplicate",
)
def update_state(search, _submit, _clicks, indicator, radius, click, typed):
    """One source of truth: the URL. Controls write it; opening or going back reads it."""
    current = parse_query(search)
    trigger = ctx.triggered_id
    if trigger in (None, ids.URL):
        return no_update, current, current["indicator"], current["radius"], \
            current["postcode"] or no_update, no_update
    new, msg = dict(current), no_update
    if trigger in (ids.SEARCH_INPUT, ids.SEARCH_BUTTON):
        place = services.lookup(typed if isinstance(typed, str) else "")
        msg = message(place)
        if place["status"] not in OK_STATUSES:  # bad input changes nothing but the message
            return no_update, no_update, no_update, no_update, no_update, msg
        new.update(postcode=place["postcode"], lsoa=None)
    elif trigger == ids.INDICATOR:
        new["indicator"] = indicator
    elif trigger == ids.RADIUS:
        new["radius"] = radius
    elif trigger == ids.MAP:
        code = _clicked_lsoa(click)
        if code is None:
            return (no_update,) * 6
        new.update(postcode=None, lsoa=code)
    new = clean(new)
    if new == current:
        return no_update, no_update, no_update, no_update, no_update, msg
    return to_query(new), new, new["indicator"], new["radius"], no_update, msg


def _clicked_lsoa(click: object) -> str | None:
    try:
        point = click["points"][0]  # type: ignore[index]
        if point.get("curveNumber") != 0:
            return None
        code = point.get("customdata") or point.get("location")
        return code if isinstance(code, str) else None
    except (TypeError, KeyError, IndexError, AttributeError):
        return None
