"""Compare: two to four postcodes or areas side by side."""

from __future__ import annotations

from dash import dcc, html

from . import ids
from .controls import table_box
from .pages import Site


def compare_page(state: dict, site: Site) -> list:
    return [
        html.H2("Compare areas", id="page-heading"),
        html.P(
            "Every factor for two to four places side by side, each with where it stands among the 1,719 West "
            "Midlands small areas. A postcode stands for the area within the radius chosen on Your area "
            f"({state['radius']:g} km now).",
            className="muted",
        ),
        html.Label(
            "Two to four postcodes or area codes (small area E01…, ward E05…, borough E08…), separated by semicolons",
            htmlFor=ids.dom_id(ids.compare_input()),
            className="control__label",
        ),
        html.Div(
            className="search__row",
            children=[
                dcc.Input(
                    id=ids.compare_input(),
                    type="text",
                    maxLength=200,
                    className="text-input",
                    placeholder="e.g. B15 2TT; CV1 2AB; E08000028",
                    value="; ".join(state["compare"]),
                ),
                html.Button("Compare", id=ids.compare_button(), n_clicks=0, type="button", className="button"),
            ],
        ),
        dcc.Loading(type="dot", children=html.Div(id=ids.COMPARE_RESULT, role="region", **{"aria-live": "polite"})),
    ]


def compare_table(result: dict) -> list:
    names = [a["name"] for a in result["areas"]]
    body = []
    for g in result["groups"]:
        role = {"risk": "risk factors", "protective": "protective factors", "outcome": "violence and crime"}[g["role"]]
        body.append(
            html.Tr(
                html.Th(
                    f"{g['level_label']}: {role}", colSpan=len(names) + 1, scope="colgroup", className="compare__group"
                )
            )
        )
        for ind in g["indicators"]:
            cells = []
            for v, said in zip(ind["values"], ind["wm_standings"]):
                text = "not available" if v is None else f"{v:,.{ind['decimals']}f}"
                cells.append(html.Td([text, html.Br(), html.Span(said, className="muted")] if said else text))
            body.append(html.Tr([html.Th(f"{ind['label']} ({ind['unit']})", scope="row"), *cells]))
    return [
        table_box(
            "Areas side by side, each with where it stands in the West Midlands",
            ["Indicator", *names],
            body,
            "values-table compare__table",
        ),
        html.P(result["caveat"], className="muted"),
    ]
