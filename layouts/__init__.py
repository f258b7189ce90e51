"""The page: functions of explicit arguments returning components."""

from __future__ import annotations

from dash import dcc, html

from geodata import registry
from geodata.profile import DEFAULT_RADIUS_KM, RADII_KM
from geodata.registry import LEVEL_LABELS, LEVELS

from . import ids
from .mapfig import ASSET_KINDS, map_figure
from .methods import methods_section


def indicator_options() -> list[dict]:
    """Map-able indicators grouped by level and role; group headings are disabled options."""
    groups = [("Violence and crime (outcomes)", [i for i in registry.mappable() if i.role == "outcome"])]
    for level in LEVELS:
        for role in ("risk", "protective"):
            inds = [i for i in registry.mappable() if i.level == level and i.role == role]
            if inds:
                groups.append((f"{LEVEL_LABELS[level]}: {role} factors", inds))
    options: list[dict] = []
    for n, (title, inds) in enumerate(groups):
        options.append({"label": f"— {title} —", "value": f"__group{n}", "disabled": True})
        options += [{"label": i.label, "value": i.id} for i in inds]
    return options


def search_bar() -> html.Div:
    # A div, not a form: Enter is handled by the input's n_submit, with no page reload.
    return html.Div(id=ids.SEARCH_FORM, className="search", role="search", children=[
        html.Label("Enter a West Midlands postcode", htmlFor=ids.SEARCH_INPUT, className="search__label"),
        html.Div(className="search__row", children=[
            dcc.Input(id=ids.SEARCH_INPUT, type="text", placeholder="e.g. B15 2TT, CV1 2 or B15",
                      autoComplete="postal-code", maxLength=32, debounce=False, className="search__input",
                      spellCheck=False),
            html.Button("Search", id=ids.SEARCH_BUTTON, type="button", className="button", n_clicks=0),
        ]),
        html.P("Type a full postcode, or just its first part such as B15, to see the area around it.",
               className="search__hint", id="search-hint"),
        html.Div(id=ids.SEARCH_MESSAGE, className="search__message", role="status", **{"aria-live": "polite"}),
    ])


def controls() -> html.Div:
    return html.Div(className="controls", children=[
        html.Div(className="control", children=[
            html.Label("Colour the map by", htmlFor=ids.INDICATOR, id="indicator-label"),
            dcc.Dropdown(id=ids.INDICATOR, options=indicator_options(), value=registry.DEFAULT_INDICATOR,
                         clearable=False, searchable=True, className="indicator-picker"),
        ]),
        html.Fieldset(className="control", children=[
            html.Legend("Surrounding area"),
            dcc.RadioItems(id=ids.RADIUS, options=[{"label": f"{r:g} km", "value": r} for r in RADII_KM],
                           value=DEFAULT_RADIUS_KM, inline=True, className="radios"),
        ]),
        html.Fieldset(className="control", children=[
            html.Legend("Show nearby strengths on the map"),
            dcc.Checklist(id=ids.LAYERS, options=[{"label": v[0], "value": k} for k, v in ASSET_KINDS.items()],
                          value=[], inline=True, className="checks"),
        ]),
    ])


def page(cfg: dict) -> html.Div:
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STATE),
        dcc.Store(id=ids.PLACE),
        html.A("Skip to the area profile", href="#profile", className="skip-link"),
        html.Header(className="header", children=[
            html.H1("West Midlands postcode risk-factor explorer"),
            html.P("What the area around a postcode looks like: the risks and the strengths that go with "
                   "violence, from official open data.", className="tagline"),
            search_bar(),
        ]),
        html.Main(id="main", className="main", children=[
            html.Div(className="area", children=[
                html.Section(className="area__profile", id="profile", tabIndex="-1",
                             **{"aria-label": "Area profile"}, children=[
                    dcc.Loading(type="circle", children=html.Div(id=ids.PROFILE, children=[
                        html.H2("Your area"),
                        html.P("Search for a postcode above, or click a small area on the map, to see its "
                               "risk and protective factors.", className="summary"),
                    ])),
                    dcc.Loading(type="dot", children=html.Div(id=ids.NEARBY, className="nearby")),
                ]),
                html.Section(className="area__map", **{"aria-label": "Map"}, children=[
                    controls(),
                    dcc.Graph(
                        id=ids.MAP, figure=map_figure(registry.DEFAULT_INDICATOR, cfg["EXPLORER_BASEMAP"]),
                        className="map", style={"height": "68vh", "minHeight": "320px"},
                        config={"displaylogo": False, "scrollZoom": True,
                                "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
                        responsive=True),
                    html.P(id=ids.LEGEND, className="legend", **{"aria-live": "polite"}),
                    html.Details(className="map-table", children=[
                        html.Summary("The map's values as a table"),
                        html.Div(id=ids.MAP_TABLE, children=html.P(
                            "Search for a postcode to list the small areas around it.")),
                    ]),
                ]),
            ]),
            methods_section(),
        ]),
        html.Footer(className="footer", children=[
            html.P(["Open data from ONS, MHCLG, DfE, OCSI, CDRC, Sport England and others: see ",
                    html.A("methods and sources", href="#methods"), ". Licences marked ⚠ are unconfirmed."]),
        ]),
    ])
