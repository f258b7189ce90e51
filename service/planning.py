"""The delivery team's tools: ranked tables with rank ranges, risk versus violence by
ward, comparisons and police.uk monthly trends."""

from __future__ import annotations

import exports.csvfile
from geodata import analysis, police, registry

from .cache import TIMEOUT, cache
from .maps import clean
from .measures import DEFAULT_WEIGHTS, weighted_values, weights_map

TABLE_ROWS = 50


def police_status() -> str:
    return police.status()


# The table's orders, one per column: (label, the ranked table's columns to sort by, ascending).
SORTS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "concern": ("Most concern first", ("rank",), True),
    "high": ("Highest value first", ("value",), False),
    "low": ("Lowest value first", ("value",), True),
    "area": ("Small area, A to Z", ("name", "rank"), True),
    "ward": ("Ward, A to Z", ("ward", "rank"), True),
    "borough": ("Borough, A to Z", ("borough", "rank"), True),
}


@cache.memoize(timeout=TIMEOUT)
def quadrant_points(borough: str | None = None, ward: str | None = None) -> dict:
    """Risk index against violence for every small area (for the quadrant chart), and ward counts."""
    q = analysis.quadrants("risk_index", registry.DEFAULT_INDICATOR)
    a = q.areas
    keep = (a.lad_code == borough) if borough else (a.ward_code == ward) if ward else None
    points = a if keep is None else a[keep]
    wards = q.by_ward if not borough else q.by_ward[q.by_ward.lad_code == borough]
    if ward:
        wards = q.by_ward[q.by_ward.ward_code == ward]
    cols = list(analysis.QUADRANTS)
    return {
        "risk_label": q.risk_label,
        "violence_label": q.violence_label,
        "risk_threshold": q.risk_threshold,
        "violence_threshold": q.violence_threshold,
        "groups": {
            k: {
                "label": analysis.QUADRANT_LABELS[k],
                "x": clean(points.risk[points.quadrant == k]),
                "y": clean(points.violence[points.quadrant == k]),
                "text": [
                    f"{n}, {w}" for n, w in zip(points.name[points.quadrant == k], points.ward[points.quadrant == k])
                ],
                "codes": list(points.lsoa21_code[points.quadrant == k]),
            }
            for k in cols
        },
        "ward_columns": ["Ward", "Borough", *[analysis.QUADRANT_LABELS[k] for k in cols]],
        "ward_rows": [[r["ward"], r["borough"], *[int(r[k]) for k in cols]] for r in wards.to_dict("records")],
    }


@cache.memoize(timeout=TIMEOUT)
def ranked_rows(
    measure_id: str,
    borough: str | None = None,
    ward: str | None = None,
    weights: tuple[float, ...] = DEFAULT_WEIGHTS,
    limit: int = TABLE_ROWS,
    sort: str = "concern",
) -> dict:
    """The ranked table, with the index's rank range under perturbed weights."""
    t = _ranked_table(measure_id, borough, ward, weights, sort)
    parsed = analysis.parse_index_id(measure_id)
    spread = {}
    if parsed:
        role, level = parsed
        sens = analysis.index_sensitivity(role, level, weights=weights_map(measure_id, weights))
        spread = {r["lsoa21_code"]: (int(r["rank_p05"]), int(r["rank_p95"])) for r in sens.to_dict("records")}
    rows = []
    for r in t.head(limit).to_dict("records"):
        rows.append(
            {
                "code": r["lsoa21_code"],
                "name": f"{r['name']} · {r['msoa21_label']}",
                "ward": r["ward"],
                "borough": r["borough"],
                "value": None if r["value"] != r["value"] else round(r["value"], 3),
                "rank": None if r["rank"] is None or r["rank"] != r["rank"] else int(r["rank"]),
                "range": spread.get(r["lsoa21_code"]),
            }
        )
    return {
        "rows": rows,
        "total": len(t),
        "label": t.attrs["label"],
        "unit": t.attrs["unit"],
        "rank_of": t.attrs["rank_of"],
        "has_range": bool(spread),
    }


def ranked_csv(
    measure_id: str,
    borough: str | None = None,
    ward: str | None = None,
    weights: tuple[float, ...] = DEFAULT_WEIGHTS,
    sort: str = "concern",
) -> str:
    return exports.csvfile.ranked_csv(_ranked_table(measure_id, borough, ward, weights, sort))


def _ranked_table(measure_id: str, borough: str | None, ward: str | None, weights: tuple[float, ...], sort: str):
    t = analysis.ranked_table(
        measure_id, borough=borough or None, ward=ward or None, values=weighted_values(measure_id, weights)
    )
    _label, columns, ascending = SORTS[sort]
    out = t.sort_values([*columns, "lsoa21_code"], ascending=ascending, na_position="last", kind="stable")
    out.attrs = t.attrs
    return out.reset_index(drop=True)


@cache.memoize(timeout=TIMEOUT)
def compare_areas(specs: tuple[str, ...], radius_km: float = 1.0) -> dict:
    return analysis.compare(list(specs), radius_km)


@cache.memoize(timeout=TIMEOUT)
def monthly_trend(lsoa_codes: tuple[str, ...]) -> dict:
    """Police.uk monthly counts for the area's small areas, or the sentence saying there are none."""
    t = police.monthly_trend(list(lsoa_codes))
    if t.empty:
        return {"status": t.attrs.get("status", police.status()), "rows": []}
    return {
        "status": police.status(),
        "rows": [[r["month"], int(r["count"]), round(float(r["rate_per_1000"]), 2)] for r in t.to_dict("records")],
    }
