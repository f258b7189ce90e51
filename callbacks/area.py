"""Your area: the profile, the details beside the map and the place the map marks, from the
view state; a factor's card on demand; and the Download page's exports for the same place."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, html, no_update

import service
from geodata.profile import RADII_KM, AreaNotFound
from layouts import ids
from layouts.area import more_body, nearby_body, profile_body, welcome
from layouts.download import exports, no_place
from layouts.glance import who_is_who
from layouts.profile import indicator_card, nearby_panel
from service.urlstate import clean

from .state import message


def profiles(s: dict) -> tuple[dict | None, dict | None, object]:
    """(the profile shown, the postcode's own small area's profile or None, the search message)."""
    if s["postcode"]:
        prof = service.postcode_profile(s["postcode"], s["radius"])
        msg = message(prof["place"])
        if prof["area"] is None:  # a shared URL with a postcode we cannot place
            return None, None, msg
        return prof, service.area_profile("lsoa", prof["place"]["lsoa21_code"]), msg
    if s["lsoa"]:
        try:
            return service.area_profile("lsoa", s["lsoa"]), None, ""
        except AreaNotFound as exc:
            return None, None, html.P(str(exc).strip("'\""), className="message message--error")
    return None, None, no_update  # no area: none chosen yet, or a search found none (its message stays)


@callback(
    Output(ids.PROFILE, "children"),
    Output(ids.NEARBY, "children"),
    Output(ids.AREA_MORE, "children"),
    Output(ids.PLACE, "data"),
    Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
    Output(ids.radius_option(ALL), "aria-pressed"),
    Input(ids.page_state("area"), "data"),
    prevent_initial_call="initial_duplicate",  # it runs as the page appears
)
def update_area(area):
    """Drawn as Your area opens, and when the area changes (not for other choices)."""
    s = clean(area)
    radii = [str(km == s["radius"]).lower() for km in RADII_KM]  # the buttons, in the layout's order
    prof, small, msg = profiles(s)
    if prof is None:
        return welcome(), None, None, None, msg, radii
    area_ = prof["area"]
    radius = area_["radius_km"] or s["radius"]
    centre = area_["centre"]
    assets = service.nearby(centre["lat"], centre["lon"], radius)
    place = {
        "label": prof.get("place", {}).get("postcode") or area_["name"],
        "lat": centre["lat"],
        "lon": centre["lon"],
        "lsoa": (prof.get("place") or {}).get("lsoa21_code") or area_["code"],
        "lsoas": area_["lsoa21_codes"],
        "radius": area_["radius_km"],
        "assets": [{k: a[k] for k in ("kind", "name", "lat", "lon")} for a in assets],
    }
    trend = service.monthly_trend(tuple(area_["lsoa21_codes"]))
    nearby = nearby_body(prof, nearby_panel(assets, radius))
    return profile_body(prof, small), nearby, more_body(prof, trend), place, msg, radii


@callback(
    Output(ids.FACTOR_CARD, "children"),
    Input(ids.factor(ALL), "n_clicks"),
    State(ids.page_state("area"), "data"),
    prevent_initial_call=True,
)
def show_factor(_clicks, area):
    """The card of the factor chosen in the chart (assets/explorer.js moves the focus to it)."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        return no_update  # the chart appearing, not a click
    prof, small, _ = profiles(clean(area))
    if prof is None:
        return no_update
    ind = next((i for i in prof["indicators"] if i["id"] == trigger.get("id")), None)
    if ind is None:
        return no_update
    mine = next((i for i in small["indicators"] if i["id"] == ind["id"]), None) if small else None
    return indicator_card(ind, mine, who_is_who(prof, small))


@callback(
    Output(ids.DOWNLOADS, "children"),
    Input(ids.page_state("download"), "data"),
)
def update_downloads(area):
    """The Download page's exports for the current place, as it opens and when the place changes."""
    s = clean(area)
    prof, _, _ = profiles(s)
    return exports(prof) if prof else no_place()
