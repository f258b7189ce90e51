"""What the map paints: a colour class per small area, the palette and the legend, for one
measure and view, and the counts by borough that go with the hotspot and quadrant views."""

from __future__ import annotations

import math

from plotly.colors import sample_colorscale

from geodata import analysis, mapdata, registry
from geodata.analysis.bivariate import PRIORITY_THRESHOLDS

from .cache import TIMEOUT, cache
from .measures import DEFAULT_WEIGHTS, weighted_values

# The spatial-priority views (service.priorities): bivariate clusters and high risk, low protection.
CLUSTER_VIEWS = {"clusters_risk": "risk_vs_violence", "clusters_protective": "protective_vs_violence"}
PRIORITY_VIEWS = {f"priority_{p}": p for p in PRIORITY_THRESHOLDS}
VIEW_LABELS = {
    "clusters_risk": "Risk and violence clusters",
    "clusters_protective": "Protection and violence clusters",
    **{v: f"High risk, low protection (top {p}%)" for v, p in PRIORITY_VIEWS.items()},
}
VIEWS = {
    "values": "Values",
    "hotspots": "Hot and cold spots (Gi*, FDR 5%)",
    "hotspots_uncorrected": "Hot and cold spots, uncorrected",
    "quadrants": "Risk versus violence",
    **VIEW_LABELS,
}
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


def clean(values) -> list[float | None]:
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
    if view in VIEW_LABELS:
        from .priorities import priority_view

        v = priority_view(view)
        return _categorical(v["cls"], v["labels"], tuple(v["colours"]), v["note"])
    m = analysis.measure(measure_id)
    custom = weighted_values(measure_id, weights)
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
        from .planning import hotspot_layer  # planning uses this module's helpers

        lay = hotspot_layer(measure_id, weights, fdr=view == "hotspots")
        codes = {b: n for n, b in enumerate(BANDS)}
        a = lay["meta"]
        high, low = ("worse", "better") if a["worse_high"] else ("better", "worse")
        return _categorical(
            [codes[b] for b in lay["band"]],
            list(BAND_LABELS),
            BAND_COLOURS,
            f"{a['view']}. Hot = cluster of high values ({high}); cold = cluster of low values ({low}). "
            f"{a['n_hot']} hot and {a['n_cold']} cold small areas. Getis-Ord Gi* (esda), queen contiguity.",
        )
    values = custom if custom is not None else m.values
    cls, bounds = mapdata.classify(values)
    d = _decimals(measure_id)
    labels = [f"{lo:.0f}" if lo == hi else f"{lo:,.{d}f} to {hi:,.{d}f}" for lo, hi in bounds]
    return {
        "cls": cls,
        "colours": _ramp(len(labels), m.worse_high),
        "labels": labels,
        "values": clean(values),
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
    """Counts per borough for the hotspot, quadrant and priority views: {columns, rows}."""
    if view in VIEW_LABELS:
        from .priorities import priority_counts

        return priority_counts(view, "borough")
    if view == "quadrants":
        q = analysis.quadrants("risk_index", registry.DEFAULT_INDICATOR)
        cols = [analysis.QUADRANT_LABELS[k] for k in analysis.QUADRANTS]
        rows = [[r["borough"], *[int(r[k]) for k in analysis.QUADRANTS]] for r in q.by_borough.to_dict("records")]
        return {"columns": ["Borough", *cols], "rows": rows}
    if view.startswith("hotspots"):
        from .planning import hotspot_layer

        lay = hotspot_layer(measure_id, weights, fdr=view == "hotspots")
        df = analysis.class_counts_by_borough(lay["class"])
        return {
            "columns": ["Borough", "Hot spots", "Cold spots", "Not significant"],
            "rows": [[r["borough"], int(r["hot"]), int(r["cold"]), int(r["none"])] for r in df.to_dict("records")],
        }
    return {"columns": [], "rows": []}
