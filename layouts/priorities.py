"""Hotspots and priorities (for the delivery team) and Compare areas."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

import service
from geodata import load
from geodata.registry import LEVEL_LABELS, LEVELS

from . import ids


def pressed(on: bool) -> dict:
    """aria-pressed for a toggle button (every control on the page is one)."""
    return {"aria-pressed": "true" if on else "false"}


def option(label: object, id_: dict, on: bool) -> html.Button:
    """One choice of a group of toggle buttons; the callbacks set aria-pressed as choices change."""
    return html.Button(label, id=id_, n_clicks=0, type="button", className="option", **pressed(on))


def priorities_section() -> html.Section:
    data = load()
    # Closed until a planner opens it (or a link carries planning choices): its tables are
    # computed and drawn only then, so the map and profile a resident came for draw first.
    return html.Section(
        id=ids.PRIORITIES,
        className="priorities",
        **{"aria-labelledby": "priorities-heading"},
        children=html.Details(
            id=ids.PRIORITIES_OPEN,
            open=False,
            children=[
                html.Summary(html.H2("Hotspots and priorities (for planners)", id="priorities-heading")),
                html.P(
                    "For planning: where the chosen measure clusters (Getis-Ord Gi* hot and cold spots with false "
                    "discovery rate control), which high-risk neighbourhoods also have high violence, and every small "
                    "area ranked. Choose the measure and what the map shows above the map; filter here.",
                    className="muted",
                ),
                html.Div(
                    className="control",
                    role="group",
                    **{"aria-labelledby": "borough-filter-label"},
                    children=[
                        html.Span("Borough", id="borough-filter-label", className="control__label"),
                        option("All seven", ids.borough_option("all"), True),
                        *[
                            option(name, ids.borough_option(code), False)
                            for code, name in sorted(data.lad_names.items(), key=lambda x: x[1])
                        ],
                    ],
                ),
                html.Div(
                    className="control",
                    children=[
                        html.Label(
                            "Ward (type a name, then press Enter; empty for all)",
                            htmlFor=ids.WARD_INPUT,
                            className="control__label",
                        ),
                        dcc.Input(
                            id=ids.WARD_INPUT,
                            type="text",
                            list=ids.WARD_LIST,
                            maxLength=80,
                            debounce=True,
                            className="text-input",
                            autoComplete="off",
                        ),
                        html.Datalist(id=ids.WARD_LIST),  # filled when the section opens (ward_options)
                        html.Div(id=ids.WARD_MESSAGE, role="status", **{"aria-live": "polite"}),
                    ],
                ),
                html.Details(
                    className="weights",
                    children=[
                        html.Summary("Index weights by level (composite indices only)"),
                        html.P(
                            "Each level's factors count equally by default (weight 1). Set a level to 0 to leave it out, "
                            "or to 2 or 3 to count it more; the table's rank range shows how much the ranking depends "
                            "on the weights.",
                            className="muted",
                        ),
                        html.Div(
                            className="weights__grid",
                            children=[
                                html.Div(
                                    [
                                        html.Label(LEVEL_LABELS[lv], htmlFor=wid),
                                        dcc.Input(
                                            id=wid,
                                            type="number",
                                            min=0,
                                            max=3,
                                            step=0.5,
                                            value=1,
                                            className="text-input",
                                        ),
                                    ]
                                )
                                for lv, wid in zip(LEVELS, ids.WEIGHT_INPUTS)
                            ],
                        ),
                        html.Button(
                            "Apply weights", id=ids.WEIGHTS_APPLY, n_clicks=0, type="button", className="button"
                        ),
                    ],
                ),
                html.P(service.police_status(), id=ids.POLICE_STATUS, className="muted"),
                dcc.Loading(type="dot", children=html.Div(id=ids.COUNTS, className="counts")),
                html.Div(id=ids.QUADRANT_BOX),
                html.Div(id=ids.QUADRANT_WARDS, className="table-scroll counts"),
                html.Div(
                    className="control",
                    role="group",
                    **{"aria-labelledby": "sort-label"},
                    children=[
                        html.Span("Order the table", id="sort-label", className="control__label"),
                        *[
                            option(label, ids.sort_option(key), key == "concern")
                            for key, (label, _) in service.SORTS.items()
                        ],
                    ],
                ),
                dcc.Loading(type="dot", children=html.Div(id=ids.RANKED, className="ranked")),
                html.Button(
                    "Download the full ranked table (CSV)",
                    id=ids.CSV_BUTTON,
                    n_clicks=0,
                    type="button",
                    className="button button--secondary",
                ),
                dcc.Download(id=ids.CSV_DOWNLOAD),
            ],
        ),
    )


def ward_options() -> list[html.Option]:
    """The 192 wards for the ward box's suggestions, as "Edgbaston (Birmingham)"."""
    return [html.Option(value=w) for w in sorted(service.ward_label(code) for code in load().ward_names)]


def compare_section() -> html.Section:
    return html.Section(
        id="compare",
        className="compare",
        **{"aria-labelledby": "compare-heading"},
        children=[
            html.H2("Compare areas", id="compare-heading"),
            html.Label(
                "Two to four postcodes or area codes (small area E01…, ward E05…, borough E08…), separated "
                "by semicolons",
                htmlFor=ids.COMPARE_INPUT,
                className="control__label",
            ),
            html.Div(
                className="search__row",
                children=[
                    dcc.Input(
                        id=ids.COMPARE_INPUT,
                        type="text",
                        maxLength=200,
                        className="text-input",
                        placeholder="e.g. B15 2TT; CV1 2AB; E08000028",
                    ),
                    html.Button("Compare", id=ids.COMPARE_BUTTON, n_clicks=0, type="button", className="button"),
                ],
            ),
            dcc.Loading(type="dot", children=html.Div(id=ids.COMPARE_RESULT, role="region", **{"aria-live": "polite"})),
        ],
    )


def counts_table(counts: dict, caption: str) -> html.Table | html.P:
    if not counts["rows"]:
        return html.P(
            "Choose “Hot and cold spots” or “Risk versus violence” above the map to see counts by borough.",
            className="muted",
        )
    return html.Table(
        className="values-table",
        children=[
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(c, scope="col") for c in counts["columns"]])),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(r[0], scope="row"), *[html.Td(f"{v:,}" if isinstance(v, int) else v) for v in r[1:]]]
                    )
                    for r in counts["rows"]
                ]
            ),
        ],
    )


def ranked_table(ranked: dict, indicator: str, caption: str) -> html.Div:
    head = ["Rank", "Small area", "Ward", "Borough", f"Value ({ranked['unit']})"]
    if ranked["has_range"]:
        head.append("Rank range when weights vary (5th–95th percentile)")
    rows = []
    for r in ranked["rows"]:
        cells = [
            html.Td(r["rank"] if r["rank"] is not None else "–"),
            html.Td(html.A(r["name"], href=f"?lsoa={r['code']}&indicator={indicator}#profile")),
            html.Td(r["ward"]),
            html.Td(r["borough"]),
            html.Td("not available" if r["value"] is None else f"{r['value']:,}"),
        ]
        if ranked["has_range"]:
            cells.append(html.Td(f"{r['range'][0]:,}–{r['range'][1]:,}" if r["range"] else "–"))
        rows.append(html.Tr(cells))
    return html.Div(
        className="table-scroll",
        children=html.Table(
            className="values-table",
            children=[
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
        ),
    )


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
            for v, p in zip(ind["values"], ind["wm_percentiles"]):
                text = "not available" if v is None else f"{v:,.{ind['decimals']}f}"
                if p is not None:
                    text += f" (worse than {p:.0f}%)"
                cells.append(html.Td(text))
            body.append(html.Tr([html.Th(f"{ind['label']} ({ind['unit']})", scope="row"), *cells]))
    return [
        html.Table(
            className="values-table compare__table",
            children=[
                html.Caption("Areas side by side; percentages say how many West Midlands small areas are better"),
                html.Thead(html.Tr([html.Th("Indicator", scope="col"), *[html.Th(n, scope="col") for n in names]])),
                html.Tbody(body),
            ],
        ),
        html.P(result["caveat"], className="muted"),
    ]


def quadrant_figure(points: dict, where: str) -> go.Figure:
    """Risk index against violence, one point per small area, split at the West Midlands medians."""
    fig = go.Figure()
    for key, colour in zip(service.QUADRANT_ORDER, service.QUADRANT_COLOURS):
        g = points["groups"][key]
        fig.add_trace(
            go.Scatter(
                x=g["x"],
                y=g["y"],
                text=g["text"],
                customdata=g["codes"],
                mode="markers",
                name=f"{g['label']} ({len(g['codes']):,})",
                marker={"color": colour, "size": 6, "line": {"width": 0.5, "color": "#505a5f"}},
                hovertemplate="%{text}<br>risk %{x:.1f}, violence %{y:.1f}<extra></extra>",
            )
        )
    fig.add_vline(x=points["risk_threshold"], line_dash="dash", line_color="#505a5f")
    fig.add_hline(y=points["violence_threshold"], line_dash="dash", line_color="#505a5f")
    fig.update_layout(
        title={
            "text": f"Risk against violence: small areas in {where} (click a point to open its profile)",
            "font": {"size": 14},
        },
        xaxis_title=f"{points['risk_label']} (0–100, higher is more risk)",
        yaxis_title=f"{points['violence_label']} (per 1,000 residents)",
        margin={"l": 60, "r": 10, "t": 40, "b": 50},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2},
        uirevision="quadrants",
    )
    return fig
