"""Plan (the delivery team's page): hotspots, risk against violence, the ranked table, filters and weights."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import plotly.graph_objects as go
from dash import dcc, html

import service
from geodata import load
from geodata.registry import DEFAULT_INDICATOR, LEVEL_LABELS, LEVELS, get
from service.urlstate import WARD_SORTS, WEIGHT_MAX, WEIGHT_STEP, layer_of, to_query

from . import ids
from .controls import option, table_box
from .mapview import button_group, indicator_menu, map_section, view_options
from .pages import Site


def plan_page(state: dict, site: Site) -> list:
    """The delivery team's page: the map by measure and view, filters and weights, then the counts,
    the risk-against-violence chart and every small area ranked."""
    data = load()
    return [
        html.H2("Plan: hotspots and priorities", id="page-heading"),
        html.P(
            "Where the chosen measure clusters (Getis-Ord Gi* hot and cold spots with false discovery rate control), "
            "which high-risk neighbourhoods also have high violence, and every small area ranked.",
            className="muted",
        ),
        html.Div(
            className="plan",
            children=[
                html.Div(
                    className="plan__filters",
                    children=[
                        button_group(
                            "Borough",
                            "borough-filter-label",
                            [option("All seven", ids.borough_option("all"), not state["borough"])]
                            + [
                                option(name, ids.borough_option(code), code == state["borough"])
                                for code, name in sorted(data.lad_names.items(), key=lambda x: x[1])
                            ],
                        ),
                        html.Div(
                            className="control",
                            children=[
                                html.Label(
                                    "Ward (type a name, then press Enter; empty for all)",
                                    htmlFor=ids.dom_id(ids.ward_input()),
                                    className="control__label",
                                ),
                                dcc.Input(
                                    id=ids.ward_input(),
                                    type="text",
                                    list=ids.WARD_LIST,
                                    maxLength=80,
                                    debounce=True,
                                    className="text-input",
                                    autoComplete="off",
                                    value=service.ward_label(state["ward"]) if state["ward"] else "",
                                ),
                                html.Datalist(id=ids.WARD_LIST, children=ward_options()),
                                html.Div(id=ids.ward_message(), role="status", **{"aria-live": "polite"}),
                            ],
                        ),
                        weights_box(state["w"]),
                    ],
                ),
                map_section(
                    layer_of(state, "plan"),
                    site,
                    "plan",
                    [indicator_menu(state["indicator"], with_indices=True), view_options(state["view"])],
                ),
            ],
        ),
        html.P(service.police_status(), id=ids.POLICE_STATUS, className="muted"),
        html.H3("How many, and where", id="plan-counts"),
        dcc.Loading(type="dot", children=html.Div(id=ids.COUNTS, className="counts")),
        html.Div(id=ids.QUADRANT_BOX),
        html.Div(id=ids.QUADRANT_WARDS, className="counts"),
        html.H3("Every small area, ranked", id="plan-ranked"),
        button_group(
            "Order the table",
            "sort-label",
            [option(label, ids.sort_option(key), key == state["sort"]) for key, (label, *_) in service.SORTS.items()],
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
        *change_section(),
        html.H3("A plan on paper", id="plan-print"),
        html.Div(id=ids.PLAN_LINKS, children=plan_links(state)),
    ]


def plan_links(state: dict) -> html.Div:
    """Links to the chosen borough's or ward's plan (PDF and XLSX), with the page's choices."""
    kind, code = ("ward", state["ward"]) if state["ward"] else ("borough", state["borough"])
    if not code:
        return html.Div(
            html.P("Choose a borough or a ward above to print its plan (PDF) or download it (XLSX).", className="muted")
        )
    query = {k: v for k, v in parse_qsl(to_query(state).lstrip("?")) if k in ("indicator", "view", "w", "sort")}
    where = service.ward_label(code) if kind == "ward" else service.borough_name(code)
    return html.Div(
        [
            html.A(
                f"The plan for {where} ({label})",
                href=f"/api/v1/plans/{kind}/{code}/plan.{fmt}?{urlencode(query)}",
                className="button button--secondary",
                download="",
            )
            for fmt, label in (("pdf", "PDF, to print"), ("xlsx", "XLSX, every row"))
        ],
        className="plan-links",
    )


def weights_box(weights: tuple[float, ...]) -> html.Details:
    return html.Details(
        className="weights",
        open=tuple(weights) != service.DEFAULT_WEIGHTS,
        children=[
            html.Summary("Index weights by level (composite indices only)"),
            html.P(
                "Each level's factors count equally by default (weight 1). Set a level to 0 to leave it out, "
                "below 1 to count it less or up to 3 to count it more, in steps of 0.5; the table's rank range shows how much the ranking depends "
                "on the weights.",
                className="muted",
            ),
            html.Div(
                className="weights__grid",
                children=[
                    html.Div(
                        [
                            html.Label(LEVEL_LABELS[lv], htmlFor=ids.dom_id(ids.weight_input(lv))),
                            dcc.Input(
                                id=ids.weight_input(lv),
                                type="number",
                                min=0,
                                max=WEIGHT_MAX,
                                step=WEIGHT_STEP,
                                value=w,
                                className="text-input",
                            ),
                        ]
                    )
                    for lv, w in zip(LEVELS, weights)
                ],
            ),
            html.Button("Apply weights", id=ids.weights_apply(), n_clicks=0, type="button", className="button"),
            html.Div(id=ids.weights_message(), role="status", **{"aria-live": "polite"}),
        ],
    )


def ward_options() -> list[html.Option]:
    """The 192 wards for the ward box's suggestions, as "Edgbaston (Birmingham)"."""
    return [html.Option(value=w) for w in sorted(service.ward_label(code) for code in load().ward_names)]


def counts_table(counts: dict, caption: str) -> html.Table | html.P:
    if not counts["rows"]:
        return html.P(
            "Choose “Hot and cold spots” or “Risk versus violence” under “The map shows” to see counts by borough.",
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


# Which column each order of the table sorts (its heading gets aria-sort).
SORTED_COLUMN = {"concern": 0, "high": 4, "low": 4, "area": 1, "ward": 2, "borough": 3}


def ward_table(columns: list[str], rows: list[list], caption: str, wsort: str) -> html.Div:
    """Counts by ward ([ward, borough, count, ...], the counts most concern first), the wards
    with most of the first count first (then the next), or by name, with the buttons that
    change the order."""
    # concern: the counts in column order, the last ("neither") left out, most first
    key = {
        "concern": lambda r: (*(-v for v in r[2:-1]), r[0]),
        "ward": lambda r: (r[0], r[1]),
        "borough": lambda r: (r[1], r[0]),
    }
    ordered = sorted(rows, key=key[wsort])
    sorted_at = {"concern": 2, "ward": 0, "borough": 1}[wsort]
    order = "descending" if wsort == "concern" else "ascending"
    heads = [html.Th(c, scope="col", **({"aria-sort": order} if i == sorted_at else {})) for i, c in enumerate(columns)]
    body = [
        html.Tr([html.Th(r[0], scope="row"), *[html.Td(f"{v:,}" if isinstance(v, int) else v) for v in r[1:]]])
        for r in ordered
    ]
    return html.Div(
        [
            button_group(
                "Order the wards",
                "ward-sort-label",
                [option(label, ids.ward_sort_option(k), k == wsort) for k, label in WARD_SORTS.items()],
            ),
            table_box(caption, heads, body),
        ]
    )


def ranked_table(ranked: dict, state: dict, caption: str, extra: tuple[str, dict] | None = None) -> html.Div:
    """The ranked small areas. Each name opens its profile on Your area by a link that keeps every
    choice (measure, view, filters, weights, order) in its query, so Back and the nav's Plan link
    return to this same table."""
    head = ["Rank", "Small area", "Ward", "Borough", f"Value ({ranked['unit']})"]
    if ranked["has_range"]:
        head.append("Rank range when weights vary (5th–95th percentile)")
    if extra:  # e.g. each area's hot-spot class and p-value
        head.append(extra[0])
    rows = []
    for r in ranked["rows"]:
        values = [
            r["rank"] if r["rank"] is not None else "–",
            html.A(
                r["name"],
                href="/" + to_query({**state, "postcode": None, "lsoa": r["code"]}),
                **{"data-nav": "1"},
            ),
            r["ward"],
            r["borough"],
            "not available" if r["value"] is None else f"{r['value']:,}",
        ]
        if ranked["has_range"]:
            values.append(f"{r['range'][0]:,}–{r['range'][1]:,}" if r["range"] else "–")
        if extra:
            values.append(extra[1].get(r["code"], "–"))
        # data-label: on a phone each row stacks as a card, every cell with its column's name
        rows.append(html.Tr([html.Td(v, **{"data-label": h}) for v, h in zip(values, head)]))
    order = "descending" if state["sort"] == "high" else "ascending"
    sorted_at = SORTED_COLUMN[state["sort"]]
    heads = [html.Th(h, scope="col", **({"aria-sort": order} if i == sorted_at else {})) for i, h in enumerate(head)]
    return table_box(caption, heads, rows, "values-table ranked-table")


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
        yaxis_title=f"{points['violence_label']} ({get(DEFAULT_INDICATOR).unit})",  # service.quadrant_points' measure
        margin={"l": 60, "r": 10, "t": 40, "b": 50},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2},
        uirevision="quadrants",
    )
    return fig


# ---------------------------------------------------------------------------- change over time

CHANGE_ROWS = 15


def change_section() -> list:
    """IoD 2019 to 2025 for the chosen area's small areas, and a borough indicator's LAIT series."""
    domains = service.iod_domains()
    series = service.series_indicators()
    domain = "imd" if "imd" in dict(domains) else (domains[0][0] if domains else None)
    first = series[0][0] if series else None
    return [
        html.H3("Change over time", id="plan-change"),
        dcc.Store(id=ids.CHANGE_CHOICE, data={"domain": domain, "series": first}),
        button_group(
            "Deprivation domain (IoD 2019 to 2025)",
            "change-domain-label",
            [option(lab, ids.change_option("domain", d), d == domain) for d, lab in domains],
        ),
        dcc.Loading(type="dot", children=html.Div(id=ids.CHANGE_BOX)),
        button_group(
            "Borough figure over the years (LAIT)",
            "series-label",
            [option(lab, ids.change_option("series", i), i == first) for i, lab in series],
        ),
        dcc.Loading(type="dot", children=html.Div(id=ids.SERIES_BOX)),
    ]


def change_table(change: dict, keep: set[str], where: str) -> html.Div:
    """The small areas of ``keep`` whose national decile moved most (worst first), with a summary."""
    rows = [r for r in change["rows"] if r["code"] in keep]
    names = dict(zip(load().areas.lsoa21_code, load().areas.lsoa21_name, strict=True))
    down = sum(r["decile_change"] < 0 for r in rows)
    up = sum(r["decile_change"] > 0 for r in rows)
    rows.sort(key=lambda r: (r["rank_change"] if r["rank_change"] is not None else 0.0, r["code"]))
    head = ["Small area", "Decile 2019", "Decile 2025", "National rank 2019 → 2025", "Boundary"]
    body = [
        html.Tr(
            [
                html.Th(names.get(r["code"], r["code"]), scope="row"),
                html.Td(r["decile_2019"]),
                html.Td(r["decile_2025"]),
                html.Td(
                    f"{r['rank_2019']:,} of {change['england']['2019']:,} → {r['rank_2025']:,} of {change['england']['2025']:,}"
                ),
                html.Td(change["flags"][r["change_code"]]),
            ]
        )
        for r in rows[:CHANGE_ROWS]
    ]
    return html.Div(
        [
            html.P(
                f"{change['label']}: of the {len(rows):,} small areas in {where}, {down:,} moved to a more deprived "
                f"national decile between IoD 2019 and IoD 2025, {up:,} to a less deprived one and "
                f"{len(rows) - down - up:,} stayed in the same decile.",
            ),
            table_box(f"The {min(CHANGE_ROWS, len(rows))} that fell furthest against England ({where})", head, body),
            html.P(change["caveat"], className="muted"),
        ]
    )


def series_figure(series: dict, borough: str | None) -> go.Figure:
    """One line per borough (the chosen one bold), West Midlands and England dashed."""
    fig = go.Figure()
    order = {p: n for n, p in enumerate(series["periods"])}
    for area in series["areas"]:
        pts = sorted((r for r in series["rows"] if r["area_code"] == area["code"]), key=lambda r: order[r["period"]])
        chosen = area["code"] == borough
        is_borough = area["type"] == "local_authority"
        fig.add_trace(
            go.Scatter(
                x=[r["period"] for r in pts],
                y=[r["value"] for r in pts],
                name=area["name"],
                mode="lines+markers",
                line={
                    "width": 4 if chosen or not is_borough else 1.5,
                    "dash": "solid" if is_borough else ("dash" if area["type"] == "region" else "dot"),
                    "color": None if is_borough else ("#1a1a1a" if area["type"] == "country" else "#505a5f"),
                },
                opacity=1 if chosen or not is_borough or not borough else 0.45,
                hovertemplate=f"{area['name']}, %{{x}}: %{{y}} {series['unit']}<extra></extra>",
            )
        )
    better = "lower is better" if series["higher_is_worse"] else "higher is better"
    fig.update_layout(
        title={"text": f"{series['label']}: the seven boroughs, the West Midlands and England", "font": {"size": 14}},
        yaxis_title=f"{series['unit']} ({better})",
        margin={"l": 60, "r": 10, "t": 40, "b": 50},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.25},
    )
    return fig
