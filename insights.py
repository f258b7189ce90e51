"""JSON-ready views of the delivery-team analysis (geodata.analysis) for the app.

Like services.py: primitive arguments, plain dicts and lists out, memoised in the shared
cache, so callbacks never touch pandas and repeat views are instant.
"""

from __future__ import annotations

import math

from plotly.colors import sample_colorscale

from geodata import analysis, load, mapdata, police, registry
from geodata.registry import LEVELS
from services import TIMEOUT, cache

VIEWS = {
    "values": "Values",
    "hotspots": "Hot and cold spots (Gi*, FDR 5%)",
    "hotspots_uncorrected": "Hot and cold spots, uncorrected",
    "quadrants": "Risk versus violence",
}
DEFAULT_WEIGHTS = (1.0, 1.0, 1.0, 1.0)  # individual, relationships, community, society
BANDS = ("cold_99", "cold_95", "cold_90", "none", "hot_90", "hot_95", "hot_99")
BAND_LABELS = (
    "Cold spot, 99%",
    "Cold spot, 95%",
    "Cold spot, 90%",
    "Not significant",
    "Hot spot, 90%",
    "Hot spot, 95%",
    "Hot spot, 99%",
)
BAND_COLOURS = ("#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b")
QUADRANT_ORDER = ("low_low", "low_high", "high_low", "high_high")
QUADRANT_COLOURS = ("#e0e0e0", "#8073ac", "#f1a340", "#b2182b")
TABLE_ROWS = 50


def measure_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """Index (and, when built, police.uk) measures for the picker: (title, [(id, label)])."""
    out = []
    for role in analysis.INDEX_ROLES:
        ids = [i for i in analysis.index_ids() if i.startswith(role)]
        out.append((f"Composite {role} index", [(i, measure_label(i)) for i in ids]))
    police_ids = police.measure_ids()
    if police_ids:
        out.append(("Police.uk monthly files (pooled, smoothed rates)", [(i, measure_label(i)) for i in police_ids]))
    return out


def police_status() -> str:
    return police.status()


def is_measure(measure_id: object) -> bool:
    if not isinstance(measure_id, str):
        return False
    if registry.exists(measure_id):
        return registry.get(measure_id).mappable
    return measure_id in analysis.index_ids() or measure_id in police.measure_ids()


def measure_label(measure_id: str) -> str:
    parsed = analysis.parse_index_id(measure_id)
    if parsed:
        return analysis.index_label(*parsed)
    if measure_id.startswith(police.MEASURE_PREFIX):
        return police.measure_label(measure_id)
    return registry.get(measure_id).label


def _weights_map(measure_id: str, weights: tuple[float, ...]) -> dict | None:
    """Factor weights for an index from the four level weights: None for defaults or a non-index."""
    parsed = analysis.parse_index_id(measure_id)
    # Level weights scale every factor of one level alike, so they only matter to an
    # all-levels index (and a zero would otherwise empty a one-level index).
    if parsed is None or parsed[1] is not None or tuple(weights) == DEFAULT_WEIGHTS:
        return None
    role, level = parsed
    factors = {i.id for i in analysis.index_factors(role, level)}
    wmap = analysis.weights_by_level(role, dict(zip(LEVELS, weights)))
    return {k: v for k, v in wmap.items() if k in factors} or None


def _values(measure_id: str, weights: tuple[float, ...]):
    """The measure's values, re-weighted when it is an index with non-default weights."""
    wmap = _weights_map(measure_id, weights)
    if wmap is None:
        return None
    role, level = analysis.parse_index_id(measure_id)
    return analysis.composite_index(role, level, wmap)["value"].to_numpy()


def _clean(values) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 3) for v in values]


def _ramp(n: int, worse_high: bool) -> list[str]:
    """n colours from light to dark OrRd, ordered from the lowest class up: darker is always worse."""
    rgb = sample_colorscale("OrRd", [0.1 + 0.9 * k / max(n - 1, 1) for k in range(n)], colortype="tuple")
    hexes = ["#" + "".join(f"{round(c * 255):02x}" for c in t) for t in rgb]
    return hexes if worse_high else hexes[::-1]


def _decimals(measure_id: str) -> int:
    return registry.get(measure_id).decimals if registry.exists(measure_id) else 1


@cache.memoize(timeout=TIMEOUT)
def map_layer(measure_id: str, view: str, weights: tuple[float, ...] = DEFAULT_WEIGHTS) -> dict:
    """What the map paints each small area with, for one measure and view: a class per area
    (in geometry order; None where missing), the colour of each class and the legend's labels.
    The browser's style function reads only these, so a switch sends no geometry."""
    m = analysis.measure(measure_id)
    custom = _values(measure_id, weights)
    if view == "quadrants":
        q = analysis.quadrants("risk_index", registry.DEFAULT_INDICATOR)
        codes = {k: n for n, k in enumerate(QUADRANT_ORDER)}
        return _categorical(
            [codes.get(x) for x in q.areas.quadrant],
            [analysis.QUADRANT_LABELS[k] for k in QUADRANT_ORDER],
            QUADRANT_COLOURS,
            f"Risk index against {q.violence_label.lower()}, each split at the West Midlands "
            "median. Counts by borough below.",
        )
    if view in ("hotspots", "hotspots_uncorrected"):
        hs = analysis.hotspots(measure_id, fdr=view == "hotspots", values=custom)
        codes = {b: n for n, b in enumerate(BANDS)}
        a = hs.attrs
        return _categorical(
            [codes[b] for b in hs["band"]],
            list(BAND_LABELS),
            BAND_COLOURS,
            f"{a['view']}. Hot = {a['hot_meaning']}; cold = {a['cold_meaning']}. "
            f"{a['n_hot']} hot and {a['n_cold']} cold small areas. {a['method']}.",
        )
    values = custom if custom is not None else m.values
    cls, bounds = mapdata.classify(values)
    d = _decimals(measure_id)
    labels = [f"{lo:.0f}" if lo == hi else f"{lo:,.{d}f} to {hi:,.{d}f}" for lo, hi in bounds]
    return {
        "cls": cls,
        "colours": _ramp(len(labels), m.worse_high),
        "labels": labels,
        "values": _clean(values),
        "unit": m.unit,
        "label": m.label,
        "note": "",
    }


def _categorical(cls: list, labels: list[str], colours: tuple[str, ...], note: str) -> dict:
    return {
        "cls": cls,
        "colours": list(colours),
        "labels": labels,
        "values": None,
        "unit": "",
        "label": "",
        "note": note,
    }


@cache.memoize(timeout=TIMEOUT)
def borough_counts(measure_id: str, view: str, weights: tuple[float, ...] = DEFAULT_WEIGHTS) -> dict:
    """Counts per borough for the hotspot or quadrant view: {columns, rows}."""
    if view == "quadrants":
        q = analysis.quadrants("risk_index", registry.DEFAULT_INDICATOR)
        cols = [analysis.QUADRANT_LABELS[k] for k in analysis.QUADRANTS]
        rows = [[r["borough"], *[int(r[k]) for k in analysis.QUADRANTS]] for r in q.by_borough.to_dict("records")]
        return {"columns": ["Borough", *cols], "rows": rows}
    if view.startswith("hotspots"):
        df = analysis.hotspot_counts_by_borough(measure_id, fdr=view == "hotspots", values=_values(measure_id, weights))
        return {
            "columns": ["Borough", "Hot spots", "Cold spots", "Not significant"],
            "rows": [[r["borough"], int(r["hot"]), int(r["cold"]), int(r["none"])] for r in df.to_dict("records")],
        }
    return {"columns": [], "rows": []}


SORTS = {
    "concern": ("Most concern first", None),
    "high": ("Highest value first", False),
    "low": ("Lowest value first", True),
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
                "x": _clean(points.risk[points.quadrant == k]),
                "y": _clean(points.violence[points.quadrant == k]),
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
        sens = analysis.index_sensitivity(role, level, weights=_weights_map(measure_id, weights))
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
    return analysis.table_csv(_ranked_table(measure_id, borough, ward, weights, sort))


def _ranked_table(measure_id: str, borough: str | None, ward: str | None, weights: tuple[float, ...], sort: str):
    return analysis.ranked_table(
        measure_id,
        borough=borough or None,
        ward=ward or None,
        values=_values(measure_id, weights),
        ascending=SORTS[sort][1],
    )


@cache.memoize(timeout=TIMEOUT)
def compare_areas(specs: tuple[str, ...], radius_km: float = 1.0) -> dict:
    return analysis.compare(list(specs), radius_km)


def is_area(kind: str, code: str) -> bool:
    data = load()
    return code in (data.lad_names if kind == "borough" else data.ward_names)


def ward_label(code: str) -> str:
    """ "Edgbaston (Birmingham)": how the ward picker names a ward."""
    data = load()
    lad = data.wards.lad_code[data.wards.code == code]
    return f"{data.ward_names[code]} ({data.lad_names[lad.iloc[0]]})" if len(lad) else str(code)


def ward_code(text: str) -> str | bool | None:
    """The ward a person picked or typed: its code, None for "all wards", False if unknown."""
    t = " ".join(str(text).split()).casefold()[:120]
    if not t:
        return None
    data = load()
    for code in data.ward_names:
        if t in (ward_label(code).casefold(), data.ward_names[code].casefold(), code.casefold()):
            return code
    return False


def borough_name(code: str) -> str:
    return load().lad_names.get(code, code)


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
