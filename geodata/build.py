"""Build the processed artifacts from the raw files in ``../shared/data/raw``.

``python -m geodata build [--raw DIR] [--out DIR]``

The build reads only local files, validates everything before writing, writes into a
temporary folder beside the output and swaps it in, so a failed build leaves the previous
artifacts untouched. Output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import police, registry
from .constants import BNG, BOROUGHS, ENGLAND_CODE, REGION_CODE, WGS84
from .postcodes import encode_many
from .sources import SOURCES
from .store import sha256_file

# ~7-11 m at this latitude: finer than the 20 m generalisation of the source boundaries,
# coarse enough to halve the map payload.
GRID_DEGREES = 1e-4
ACTIVE_PLACES = "protective/sport_england_active_places_facilities_wm.csv"
FORMAT_VERSION = 1


class BuildError(Exception):
    """Raised when an input fails validation; nothing is written."""


@dataclass(frozen=True)
class Expected:
    """The counts the build insists on finding. The defaults are the whole West Midlands.

    A raw folder that is a declared cut of the real one (tests/data/raw, made by
    tests/data/cut_raw.py) states its own counts in ``CUT.json``; the build then checks those
    and records the declaration in the manifest, so a build of a cut never passes for the real one.
    """

    boroughs: int = 7
    lsoa21: int = 1719
    lsoa11: int = 1680
    wards: int = 192
    # Fewer postcodes than this outside the 7 boroughs means the England lookup is truncated.
    postcodes_outside_above: int = 1_000_000


CUT_FILE = "CUT.json"


def read_cut(root: Path) -> tuple[Expected, dict | None]:
    """The counts to check in ``root``, and its ``CUT.json`` declaration if it is a cut."""
    path = root / CUT_FILE
    if not path.is_file():
        return Expected(), None
    try:
        cut = json.loads(path.read_text(encoding="utf-8"))
        what, counts = cut["what"], cut["expected"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{path}: not a cut declaration ({type(exc).__name__}: {exc})") from None
    names = {f.name for f in fields(Expected)}
    _check(
        isinstance(what, str) and bool(what) and isinstance(counts, dict) and set(counts) == names,
        f"{path}: needs 'what' and 'expected' with exactly {sorted(names)}",
    )
    _check(all(type(v) is int and v >= 0 for v in counts.values()), f"{path}: expected counts must be whole numbers")
    expected = Expected(**counts)
    return expected, {"what": what, "expected": asdict(expected), "sha256": sha256_file(path)}


def default_raw_dir() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "raw"


def default_out_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "processed"


# ---------------------------------------------------------------------------- helpers


def _progress(msg: str, t0: float) -> None:
    print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise BuildError(msg)


def _unique(df: pd.DataFrame, key: str, what: str) -> None:
    dup = df[key][df[key].duplicated()]
    _check(dup.empty, f"{what}: duplicate {key} {list(dup[:3])}")


def _columns(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    _check(not missing, f"{what}: missing columns {missing}")


def _quantise(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    out = shapely.make_valid(shapely.set_precision(geoms.values, GRID_DEGREES))
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs)


# ---------------------------------------------------------------------------- readers


class Raw:
    """Reads raw files by their path relative to the raw folder, counting rows. A CSV read
    with default options is read once (several indicators share a file); do not mutate it."""

    def __init__(self, root: Path):
        self.root = root
        self.rows: dict[str, int] = {}
        self._csv: dict[str, pd.DataFrame] = {}
        self.expected, self.cut = read_cut(root)

    def path(self, rel: str) -> Path:
        p = self.root / rel
        _check(p.is_file(), f"missing raw file {p}")
        return p

    def _read(self, rel: str, reader: Callable, *args, **kw) -> pd.DataFrame:
        path = self.path(rel)
        try:
            df = reader(path, *args, **kw)
        except Exception as exc:  # noqa: BLE001 - any parser's error: name the file, not a traceback
            raise BuildError(f"cannot read raw file {path}: {type(exc).__name__}: {str(exc)[:200]}") from None
        self.rows[rel] = len(df)
        return df

    def csv(self, rel: str, **kw) -> pd.DataFrame:
        if kw:
            return self._read(rel, pd.read_csv, dtype_backend="numpy_nullable", **kw)
        if rel not in self._csv:
            self._csv[rel] = self._read(rel, pd.read_csv, dtype_backend="numpy_nullable")
        return self._csv[rel]

    def geojson(self, rel: str) -> gpd.GeoDataFrame:
        return self._read(rel, gpd.read_file)

    def parquet(self, rel: str, columns: list[str]) -> pd.DataFrame:
        return self._read(rel, pd.read_parquet, columns=columns)


# ---------------------------------------------------------------------------- geography


def build_geography(raw: Raw) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    lsoa = raw.geojson("geography/boundaries/lsoa21_wm.geojson")[["code", "geometry"]]
    wards = raw.geojson("geography/boundaries/wards2025_wm.geojson")[["code", "name", "lad_code", "geometry"]]
    lads = raw.geojson("geography/boundaries/lad_wm.geojson")[["code", "name", "geometry"]]
    lookup = raw.csv("geography/lookups/lsoa21_lookup_wm.csv")
    ward_list = raw.csv("geography/lookups/wards2025_wm.csv")
    labels = raw.csv("geography/context/place_labels_wm.csv")

    _columns(
        lookup,
        [
            "lsoa21_code",
            "lsoa21_name",
            "msoa21_code",
            "msoa21_hcl_name",
            "ward_code",
            "ward_name",
            "lad_code",
            "lad_name",
        ],
        "lsoa21 lookup",
    )
    expected = raw.expected
    for df, key, n, what in (
        (lsoa, "code", expected.lsoa21, "LSOA 2021 boundaries"),
        (lookup, "lsoa21_code", expected.lsoa21, "LSOA 2021 lookup"),
        (wards, "code", expected.wards, "ward boundaries"),
        (ward_list, "ward_code", expected.wards, "ward list"),
        (lads, "code", expected.boroughs, "borough boundaries"),
    ):
        _unique(df, key, what)
        _check(len(df) == n, f"{what}: expected {n} rows, found {len(df)}")
    _check(set(lsoa.code) == set(lookup.lsoa21_code), "LSOA boundaries and lookup disagree")
    _check(set(lookup.lad_code) == set(BOROUGHS), "lookup boroughs are not the 7 West Midlands boroughs")
    _check(set(lads.code) == set(BOROUGHS), "borough boundaries are not the 7 boroughs")
    _check(set(lookup.ward_code) <= set(ward_list.ward_code), "lookup names a ward not in the ward list")

    lsoa = lsoa.sort_values("code").reset_index(drop=True)
    lsoa["geometry"] = _quantise(lsoa.geometry)
    _check(bool(lsoa.is_valid.all() and (~lsoa.is_empty).all()), "LSOA geometry invalid after quantising")
    wards = wards.sort_values("code").reset_index(drop=True)
    wards["geometry"] = _quantise(wards.geometry)
    lads = lads.sort_values("code").reset_index(drop=True)
    lads["geometry"] = _quantise(lads.geometry)

    # The centre used for the radius profile and nearby counts: a point inside each LSOA.
    inner = lsoa.geometry.representative_point()
    areas = (
        lookup.rename(columns={"msoa21_hcl_name": "msoa21_label"})[
            [
                "lsoa21_code",
                "lsoa21_name",
                "msoa21_code",
                "msoa21_label",
                "ward_code",
                "ward_name",
                "lad_code",
                "lad_name",
            ]
        ]
        .sort_values("lsoa21_code")
        .reset_index(drop=True)
    )
    areas["lon"] = np.round(inner.x.to_numpy(), 5)
    areas["lat"] = np.round(inner.y.to_numpy(), 5)

    labels = labels[labels["type"].isin(["lad", "ward", "msoa21"])][["type", "code", "name", "lat", "lon"]]
    labels = labels.sort_values(["type", "code"]).reset_index(drop=True)
    ward_list = ward_list[["ward_code", "ward_name", "lad_code", "lad_name"]].sort_values("ward_code")
    return {
        "lsoa21": lsoa,
        "wards": wards,
        "boroughs": lads,
        "areas": areas,
        "labels": labels,
        "ward_list": ward_list.reset_index(drop=True),
    }


def lsoa11_to_lsoa21(raw: Raw, values: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Carry LSOA 2011 values onto LSOA 2021 with the official ONS lookup.

    Unchanged and split areas take their 2011 parent's value; a merged 2021 area takes
    the area-weighted mean of its 2011 parts (``share_of_lsoa21_area``).
    """
    lk = raw.csv("geography/lookups/lsoa11_lsoa21_wm.csv")
    _check(set(lk.change_code) <= {"U", "S", "M"}, "unexpected LSOA change codes")
    m = lk.merge(values, left_on="lsoa11_code", right_on="lsoa11_code", how="left", validate="m:1")
    w = m["share_of_lsoa21_area"].astype(float)
    out = pd.DataFrame({"lsoa21_code": m["lsoa21_code"]})
    for c in cols:
        v = m[c].astype(float)
        out[c + "__w"] = (v * w).where(v.notna())
        out[c + "__d"] = w.where(v.notna())
    g = out.groupby("lsoa21_code").sum(min_count=1)
    return pd.DataFrame({c: g[c + "__w"] / g[c + "__d"] for c in cols}).reset_index()


# ---------------------------------------------------------------------------- indicators


def build_lsoa_indicators(raw: Raw, areas: pd.DataFrame, lsoa: gpd.GeoDataFrame) -> pd.DataFrame:
    """One column per small-area indicator, each read as its registry entry's derivation says."""
    out = pd.DataFrame({"lsoa21_code": areas.lsoa21_code})
    for ind in registry.mappable():
        s = small_area_series(raw, ind, areas)
        out[ind.id] = np.round(s.reindex(areas.lsoa21_code).to_numpy(dtype=float), max(ind.decimals, 2) + 1)
    census = area_table(raw, "census/census2021_lsoa21_west_midlands.csv", "lsoa21_code", areas)
    _columns(census, ["age6_residents_total"], "Census 2021")
    out["population"] = census["age6_residents_total"].astype(float).reindex(areas.lsoa21_code).to_numpy(dtype=float)
    _check(bool((out.population > 0).all()), "Census 2021 population missing or zero for an LSOA")

    # value ranges: deciles 1..10, percentages 0..100, rates non-negative
    for ind in registry.mappable():
        v = out[ind.id].dropna()
        _check(len(v) >= 0.95 * len(out), f"{ind.id}: more than 5% of LSOAs have no value")
        if "decile" in ind.unit:
            _check(bool(v.between(1, 10).all()), f"{ind.id}: decile outside 1..10")
        if ind.unit.startswith("%"):
            _check(bool(v.between(0, 100).all()), f"{ind.id}: percentage outside 0..100")
        if ind.unit.startswith("per ") or ind.unit in ("minutes", "sites"):
            _check(bool((v >= 0).all()), f"{ind.id}: negative rate")
    return out


def area_table(raw: Raw, rel: str, key: str, areas: pd.DataFrame) -> pd.DataFrame:
    """A raw table with one row per area, indexed by its code, checked against the geography:
    every LSOA 2021 exactly once; the expected number of LSOA 2011s; MSOAs unique."""
    df = raw.csv(rel)
    _columns(df, [key], rel)
    _unique(df, key, rel)
    if key == "lsoa21_code":
        _check(set(df[key]) == set(areas.lsoa21_code), f"{rel}: LSOA 2021 codes differ from the boundaries")
    elif key == "lsoa11_code":
        n11 = raw.expected.lsoa11
        _check(len(df) == n11, f"{rel}: expected {n11:,} LSOA 2011 rows, found {len(df)}")
    return df.set_index(key)


def column_values(df: pd.DataFrame, d: registry.Column, what: str) -> pd.Series:
    """``scale × column``, or ``100 × column / per``, as floats."""
    _columns(df, [c for c in (d.column, d.per) if c], what)
    v = df[d.column].astype(float)
    return 100 * v / df[d.per].astype(float) if d.per else v * d.scale if d.scale != 1 else v


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


def sports_sites(raw: Raw, rel: str = ACTIVE_PLACES) -> pd.DataFrame:
    f = raw.csv(rel)
    _columns(f, ["site_id", "facility_type", "status", "access_group", "lon", "lat", "lsoa21_code"], "Active Places")
    f = f[f.status.astype(str).str.startswith("Operational") & (f.access_group == "Public Access")]
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
    _check(bool(complete), f"{what}: no period covers all 7 boroughs")
    latest = str(complete[-1])
    _check(period.startswith(latest), f"{what}: latest complete period is {latest}, the registry says {period}")
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
        df = df.assign(indicator_id=ind.id, value=df.value.astype(float).round(4))
        _check(set(BOROUGHS) <= set(df.area_code), f"{ind.id}: not every borough has a value")
        _unique(df, "area_code", ind.id)
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
        _check(not m.empty, f"{ind.id}: LAIT measure {d.measure} not found in {d.file}")
        return _latest(m, "area_code", "value", "period", ind.period, ind.id, codes)[["area_code", "value"]]
    if isinstance(d, registry.HealthIndexMeasure):
        hi = raw.csv(d.file)
        m = hi[hi.indicator == d.indicator].assign(year=lambda f: f.year.astype(str))
        _check(d.year == ind.period[:4], f"{ind.id}: the derivation's year {d.year} is not the period {ind.period}")
        got = _latest(m, "lad_code", "value", "year", ind.period, ind.id, list(BOROUGHS))
        return got.rename(columns={"lad_code": "area_code"})[["area_code", "value"]]
    if isinstance(d, registry.Column) and d.key:
        f = raw.csv(d.file)
        _columns(f, [d.key], d.file)
        per_lad = f.assign(value=column_values(f, d, ind.id)).groupby(d.key)["value"].agg(["nunique", "first"])
        _check(bool((per_lad["nunique"] == 1).all()), f"{ind.id}: expected one value per borough")
        return per_lad.reset_index().rename(columns={d.key: "area_code", "first": "value"})[["area_code", "value"]]
    raise BuildError(f"{ind.id}: a {type(d).__name__} without an area key cannot give borough values")


# ---------------------------------------------------------------------------- postcodes


def build_postcodes(raw: Raw, geo: dict, england: bool = True) -> dict[str, pd.DataFrame]:
    pc = raw.csv("geography/postcodes/postcodes_wm.csv", dtype={"cpo_pqi": "string"})
    _columns(pc, ["postcode", "lat", "lon", "live", "lad", "ward", "lsoa21", "lsoa11"], "postcodes_wm")
    _unique(pc, "postcode", "postcodes_wm")
    _check(set(pc.lad.dropna()) <= set(BOROUGHS), "postcodes_wm has a borough outside the 7")
    ons = raw.csv(
        "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz",
        usecols=["pcds", "doterm", "lsoa11cd", "ladcd"],
        dtype=str,
    )
    ons = ons[ons.ladcd.isin(BOROUGHS)].drop_duplicates("pcds")
    lk = raw.csv("geography/lookups/lsoa11_lsoa21_wm.csv")
    n_children = lk.lsoa11_code.value_counts()
    first_child = lk.drop_duplicates("lsoa11_code").set_index("lsoa11_code").lsoa21_code

    df = pc.merge(ons.rename(columns={"pcds": "postcode"}), on="postcode", how="left")
    # A postcode live today that the May 2022 lookup lists as terminated has been reused:
    # the old assignment describes its old use, so it falls back to point-in-polygon.
    reused = (df.live.astype(int) == 1) & df.doterm.fillna("").ne("")
    official11 = (df.lsoa11cd.isin(n_children.index).fillna(False).astype(bool) & ~reused).to_numpy()
    df["lsoa11_code"] = df.lsoa11cd.where(official11, df.lsoa11)
    df["lsoa11_method"] = np.where(official11, "ons_lookup", "point_in_polygon")
    # Official LSOA 2021 where the 2011 area did not split; where it split, the child
    # that contains the postcode (or the nearest child, so 2011 and 2021 always nest).
    single = official11 & (df.lsoa11cd.map(n_children) == 1).fillna(False).astype(bool).to_numpy()
    df["lsoa21_code"] = df.lsoa11cd.map(first_child).where(single, df.lsoa21)
    df["lsoa21_method"] = np.where(single, "ons_lookup", "point_in_polygon")
    split = official11 & ~single
    pairs = set(zip(lk.lsoa11_code, lk.lsoa21_code))
    nests = np.array([(a, b) in pairs for a, b in zip(df.lsoa11_code, df.lsoa21_code)])
    stray = split & ~nests
    if stray.any():
        children = lk.groupby("lsoa11_code").lsoa21_code.agg(sorted)
        poly = geo["lsoa21"].set_index("code").geometry.to_crs(BNG)
        pts = gpd.GeoSeries(gpd.points_from_xy(df.lon[stray], df.lat[stray]), crs=WGS84).to_crs(BNG)
        df.loc[stray, "lsoa21_code"] = [
            min(children[p11], key=lambda c: (poly[c].distance(pt), c)) for p11, pt in zip(df.lsoa11_code[stray], pts)
        ]
        df.loc[stray, "lsoa21_method"] = "nearest_child_of_official_lsoa11"

    areas = geo["areas"].set_index("lsoa21_code")
    wards = set(geo["ward_list"].ward_code)
    # Ward: Code-Point's own for live postcodes, else the LSOA's official best-fit ward.
    best_ward = df.lsoa21_code.map(areas.ward_code)
    df["ward_code"] = df.ward.where(df.ward.isin(wards), best_ward)
    df["lad_code"] = df.lad.where(df.lad.isin(BOROUGHS), df.lsoa21_code.map(areas.lad_code))
    df["terminated"] = df.live.astype(int) == 0
    df["doterm"] = df.doterm.fillna("")
    out = df[
        [
            "postcode",
            "lat",
            "lon",
            "terminated",
            "doterm",
            "lsoa21_code",
            "lsoa21_method",
            "lsoa11_code",
            "lsoa11_method",
            "ward_code",
            "lad_code",
        ]
    ].copy()
    out["key"] = encode_many(out.postcode.to_numpy(dtype=str))
    out = out.sort_values("key").reset_index(drop=True)
    _check(out.key.is_unique, "postcode keys collide")
    _check(
        bool(out.lat.between(52.2, 52.8).all() and out.lon.between(-2.4, -1.3).all()),
        "a West Midlands postcode lies outside the expected bounding box",
    )
    _check(out.lsoa21_code.dropna().isin(areas.index).all(), "postcode LSOA 2021 not in the boundaries")

    # Districts and sectors: the centre of their live West Midlands postcodes.
    live = out[~out.terminated]
    outward = live.postcode.str.split(" ").str[0]
    sector = outward + " " + live.postcode.str.split(" ").str[1].str[0]
    parts = []
    for kind, code in (("district", outward), ("sector", sector)):
        g = (
            live.assign(code=code)
            .groupby("code")
            .agg(lat=("lat", "mean"), lon=("lon", "mean"), n_postcodes=("postcode", "size"))
        )
        parts.append(g.reset_index().assign(kind=kind))
    partial = pd.concat(parts, ignore_index=True)
    partial["lat"], partial["lon"] = partial.lat.round(5), partial.lon.round(5)
    partial["lsoa21_code"] = nearest_lsoa(geo["lsoa21"], partial.lon.to_numpy(), partial.lat.to_numpy())

    outside = (
        build_outside(raw, out.key.to_numpy(), geo["boroughs"])
        if england
        else pd.DataFrame({"key": np.array([], dtype=np.int64), "lad_name": pd.Series([], dtype=str)})
    )
    return {
        "postcodes": out,
        "postcode_areas": partial.sort_values(["kind", "code"]).reset_index(drop=True),
        "postcodes_outside": outside,
    }


def build_outside(raw: Raw, inside: np.ndarray, boroughs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every English postcode outside the 7 boroughs, as integer keys with its borough name.

    ``inside`` holds the integer keys of the area's own postcodes. Postcodes newer than
    the May 2022 England lookup come from the NSPL area files, with no borough name.
    """
    eng = raw.parquet(
        "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet", ["pcds", "ladnm", "ladcd"]
    )
    eng = eng.assign(key=encode_many(eng.pcds.to_numpy(dtype=str)))
    eng = eng[~eng.ladcd.isin(list(BOROUGHS)).to_numpy(dtype=bool) & ~np.isin(eng.key.to_numpy(), inside)]
    nspl = pd.concat(
        [raw.csv(f"geography/postcodes/nspl_may2025_latlon/{a}.csv") for a in ("B", "CV", "DY", "WS", "WV")]
    )
    # Newer than the England lookup: outside only where the NSPL places it beyond the seven
    # boroughs. Postcodes with no coordinates, or inside the boroughs but absent from the
    # area's list, are not claimed to be anywhere ("not found").
    nspl = nspl.dropna(subset=["lat", "long"])
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(nspl.long, nspl.lat), crs=WGS84)
    inside_area = pts.intersects(boroughs.union_all()).to_numpy()
    nkeys = np.unique(encode_many(nspl.Postcode.to_numpy(dtype=str)[~inside_area]))
    newer = nkeys[~np.isin(nkeys, inside) & ~np.isin(nkeys, eng.key.to_numpy())]
    keys = np.concatenate([eng.key.to_numpy(), newer])
    names = np.concatenate([eng.ladnm.to_numpy(dtype=object), np.full(len(newer), "", dtype=object)])
    order = np.argsort(keys, kind="stable")
    keys, names = keys[order], names[order]
    first = np.concatenate([[True], np.diff(keys) != 0])
    _check(
        int(first.sum()) > raw.expected.postcodes_outside_above,
        f"England lookup looks truncated ({first.sum()} postcodes outside the area)",
    )
    return pd.DataFrame({"key": keys[first], "lad_name": pd.Categorical(names[first])})


def nearest_lsoa(lsoa: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The LSOA containing each point, or the nearest one for points just outside."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(BNG)
    poly = lsoa.to_crs(BNG)
    j = gpd.sjoin_nearest(pts, poly[["code", "geometry"]], how="left")
    j = j[~j.index.duplicated(keep="first")]
    return j["code"].to_numpy(dtype=object)


# ---------------------------------------------------------------------------- assets


def build_assets(raw: Raw) -> pd.DataFrame:
    """Nearby strengths: sports sites, open libraries, warm spaces and schools."""
    sports = sports_sites(raw)
    libs = raw.csv("protective/public_libraries_wm.csv")
    libs = libs[libs.is_open == 1]
    warm = raw.csv("protective/warm_spaces_wm.csv")
    schools = raw.csv("schools/gias_open_establishments_wm.csv")
    schools = schools[schools.coords_in_bbox == 1]
    frames = [
        pd.DataFrame(
            {
                "kind": "sport",
                "name": "Sports site: " + sports.facilities,
                "detail": "Sport England Active Places",
                "lon": sports.lon,
                "lat": sports.lat,
                "source": "sport_england",
            }
        ),
        pd.DataFrame(
            {
                "kind": "library",
                "name": libs.library_name,
                "detail": libs.local_authority,
                "lon": libs.lon,
                "lat": libs.lat,
                "source": "libraries",
            }
        ),
        pd.DataFrame(
            {
                "kind": "warm_space",
                "name": warm.title,
                "detail": warm.hours_text.fillna(""),
                "lon": warm.lon,
                "lat": warm.lat,
                "source": "warm_spaces",
            }
        ),
        pd.DataFrame(
            {
                "kind": "school",
                "name": schools.establishment_name,
                "detail": schools.education_phase.fillna("") + " · " + schools.establishment_type.fillna(""),
                "lon": schools.longitude,
                "lat": schools.latitude,
                "source": "gias",
            }
        ),
    ]
    out = pd.concat(frames, ignore_index=True)
    out["name"] = out.name.astype(str).str.strip()
    out["detail"] = out.detail.astype(str).str.slice(0, 160)
    _check(
        bool(out.lat.between(52.2, 52.8).all() and out.lon.between(-2.4, -1.3).all()),
        "an asset lies outside the West Midlands bounding box",
    )
    return out.sort_values(["kind", "name", "lon", "lat"]).reset_index(drop=True)


# ---------------------------------------------------------------------------- writing


def write_pgeocode(partial: pd.DataFrame, folder: Path) -> None:
    """District centres in pgeocode's own file format, so ``pgeocode.Nominatim('gb')``
    answers from this folder (``PGEOCODE_DATA_DIR``) and never downloads."""
    d = partial[partial.kind == "district"]
    gb = pd.DataFrame(
        {
            "country_code": "GB",
            "postal_code": d.code,
            "place_name": d.code,
            "state_name": "England",
            "state_code": "ENG",
            "county_name": "West Midlands",
            "county_code": "",
            "community_name": "",
            "community_code": "",
            "latitude": d.lat,
            "longitude": d.lon,
            "accuracy": 4,
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    gb.to_csv(folder / "GB.txt", index=False, lineterminator="\n")
    gb.to_csv(folder / "GB-index.txt", index=False, lineterminator="\n")


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    if isinstance(df, gpd.GeoDataFrame):
        df.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
    else:
        df.to_parquet(path, index=False, compression="zstd")


def build(raw_dir: Path, out_dir: Path, england: bool = True, police_dir: Path | None = None) -> dict:
    """Run the whole build; return the manifest. Raises BuildError, writing nothing, on bad input.

    ``police_dir``: a folder of monthly police.uk street-level CSVs to aggregate into
    ``police_monthly.parquet`` (see geodata.police); None or no files: nothing extra."""
    t0 = time.perf_counter()
    raw = Raw(Path(raw_dir))
    _progress(f"reading geography from {raw_dir}", t0)
    geo = build_geography(raw)
    _progress("small-area indicators", t0)
    lsoa_values = build_lsoa_indicators(raw, geo["areas"], geo["lsoa21"])
    areas = geo["areas"].merge(lsoa_values, on="lsoa21_code", validate="1:1")
    _progress("borough indicators", t0)
    borough = build_borough_values(raw)
    _progress("postcodes" + (" (with the England lookup)" if england else ""), t0)
    pcs = build_postcodes(raw, geo, england=england)
    _progress("nearby strengths", t0)
    assets = build_assets(raw)
    monthly, police_meta = build_police(police_dir, geo["areas"].lsoa21_code.tolist(), t0)

    missing = {i.id for i in registry.INDICATORS} - set(areas.columns) - set(borough.indicator_id)
    _check(not missing, f"registry indicators without data: {sorted(missing)}")

    artifacts: dict[str, pd.DataFrame] = {
        "areas.parquet": areas,
        "borough_values.parquet": borough,
        "lsoa21.geoparquet": geo["lsoa21"],
        "wards.geoparquet": geo["wards"],
        "boroughs.geoparquet": geo["boroughs"],
        "labels.parquet": geo["labels"],
        "postcodes.parquet": pcs["postcodes"],
        "postcode_areas.parquet": pcs["postcode_areas"],
        "postcodes_outside.parquet": pcs["postcodes_outside"],
        "assets.parquet": assets,
    }
    if monthly is not None:
        artifacts[police.ARTIFACT] = monthly
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out_dir.name + ".tmp-", dir=out_dir.parent))
    try:
        _progress(f"writing {len(artifacts)} artifacts", t0)
        for name, df in artifacts.items():
            _write_parquet(df, tmp / name)
        write_pgeocode(pcs["postcode_areas"], tmp / "pgeocode")
        manifest = make_manifest(raw, tmp, {n: len(df) for n, df in artifacts.items()})
        if police_meta:
            manifest["police"] = police_meta
        if raw.cut:
            manifest["raw_cut"] = raw.cut
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        swap(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _progress(f"done: {out_dir}", t0)
    return manifest


def build_police(folder: Path | None, lsoa_codes: list[str], t0: float) -> tuple[pd.DataFrame | None, dict]:
    files = police.find_street_files(folder) if folder else []
    if folder is None or not files:
        return None, {}
    _progress(f"monthly police files: {len(files)} in {folder}", t0)
    try:
        table, meta = police.build_monthly(folder, lsoa_codes)
    except police.PoliceFileError as exc:
        raise BuildError(str(exc)) from None
    _progress(f"police rows rejected: {meta['rows_rejected']}", t0)
    return table, meta


def make_manifest(raw: Raw, folder: Path, rows: dict[str, int]) -> dict:
    inputs = {}
    for src in SOURCES.values():
        for rel in src.files:
            p = raw.path(rel)
            inputs[rel] = {
                "source": src.key,
                "sha256": sha256_file(p),
                "rows": raw.rows.get(rel),
                "publisher": src.publisher,
                "vintage": src.vintage,
                "licence": src.licence,
            }
    unused = set(raw.rows) - set(inputs)
    _check(not unused, f"raw files read but not declared in sources.py: {sorted(unused)}")
    artifacts = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            artifacts[rel] = {"sha256": sha256_file(p), "rows": rows.get(rel)}
    digest = hashlib.sha256(json.dumps(artifacts, sort_keys=True).encode()).hexdigest()[:12]
    return {
        "format_version": FORMAT_VERSION,
        "data_version": digest,
        "inputs": inputs,
        "artifacts": artifacts,
        "indicators": len(registry.INDICATORS),
    }


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new``; the old folder is removed only after the swap."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def main_build(
    raw_dir: str | None,
    out_dir: str | None,
    england: bool = True,
    echo: Callable[[str], None] = print,
    police_dir: str | None = None,
) -> int:
    raw = Path(raw_dir) if raw_dir else default_raw_dir()
    out = Path(out_dir) if out_dir else default_out_dir()
    if not raw.is_dir():
        echo(f"error: raw data folder {raw} not found (pass --raw DIR)")
        return 2
    # Monthly police files: --police DIR, else a police/ folder in the raw folder if any.
    pol = Path(police_dir) if police_dir else raw / "police"
    if police_dir and not police.find_street_files(pol):
        echo(f"error: no police.uk street-level files (YYYY-MM-<force>-street.csv) in {pol}")
        return 2
    try:
        m = build(raw, out, england=england, police_dir=pol if pol.is_dir() else None)
    except BuildError as exc:
        echo(f"error: build failed validation, previous artifacts left untouched: {exc}")
        return 1
    echo(f"built data version {m['data_version']} into {out}")
    if "raw_cut" in m:
        echo(f"from a cut of the raw data, not the West Midlands ({CUT_FILE}): {m['raw_cut']['what']}")
    echo(
        f"monthly police data: {len(m['police']['months'])} months from {len(m['police']['files'])} files"
        if "police" in m
        else "no monthly police files present"
    )
    return 0
