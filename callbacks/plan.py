"""Plan: hotspots and priorities and the ranked table's CSV; and Compare."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import service
from geodata.profile import AreaNotFound
from layouts import ids
from layouts.compare import compare_table
from layouts.plan import (
    change_table,
    counts_table,
    plan_links,
    quadrant_figure,
    ranked_table,
    series_figure,
    ward_table,
)
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
    where = _where(s)
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
    elif s["view"] in service.VIEW_LABELS:
        chart = None
        by_ward = service.priority_counts(s["view"], "ward")
        keep = set(service.ward_codes(s["borough"], s["ward"]))
        rows = [r for r, code in zip(by_ward["rows"], by_ward["codes"], strict=True) if code in keep]
        wards = ward_table(by_ward["columns"], rows, f"{service.VIEWS[s['view']]} by ward in {where}", s["wsort"])
    else:
        chart, wards = None, []
    about = "" if s["view"] in service.VIEW_LABELS else f": {label}"
    return (
        counts_table(counts, f"{service.VIEWS[s['view']]} by borough{about}"),
        ranked_table(ranked, s, caption, _hotspot_column(s)),
        chart,
        wards,
        plan_links(s),
    )


@callback(
    Output(ids.CHANGE_BOX, "children"),
    Output(ids.SERIES_BOX, "children"),
    Input(ids.CHANGE_CHOICE, "data"),
    Input(ids.page_state("plan"), "data"),
)
def update_change(chosen, choices):
    """IoD 2019 to 2025 for the filtered small areas, and a borough figure over the years."""
    chosen = chosen if isinstance(chosen, dict) else {}
    domain, indicator = chosen.get("domain"), chosen.get("series")
    s = clean(choices)
    domains = dict(service.iod_domains())
    series = dict(service.series_indicators())
    where = _where(s)
    keep = set(service.lsoa_codes(s["borough"], s["ward"]))
    known = isinstance(domain, str) and domain in domains
    change = change_table(service.iod_change(domain), keep, where) if known else html.P("Choose a domain.")
    if isinstance(indicator, str) and indicator in series:
        graph = dcc.Graph(
            figure=series_figure(service.borough_series(indicator), s["borough"] or service.borough_of_ward(s["ward"])),
            config={"displaylogo": False},
            style={"height": "420px"},
        )
    else:
        graph = html.P("Choose a borough figure.")
    return change, graph


def _hotspot_column(s: dict) -> tuple[str, dict] | None:
    """On the hot-spot views, each ranked area's class and Gi* p-value."""
    if not s["view"].startswith("hotspots"):
        return None
    lay = service.hotspot_layer(s["indicator"], s["w"], fdr=s["view"] == "hotspots")
    words = {"hot": "hot spot", "cold": "cold spot", "none": "not significant"}
    return (
        "Gi* class (p-value, before the FDR cut)",
        {
            c: f"{words[k]} (p = {p:.4g})" if p is not None else "no value"
            for c, k, p in zip(lay["codes"], lay["class"], lay["p"], strict=True)
        },
    )


@callback(
    Output(ids.CHANGE_CHOICE, "data"),
    Output(ids.change_option(ALL, ALL), "aria-pressed"),
    Input(ids.change_option(ALL, ALL), "n_clicks"),
    State(ids.CHANGE_CHOICE, "data"),
    prevent_initial_call=True,
)
def choose_change(_clicks, chosen):
    """A click on a domain or a borough figure: remember it and mark it pressed."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        return no_update, [no_update] * len(ctx.outputs_list[1])
    chosen = {**(chosen if isinstance(chosen, dict) else {}), trigger["kind"]: trigger["value"]}
    pressed = [str(chosen.get(o["id"]["kind"]) == o["id"]["value"]).lower() for o in ctx.outputs_list[1]]
    return chosen, pressed


def _where(s: dict) -> str:
    if s["ward"]:
        return service.ward_label(s["ward"])
    return service.borough_name(s["borough"]) if s["borough"] else "all seven boroughs"


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
