"""Plan: hotspots and priorities and the ranked table's CSV; and Compare."""

from __future__ import annotations

from dash import Input, Output, State, callback, dcc, html, no_update

import service
from geodata.profile import AreaNotFound
from layouts import ids
from layouts.compare import compare_table
from layouts.plan import counts_table, plan_links, quadrant_figure, ranked_table, ward_table
from service.urlstate import clean


@callback(
    Output(ids.COUNTS, "children"),
    Output(ids.RANKED, "children"),
    Output(ids.QUADRANT_BOX, "children"),
    Output(ids.QUADRANT_WARDS, "children"),
    Output(ids.PLAN_LINKS, "children"),
    Input(ids.page_state("plan"), "data"),
)
def update_priorities(choices):
    """Drawn as Plan opens and when the planners' choices change."""
    s = clean(choices)
    label = service.measure_label(s["indicator"])
    counts = service.borough_counts(s["indicator"], s["view"], s["w"])
    where = (
        service.ward_label(s["ward"])
        if s["ward"]
        else (service.borough_name(s["borough"]) if s["borough"] else "all seven boroughs")
    )
    ranked = service.ranked_rows(s["indicator"], s["borough"], s["ward"], s["w"], sort=s["sort"])
    caption = (
        f"{label}: small areas in {where}, {service.SORTS[s['sort']][0].lower()} "
        f"(showing {len(ranked['rows'])} of {ranked['total']:,}; rank among {ranked['rank_of']})"
    )
    if s["view"] == "quadrants":
        points = service.quadrant_points(s["borough"], s["ward"])
        chart = dcc.Graph(
            id=ids.quadrant_chart(0),
            figure=quadrant_figure(points, where),
            config={"displaylogo": False},
            style={"height": "460px"},
        )
        wards = ward_table(
            points["ward_columns"], points["ward_rows"], f"Risk versus violence by ward in {where}", s["wsort"]
        )
    else:
        chart, wards = None, []
    return (
        counts_table(counts, f"{service.VIEWS[s['view']]} by borough: {label}"),
        ranked_table(ranked, s, caption),
        chart,
        wards,
        plan_links(s),
    )


@callback(
    Output(ids.CSV_DOWNLOAD, "data"),
    Input(ids.CSV_BUTTON, "n_clicks"),
    State(ids.STATE, "data"),
    prevent_initial_call=True,
)
def download_ranked(n_clicks, state):
    if not n_clicks:
        return no_update
    s = clean(state if isinstance(state, dict) else {})
    text = service.ranked_csv(s["indicator"], s["borough"], s["ward"], s["w"], s["sort"])
    return dcc.send_string(text, f"ranked_{s['indicator']}.csv", type="text/csv")


@callback(
    Output(ids.COMPARE_RESULT, "children"),
    Input(ids.page_state("compare"), "data"),
)
def update_compare(part):
    """The places the URL compares, as Compare opens and when they change."""
    s = clean(part)
    specs = s["compare"]
    if not specs:
        return html.P("Type two to four places above and press Compare.", className="muted")
    if len(specs) < 2:
        return html.P(
            "Type two to four postcodes or area codes, separated by semicolons.", className="message message--error"
        )
    try:
        result = service.compare_areas(specs, s["radius"])
    except (AreaNotFound, ValueError) as exc:
        return html.P(str(exc).strip("'\""), className="message message--error")
    return compare_table(result)
