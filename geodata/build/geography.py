"""Boundaries, lookups and place names: the small areas, wards and boroughs the rest is built on."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..constants import BNG, BOROUGHS, WGS84
from .raw import Raw, check, require_columns, unique

# ~7-11 m at this latitude: finer than the 20 m generalisation of the source boundaries,
# coarse enough to halve the map payload.
GRID_DEGREES = 1e-4


def quantise(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    out = shapely.make_valid(shapely.set_precision(geoms.values, GRID_DEGREES))
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs)


def build_geography(raw: Raw) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    lsoa = raw.geojson("geography/boundaries/lsoa21_wm.geojson")[["code", "geometry"]]
    wards = raw.geojson("geography/boundaries/wards2025_wm.geojson")[["code", "name", "lad_code", "geometry"]]
    lads = raw.geojson("geography/boundaries/lad_wm.geojson")[["code", "name", "geometry"]]
    lookup = raw.csv("geography/lookups/lsoa21_lookup_wm.csv")
    ward_list = raw.csv("geography/lookups/wards2025_wm.csv")
    labels = raw.csv("geography/context/place_labels_wm.csv")

    require_columns(
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
        unique(df, key, what)
        check(len(df) == n, f"{what}: expected {n} rows, found {len(df)}")
    check(set(lsoa.code) == set(lookup.lsoa21_code), "LSOA boundaries and lookup disagree")
    check(set(lookup.lad_code) == set(BOROUGHS), "lookup boroughs are not the 7 West Midlands boroughs")
    check(set(lads.code) == set(BOROUGHS), "borough boundaries are not the 7 boroughs")
    check(set(lookup.ward_code) <= set(ward_list.ward_code), "lookup names a ward not in the ward list")

    lsoa = lsoa.sort_values("code").reset_index(drop=True)
    # A point inside each unquantised LSOA: the centre of an area with no live postcode
    # (postcodes.area_centres gives every other area its population-weighted centre).
    inner = lsoa.geometry.representative_point()
    lsoa["geometry"] = quantise(lsoa.geometry)
    check(bool(lsoa.is_valid.all() and (~lsoa.is_empty).all()), "LSOA geometry invalid after quantising")
    wards = wards.sort_values("code").reset_index(drop=True)
    wards["geometry"] = quantise(wards.geometry)
    lads = lads.sort_values("code").reset_index(drop=True)
    lads["geometry"] = quantise(lads.geometry)

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
    areas["lon"] = inner.x.to_numpy()
    areas["lat"] = inner.y.to_numpy()

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
    check(set(lk.change_code) <= {"U", "S", "M"}, "unexpected LSOA change codes")
    m = lk.merge(values, left_on="lsoa11_code", right_on="lsoa11_code", how="left", validate="m:1")
    w = m["share_of_lsoa21_area"].astype(float)
    out = pd.DataFrame({"lsoa21_code": m["lsoa21_code"]})
    for c in cols:
        v = m[c].astype(float)
        out[c + "__w"] = (v * w).where(v.notna())
        out[c + "__d"] = w.where(v.notna())
    g = out.groupby("lsoa21_code").sum(min_count=1)
    return pd.DataFrame({c: g[c + "__w"] / g[c + "__d"] for c in cols}).reset_index()


def nearest_lsoa(lsoa: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The LSOA containing each point, or the nearest one for points just outside."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(BNG)
    poly = lsoa.to_crs(BNG)
    j = gpd.sjoin_nearest(pts, poly[["code", "geometry"]], how="left")
    j = j[~j.index.duplicated(keep="first")]
    return j["code"].to_numpy(dtype=object)
