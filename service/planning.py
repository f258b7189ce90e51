"""The delivery team's tools: ranked tables with rank ranges, risk versus violence by
ward, comparisons and police.uk monthly trends; and the Plan page's precomputed layers
(hot and cold spots, bivariate clusters, high risk with low protection, IoD change,
borough series), served from the build's artifacts (``geodata.build.planning``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import exports.csvfile
from geodata import analysis, police, registry, store
from geodata.analysis import bivariate as bv
from geodata.analysis import change

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


# ---------------------------------------------------------------------------- Plan page layers
#
# Every function below returns plain JSON-ready dicts and lists; per-area lists follow the
# small areas' code order (``codes``), the same order as the map's geometry.


def _num(v: object, nd: int | None = None) -> float | None:
    if v is None or v is pd.NA:
        return None
    f = float(v)  # type: ignore[arg-type]
    if math.isnan(f):
        return None
    return round(f, nd) if nd is not None else f


def _p(v: object) -> float | None:
    # p-values are (k + 1) / (permutations + 1): 6 significant digits show them exactly.
    f = _num(v)
    return None if f is None else float(f"{f:.6g}")


def _hotspot_from_build(measure_id: str) -> tuple[pd.DataFrame, dict] | None:
    data = store.load()
    if "hotspots.parquet" not in data.manifest["artifacts"]:
        return None
    meta = store.artifact("hotspots_meta.parquet", data)
    row = meta[meta.indicator == measure_id]
    if row.empty:
        return None
    hs = store.artifact("hotspots.parquet", data)
    return hs[hs.indicator == measure_id], row.iloc[0].to_dict()


@cache.memoize(timeout=TIMEOUT)
def hotspot_layer(measure_id: str, weights: tuple[float, ...] = DEFAULT_WEIGHTS, fdr: bool = True) -> dict:
    """Gi* hot and cold spots of one measure (indicator or index) for every small area.

    With the default weights the layer comes from the build (``hotspots.parquet``, 99,999
    permutations); an index with a planner's own level ``weights`` is computed on demand
    (9,999 permutations, about 1 s, then cached). ``fdr=False``: significant where the
    uncorrected p ≤ α (the labelled "uncorrected" view).

    Returns ``{measure, label, codes, class, band, p, z, meta}``: ``class`` ``hot|cold|none``,
    ``band`` ``hot_99 … cold_90|none`` (confidence from the uncorrected p), ``p`` the pseudo
    p-value and ``z`` the Gi* z against its permutations (None without a value); ``meta``:
    ``method, permutations, seed, tests, alpha, fdr, fdr_cutoff, n_hot, n_cold, computed``
    (``build`` or ``on demand``) and ``view`` (a sentence for the caption).
    """
    codes = store.load().areas.lsoa21_code.tolist()
    custom = weighted_values(measure_id, weights)
    built = _hotspot_from_build(measure_id) if custom is None else None
    if built is not None:
        hs, m = built
        z, p = hs.z.to_numpy(dtype=float), hs.p.to_numpy(dtype=float)
        cls, band = hs["class"].astype(str).to_numpy(), hs.band.astype(str).to_numpy()
        meta = {k: m[k] for k in ("method", "permutations", "seed", "tests", "alpha", "fdr_cutoff")}
        meta["permutations"], meta["seed"], meta["tests"] = int(m["permutations"]), int(m["seed"]), int(m["tests"])
        meta.update(label=str(m["label"]), computed="build", worse_high=bool(m["worse_high"]))
    else:
        h = analysis.hotspots(measure_id, values=custom, permutations=analysis.PERMUTATIONS)
        z, p = h.z.to_numpy(), h.p.to_numpy()
        cls, band = h["class"].to_numpy().astype(str), h.band.to_numpy().astype(str)
        a = h.attrs
        meta = {
            "method": "Getis-Ord Gi* (esda G_Local, star, row-standardised), queen contiguity, "
            "conditional permutation inference, Benjamini-Hochberg FDR",
            "permutations": int(a["permutations"]),
            "seed": int(a["seed"]),
            "tests": int(np.isfinite(p).sum()),
            "alpha": float(a["alpha"]),
            "fdr_cutoff": float(a["fdr_cutoff"]),
            "label": a["label"] if custom is None else f"{a['label']} (your weights)",
            "computed": "on demand",
            "worse_high": analysis.measure(measure_id).worse_high,
        }
    if not fdr:
        sig = np.nan_to_num(p, nan=1.0) <= meta["alpha"]
        cls = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "none"))
        conf = analysis.confidence(p)
        band = np.where(cls == "none", "none", np.char.add(np.char.add(cls.astype(str), "_"), conf.astype(str)))
    meta["fdr"] = fdr
    meta["n_hot"], meta["n_cold"] = int((cls == "hot").sum()), int((cls == "cold").sum())
    meta["view"] = (
        f"Significant after false discovery rate control at {meta['alpha']:g} over {meta['tests']:,} small "
        f"areas (p ≤ {meta['fdr_cutoff']:.4g}); {meta['permutations']:,} permutations, seed {meta['seed']}"
        if fdr
        else f"Uncorrected: p ≤ {meta['alpha']:g} in each area separately; some of these are expected by chance"
    )
    return {
        "measure": measure_id,
        "label": meta["label"],
        "codes": codes,
        "class": [str(c) for c in cls],
        "band": [str(b) for b in band],
        "p": [_p(v) for v in p],
        "z": [_num(v, 2) for v in z],
        "meta": meta,
    }


BIVARIATE_PAIRS = {"risk_vs_violence": "risk_index", "protective_vs_violence": "protective_index"}


def _counts(labels: np.ndarray, categories: tuple[str, ...], by: str) -> list[dict]:
    """Per borough (``lad_code``) or ward (``ward_code``): how many small areas carry each label."""
    a = store.load().areas
    frame = pd.DataFrame(
        {
            "code": a[by].to_numpy(),
            "name": a["ward_name" if by == "ward_code" else "lad_name"].to_numpy(),
            "borough": a.lad_name.to_numpy(),
            "label": np.asarray(labels, dtype=object),
        }
    )
    out = []
    for (code, name, borough), g in frame.groupby(["code", "name", "borough"], sort=True):
        n = g.label.value_counts()
        row = {"code": code, "name": name, "borough": borough}
        row.update({c: int(n.get(c, 0)) for c in categories})
        row["areas"] = len(g)
        out.append(row)
    return out


@cache.memoize(timeout=TIMEOUT)
def bivariate_clusters(pair: str = "risk_vs_violence") -> dict:
    """Bivariate local Moran clusters from the build: the risk (``risk_vs_violence``) or
    protective (``protective_vs_violence``) index at each small area against violence with
    injury in its queen neighbours.

    Returns ``{pair, x_label, y_label, codes, cluster, quadrant, p, I, labels, counts, by_borough,
    by_ward, meta}``: ``cluster`` is ``high_high|low_low|high_low|low_high`` where significant
    after FDR, else ``none`` (``quadrant`` is the same without the test); ``labels`` name the
    clusters in words; ``counts`` totals them; ``by_borough``/``by_ward`` rows are
    ``{code, name, borough, high_high, low_low, high_low, low_high, none, areas}``; ``meta``:
    method, permutations, seed, tests, alpha, fdr_cutoff. KeyError for an unknown pair.
    """
    if pair not in BIVARIATE_PAIRS:
        raise KeyError(pair)
    data = store.load()
    b = store.artifact("bivariate.parquet", data)
    b = b[b.pair == pair]
    m = store.artifact("bivariate_meta.parquet", data)
    m = m[m.pair == pair].iloc[0].to_dict()
    cats = (*bv.CLUSTERS, "none")
    cluster = b.cluster.astype(str).to_numpy()
    x, y = str(m["x_label"]), str(m["y_label"])
    short_x = "risk" if pair.startswith("risk") else "protection"
    return {
        "pair": pair,
        "x_label": x,
        "y_label": y,
        "codes": b.lsoa21_code.astype(str).tolist(),
        "cluster": cluster.tolist(),
        "quadrant": b.quadrant.astype(str).tolist(),
        "p": [_p(v) for v in b.p],
        "I": [_num(v, 4) for v in b.I],
        "labels": {k: v.format(x=short_x, y="violence") for k, v in bv.CLUSTER_LABELS.items()},
        "counts": {c: int((cluster == c).sum()) for c in cats},
        "by_borough": _counts(cluster, cats, "lad_code"),
        "by_ward": _counts(cluster, cats, "ward_code"),
        "meta": {
            k: (m[k].item() if hasattr(m[k], "item") else m[k])
            for k in ("method", "permutations", "seed", "tests", "alpha", "fdr_cutoff")
        },
    }


PRIORITY_SORTS = ("concern", "share", "violence", "name")


@cache.memoize(timeout=TIMEOUT)
def high_risk_low_protection(pct: int = 20, sort: str = "concern") -> dict:
    """Small areas in the top ``pct``% of the risk index and the bottom ``pct``% of the
    protective index (``pct`` ∈ {10, 20, 30}), with violence with injury alongside.

    Returns ``{pct, codes, flag, areas, by_borough, by_ward, labels}``: ``flag`` per small
    area; ``areas`` the flagged ones, most violence first, as ``{code, name, ward, borough,
    risk, risk_rank, protective, protective_rank, violence, violence_rank}`` (ranks: 1 = most
    concern of the 1,719); ``by_borough``/``by_ward`` rows ``{code, name, borough, flagged,
    areas, share, violence_flagged}`` (share of its small areas flagged, in %; mean violence of
    the flagged ones), wards sorted by ``sort``: ``concern`` (flagged count, then share, then
    violence), ``share``, ``violence`` or ``name``. ValueError for another pct or sort.
    """
    if pct not in bv.PRIORITY_THRESHOLDS:
        raise ValueError(f"pct must be one of {bv.PRIORITY_THRESHOLDS}.")
    if sort not in PRIORITY_SORTS:
        raise ValueError(f"sort must be one of {PRIORITY_SORTS}.")
    a = store.load().areas
    risk, prot = analysis.measure("risk_index"), analysis.measure("protective_index")
    viol = analysis.measure(registry.DEFAULT_INDICATOR)
    flag = bv.priority_flags(risk.values, prot.values, pct)
    ranks = {k: analysis.wm_rank(m.values, m.worse_high) for k, m in (("r", risk), ("q", prot), ("v", viol))}
    rows = [
        {
            "code": a.lsoa21_code.iat[i],
            "name": a.lsoa21_name.iat[i],
            "ward": a.ward_name.iat[i],
            "borough": a.lad_name.iat[i],
            "risk": _num(risk.values[i], 1),
            "risk_rank": int(ranks["r"][i]),
            "protective": _num(prot.values[i], 1),
            "protective_rank": int(ranks["q"][i]),
            "violence": _num(viol.values[i], 1),
            "violence_rank": None if ranks["v"][i] is pd.NA else int(ranks["v"][i]),
        }
        for i in np.flatnonzero(flag)
    ]
    rows.sort(key=lambda r: (-(r["violence"] or 0.0), r["code"]))

    def groups(by: str, name: str) -> list[dict]:
        f = pd.DataFrame(
            {
                "code": a[by],
                "name": a[name],
                "borough": a.lad_name,
                "flag": flag,
                "v": np.where(flag, viol.values, np.nan),
            }
        )
        g = f.groupby(["code", "name", "borough"], sort=True).agg(
            flagged=("flag", "sum"), areas=("flag", "size"), v=("v", "mean")
        )
        out = [
            {
                "code": c,
                "name": n,
                "borough": b,
                "flagged": int(r.flagged),
                "areas": int(r.areas),
                "share": round(100 * r.flagged / r.areas, 1),
                "violence_flagged": _num(r.v, 1),
            }
            for (c, n, b), r in g.iterrows()
        ]
        return out

    wards = groups("ward_code", "ward_name")
    keys = {
        "concern": lambda r: (-r["flagged"], -r["share"], -(r["violence_flagged"] or 0.0), r["name"]),
        "share": lambda r: (-r["share"], -r["flagged"], r["name"]),
        "violence": lambda r: (-(r["violence_flagged"] or -1.0), r["name"]),
        "name": lambda r: (r["name"], r["borough"]),
    }
    wards.sort(key=keys[sort])
    return {
        "pct": pct,
        "codes": a.lsoa21_code.tolist(),
        "flag": [bool(x) for x in flag],
        "areas": rows,
        "by_borough": groups("lad_code", "lad_name"),
        "by_ward": wards,
        "labels": {
            "flag": f"Top {pct}% for risk and bottom {pct}% for protection among the West Midlands small areas",
            "risk": risk.label,
            "protective": prot.label,
            "violence": viol.label,
        },
    }


IOD_DOMAIN_LABELS = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health deprivation and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_env": "Living environment",
    "idaci": "Income deprivation affecting children (IDACI)",
    "idaopi": "Income deprivation affecting older people (IDAOPI)",
    "cyp_subdomain": "Children and young people (education sub-domain)",
    "adult_skills_subdomain": "Adult skills (education sub-domain)",
    "geographical_barriers_subdomain": "Geographical barriers (barriers sub-domain)",
    "wider_barriers_subdomain": "Wider barriers (barriers sub-domain)",
    "indoors_subdomain": "Indoors living environment (sub-domain)",
    "outdoors_subdomain": "Outdoors living environment (sub-domain)",
}


def iod_domains() -> list[tuple[str, str]]:
    """(id, label) of every domain with IoD 2019 → 2025 change in the build, in file order."""
    c = store.artifact("iod_change.parquet")
    return [(str(d), IOD_DOMAIN_LABELS.get(str(d), str(d))) for d in c.domain.cat.categories if (c.domain == d).any()]


@cache.memoize(timeout=TIMEOUT)
def iod_change(domain: str = "imd") -> dict:
    """IoD 2019 → 2025 for one domain and every small area (from ``iod_change.parquet``).

    Returns ``{domain, label, codes, rows, summary, flags, caveat, england}``: ``rows`` per
    small area (code order) ``{code, rank_2019, rank_2025, rank_2019_on_2025_scale,
    rank_change, percentile_2019, percentile_2025, decile_2019, decile_2025, decile_change,
    change_code, lsoa11_codes}`` (rank 1 = most deprived in England; ``rank_change`` > 0:
    less deprived relative to England than in 2019); ``summary`` counts areas whose national
    decile went down (more deprived), stayed or went up; ``flags`` explains U/S/M.
    KeyError for an unknown domain.
    """
    c = store.artifact("iod_change.parquet")
    d = c[c.domain == domain]
    if d.empty:
        raise KeyError(domain)
    n19, n25 = change.ENGLAND_LSOAS_2019, change.ENGLAND_LSOAS_2025
    rows = []
    for r in d.to_dict("records"):
        rows.append(
            {
                "code": str(r["lsoa21_code"]),
                "rank_2019": int(r["rank_2019"]),
                "rank_2025": int(r["rank_2025"]),
                "rank_2019_on_2025_scale": round(int(r["rank_2019"]) * n25 / n19, 1),
                "rank_change": _num(r["rank_change"], 1),
                "percentile_2019": round(100 * int(r["rank_2019"]) / n19, 2),
                "percentile_2025": round(100 * int(r["rank_2025"]) / n25, 2),
                "decile_2019": int(r["decile_2019"]),
                "decile_2025": int(r["decile_2025"]),
                "decile_change": int(r["decile_change"]),
                "change_code": str(r["change_code"]),
                "lsoa11_codes": str(r["lsoa11_codes"]).split(";"),
            }
        )
    dc = d.decile_change.astype(int)
    return {
        "domain": domain,
        "label": IOD_DOMAIN_LABELS.get(domain, domain),
        "codes": [r["code"] for r in rows],
        "rows": rows,
        "summary": {
            "more_deprived_decile": int((dc < 0).sum()),
            "same_decile": int((dc == 0).sum()),
            "less_deprived_decile": int((dc > 0).sum()),
            "split": int((d.change_code == "S").sum()),
            "merged": int((d.change_code == "M").sum()),
        },
        "flags": dict(change.CHANGE_FLAGS),
        "caveat": change.CHANGE_CAVEAT,
        "england": {"2019": change.ENGLAND_LSOAS_2019, "2025": change.ENGLAND_LSOAS_2025},
    }


def series_indicators() -> list[tuple[str, str]]:
    """(id, label) of every borough indicator with a LAIT time series in the build."""
    s = store.artifact("borough_series.parquet")
    ids = set(s.indicator_id.astype(str))
    return [(i.id, i.label) for i in registry.INDICATORS if i.id in ids]


@cache.memoize(timeout=TIMEOUT)
def borough_series(indicator_id: str) -> dict:
    """Every period LAIT holds for one borough indicator, for each of the seven boroughs, the
    West Midlands region and England, tidy for a Plotly line chart (one line per area).

    Returns ``{indicator, label, unit, higher_is_worse, source, periods, areas, rows}``:
    ``periods`` in order; ``areas`` ``[{code, name, type}]`` boroughs first, then the region,
    then England; ``rows`` ``[{period, period_order, year_type, area_code, area_name,
    area_type, value}]`` (value None where LAIT shows "-"). KeyError if it has no series.
    """
    s = store.artifact("borough_series.parquet")
    d = s[s.indicator_id == indicator_id]
    if d.empty:
        raise KeyError(indicator_id)
    ind = registry.get(indicator_id)
    order = {"local_authority": 0, "region": 1, "country": 2}
    areas = (
        d.drop_duplicates("area_code")
        .assign(o=lambda f: f.area_type.map(order))
        .sort_values(["o", "area_name"])[["area_code", "area_name", "area_type"]]
    )
    return {
        "indicator": indicator_id,
        "label": ind.label,
        "unit": ind.unit,
        "higher_is_worse": ind.higher_is_worse,
        "source": ind.source,
        "periods": list(dict.fromkeys(d.sort_values("period_order").period.astype(str))),
        "areas": [{"code": c, "name": n, "type": t} for c, n, t in areas.itertuples(index=False)],
        "rows": [
            {
                "period": str(r["period"]),
                "period_order": int(r["period_order"]),
                "year_type": str(r["year_type"]),
                "area_code": str(r["area_code"]),
                "area_name": str(r["area_name"]),
                "area_type": str(r["area_type"]),
                "value": _num(r["value"], 4),
            }
            for r in d.to_dict("records")
        ],
    }
