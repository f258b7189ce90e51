"""Methods and sources: the method text, the indicator table from the registry, and each
dataset's provenance."""

from __future__ import annotations

from pathlib import Path

from dash import dcc, html

from geodata.profile import METHOD_NOTES
from geodata.registry import GEOGRAPHY_LABELS, INDICATORS, LEVEL_LABELS
from geodata.sources import SOURCES

from .controls import table_box
from .pages import Site

METHODS = Path(__file__).resolve().parents[1] / "docs" / "methods.md"


def indicator_table() -> html.Div:
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
                    html.Td([i.derivation, *([html.Br(), html.Em("Caveat: "), i.caveat] if i.caveat else [])]),
                ]
            )
        )
    return table_box(f"All {len(INDICATORS)} indicators", list(head), rows, "methods-table")


def methods_page(state: dict, site: Site) -> list:
    return [
        html.H2("Methods and sources", id="page-heading"),
        html.H3("How the numbers are made"),
        html.Ul([html.Li(note) for note in METHOD_NOTES]),
        html.Details(
            children=[
                html.Summary("Hotspots, composite indices, risk versus violence, police.uk rates"),
                dcc.Markdown(METHODS.read_text(encoding="utf-8") if METHODS.exists() else "", className="methods-text"),
            ]
        ),
        html.Details(
            children=[
                html.Summary("Every indicator: definition, period, source and licence"),
                indicator_table(),
            ]
        ),
        html.Details(
            children=[
                html.Summary("Each dataset's provenance: publisher, vintage, licence and the raw files read"),
                provenance_table(),
            ]
        ),
    ]


def provenance_table() -> html.Div:
    head = ("Dataset", "Publisher", "Vintage", "Licence", "Raw files", "Attribution")
    rows = [
        html.Tr(
            [
                html.Td(html.A(s.dataset, href=s.url)),
                html.Td(s.publisher),
                html.Td(s.vintage),
                html.Td(s.licence + ("" if s.licence_confirmed else " ⚠ unconfirmed")),
                html.Td(html.Ul([html.Li(html.Code(f)) for f in s.files]) if s.files else "–"),
                html.Td(s.attribution),
            ]
        )
        for s in SOURCES.values()
    ]
    return table_box(
        f"All {len(SOURCES)} sources (their PROVENANCE.md files sit beside the raw data)",
        list(head),
        rows,
        "methods-table",
    )
