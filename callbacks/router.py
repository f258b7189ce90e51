"""The router: the page for the URL's path, drawn from the state its query carries.

Dash Pages' own router draws the page again on every change of the query string, which
would rebuild the map at each switch of measure; this one follows the path alone, and the
callbacks of each page follow the state.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc
from flask import current_app

from layouts import ids
from layouts.pages import Page, Site, not_found, page_at, title_of
from service.urlstate import parse_query

from .state import PAGE_PARTS


def site() -> Site:
    return current_app.config["EXPLORER_SITE"]


@callback(
    Output(ids.PAGE, "children"),
    Output(ids.PAGE_NAME, "data"),
    Input(ids.URL, "pathname"),
    State(ids.URL, "search"),
)
def route(pathname, search):
    """The page, with its own store of the state it draws from: that store's callbacks run as
    the page appears, and again only when update_state writes a new value into it."""
    page = page_at(pathname)
    if page is None:
        return not_found(str(pathname)), {"name": "not-found", "title": title_of(None)}
    return render(page, parse_query(search), site()), {"name": page.name, "title": title_of(page)}


def render(page: Page, state: dict, where: Site) -> list:
    """A page drawn from a state, with its own store of the part of the state it draws from."""
    part = PAGE_PARTS.get(page.name)
    own = [dcc.Store(id=ids.page_state(page.name), data={**part(state), "fresh": True})] if part else []
    return [*own, *page.layout(state, where)]


# The document's title, and the nav's links: each carries the query, so the place and choices
# go with the reader from page to page, and the current page is marked for screen readers.
clientside_callback(
    ClientsideFunction("explorer", "title"),
    Output(ids.TITLE, "data"),
    Input(ids.PAGE_NAME, "data"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction("explorer", "nav"),
    Output(ids.nav_link(ALL), "href"),
    Output(ids.nav_link(ALL), "aria-current"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
    State(ids.nav_link(ALL), "id"),
)
