"""A place's details as components: factor cards, nearby strengths, the monthly trend, the
downloads and the map's values as a table; functions of the dicts geodata returns."""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from .controls import table_box

KIND_LABELS = {"sport": "Sports sites", "library": "Libraries", "warm_space": "Warm spaces", "school": "Schools"}
EXPORT_FORMATS = (
    ("pdf", "PDF (printable)"),
    ("xlsx", "Spreadsheet (XLSX)"),
    ("csv", "CSV"),
    ("geojson", "GeoJSON"),
    ("zip", "Everything (zip)"),
)
NEARBY_SHOWN = 3  # per kind before "and N more"


def fmt(value: float | None, decimals: int) -> str:
    if value is None:
        return "not available"
    return f"{value:,.{decimals}f}"


def _comparators(ind: dict) -> str:
    parts = []
    for c in ind["comparators"]:
        if c["value"] is None:
            if c.get("note") and c["label"] == "England" and "decile" in ind["unit"]:
                parts.append("England: deciles are national, 5–6 is the middle")
            continue
        parts.append(f"{c['label']}: {fmt(c['value'], ind['decimals'])}")
    return " · ".join(parts)


def _figure(entry: dict, who: str) -> html.P:
    standing = f" — {entry['wm_standing']}" if entry.get("wm_standing") else ""
    return html.P(
        [
            f"{who}: " if who else "",
            html.Strong(fmt(entry["value"], entry["decimals"]), className="indicator__value"),
            f" {entry['unit']}{standing}",
        ],
        className="indicator__figure",
    )


def indicator_card(ind: dict, small: dict | None = None, who: tuple[str, str] = ("", "")) -> html.Div:
    """One factor in full: its figures (the small area's too, when given), what the unit means,
    the comparators, what it measures, and its source, period and licence."""
    licence = ind["licence"] + ("" if ind["licence_confirmed"] else " ⚠")
    note = ind.get("value_note") or ""
    figures = [_figure(small, who[0])] if small is not None and who[0] else []
    figures.append(_figure(ind, who[1] if figures else ""))
    return html.Div(
        className=f"indicator indicator--{ind['role']}",
        children=[
            html.H3(ind["label"], className="indicator__label", id="factor-card-heading", tabIndex="-1"),
            *figures,
            html.P(f"Unit: {ind['unit_plain']}.", className="indicator__unit"),
            html.P(note, className="indicator__note") if note else None,
            html.P(_comparators(ind), className="indicator__comparators"),
            html.P(ind["description"], className="indicator__description"),
            html.P(f"{ind['publisher']} · {ind['period']} · {licence}", className="indicator__source"),
        ],
    )


def export_links(profile: dict) -> list[tuple[str, str]]:
    """(label, URL) of every export of a profile."""
    area = profile["area"]
    if area["kind"] == "postcode":
        base = f"/api/v1/postcodes/{quote(profile['place']['postcode'])}/profile"
        query = f"?radius_km={area['radius_km']:g}"
    else:
        base, query = f"/api/v1/areas/{area['kind']}/{area['code']}/profile", ""
    return [(label, f"{base}.{ext}{query}") for ext, label in EXPORT_FORMATS]


def download_links(profile: dict) -> html.Ul:
    return html.Ul([html.Li(html.A(label, href=url, download="")) for label, url in export_links(profile)])


def trend_block(trend: dict | None) -> list:
    """Monthly police.uk counts for the area, when monthly files were built; else why not."""
    if trend is None:
        return []
    if not trend["rows"]:
        return [
            html.P(trend["status"] + " The rates above are the Indices of Deprivation 2025 figures.", className="muted")
        ]
    return [
        html.Details(
            className="trend",
            children=[
                html.Summary(f"Month by month: police.uk street-level crime ({len(trend['rows'])} months)"),
                table_box(
                    trend["status"],
                    ["Month", "Crimes recorded", "Per 1,000 residents"],
                    [html.Tr([html.Td(m), html.Td(f"{c:,}"), html.Td(f"{r:.2f}")]) for m, c, r in trend["rows"]],
                ),
            ],
        )
    ]


def _asset(a: dict) -> html.Li:
    detail = f" — {a['detail']}" if a.get("detail") else ""
    return html.Li([html.Strong(f"{a['name']}, {a['distance_km']:.1f} km"), detail])


def nearby_panel(assets: list[dict], radius_km: float) -> list:
    """Strengths near the place, grouped by kind, each named as its source names it, nearest first."""
    heading = html.H2(f"Strengths within {radius_km:g} km", id="nearby-heading")
    if not assets:
        return [heading, html.P("We found no sports sites, libraries, warm spaces or schools this close in our data.")]
    groups = []
    for kind, label in KIND_LABELS.items():
        items = [a for a in assets if a["kind"] == kind]
        if not items:
            groups.append(html.P(f"{label}: none within {radius_km:g} km in our data.", className="muted"))
            continue
        many = "+" if len(items) >= 25 else ""
        shown = [_asset(a) for a in items[:NEARBY_SHOWN]]
        rest = items[NEARBY_SHOWN:]
        groups.append(
            html.Div(
                className="nearby__group",
                children=[
                    html.H3(f"{label} ({len(items)}{many})"),
                    html.Ul(shown, className="nearby__list"),
                    html.Details(
                        [
                            html.Summary(f"{len(rest)}{many} more"),
                            html.Ul([_asset(a) for a in rest], className="nearby__list"),
                        ]
                    )
                    if rest
                    else None,
                ],
            )
        )
    return [
        heading,
        html.Div(groups, className="nearby__groups"),
        html.P(
            "Sources: Sport England Active Places (its open file names facilities, not sites); Libraries Hacked; "
            "Open Innovations warm spaces; DfE Get Information About Schools. Some licences are unconfirmed.",
            className="muted",
        ),
    ]


def values_table(rows: list[dict], label: str, unit: str) -> html.Table:
    """The map's values for the surrounding small areas as a plain table."""
    return html.Table(
        className="values-table",
        children=[
            html.Caption(f"{label} ({unit}) for the small areas shown"),
            html.Thead(
                html.Tr(
                    [html.Th("Small area", scope="col"), html.Th("Ward", scope="col"), html.Th("Value", scope="col")]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(r["name"]),
                            html.Td(r["ward"]),
                            html.Td("not available" if r["value"] is None else f"{r['value']:,}"),
                        ]
                    )
                    for r in rows
                ]
            ),
        ],
    )
