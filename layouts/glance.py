"""The socio-ecological picture at a glance: a spine chart drawn as lists of buttons.

Every small-area factor sits on the same West Midlands scale, worse on the left and better on
the right whichever way its numbers run, with the place marked against the spread of the
1,719 small areas (in the spirit of OHID Fingertips' spine charts). The four levels are rows;
risk and protective factors are side by side. Borough-only figures are listed apart, as
borough figures. Each factor's name is a button that opens its card (callbacks/area.py).

Lists of buttons and text, not a plot: it reads out, works by keyboard, prints, stays
legible at 375 px, and needs no charting library on the page residents land on.
"""

from __future__ import annotations

from dash import html

from geodata.registry import LEVEL_LABELS, LEVELS

from . import ids
from .controls import table_box

ROLES = ("risk", "protective")
ROLE_HEADINGS = {"risk": "Risk factors", "protective": "Protective factors"}
OUTCOME = "outcome"


def position(entry: dict | None) -> float | None:
    """Where an entry sits from 0 (worse than every other small area) to 100 (better than every other)."""
    if entry is None or entry.get("wm_percentile") is None:
        return None
    return round(100.0 - float(entry["wm_percentile"]), 1)


def _said(entry: dict | None, who: str) -> str:
    if entry is None:
        return ""
    if entry.get("value") is None:
        return f"{who}: no value in the source data."
    return f"{who}: {entry['wm_standing']}."


def _row(ind: dict, small: dict | None, who: tuple[str, str]) -> html.Li:
    """One factor: a button (its name, opening its card) over its track. The marks are drawn by
    CSS from the custom properties --small and --around (assets/style.css), so a row is three
    components; the standings are in the button's text for screen readers."""
    around_pos, small_pos = position(ind), position(small)
    said = " ".join(s for s in (_said(small, who[0]) if small else "", _said(ind, who[1])) if s)
    style = {f"--{k}": f"{v}" for k, v in (("small", small_pos), ("around", around_pos)) if v is not None}
    marks = " ".join(k for k, v in (("has-small", small_pos), ("has-around", around_pos)) if v is not None)
    return html.Li(
        className=f"spine__row {marks or 'is-empty'}",
        style=style,
        children=html.Button(
            [ind["label"], html.Span(f" {said or 'No value in the source data.'}", className="visually-hidden")],
            id=ids.factor(ind["id"]),
            n_clicks=0,
            type="button",
            className="spine__name",
        ),
    )


def _side(rows: list, role: str, level: str) -> html.Div:
    label = f"{LEVEL_LABELS[level]}: {ROLE_HEADINGS[role].lower()}"
    if not rows:
        return html.P("No open data for this level.", className=f"spine__side spine__side--{role} muted spine__none")
    return html.Ul(rows, className=f"spine__side spine__side--{role}", **{"aria-label": label})


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

    def rows(pick) -> list:
        return [_row(i, by_id.get(i["id"]), who) for i in mapped if pick(i)]

    levels = [
        html.Div(
            className="spine__level",
            children=[
                html.H3(LEVEL_LABELS[level], className="spine__level-name"),
                *[
                    _side(rows(lambda i, lv=level, r=role: i["level"] == lv and i["role"] == r), role, level)
                    for role in ROLES
                ],
            ],
        )
        for level in LEVELS
    ]
    return html.Section(
        id="glance",
        className="glance",
        **{"aria-labelledby": "profile-heading"},
        children=[
            html.H2(f"How {_where(profile)} compares, level by level", id="profile-heading"),
            _key(who),
            html.P(
                "Each factor against the 1,719 West Midlands small areas: the mark's place on its line says how many "
                "are worse (to its left) and better (to its right). Choose a factor to see its figures.",
                className="spine__caption",
            ),
            html.Div(
                className="spine",
                children=[
                    html.Div(
                        className="spine__heads",
                        **{"aria-hidden": "true"},
                        children=[
                            html.Span(
                                [ROLE_HEADINGS[r], html.Span(" worse ← → better", className="spine__axis")],
                                className=f"spine__head spine__head--{r}",
                            )
                            for r in ROLES
                        ],
                    ),
                    *levels,
                    html.Div(
                        className="spine__level spine__level--crime",
                        children=[
                            html.H3("Violence and crime here", className="spine__level-name"),
                            html.Ul(
                                rows(lambda i: i["role"] == OUTCOME),
                                className="spine__side spine__side--crime",
                                **{
                                    "aria-label": "Violence and crime: the outcome the factors go with, not one of them"
                                },
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )


def _where(profile: dict) -> str:
    area = profile["area"]
    if area["kind"] == "postcode":
        return f"the area around {profile['place']['postcode']}"
    return f"small area {area['name']}" if area["kind"] == "lsoa" else area["name"]


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
            html.H2(f"Borough figures for {lad}", id="borough-heading"),
            html.P(
                "Schools, children's services and some health measures are published only for whole boroughs, so "
                "they describe all of " + lad + ", not this area.",
                className="muted",
            ),
            html.Details(
                className="borough-figures__table",
                children=[
                    html.Summary(f"The {len(rows)} borough figures and where {lad} stands among the seven boroughs"),
                    table_box(
                        f"{lad} figures and where the borough stands among the seven",
                        ["Measure", f"{lad} figure", "Standing"],
                        rows,
                    ),
                ],
            ),
        ],
    )
