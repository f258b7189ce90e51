"""Methods and sources: generated from the registry and the sources list."""

from __future__ import annotations

from pathlib import Path

from dash import dcc, html

from geodata.profile import METHOD_NOTES
from geodata.registry import GEOGRAPHY_LABELS, INDICATORS, LEVEL_LABELS
from geodata.sources import SOURCES

from . import ids

METHODS = Path(__file__).resolve().parents[1] / "docs" / "methods.md"


def indicator_table() -> html.Table:
    head = ("Indicator (id)", "Level", "Role", "Geography", "Period", "Source", "Licence", "How it is made")
    rows = []
    for i in INDICATORS:
        s = SOURCES[i.source]
        rows.append(
            html.Tr(
                [
                    html.Td([html.Strong(i.label), html.Br(), html.Code(i.id), html.Br(), i.description]),
                    html.Td(LEVEL_LABELS[i.level]),
                    html.Td(i.role),
                    html.Td(GEOGRAPHY_LABELS[i.geography]),
                    html.Td(i.period),
                    html.Td(html.A(s.publisher, href=s.url)),
                    html.Td(s.licence + ("" if s.licence_confirmed else " ⚠")),
                    html.Td(i.derivation),
                ]
            )
        )
    return html.Table(
        className="methods-table",
        children=[
            html.Caption(f"All {len(INDICATORS)} indicators"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(rows),
        ],
    )


def methods_section() -> html.Section:
    """Closed until opened: its text and table are drawn only then (see methods_body)."""
    return html.Section(
        id="methods",
        className="methods",
        **{"aria-labelledby": "methods-heading"},
        children=[
            html.Details(
                id=ids.METHODS_OPEN,
                open=False,
                children=[
                    html.Summary(html.H2("Methods and sources", id="methods-heading")),
                    html.Div(id=ids.METHODS_BODY),
                ],
            ),
        ],
    )


def methods_body() -> list:
    return [
        html.Details(
            children=[
                html.Summary("How the numbers are made"),
                html.Ul([html.Li(note) for note in METHOD_NOTES]),
            ]
        ),
        html.Details(
            children=[
                html.Summary("Hotspots, composite indices, risk versus violence, police.uk rates"),
                dcc.Markdown(METHODS.read_text(encoding="utf-8") if METHODS.exists() else "", className="methods-text"),
            ]
        ),
        html.Details(
            children=[
                html.Summary("Every indicator: definition, period, source and licence"),
                html.Div(indicator_table(), className="table-scroll"),
            ]
        ),
        html.Details(
            children=[
                html.Summary("Attribution"),
                html.Ul(
                    [
                        html.Li(
                            [
                                html.Strong(s.dataset),
                                f" ({s.publisher}, {s.vintage}). {s.attribution} Licence: {s.licence}.",
                            ]
                        )
                        for s in SOURCES.values()
                    ]
                ),
            ]
        ),
    ]
