"""The page: functions of explicit arguments returning components."""

from __future__ import annotations

from dash import dcc, html

import service
from geodata import registry
from geodata.profile import DEFAULT_RADIUS_KM, RADII_KM
from geodata.registry import LEVEL_LABELS, LEVELS

from . import ids
from .mapview import ASSET_KINDS, hideout, legend, legend_title, map_panel
from .methods import methods_section
from .priorities import compare_section, option, priorities_section


def indicator_groups() -> list[tuple[str, list[registry.Indicator]]]:
    """Map-able indicators grouped: outcomes first, then each level's risk and protective factors."""
    groups = [("Violence and crime (outcomes)", [i for i in registry.mappable() if i.role == "outcome"])]
    for level in LEVELS:
        for role in ("risk", "protective"):
            inds = [i for i in registry.mappable() if i.level == level and i.role == role]
            if inds:
                groups.append((f"{LEVEL_LABELS[level]}: {role} factors", inds))
    return groups


def search_bar() -> html.Div:
    # A div, not a form: Enter is handled by the input's n_submit, with no page reload.
    return html.Div(
        id=ids.SEARCH_FORM,
        className="search",
        role="search",
        children=[
            html.Label("Enter a West Midlands postcode", htmlFor=ids.SEARCH_INPUT, className="search__label"),
            html.Div(
                className="search__row",
                children=[
                    dcc.Input(
                        id=ids.SEARCH_INPUT,
                        type="text",
                        placeholder="e.g. B15 2TT, CV1 2 or B15",
                        autoComplete="postal-code",
                        maxLength=32,
                        debounce=False,
                        className="search__input",
                        spellCheck=False,
                    ),
                    html.Button("Search", id=ids.SEARCH_BUTTON, type="button", className="button", n_clicks=0),
                ],
            ),
            html.P(
                "Type a full postcode, or just its first part such as B15, to see the area around it.",
                className="search__hint",
                id="search-hint",
            ),
            html.Div(id=ids.SEARCH_MESSAGE, className="search__message", role="status", **{"aria-live": "polite"}),
        ],
    )


def controls() -> html.Div:
    """Native buttons with aria-pressed: every control works by keyboard and reads out its state."""
    current = registry.get(registry.DEFAULT_INDICATOR)
    return html.Div(
        className="controls",
        children=[
            html.Details(
                id=ids.INDICATOR_MENU,
                className="control indicator-menu",
                open=False,
                children=[
                    html.Summary(["Colour the map by: ", html.Strong(current.label, id=ids.INDICATOR_CURRENT)]),
                    html.Div(
                        className="indicator-menu__groups",
                        children=[
                            html.Div(
                                role="group",
                                className="indicator-menu__group",
                                **{"aria-labelledby": f"ind-group-{n}"},
                                children=[
                                    html.H3(title, id=f"ind-group-{n}", className="indicator-menu__title"),
                                    *[option(i.label, ids.indicator_option(i.id), i.id == current.id) for i in inds],
                                ],
                            )
                            for n, (title, inds) in enumerate(indicator_groups())
                        ]
                        + [
                            html.Div(
                                role="group",
                                className="indicator-menu__group",
                                **{"aria-labelledby": f"idx-group-{n}"},
                                children=[
                                    html.H3(title, id=f"idx-group-{n}", className="indicator-menu__title"),
                                    *[option(label, ids.indicator_option(mid), False) for mid, label in options],
                                ],
                            )
                            for n, (title, options) in enumerate(service.measure_options())
                        ],
                    ),
                ],
            ),
            html.Div(
                className="control",
                role="group",
                **{"aria-labelledby": "view-label"},
                children=[
                    html.Span("The map shows", id="view-label", className="control__label"),
                    *[option(label, ids.view_option(v), v == "values") for v, label in service.VIEWS.items()],
                ],
            ),
            html.Div(
                className="control",
                role="group",
                **{"aria-labelledby": "radius-label"},
                children=[
                    html.Span("Surrounding area", id="radius-label", className="control__label"),
                    *[option(f"{r:g} km", ids.radius_option(r), r == DEFAULT_RADIUS_KM) for r in RADII_KM],
                ],
            ),
            html.Div(
                className="control",
                role="group",
                **{"aria-labelledby": "layers-label"},
                children=[
                    html.Span("Show nearby strengths on the map", id="layers-label", className="control__label"),
                    *[option(v[0], ids.layer_option(k), False) for k, v in ASSET_KINDS.items()],
                ],
            ),
        ],
    )


def welcome() -> list:
    """The profile before any area is chosen, or after a search that found none."""
    return [
        html.H2("Your area"),
        html.P(
            "Search for a postcode above, or click a small area on the map, to see its risk and protective factors.",
            className="summary",
        ),
    ]


def first_paint() -> tuple[dict, list]:
    """The default layer's hideout and legend, so the map paints before any callback answers."""
    layer = service.map_layer(registry.DEFAULT_INDICATOR, "values")
    return hideout(layer, layer_key(default_layer()), None), legend(legend_title(default_layer(), layer), layer)


def default_layer() -> dict:
    return {
        "indicator": registry.DEFAULT_INDICATOR,
        "view": "values",
        "w": list(service.DEFAULT_WEIGHTS),
        "borough": None,
        "ward": None,
    }


def layer_key(layer: dict) -> str:
    """Names what the map is painted with: measure, view, filter and weights (tests wait for it)."""
    return "|".join(
        [
            layer["indicator"],
            layer["view"],
            layer["borough"] or layer["ward"] or "",
            ",".join(f"{w:g}" for w in layer["w"]),
        ]
    )


def page(cfg: dict, version: str) -> html.Div:
    colours, legend_now = first_paint()
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.STATE),
            dcc.Store(id=ids.CHOICES),
            dcc.Store(id=ids.AREA),
            dcc.Store(id=ids.PLACE),
            dcc.Store(id=ids.INDICATOR, data=default_layer()),
            dcc.Store(id=ids.LAYERS, data=[]),
            html.A("Skip to the area profile", href="#profile", className="skip-link"),
            html.Header(
                className="header",
                children=[
                    html.H1("West Midlands postcode risk-factor explorer"),
                    html.P(
                        "What the area around a postcode looks like: the risks and the strengths that go with "
                        "violence, from official open data.",
                        className="tagline",
                    ),
                    search_bar(),
                ],
            ),
            html.Main(
                id="main",
                className="main",
                children=[
                    html.Div(
                        className="area",
                        children=[
                            html.Section(
                                className="area__profile",
                                id="profile",
                                tabIndex="-1",
                                **{"aria-label": "Area profile"},
                                children=[
                                    dcc.Loading(type="circle", children=html.Div(id=ids.PROFILE, children=welcome())),
                                    dcc.Loading(type="dot", children=html.Div(id=ids.NEARBY, className="nearby")),
                                ],
                            ),
                            html.Section(
                                className="area__map",
                                **{"aria-label": "Map and its controls"},
                                children=[
                                    controls(),
                                    map_panel(colours, version, cfg["EXPLORER_BASEMAP"]),
                                    html.Div(legend_now, id=ids.LEGEND, className="legend", **{"aria-live": "polite"}),
                                    html.Details(
                                        className="map-table",
                                        children=[
                                            html.Summary("The map's values as a table"),
                                            html.Div(
                                                id=ids.MAP_TABLE,
                                                children=html.P(
                                                    "Search for a postcode to list the small areas around it."
                                                ),
                                            ),
                                        ],
                                    ),
                                ],
                            ),
                        ],
                    ),
                    priorities_section(),
                    compare_section(),
                    methods_section(),
                ],
            ),
            html.Footer(
                className="footer",
                children=[
                    html.P(
                        [
                            "Open data from ONS, MHCLG, DfE, OCSI, CDRC, Sport England and others: see ",
                            html.A("methods and sources", href="#methods"),
                            ". Licences marked ⚠ are unconfirmed.",
                        ]
                    ),
                ],
            ),
        ],
    )
