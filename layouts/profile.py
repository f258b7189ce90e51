"""The area profile as components: a function of the profile dict geodata returns."""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from geodata.registry import LEVEL_LABELS, LEVELS

ROLE_LABELS = {"risk": "Risk factors", "protective": "Protective factors"}
KIND_LABELS = {"sport": "Sports sites", "library": "Libraries", "warm_space": "Warm spaces", "school": "Schools"}
EXPORT_FORMATS = (
    ("pdf", "PDF (printable)"),
    ("xlsx", "Spreadsheet (XLSX)"),
    ("csv", "CSV"),
    ("geojson", "GeoJSON"),
    ("zip", "Everything (zip)"),
)


def fmt(value: float | None, decimals: int) -> str:
    if value is None:
        return "not available"
    return f"{value:,.{decimals}f}"


def _standing(ind: dict) -> str:
    """Where the value stands in the West Midlands, in words."""
    if ind["value"] is None:
        return "No value for this area in the source data."
    if ind["wm_percentile"] is not None:
        p = ind["wm_percentile"]
        if ind["role"] == "protective":
            return (
                f"Weaker than {p:.0f}% of West Midlands small areas."
                if p >= 50
                else f"Stronger than {100 - p:.0f}% of West Midlands small areas."
            )
        return (
            f"Worse than {p:.0f}% of West Midlands small areas."
            if p >= 50
            else f"Better than {100 - p:.0f}% of West Midlands small areas."
        )
    if ind["wm_rank"] is not None:
        return f"Ranks {ind['wm_rank']} of {ind['wm_count']} {ind['wm_rank_of']} (1 = worst)."
    return ""


def _comparators(ind: dict) -> str:
    parts = []
    for c in ind["comparators"]:
        if c["value"] is None:
            if c.get("note") and c["label"] == "England" and "decile" in ind["unit"]:
                parts.append("England: deciles are national, 5–6 is the middle")
            continue
        parts.append(f"{c['label']}: {fmt(c['value'], ind['decimals'])}")
    return " · ".join(parts)


def indicator_card(ind: dict) -> html.Div:
    licence = ind["licence"] + ("" if ind["licence_confirmed"] else " ⚠")
    note = ind.get("value_note") or ""
    return html.Div(
        className=f"indicator indicator--{ind['role']}",
        children=[
            html.H5(ind["label"], className="indicator__label"),
            html.P(
                [
                    html.Span(fmt(ind["value"], ind["decimals"]), className="indicator__value"),
                    " ",
                    html.Span(ind["unit"], className="indicator__unit"),
                ]
            ),
            html.P(_standing(ind), className="indicator__standing"),
            html.P(note, className="indicator__note") if note else None,
            html.P(_comparators(ind), className="indicator__comparators"),
            html.P(ind["description"], className="indicator__description"),
            html.P(f"{ind['publisher']} · {ind['period']} · {licence}", className="indicator__source"),
        ],
    )


def _group(indicators: list[dict], role: str) -> html.Div:
    items = [indicator_card(i) for i in indicators if i["role"] == role]
    return html.Div(
        className=f"factors factors--{role}",
        children=[
            html.H4(ROLE_LABELS[role]),
            *(items or [html.P("No open data for this level.", className="muted")]),
        ],
    )


def download_links(profile: dict) -> html.Nav:
    area = profile["area"]
    if area["kind"] == "postcode":
        base = f"/api/v1/postcodes/{quote(profile['place']['postcode'])}/profile"
        query = f"?radius_km={area['radius_km']:g}"
    else:
        base, query = f"/api/v1/areas/{area['kind']}/{area['code']}/profile", ""
    return html.Nav(
        **{"aria-label": "Download this profile"},
        className="downloads",
        children=[
            html.H3("Download this profile"),
            html.Ul(
                [html.Li(html.A(label, href=f"{base}.{ext}{query}", download="")) for ext, label in EXPORT_FORMATS]
            ),
        ],
    )


def trend_block(trend: dict | None) -> list:
    """Monthly police.uk counts for the area, when monthly files were built; else why not."""
    if trend is None:
        return []
    if not trend["rows"]:
        return [
            html.H4("Month by month"),
            html.P(
                trend["status"] + " The rates above are the Indices of Deprivation 2025 figures.", className="muted"
            ),
        ]
    return [
        html.H4("Month by month (police.uk street-level crime)"),
        html.Div(
            className="table-scroll",
            children=html.Table(
                className="values-table",
                children=[
                    html.Caption(trend["status"]),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Month", scope="col"),
                                html.Th("Crimes recorded", scope="col"),
                                html.Th("Per 1,000 residents", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(
                        [html.Tr([html.Td(m), html.Td(f"{c:,}"), html.Td(f"{r:.2f}")]) for m, c, r in trend["rows"]]
                    ),
                ],
            ),
        ),
    ]


def profile_panel(profile: dict, trend: dict | None = None) -> list:
    """The whole profile: summary, the four levels, violence, the caveat and downloads."""
    indicators = profile["indicators"]
    area = profile["area"]
    out: list = [
        html.H2(f"Area profile: {area['name']}", id="profile-heading"),
        html.P(profile["summary"], className="summary"),
        html.Details(
            className="caveat",
            open=True,
            children=[
                html.Summary("What this does and does not mean"),
                html.P(profile["caveat"]),
            ],
        ),
    ]
    for level in LEVELS:
        at = [i for i in indicators if i["level"] == level and i["role"] != "outcome"]
        out.append(
            html.Section(
                className="level",
                **{"aria-labelledby": f"level-{level}"},
                children=[
                    html.H3(LEVEL_LABELS[level], id=f"level-{level}"),
                    html.Div(className="level__grid", children=[_group(at, "risk"), _group(at, "protective")]),
                ],
            )
        )
    outcomes = [indicator_card(i) for i in indicators if i["role"] == "outcome"]
    out.append(
        html.Section(
            className="level level--violence",
            **{"aria-labelledby": "level-violence"},
            children=[
                html.H3("Violence in this area", id="level-violence"),
                html.P(
                    "Police-recorded crime: the outcome the factors above are compared with, not part of any score.",
                    className="muted",
                ),
                html.H4("Recorded crime and anti-social behaviour"),
                html.Div(outcomes, className="level__outcomes"),
                *trend_block(trend),
            ],
        )
    )
    out.append(download_links(profile))
    return out


def nearby_panel(assets: list[dict], radius_km: float) -> list:
    if not assets:
        return [
            html.H3("Nearby strengths"),
            html.P(f"We found no sports sites, libraries, warm spaces or schools within {radius_km:g} km in our data."),
        ]
    out: list = [html.H3(f"Nearby strengths within {radius_km:g} km")]
    for kind, label in KIND_LABELS.items():
        items = [a for a in assets if a["kind"] == kind]
        if not items:
            out.append(html.P(f"{label}: none within {radius_km:g} km in our data.", className="muted"))
            continue
        out.append(html.H4(f"{label} ({len(items)}{'+' if len(items) >= 25 else ''})"))
        out.append(
            html.Ul(
                className="nearby__list",
                children=[
                    html.Li([html.Span(a["name"]), html.Span(f" {a['distance_km']:.1f} km", className="nearby__dist")])
                    for a in items
                ],
            )
        )
    out.append(
        html.P(
            "Sources: Sport England Active Places; Libraries Hacked; Open Innovations warm spaces; "
            "DfE Get Information About Schools. Some licences are unconfirmed.",
            className="muted",
        )
    )
    return out


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
