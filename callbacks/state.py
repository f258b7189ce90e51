"""Search box, controls, filters, map clicks and the URL, kept in step by one callback."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, html, no_update

import service
from geodata.registry import LEVELS
from layouts import ids
from layouts.mapview import ASSET_KINDS
from layouts.pages import page_at
from service.urlstate import (
    LSOA_CODE,
    WEIGHTS_RULE,
    clean,
    compare_specs,
    default_state,
    layer_of,
    read_query,
    to_query,
    weights_of,
)

OK_STATUSES = ("ok", "terminated", "partial")
NOTHING = {
    "path": no_update,
    "url": no_update,
    "state": no_update,
    "choices": no_update,
    "typed": no_update,
    "message": no_update,
    "notice": no_update,
}
# Steps that open a place: on a page that shows none (Plan, Compare, Methods) they open Your area.
PLACE_STEPS = ("search-input", "search-button", "map-areas", "quadrant-chart")


def message(place: dict) -> html.P:
    """The data layer's sentence about a place, styled by its status."""
    kind = "info" if place["status"] in OK_STATUSES else "error"
    return html.P(place["message"], className=f"message message--{kind}")


def area_of(state: dict) -> dict:
    """What the profile depends on: switching indicator or filters must not recompute it."""
    return {"postcode": state["postcode"], "lsoa": state["lsoa"], "radius": state["radius"]}


# The planner's choices: what the controls and the planners' section show. A search or a
# radius change leaves them alone, so neither of those callbacks runs for it.
CHOICE_KEYS = ("indicator", "view", "borough", "ward", "sort", "wsort", "w", "compare")


def choices_of(state: dict) -> dict:
    return {k: state[k] for k in CHOICE_KEYS}


# The part of the state each page draws from, kept in the page's own store (ids.page_state).
PAGE_PARTS = {
    "area": area_of,
    "download": area_of,
    "plan": choices_of,
    "compare": lambda s: {"compare": list(s["compare"]), "radius": s["radius"]},
}


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


def notice(notes: list[str]) -> list | str:
    """The sentences saying which parts of a link could not be honoured."""
    return [html.P(n, className="message message--error") for n in notes] if notes else ""


def _first(values: object) -> object:
    """The value of a pattern-matched input that exists once on its page (None when absent)."""
    return values[0] if isinstance(values, list) and values else None


def _ward(_trigger: dict, given: dict) -> Step:
    ward = _first(given["ward"])
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
    return _small_area(_clicked_point(_first(given["point"])))


def _weights(_trigger: dict, given: dict) -> Step:
    """Apply the weights box; refuse, with a sentence, weights it does not offer (e.g. typed)."""
    weights = weights_of(given["weights"])
    if weights is None:
        note = html.P(
            f"Those weights cannot be used: {WEIGHTS_RULE}. Nothing was changed.", className="message message--error"
        )
        return None, {"weights_message": note}
    return {"w": weights}, {"weights_message": ""}


def _compare(_trigger: dict, given: dict) -> Step:
    return {"compare": compare_specs(_first(given["compare"]))}, {}


STEPS = {
    ids.SEARCH_INPUT: _search,
    ids.SEARCH_BUTTON: _search,
    "ward-filter": _ward,
    "weights-apply": _weights,
    "compare-button": _compare,
    "compare-input": _compare,
    "map-areas": lambda _t, given: _small_area(_clicked_lsoa(_first(given["click"]))),
    "quadrant-chart": _quadrant_point,
    "indicator-option": lambda t, _g: ({"indicator": t["id"]}, {}),
    "radius-option": lambda t, _g: ({"radius": float(t["km"])}, {}),
    "view-option": lambda t, _g: ({"view": t["view"]}, {}),
    "borough-option": lambda t, _g: ({"borough": None if t["code"] == "all" else t["code"], "ward": None}, {}),
    "sort-option": lambda t, _g: ({"sort": t["sort"]}, {}),
    "ward-sort-option": lambda t, _g: ({"wsort": t["sort"]}, {}),
}


@callback(
    output={
        "path": Output(ids.URL, "pathname"),
        "url": Output(ids.URL, "search"),
        "state": Output(ids.STATE, "data"),
        "choices": Output(ids.CHOICES, "data"),
        "parts": Output(ids.page_state(ALL), "data"),
        "layers": Output(ids.map_layer(ALL), "data"),
        "typed": Output(ids.SEARCH_INPUT, "value"),
        "message": Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
        "ward_message": Output(ids.ward_message(ALL), "children"),
        "weights_message": Output(ids.weights_message(ALL), "children"),
        "notice": Output(ids.URL_NOTICE, "children"),
    },
    inputs={
        "search": Input(ids.URL, "search"),
        "submit": Input(ids.SEARCH_INPUT, "n_submit"),
        "button": Input(ids.SEARCH_BUTTON, "n_clicks"),
        "indicator": Input(ids.indicator_option(ALL), "n_clicks"),
        "radius": Input(ids.radius_option(ALL), "n_clicks"),
        "view": Input(ids.view_option(ALL), "n_clicks"),
        "borough": Input(ids.borough_option(ALL), "n_clicks"),
        "ward": Input(ids.ward_input(ALL), "value"),
        "sort": Input(ids.sort_option(ALL), "n_clicks"),
        "ward_sort": Input(ids.ward_sort_option(ALL), "n_clicks"),
        "point": Input(ids.quadrant_chart(ALL), "clickData"),
        "apply": Input(ids.weights_apply(ALL), "n_clicks"),
        "click": Input(ids.map_areas(ALL), "clickData"),
        "compare_click": Input(ids.compare_button(ALL), "n_clicks"),
        "compare_submit": Input(ids.compare_input(ALL), "n_submit"),
    },
    state={
        "typed": State(ids.SEARCH_INPUT, "value"),
        "parts_now": State(ids.page_state(ALL), "data"),
        "layers_now": State(ids.map_layer(ALL), "data"),
        "stored": State(ids.STATE, "data"),
        "weights": State(ids.weight_input(ALL), "value"),
        "compare": State(ids.compare_input(ALL), "value"),
        "pathname": State(ids.URL, "pathname"),
    },
    prevent_initial_call=True,  # the Location sets the URL as it mounts, which fires this; a page appearing does not
)
def update_state(
    search,
    ward=None,
    point=None,
    click=None,
    typed=None,
    parts_now=None,
    layers_now=None,
    stored=None,
    weights=None,
    compare=None,
    pathname=None,
    **_,
):
    """One source of truth, the URL: controls write it; opening a link or going back reads it."""
    current, notes = read_query(search)
    before = clean(stored) if isinstance(stored, dict) else default_state()  # before any choice: the defaults
    page = page_at(pathname)
    trigger = ctx.triggered_id
    out = dict(NOTHING)
    messages = ("ward_message", "weights_message")
    for key in (*messages, "parts", "layers"):  # pattern outputs: one value per component on the page
        out[key] = [no_update] * len(_specs(key))
    stores = {"parts": parts_now, "layers": layers_now}
    if trigger in (None, ids.URL):
        out["notice"] = notice(notes)
        if current == before:
            return out  # the URL says what the page already shows
        out.update(state=current, typed=current["postcode"] or no_update)
        return _changed(out, before, current, stores)
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        # Controls appearing with a page, not a click. Dash holds the page's own callbacks until
        # this one answers, and drops them if it leaves their store alone; so a store the router
        # has just drawn ("fresh") is written once here, without the mark.
        now = parts_now if isinstance(parts_now, list) else []
        out["parts"] = [
            {k: v for k, v in p.items() if k != "fresh"} if isinstance(p, dict) and p.get("fresh") else no_update
            for p in now
        ]
        return out
    kind = trigger.get("type") if isinstance(trigger, dict) else trigger
    given = {"typed": typed, "ward": ward, "point": point, "click": click, "weights": weights, "compare": compare}
    changes, shown_messages = STEPS[kind](trigger if isinstance(trigger, dict) else {}, given)
    for key, shown in shown_messages.items():
        out[key] = [shown] * len(out[key]) if key in messages else shown
    new = clean({**current, **changes}) if changes is not None else current
    if notes:
        out["notice"] = ""  # a choice made on the page replaces what the link asked for
    if new == current:
        return out
    if kind in PLACE_STEPS and (new["postcode"] or new["lsoa"]) and not (page and page.shows_place):
        out["path"] = "/"  # Your area opens, drawn from the new state by the router
    out.update(url=to_query(new), state=new)
    return _changed(out, current, new, stores)


def _changed(out: dict, old: dict, new: dict, stores: dict) -> dict:
    """Write each derived store only when what it holds changes: the choices (the controls), each
    page's part of the state, and each map's layer."""
    if choices_of(new) != choices_of(old):
        out["choices"] = choices_of(new)

    def write(key: str, make) -> list:
        now = stores[key] if isinstance(stores[key], list) else []
        values = [make(spec["id"]["page"]) for spec in _specs(key)]
        return [v if i >= len(now) or v != now[i] else no_update for i, v in enumerate(values)]

    out["parts"] = write("parts", lambda page: _json(PAGE_PARTS[page](new)))
    out["layers"] = write("layers", lambda page: layer_of(new, page))
    return out


def _specs(key: str) -> list:
    """The components of one of update_state's pattern outputs on the page (none if Dash gave no
    grouping, as for a request without its outputs listed)."""
    grouping = ctx.outputs_grouping
    specs = grouping.get(key) if isinstance(grouping, dict) else None
    return specs if isinstance(specs, list) else []


def _json(value: dict) -> dict:
    """As the store will hold it (tuples become lists), so an unchanged part compares equal."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}


@callback(
    Output(ids.indicator_option(ALL), "aria-pressed"),
    Output(ids.view_option(ALL), "aria-pressed"),
    Output(ids.borough_option(ALL), "aria-pressed"),
    Output(ids.sort_option(ALL), "aria-pressed"),
    Output(ids.indicator_current(ALL), "children"),
    Output(ids.ward_input(ALL), "value"),
    Output(ids.weight_input(ALL), "value"),
    Input(ids.CHOICES, "data"),
    prevent_initial_call=True,
)
def update_controls(choices):
    """Show which choices are made (assets/map.js closes the indicator menu after a choice). The
    page drawn for a URL shows them from the start; this follows later choices."""
    s = clean(choices if isinstance(choices, dict) else {})

    def pressed(n: int, key: str, chosen: object) -> list[str]:
        return [str(o["id"][key] == chosen).lower() for o in ctx.outputs_list[n]]

    def each(n: int, value: object) -> list:
        return [value] * len(ctx.outputs_list[n])

    ward = service.ward_label(s["ward"]) if s["ward"] else ""
    weights = dict(zip(LEVELS, s["w"]))
    return (
        pressed(0, "id", s["indicator"]),
        pressed(1, "view", s["view"]),
        pressed(2, "code", s["borough"] or "all"),
        pressed(3, "sort", s["sort"]),
        each(4, service.measure_label(s["indicator"])),
        each(5, ward),
        [weights[o["id"]["level"]] for o in ctx.outputs_list[6]],
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
