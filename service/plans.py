"""A plan on paper for one borough or ward: what the Plan page shows for the same choices
(the map's view, the counts, the ranked small areas with rank ranges), gathered into the one
dict :mod:`exports.plan` renders as PDF and XLSX."""

from __future__ import annotations

from datetime import date

from geodata import analysis, load, registry
from geodata.profile import METHOD_NOTES
from geodata.sources import SOURCES

from .areas import borough_name, lsoa_codes, ward_codes, ward_label
from .maps import VIEW_LABELS, VIEWS, borough_counts, map_layer
from .measures import DEFAULT_WEIGHTS, measure_label
from .planning import ranked_rows
from .priorities import priority_counts

PLAN_FORMATS = ("pdf", "xlsx")
PDF_ROWS = 60  # the PDF lists the first rows; the workbook holds every small area


def _inputs(measure_id: str) -> tuple[registry.Indicator, ...]:
    index = analysis.parse_index_id(measure_id)
    if index is not None:
        return analysis.index_factors(*index)
    return (registry.get(measure_id),) if registry.exists(measure_id) else ()


def plan_document(
    measure_id: str,
    view: str,
    borough: str | None = None,
    ward: str | None = None,
    weights: tuple[float, ...] = DEFAULT_WEIGHTS,
    sort: str = "concern",
    limit: int | None = None,
) -> dict:
    """The plan for a borough or a ward (or all seven boroughs): see :mod:`exports.plan`."""
    data = load()
    a = data.areas
    where = ward_label(ward) if ward else borough_name(borough) if borough else "All seven boroughs"
    layer = map_layer(measure_id, view, weights)
    rows = [data.lsoa_row[c] for c in lsoa_codes(borough, ward)]
    label = measure_label(measure_id)
    ranked = ranked_rows(measure_id, borough, ward, weights, limit=limit or len(a), sort=sort)
    head = ["Rank", "Small area", "Ward", "Borough", f"Value ({ranked['unit']})"]
    ranked_table = {
        "title": f"Small areas ranked: {label}",
        "note": f"Rank among {ranked['rank_of']}."
        + (
            " The rank range is the 5th to 95th percentile of ranks when the weights vary."
            if ranked["has_range"]
            else ""
        )
        + (f" The first {limit} of {ranked['total']:,} are listed." if limit and ranked["total"] > limit else ""),
        "columns": [*head, "Rank range"] if ranked["has_range"] else head,
        "widths": [0.6, 2.2, 1.5, 1.1, 1.2, 0.9][: len(head) + ranked["has_range"]],
        "rows": [
            [
                r["rank"],
                r["name"],
                r["ward"],
                r["borough"],
                r["value"],
                *([f"{r['range'][0]}–{r['range'][1]}" if r["range"] else None] if ranked["has_range"] else []),
            ]
            for r in ranked["rows"]
        ],
    }
    tables = []
    counts = borough_counts(measure_id, view, weights)
    if counts["rows"]:
        tables.append({"title": f"{VIEWS[view]} by borough", "note": "", **counts})
    if view in VIEW_LABELS:
        by_ward = priority_counts(view, "ward")
        wards = set(ward_codes(borough, ward))
        kept = [r for r, c in zip(by_ward["rows"], by_ward["codes"], strict=True) if c in wards]
        tables.append(
            {
                "title": f"{VIEWS[view]} by ward, most concern first",
                "note": "",
                "columns": by_ward["columns"],
                "rows": kept,
            }
        )
    tables.append(ranked_table)
    sources = {k: SOURCES[k] for k in ("ons_geography", *(i.source for i in _inputs(measure_id)))}
    summary = [
        f"The map shows {label} as {VIEWS[view][0].lower() + VIEWS[view][1:]} for the {len(rows):,} small areas (LSOA 2021) of {where}.",
        layer["note"] or "",
    ]
    return {
        "title": f"Plan for {where}: {label}",
        "where": where,
        "generated": date.today().isoformat(),
        "data_version": data.version,
        "summary": [s for s in summary if s],
        "map": {
            "title": f"{VIEWS[view]}: {label}",
            "codes": list(a.lsoa21_code.iloc[rows]),
            "classes": [layer["cls"][i] for i in rows],
            "labels": layer["labels"],
            "colours": layer["colours"],
            "note": "Grey: small areas outside the plan's area, or without a value.",
        },
        "tables": tables,
        "methods": list(METHOD_NOTES),
        "sources": list(sources.values()),
    }


def plan_file(
    fmt: str,
    measure_id: str,
    view: str,
    borough: str | None = None,
    ward: str | None = None,
    weights: tuple[float, ...] = DEFAULT_WEIGHTS,
    sort: str = "concern",
) -> bytes:
    """The plan as a PDF (the first rows of the table) or a workbook (every row). Not cached here:
    rendered files live in the API's bounded per-process cache, never in the shared one."""
    from exports.plan import render_plan_pdf, render_plan_xlsx

    if fmt == "pdf":
        return render_plan_pdf(plan_document(measure_id, view, borough, ward, weights, sort, limit=PDF_ROWS))
    if fmt == "xlsx":
        return render_plan_xlsx(plan_document(measure_id, view, borough, ward, weights, sort))
    raise KeyError(fmt)
