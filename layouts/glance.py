"""The socio-ecological picture at a glance: a spine chart drawn as a table.

Every small-area factor sits on the same West Midlands scale, worse on the left and better on
the right whichever way its numbers run, with the place marked against the spread of the
1,719 small areas (in the spirit of OHID Fingertips' spine charts). The four levels are rows;
risk and protective factors are side by side. Borough-only figures are listed apart, as
borough figures. Each factor's name is a button that opens its card (callbacks/area.py).

A table of buttons and text, not a plot: it reads out, works by keyboard, prints, stays
legible at 375 px, and needs no charting library on the page residents land on.
"""

from __future__ import annotations

from dash import html

from geodata.registry import LEVEL_LABELS, LEVELS

from . import ids

ROLES = ("risk", "protective")
ROLE_HEADINGS = {"risk": "Risk factors", "protective": "Protective factors"}
OUTCOME = "outcome"


def position(entry: dict | None) -> float | None:
    """Where an entry sits from 0 (worse than every other small area) to 100 (better than every other)."""
    if entry is None or entry.get("wm_percentile") is None:
        return None
    return round(100.0 - float(entry["wm_percentile"]), 1)


def _marker(pos: float | None, kind: str) -> html.Span | None:
    if pos is None:
        return None
    return html.Span(className=f"spine__mark spine__mark--{kind}", style={"left": f"{pos}%"})


def _said(entry: dict | None, who: str) -> str:
    if entry is None:
        return ""
    if entry.get("value") is None:
        return f"{who}: no value in the source data."
    return f"{who}: {entry['wm_standing']}."


def _row(ind: dict, small: dict | None, who: tuple[str, str]) -> html.Tr:
    """One factor: its name (a button for its card) and its track with the place's marks."""
    around_pos, small_pos = position(ind), position(small)
    said = " ".join(s for s in (_said(small, who[0]) if small else "", _said(ind, who[1])) if s)
    return html.Tr(
        className="spine__row",
        children=[
            html.Th(
                html.Button(ind["label"], id=ids.factor(ind["id"]), n_clicks=0, type="button", className="spine__name"),
                scope="row",
            ),
            html.Td(
                className="spine__cell",
                children=html.Div(
                    className="spine__track" + ("" if around_pos is not None or small_pos is not None else " is-empty"),
                    children=[
                        _marker(around_pos, "around"),
                        _marker(small_pos, "small"),
                        html.Span(said or "No value in the source data.", className="visually-hidden"),
                    ],
                ),
            ),
        ],
    )


def _side(rows: list[html.Tr], role: str, level: str) -> html.Td:
    body = rows or [html.Tr(html.Td("No open data for this level.", colSpan=2, className="muted spine__none"))]
    return html.Td(
        className=f"spine__side spine__side--{role}",
        children=html.Table(
            className="spine__factors",
            children=[
                html.Caption(f"{LEVEL_LABELS[level]}: {ROLE_HEADINGS[role].lower()}", className="visually-hidden"),
                html.Tbody(body),
            ],
        ),
    )


def who_is_who(profile: dict, small: dict | None) -> tuple[str, str]:
    """What each mark stands for, in words: (the small area's, the whole area's)."""
    area = profile["area"]
    if area["kind"] == "postcode":
        return f"Your small area ({small['area']['name']})" if small else "", f"Within {area['radius_km']:g} km"
    return "", "This small area" if area["kind"] == "lsoa" else area["name"]


def glance(profile: dict, small: dict | None = None) -> html.Section:
    """The spine chart of ``profile`` (a postcode's surroundings, an LSOA, ward or borough), with
    ``small``, the profile of the postcode's own small area, marked as well when given."""
    by_id = {i["id"]: i for i in small["indicators"]} if small else {}
    who = who_is_who(profile, small)
    mapped = [i for i in profile["indicators"] if i["geography"] != "borough"]
    levels = []
    for level in LEVELS:
        sides = [
            _side(
                [_row(i, by_id.get(i["id"]), who) for i in mapped if i["level"] == level and i["role"] == role],
                role,
                level,
            )
            for role in ROLES
        ]
        levels.append(html.Tr([html.Th(LEVEL_LABELS[level], scope="row", className="spine__level"), *sides]))
    crime = [_row(i, by_id.get(i["id"]), who) for i in mapped if i["role"] == OUTCOME]
    return html.Section(
        id="glance",
        className="glance",
        **{"aria-labelledby": "glance-heading"},
        children=[
            html.H2(f"How {_where(profile)} compares, level by level", id="glance-heading"),
            _key(who),
            html.Table(
                className="spine",
                children=[
                    html.Caption(
                        "Each factor against the 1,719 West Midlands small areas: the mark's place on the line says "
                        "how many are worse (to its left) and better (to its right). Choose a factor to see its "
                        "figures.",
                        className="spine__caption",
                    ),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Level", scope="col", className="spine__level"),
                                *[
                                    html.Th(
                                        [ROLE_HEADINGS[r], html.Span(" worse ← → better", className="spine__axis")],
                                        scope="col",
                                        className=f"spine__head spine__head--{r}",
                                    )
                                    for r in ROLES
                                ],
                            ]
                        )
                    ),
                    html.Tbody(levels),
                ],
            ),
            html.Table(
                className="spine spine--crime",
                children=[
                    html.Caption(
                        "Violence and crime here: the outcome the factors go with, not one of them",
                        className="spine__subcaption",
                    ),
                    html.Tbody(crime),
                ],
            ),
        ],
    )


def _where(profile: dict) -> str:
    area = profile["area"]
    if area["kind"] == "postcode":
        return f"the area around {profile['place']['postcode']}"
    return area["name"]


def _key(who: tuple[str, str]) -> html.P:
    small, around = who
    items = []
    if small:
        items.append(html.Span([html.Span(className="spine__mark spine__mark--small spine__mark--key"), small]))
    items.append(html.Span([html.Span(className="spine__mark spine__mark--around spine__mark--key"), around]))
    items.append(
        html.Span([html.Span(className="spine__band spine__band--key"), "the middle half of West Midlands small areas"])
    )
    return html.P(items, className="spine__legend")


def borough_figures(profile: dict) -> html.Section:
    """Borough-only measures, apart from the chart: each a borough's figure beside the region and England."""
    rows = []
    for ind in profile["indicators"]:
        if ind["geography"] != "borough":
            continue
        value = "not available" if ind["value"] is None else f"{ind['value']:,.{ind['decimals']}f} {ind['unit']}"
        rows.append(
            html.Tr(
                [
                    html.Th(
                        html.Button(
                            ind["label"], id=ids.factor(ind["id"]), n_clicks=0, type="button", className="spine__name"
                        ),
                        scope="row",
                    ),
                    html.Td(value),
                    html.Td(ind["wm_standing"] or "–"),
                ]
            )
        )
    lad = profile["area"].get("lad_name") or "the borough"
    return html.Section(
        className="borough-figures",
        **{"aria-labelledby": "borough-heading"},
        children=[
            html.H3(f"Borough figures for {lad}", id="borough-heading"),
            html.P(
                "Schools, children's services and some health measures are published only for whole boroughs, so "
                "they describe all of " + lad + ", not this area.",
                className="muted",
            ),
            html.Div(
                className="table-scroll",
                tabIndex="0",
                children=html.Table(
                    className="values-table",
                    children=[
                        html.Caption(f"{lad} figures and where the borough stands among the seven"),
                        html.Thead(
                            html.Tr([html.Th(h, scope="col") for h in ("Measure", f"{lad} figure", "Standing")])
                        ),
                        html.Tbody(rows),
                    ],
                ),
            ),
        ],
    )
