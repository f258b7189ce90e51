"""The explorer's pages: one entry each, registered with Dash Pages (``dash.register_page``), so
the header's nav, the router, the document titles, the 404 page and the tests read one list.

Each page's layout is a function of the clean view state (service/urlstate.py) and the site
(data version, basemap), so a page opened from a link is drawn as the link says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dash
from dash import html

APP_NAME = "West Midlands postcode risk-factor explorer"


@dataclass(frozen=True)
class Site:
    """What pages need besides the state: the data version (geometry URLs) and the basemap."""

    version: str
    basemap: str = "none"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    nav: str  # its link in the header
    title: str  # the document's title, before the app's name
    description: str
    layout: Callable[[dict, Site], list]
    shows_place: bool  # a search on another page opens Your area; on this one it stays


def _pages() -> tuple[Page, ...]:
    from . import area, compare, download, methods, plan

    return (
        Page(
            "area",
            "/",
            "Your area",
            "Your area",
            "How the area around a West Midlands postcode compares, level by level, and the strengths nearby.",
            area.area_page,
            True,
        ),
        Page(
            "plan",
            "/plan",
            "Plan",
            "Plan: hotspots and priorities",
            "For the violence reduction unit's delivery team: hot and cold spots, risk against violence, every "
            "small area ranked, filters and weights.",
            plan.plan_page,
            False,
        ),
        Page(
            "compare",
            "/compare",
            "Compare",
            "Compare areas",
            "Two to four postcodes or areas side by side.",
            compare.compare_page,
            False,
        ),
        Page(
            "download",
            "/download",
            "Download and API",
            "Download and API",
            "Every export for the current place, the JSON API and its OpenAPI description, the command line, "
            "attribution and licences.",
            download.download_page,
            True,
        ),
        Page(
            "methods",
            "/methods",
            "Methods and sources",
            "Methods and sources",
            "How the numbers are made, every indicator from the registry, and each dataset's provenance.",
            methods.methods_page,
            False,
        ),
    )


@lru_cache(maxsize=1)
def pages() -> tuple[Page, ...]:
    """Every page, in the nav's order (built on first use: the page modules import this one)."""
    return _pages()


def register() -> None:
    """Enter every page in Dash Pages' registry (``dash.page_registry``)."""
    for p in pages():
        dash.register_page(
            p.name,
            path=p.path,
            name=p.nav,
            title=title_of(p),
            description=p.description,
            layout=html.Div(),  # drawn by the router from the state (callbacks/router.py)
        )


def page_at(path: object) -> Page | None:
    """The page at a URL path, or None (a 404)."""
    clean = "/" + str(path or "/").strip("/") if isinstance(path, str) else "/"
    return next((p for p in pages() if p.path == clean), None)


def by_name(name: str) -> Page:
    return next(p for p in pages() if p.name == name)


def title_of(page: Page | None) -> str:
    return f"{page.title} · {APP_NAME}" if page else f"Page not found · {APP_NAME}"


def not_found(path: str) -> list:
    """What an unknown path shows: what went wrong and every page there is."""
    return [
        html.H2("There is no page at this address", id="page-heading"),
        html.P(f"Nothing is published at {str(path)[:80]}. These are the explorer's pages:"),
        html.Ul([html.Li([html.A(p.nav, href=p.path, **{"data-nav": "1"}), " — ", p.description]) for p in pages()]),
    ]
