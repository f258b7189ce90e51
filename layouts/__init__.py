"""The layout: the shell every page shares (header with search and nav, stores, the page
container, footer), and the pages (layouts/pages.py), as functions of explicit arguments."""

from __future__ import annotations

from dash import dcc, html

from . import ids
from .pages import APP_NAME, Site, page_at, pages


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
                "A full postcode, or its first part such as B15, for the area around it.",
                className="search__hint",
                id="search-hint",
            ),
            html.Div(id=ids.SEARCH_MESSAGE, className="search__message", role="status", **{"aria-live": "polite"}),
        ],
    )


def nav(current: str) -> html.Nav:
    """Plain links to every page; assets/explorer.js turns a click into in-app navigation."""
    return html.Nav(
        className="nav",
        **{"aria-label": "Pages"},
        children=html.Ul(
            [
                html.Li(
                    html.A(
                        p.nav,
                        id=ids.nav_link(p.name),
                        href=p.path,
                        className="nav__link",
                        **{
                            "data-nav": "1",
                            "data-page": p.name,
                            "aria-current": "page" if p.name == current else "false",
                        },
                    )
                )
                for p in pages()
            ]
        ),
    )


def shell() -> html.Div:
    """Everything outside the page: the router (callbacks/router.py) fills ``ids.PAGE``."""
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.PAGE_NAME),
            dcc.Store(id=ids.TITLE),
            dcc.Store(id=ids.STATE),
            dcc.Store(id=ids.CHOICES),
            html.A("Skip to the page's content", href="#main", className="skip-link"),
            html.Header(
                className="header",
                children=[
                    html.Div(
                        className="header__top",
                        children=[
                            html.H1(html.A(APP_NAME, href="/", className="header__name", **{"data-nav": "1"})),
                            nav("area"),
                        ],
                    ),
                    search_bar(),
                ],
            ),
            html.Div(id=ids.URL_NOTICE, className="url-notice", role="status", **{"aria-live": "polite"}),
            html.Main(id="main", className="main", tabIndex="-1", children=html.Div(id=ids.PAGE)),
            html.Footer(
                className="footer",
                children=html.P(
                    [
                        "Open data from ONS, MHCLG, DfE, OCSI, CDRC, Sport England and others: see ",
                        html.A("methods and sources", href="/methods", **{"data-nav": "1"}),
                        ". Licences marked ⚠ are unconfirmed.",
                    ]
                ),
            ),
        ],
    )


__all__ = ["Site", "ids", "layer_key", "page_at", "pages", "search_bar", "shell"]
