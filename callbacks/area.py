"""The area profile, nearby strengths and the place the map marks, from the view state."""

from __future__ import annotations

from dash import ALL, Input, Output, callback, html, no_update

import service
from geodata.profile import RADII_KM, AreaNotFound
from layouts import ids, welcome
from layouts.profile import nearby_panel, profile_panel

from .state import message
from .urlstate import clean


@callback(
    Output(ids.PROFILE, "children"),
    Output(ids.NEARBY, "children"),
    Output(ids.PLACE, "data"),
    Output(ids.SEARCH_MESSAGE, "children", allow_duplicate=True),
    Output(ids.radius_option(ALL), "aria-pressed"),
    Input(ids.AREA, "data"),
    prevent_initial_call=True,
)
def update_area(state):
    s = clean(state if isinstance(state, dict) else {})
    radii = [str(km == s["radius"]).lower() for km in RADII_KM]  # the buttons, in the layout's order
    return (*_area(s), radii)


def _area(s: dict) -> tuple:
    """The profile, nearby strengths, the place the map marks and the search message."""
    if s["postcode"]:
        prof = service.postcode_profile(s["postcode"], s["radius"])
        msg = message(prof["place"])
        if prof["area"] is None:  # a shared URL with a postcode we cannot place
            return welcome(), None, None, msg
    elif s["lsoa"]:
        try:
            prof = service.area_profile("lsoa", s["lsoa"])
        except AreaNotFound as exc:
            return welcome(), None, None, html.P(str(exc), className="message message--error")
        msg = ""
    else:  # no area: none chosen yet, or a search found none (its message stays)
        return welcome(), None, None, no_update
    area = prof["area"]
    radius = area["radius_km"] or s["radius"]
    centre = area["centre"]
    assets = service.nearby(centre["lat"], centre["lon"], radius)
    place = {
        "label": prof.get("place", {}).get("postcode") or area["name"],
        "lat": centre["lat"],
        "lon": centre["lon"],
        "lsoa": (prof.get("place") or {}).get("lsoa21_code") or area["code"],
        "lsoas": area["lsoa21_codes"],
        "radius": area["radius_km"],
        "assets": [{k: a[k] for k in ("kind", "name", "lat", "lon")} for a in assets],
    }
    trend = service.monthly_trend(tuple(area["lsoa21_codes"]))
    return profile_panel(prof, trend), nearby_panel(assets, radius), place, msg
