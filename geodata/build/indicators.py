"""Indicator values, each read as its registry entry's derivation says: small-area columns
(LSOA 2021, LSOA 2011 carried over, MSOA shared) and borough-wide figures."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import registry
from ..constants import BNG, BOROUGHS, ENGLAND_CODE, REGION_CODE, WGS84
from .geography import lsoa11_to_lsoa21
from .raw import BuildError, Raw, check, numeric, require_columns, unique

ACTIVE_PLACES = "protective/sport_england_active_places_facilities_wm.csv"


def build_lsoa_indicators(raw: Raw, areas: pd.DataFrame, lsoa: gpd.GeoDataFrame) -> pd.DataFrame:
    """One column per small-area indicator, each read as its registry entry's derivation says."""
    out = pd.DataFrame({"lsoa21_code": areas.lsoa21_code})
    for ind in registry.mappable():
        s = small_area_series(raw, ind, areas)
        out[ind.id] = s.reindex(areas.lsoa21_code).to_numpy(dtype=float)  # full precision: only display rounds
    census = area_table(raw, "census/census2021_lsoa21_west_midlands.csv", "lsoa21_code", areas)
    require_columns(census, ["age6_residents_total"], "Census 2021")
    out["population"] = census["age6_residents_total"].astype(float).reindex(areas.lsoa21_code).to_numpy(dtype=float)
    check(bool((out.population > 0).all()), "Census 2021 population missing or zero for an LSOA")

    # value ranges: deciles 1..10, percentages 0..100, rates non-negative
    for ind in registry.mappable():
        v = out[ind.id].dropna()
        check(len(v) >= 0.95 * len(out), f"{ind.id}: more than 5% of LSOAs have no value")
        if "decile" in ind.unit:
            check(bool(v.between(1, 10).all()), f"{ind.id}: decile outside 1..10")
        if ind.unit.startswith("%"):
            check(bool(v.between(0, 100).all()), f"{ind.id}: percentage outside 0..100")
        if ind.unit.startswith("per ") or ind.unit in ("minutes", "sites"):
            check(bool((v >= 0).all()), f"{ind.id}: negative rate")
    return out


def area_table(raw: Raw, rel: str, key: str, areas: pd.DataFrame) -> pd.DataFrame:
    """A raw table with one row per area, indexed by its code, checked against the geography:
    every LSOA 2021 exactly once; the expected number of LSOA 2011s; MSOAs unique."""
    df = raw.csv(rel)
    require_columns(df, [key], rel)
    unique(df, key, rel)
    if key == "lsoa21_code":
        check(set(df[key]) == set(areas.lsoa21_code), f"{rel}: LSOA 2021 codes differ from the boundaries")
    elif key == "lsoa11_code":
        n11 = raw.expected.lsoa11
        check(len(df) == n11, f"{rel}: expected {n11:,} LSOA 2011 rows, found {len(df)}")
    return df.set_index(key)


def column_values(df: pd.DataFrame, d: registry.Column, what: str) -> pd.Series:
    """``scale × column``, or ``100 × (column + plus…) / per``, as floats."""
    require_columns(df, [c for c in (*d.columns, d.per) if c], what)
    check(not d.plus or bool(d.per), f"{what}: count columns to add need a total to divide by")
    # numeric: a sentence naming file, column and row, never a traceback
    v = sum((numeric(df[c], d.file, c) for c in d.plus), numeric(df[d.column], d.file, d.column))
    return 100 * v / numeric(df[d.per], d.file, d.per) if d.per else v * d.scale if d.scale != 1 else v


def small_area_series(raw: Raw, ind: registry.Indicator, areas: pd.DataFrame) -> pd.Series:
    """One small-area indicator's values, indexed by LSOA 2021 code."""
    d = ind.derived
    if isinstance(d, registry.SitesWithin):
        return sports_sites_near(raw, areas, d)
    if not isinstance(d, registry.Column):
        raise BuildError(f"{ind.id}: a {type(d).__name__} cannot give small-area values")
    key = d.key or registry.AREA_KEYS[ind.geography]
    values = column_values(area_table(raw, d.file, key, areas), d, ind.id)
    if ind.geography == "lsoa11":
        carried = lsoa11_to_lsoa21(raw, values.rename("v").rename_axis("lsoa11_code").reset_index(), ["v"])
        return carried.set_index("lsoa21_code")["v"]
    if ind.geography == "msoa":
        return pd.Series(areas.msoa21_code.map(values).to_numpy(dtype=float), index=areas.lsoa21_code.to_numpy())
    return values


def sports_sites_near(raw: Raw, areas: pd.DataFrame, d: registry.SitesWithin) -> pd.Series:
    sites = sports_sites(raw, d.file)
    pts = gpd.GeoSeries(gpd.points_from_xy(sites.lon, sites.lat), crs=WGS84).to_crs(BNG)
    centres = gpd.GeoSeries(gpd.points_from_xy(areas.lon, areas.lat), crs=WGS84).to_crs(BNG)
    sx, sy = pts.x.to_numpy(), pts.y.to_numpy()
    counts = [
        int((np.hypot(sx - cx, sy - cy) <= d.radius_m).sum())
        for cx, cy in zip(centres.x.to_numpy(), centres.y.to_numpy())
    ]
    return pd.Series(counts, index=areas.lsoa21_code.to_numpy(), dtype=float)


def sports_facilities(raw: Raw, rel: str = ACTIVE_PLACES) -> pd.DataFrame:
    """The operational, publicly accessible facilities: one row each, several to a site."""
    f = raw.csv(rel)
    require_columns(
        f, ["site_id", "facility_type", "status", "access_group", "lon", "lat", "lsoa21_code"], "Active Places"
    )
    return f[f.status.astype(str).str.startswith("Operational") & (f.access_group == "Public Access")]


def sports_sites(raw: Raw, rel: str = ACTIVE_PLACES) -> pd.DataFrame:
    f = sports_facilities(raw, rel)
    g = (
        f.groupby("site_id")
        .agg(
            lon=("lon", "first"),
            lat=("lat", "first"),
            lsoa21_code=("lsoa21_code", "first"),
            facilities=("facility_type", lambda s: ", ".join(sorted(set(map(str, s))))),
        )
        .reset_index()
    )
    return g.sort_values("site_id").reset_index(drop=True)


def _latest(
    frame: pd.DataFrame, code_col: str, value_col: str, period_col: str, period: str, what: str, codes: list[str]
) -> pd.DataFrame:
    """Values for one period, checked to be the latest one with a value for every borough."""
    have = frame.dropna(subset=[value_col])
    complete = have[have[code_col].isin(BOROUGHS)].groupby(period_col)[code_col].nunique()
    complete = sorted(p for p, n in complete.items() if n == len(BOROUGHS))
    check(bool(complete), f"{what}: no period covers all 7 boroughs")
    latest = str(complete[-1])
    check(period.startswith(latest), f"{what}: latest complete period is {latest}, the registry says {period}")
    rows = have[(have[period_col].astype(str) == latest) & have[code_col].isin(codes)]
    return rows


def build_borough_values(raw: Raw) -> pd.DataFrame:
    """One row per borough-wide indicator and area (boroughs, and region and England where the
    source has them), each read as its registry entry's derivation says."""
    names = {**BOROUGHS, REGION_CODE: "West Midlands region", ENGLAND_CODE: "England"}
    rows: list[pd.DataFrame] = []
    for ind in registry.INDICATORS:
        if ind.geography != "borough":
            continue
        df = borough_series(raw, ind, list(names))
        df = df.assign(indicator_id=ind.id, value=df.value.astype(float))  # as published: only display rounds
        check(set(BOROUGHS) <= set(df.area_code), f"{ind.id}: not every borough has a value")
        unique(df, "area_code", ind.id)
        rows.append(df)
    out = pd.concat(rows, ignore_index=True)
    out["area_name"] = out.area_code.map(names)
    return (
        out[["indicator_id", "area_code", "area_name", "value"]]
        .sort_values(["indicator_id", "area_code"])
        .reset_index(drop=True)
    )


def borough_series(raw: Raw, ind: registry.Indicator, codes: list[str]) -> pd.DataFrame:
    """``area_code, value`` for one borough-wide indicator."""
    d = ind.derived
    if isinstance(d, registry.LaitMeasure):
        lait = raw.csv(d.file).drop_duplicates(["measure_short", "area_code", "period"])
        m = lait[lait.measure_short == d.measure]
        check(not m.empty, f"{ind.id}: LAIT measure {d.measure} not found in {d.file}")
        return _latest(m, "area_code", "value", "period", ind.period, ind.id, codes)[["area_code", "value"]]
    if isinstance(d, registry.HealthIndexMeasure):
        hi = raw.csv(d.file)
        m = hi[hi.indicator == d.indicator].assign(year=lambda f: f.year.astype(str))
        check(d.year == ind.period[:4], f"{ind.id}: the derivation's year {d.year} is not the period {ind.period}")
        got = _latest(m, "lad_code", "value", "year", ind.period, ind.id, list(BOROUGHS))
        return got.rename(columns={"lad_code": "area_code"})[["area_code", "value"]]
    if isinstance(d, registry.Column) and d.key:
        f = raw.csv(d.file)
        require_columns(f, [d.key], d.file)
        per_lad = f.assign(value=column_values(f, d, ind.id)).groupby(d.key)["value"].agg(["nunique", "first"])
        check(bool((per_lad["nunique"] == 1).all()), f"{ind.id}: expected one value per borough")
        return per_lad.reset_index().rename(columns={d.key: "area_code", "first": "value"})[["area_code", "value"]]
    raise BuildError(f"{ind.id}: a {type(d).__name__} without an area key cannot give borough values")
