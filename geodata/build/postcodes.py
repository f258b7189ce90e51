"""Every West Midlands postcode placed in its LSOA 2011, LSOA 2021, ward and borough; districts
and sectors; and the integer keys of English postcodes outside the area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..constants import BNG, BOROUGHS, WGS84
from ..postcodes import encode_many
from .geography import nearest_lsoa
from .raw import Raw, check, require_columns, unique


def build_postcodes(raw: Raw, geo: dict, england: bool = True) -> dict[str, pd.DataFrame]:
    pc = raw.csv("geography/postcodes/postcodes_wm.csv", dtype={"cpo_pqi": "string"})
    require_columns(pc, ["postcode", "lat", "lon", "live", "lad", "ward", "lsoa21", "lsoa11"], "postcodes_wm")
    unique(pc, "postcode", "postcodes_wm")
    check(set(pc.lad.dropna()) <= set(BOROUGHS), "postcodes_wm has a borough outside the 7")
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
    check(out.key.is_unique, "postcode keys collide")
    check(
        bool(out.lat.between(52.2, 52.8).all() and out.lon.between(-2.4, -1.3).all()),
        "a West Midlands postcode lies outside the expected bounding box",
    )
    check(out.lsoa21_code.dropna().isin(areas.index).all(), "postcode LSOA 2021 not in the boundaries")

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
    check(
        int(first.sum()) > raw.expected.postcodes_outside_above,
        f"England lookup looks truncated ({first.sum()} postcodes outside the area)",
    )
    return pd.DataFrame({"key": keys[first], "lad_name": pd.Categorical(names[first])})
