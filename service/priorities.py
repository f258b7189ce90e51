"""The Plan page's spatial-priority views, served from the build's results: bivariate clusters
of the risk or protective index against violence, and "high risk, low protection" at the
planner's threshold alongside the violence hot spots.

Each view gives one class per small area (geometry order), the classes' labels and colours,
a caption, and counts by borough and by ward, most concern first.
"""

from __future__ import annotations

from geodata import load, registry
from geodata.analysis.bivariate import CLUSTERS

from .cache import TIMEOUT, cache
from .maps import CLUSTER_VIEWS, PRIORITY_VIEWS, VIEW_LABELS
from .planning import bivariate_clusters, high_risk_low_protection, hotspot_layer

# Colours: the class of most concern darkest red. For risk, high risk with high violence around
# it; for protection, low protection with high violence around it.
_CLUSTER_ORDER = {
    "risk_vs_violence": ("high_high", "high_low", "low_high", "low_low", "none"),
    "protective_vs_violence": ("low_high", "low_low", "high_high", "high_low", "none"),
}
_CLUSTER_COLOURS = ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac", "#f7f7f7")
PRIORITY_CLASSES = (
    "High risk, low protection, in a violence hot spot",
    "High risk, low protection",
    "Violence hot spot only",
    "Neither",
)
_PRIORITY_COLOURS = ("#b2182b", "#f4a582", "#fddbc7", "#f7f7f7")


@cache.memoize(timeout=TIMEOUT)
def priority_view(view: str) -> dict:
    """``{cls, labels, colours, note}``: a class index per small area into ``labels`` and
    ``colours``, the class of most concern first."""
    if view in CLUSTER_VIEWS:
        bv = bivariate_clusters(CLUSTER_VIEWS[view])
        order = _CLUSTER_ORDER[bv["pair"]]
        index = {k: n for n, k in enumerate(order)}
        m = bv["meta"]
        note = (
            f"{bv['x_label']} in each small area against {bv['y_label'].lower()} in the areas around it: "
            f"bivariate local Moran's I (esda Moran_Local_BV), queen contiguity, {int(m['permutations']):,} "
            f"permutations, significant after false discovery rate control at {m['alpha']:g} over "
            f"{int(m['tests']):,} tests (p ≤ {m['fdr_cutoff']:.4g}). "
            + ", ".join(f"{bv['counts'][k]:,} {bv['labels'][k].lower()}" for k in order[:-1])
            + "."
        )
        return {
            "cls": [index[c] for c in bv["cluster"]],
            "labels": [bv["labels"][k] for k in order],
            "colours": list(_CLUSTER_COLOURS),
            "note": note,
        }
    pct = PRIORITY_VIEWS[view]
    pr = high_risk_low_protection(pct)
    hot = [c == "hot" for c in hotspot_layer(registry.DEFAULT_INDICATOR)["class"]]
    cls = [(0 if h else 1) if f else (2 if h else 3) for f, h in zip(pr["flag"], hot, strict=True)]
    n = [cls.count(k) for k in range(4)]
    note = (
        f"{pr['labels']['flag']} ({pr['labels']['risk']}; {pr['labels']['protective']}), beside the significant "
        f"hot spots of {pr['labels']['violence'].lower()} (Gi*, false discovery rate 5%). {n[0]:,} small areas are "
        f"both, {n[1]:,} high risk and low protection only, {n[2]:,} violence hot spots only."
    )
    return {"cls": cls, "labels": list(PRIORITY_CLASSES), "colours": list(_PRIORITY_COLOURS), "note": note}


@cache.memoize(timeout=TIMEOUT)
def priority_counts(view: str, by: str = "borough") -> dict:
    """Counts of each class by borough or by ward: ``{columns, rows, codes}``, each row
    ``[name, borough, count…]`` for wards or ``[borough, count…]``, most concern first, and
    each row's ward or borough code."""
    v = priority_view(view)
    a = load().areas
    key, name = ("ward_code", "ward_name") if by == "ward" else ("lad_code", "lad_name")
    groups: dict[str, list] = {}
    for code, label, borough, c in zip(a[key], a[name], a.lad_name, v["cls"], strict=True):
        row = groups.setdefault(code, [label, borough, *[0] * len(v["labels"])])
        row[2 + c] += 1
    order = sorted(groups, key=lambda k: (-groups[k][2], -groups[k][3], groups[k][0]))
    rows = [groups[k] for k in order]
    if by == "ward":
        return {"columns": ["Ward", "Borough", *v["labels"]], "rows": rows, "codes": order}
    return {"columns": ["Borough", *v["labels"]], "rows": [[r[0], *r[2:]] for r in rows], "codes": order}


__all__ = [
    "CLUSTERS",
    "CLUSTER_VIEWS",
    "PRIORITY_CLASSES",
    "PRIORITY_VIEWS",
    "VIEW_LABELS",
    "priority_counts",
    "priority_view",
]
