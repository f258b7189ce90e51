"""Your area (the public's page): the picture at a glance, then the details, strengths nearby
and the map of the searched place."""

from __future__ import annotations

from dash import dcc, html

from service.urlstate import layer_of

from . import ids
from .glance import borough_figures, glance
from .mapview import indicator_menu, layer_options, map_section, radius_options
from .pages import Site
from .profile import download_links, trend_block


def welcome() -> list:
    """The page before any place is chosen, or after a search that placed nothing."""
    return [
        html.H2("Your area", id="page-heading"),
        html.P(
            "Search for a postcode above, or click a small area on the map, to see how the area compares with the "
            "rest of the West Midlands at each level of the socio-ecological model (the person, their relationships, "
            "the community and society), and the strengths nearby.",
            className="summary",
        ),
    ]


def area_page(state: dict, site: Site) -> list:
    return [
        dcc.Store(id=ids.PLACE),
        dcc.Store(id=ids.LAYERS, data=[]),
        dcc.Loading(type="circle", children=html.Div(id=ids.PROFILE, className="profile", children=welcome())),
        html.Div(
            className="area",
            children=[
                map_section(
                    layer_of(state, "area"),
                    site,
                    "area",
                    [
                        indicator_menu(state["indicator"], with_indices=False),
                        radius_options(state["radius"]),
                        layer_options(),
                    ],
                    [
                        html.Details(
                            className="map-table",
                            children=[
                                html.Summary("The map's values as a table"),
                                html.Div(
                                    id=ids.MAP_TABLE,
                                    children=html.P("Search for a postcode to list the small areas around it."),
                                ),
                            ],
                        )
                    ],
                ),
                html.Div(id=ids.NEARBY, className="area__nearby"),
            ],
        ),
        html.Div(id=ids.AREA_MORE, className="area__more"),
    ]


def profile_body(profile: dict, small: dict | None) -> list:
    """What a found place shows first: the chart (its heading names the place), the summary and
    the caveat, then the place for a factor's card."""
    return [
        glance(profile, small),  # its heading (#profile-heading) names the place
        html.P(profile["summary"], className="summary", id="profile-summary"),
        html.P([html.Strong("What this does and does not mean: "), profile["caveat"]], className="caveat"),
        html.Div(
            id=ids.FACTOR_CARD,
            className="factor-card",
            role="region",
            **{"aria-label": "The chosen factor", "aria-live": "polite"},
            children=html.P(
                "Choose a factor in the chart to see its figures, what its unit means, its comparators and its source.",
                className="muted",
            ),
        ),
    ]


def nearby_body(profile: dict, nearby: list) -> list:
    """Beside the map: the strengths nearby and the downloads."""
    return [
        html.Section(className="nearby", **{"aria-labelledby": "nearby-heading"}, children=nearby),
        html.Section(
            className="downloads",
            **{"aria-labelledby": "downloads-heading"},
            children=[
                html.H2("Download this profile", id="downloads-heading"),
                download_links(profile),
                html.P(html.A("More downloads and the API", href="/download", **{"data-nav": "1"})),
            ],
        ),
    ]


def more_body(profile: dict, trend: dict | None) -> list:
    """Under the map: the borough figures and recorded crime month by month."""
    crime = html.Section(
        className="crime",
        **{"aria-labelledby": "crime-heading"},
        children=[html.H2("Recorded crime month by month", id="crime-heading"), *trend_block(trend)],
    )
    return [borough_figures(profile), crime if trend is not None else None]
