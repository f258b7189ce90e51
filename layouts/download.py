"""Download and API (partners): every export for the current place, the JSON API from its
OpenAPI description, the command line, and attribution and licences."""

from __future__ import annotations

from dash import dcc, html

from geodata.cli import commands
from geodata.sources import SOURCES
from web.api.openapi import document
from web.api.responses import PREFIX

from . import ids
from .pages import Site
from .profile import export_links


def download_page(state: dict, site: Site) -> list:
    return [
        html.H2("Download and API", id="page-heading"),
        html.Section(
            **{"aria-labelledby": "exports-heading"},
            children=[
                html.H3("This place's profile", id="exports-heading"),
                dcc.Loading(type="dot", children=html.Div(id=ids.DOWNLOADS, children=no_place())),
            ],
        ),
        api_section(),
        cli_section(),
        attribution_section(),
    ]


def no_place() -> html.P:
    return html.P("Search for a postcode above to download its profile as PDF, spreadsheet, CSV, GeoJSON or all.")


def exports(profile: dict) -> list:
    return [
        html.P(f"Every figure for {profile['area']['name']}, with its source, period and licence:"),
        html.Ul([html.Li(html.A(label, href=url, download="")) for label, url in export_links(profile)]),
    ]


def api_section() -> html.Section:
    """The API's operations, read from the OpenAPI document the API itself serves."""
    doc = document()
    ops = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            ops.append(
                html.Details(
                    className="api-op",
                    children=[
                        html.Summary([html.Code(f"{method.upper()} {PREFIX}{path}"), f" — {op.get('summary', '')}"]),
                        dcc.Markdown(op.get("description", ""), className="api-op__text"),
                        html.Ul(
                            [
                                html.Li(
                                    [
                                        html.Code(p["name"]),
                                        f" ({p['in']}{', required' if p.get('required') else ''}): ",
                                        p.get("description", ""),
                                    ]
                                )
                                for p in params
                            ]
                        )
                        if params
                        else None,
                    ],
                )
            )
    return html.Section(
        className="api",
        **{"aria-labelledby": "api-heading"},
        children=[
            html.H3("The JSON API", id="api-heading"),
            html.P(
                [
                    f"{doc['info']['title']}, version {doc['info']['version']}. Open data, no key; rate-limited per "
                    "address. The machine-readable description: ",
                    html.A(f"{PREFIX}/openapi.json", href=f"{PREFIX}/openapi.json"),
                    ".",
                ]
            ),
            *ops,
        ],
    )


def cli_section() -> html.Section:
    items = [
        html.Li(
            [
                html.Code(f"python -m geodata {name}"),
                f" — {text}.",
                html.Ul([html.Li([html.Code(opt), f": {what}" if what else ""]) for opt, what in options])
                if options
                else None,
            ]
        )
        for name, text, options in commands()
    ]
    return html.Section(
        **{"aria-labelledby": "cli-heading"},
        children=[
            html.H3("The command line", id="cli-heading"),
            html.P("From a checkout of the explorer (see its README), the same data without the web app:"),
            html.Ul(items),
        ],
    )


def attribution_section() -> html.Section:
    return html.Section(
        **{"aria-labelledby": "attribution-heading"},
        children=[
            html.H3("Attribution and licences", id="attribution-heading"),
            html.P("Anything you publish from these downloads must carry the attribution of each source it uses."),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(s.dataset),
                            f" ({s.publisher}, {s.vintage}). {s.attribution} Licence: {s.licence}"
                            + ("" if s.licence_confirmed else " ⚠ unconfirmed")
                            + ".",
                        ]
                    )
                    for s in SOURCES.values()
                ]
            ),
        ],
    )
