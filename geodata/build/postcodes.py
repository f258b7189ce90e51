"""Every West Midlands postcode placed in its LSOA 2011, LSOA 2021, ward and borough; districts
and sectors; and the integer keys of English postcodes outside the area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..constants import BNG, BOROUGHS, WGS84
from ..postcodes import encode_many
from .geography import nearest_lsoa
from .raw import Raw, check, numeric, require_columns, unique

ONS_WM = "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz"
NSPL = tuple(f"geography/postcodes/nspl_may2025_latlon/{a}.csv" for a in ("B", "CV", "DY", "WS", "WV"))


def normalise(postcodes: pd.Series) -> pd.Series:
    """'CV100AA', 'cv10 0aa' -> 'CV10 0AA' (the NSPL files write some without their space)."""
    s = postcodes.astype(str).str.replace(" ", "", regex=False).str.upper()
    return s.str[:-3] + " " + s.str[-3:]


def read_nspl(raw: Raw) -> pd.DataFrame:
    """Every NSPL May 2025 postcode of the five postcode areas: postcode, lat, lon (NaN when none)."""
    frames = []
    for rel in NSPL:
        f = raw.csv(rel)
        require_columns(f, ["Postcode", "lat", "long"], rel)
        frames.append(
            pd.DataFrame(
                {
                    "postcode": normalise(f.Postcode),
                    "lat": numeric(f.lat, rel, "lat"),
                    "lon": numeric(f.long, rel, "long"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates("postcode")


def build_postcodes(raw: Raw, geo: dict, england: bool = True) -> dict[str, pd.DataFrame]:
    """Every postcode of the seven boroughs, placed by one rule.

    The small area first: ONS's own postcode assignment (May 2022) where the postcode is in it,
    carried to LSOA 2021 (point-in-polygon among the parts of a split area); point-in-polygon
    for newer postcodes. Then the ward and the borough are those of that small area (its ONS
    best-fit ward), so a postcode's small area, ward and borough never contradict each other.
    Every postcode ONS lists in the seven boroughs is inside the area, whatever the generalised
    boundary says."""
    rel = "geography/postcodes/postcodes_wm.csv"
    pc = raw.csv(rel, dtype={"cpo_pqi": "string"})
    require_columns(pc, ["postcode", "lat", "lon", "live", "lad", "ward", "lsoa21", "lsoa11"], "postcodes_wm")
    unique(pc, "postcode", "postcodes_wm")
    pc = pc.assign(lat=numeric(pc.lat, rel, "lat"), lon=numeric(pc.lon, rel, "lon"), live=numeric(pc.live, rel, "live"))
    check(set(pc.lad.dropna()) <= set(BOROUGHS), "postcodes_wm has a borough outside the 7")
    check(bool(pc.live.isin([0, 1]).all()), f"{rel}, column 'live': every row must be 0 or 1")
    ons_all = raw.csv(ONS_WM, usecols=["pcds", "doterm", "lsoa11cd", "ladcd", "ladnm"], dtype=str)
    ons = ons_all[ons_all.ladcd.isin(BOROUGHS)].drop_duplicates("pcds")
    nspl = read_nspl(raw)
    # ONS lists these in the seven boroughs but postcodes_wm.csv does not (its borough came from
    # Code-Point or the generalised boundary): placed from their NSPL coordinates.
    extra = ons[~ons.pcds.isin(pc.postcode)].merge(nspl, left_on="pcds", right_on="postcode", how="inner")
    extra = extra.dropna(subset=["lat", "lon"])
    if len(extra):
        pc = pd.concat(
            [
                pc,
                pd.DataFrame(
                    {
                        "postcode": extra.pcds.to_numpy(),
                        "lat": extra.lat.to_numpy(dtype=float),
                        "lon": extra.lon.to_numpy(dtype=float),
                        "live": extra.doterm.fillna("").eq("").astype(int).to_numpy(),
                        "lad": extra.ladcd.to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
    lk = raw.csv("geography/lookups/lsoa11_lsoa21_wm.csv")
    n_children = lk.lsoa11_code.value_counts()
    first_child = lk.drop_duplicates("lsoa11_code").set_index("lsoa11_code").lsoa21_code

    df = pc.merge(ons[["pcds", "doterm", "lsoa11cd"]].rename(columns={"pcds": "postcode"}), on="postcode", how="left")
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
    # PLACING_RULE: ward and borough follow the small area (its ONS best-fit ward and its
    # borough); only a postcode with no small area keeps Code-Point's ward and borough.
    placed = df.lsoa21_code.notna()
    df["ward_code"] = df.lsoa21_code.map(areas.ward_code).where(placed, df.ward.where(df.ward.isin(wards)))
    df["lad_code"] = df.lsoa21_code.map(areas.lad_code).where(placed, df.lad.where(df.lad.isin(BOROUGHS)))
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
    # A district or sector lies wholly inside when no postcode of it is placed outside the seven
    # boroughs, by ONS (May 2022) or by its NSPL point (newer postcodes).
    out_pcs = pd.concat(
        [
            ons_all.pcds[ons_all.ladcd.notna() & ~ons_all.ladcd.isin(BOROUGHS) & ~ons_all.pcds.isin(out.postcode)],
            nspl.postcode[nspl.lat.notna() & ~nspl.postcode.isin(out.postcode) & ~nspl.postcode.isin(ons_all.pcds)],
        ]
    )
    out_district = set(out_pcs.str.split(" ").str[0])
    out_sector = set(out_pcs.str.split(" ").str[0] + " " + out_pcs.str.split(" ").str[1].str[0])
    partial["wholly_inside"] = [
        c not in (out_district if k == "district" else out_sector) for k, c in zip(partial.kind, partial.code)
    ]
    partial["lat"], partial["lon"] = partial.lat.round(5), partial.lon.round(5)
    partial["lsoa21_code"] = nearest_lsoa(geo["lsoa21"], partial.lon.to_numpy(), partial.lat.to_numpy())

    areas_outside = build_areas_outside(ons_all, set(partial.code))
    unplaced = nspl[nspl.lat.isna() & ~nspl.postcode.isin(out.postcode)]
    unplaced = pd.DataFrame(
        {"postcode": unplaced.postcode.to_numpy(dtype=str), "district": unplaced.postcode.str.split(" ").str[0]}
    ).sort_values("postcode", ignore_index=True)
    outside = (
        build_outside(raw, out.key.to_numpy(), geo["boroughs"], nspl)
        if england
        else pd.DataFrame({"key": np.array([], dtype=np.int64), "lad_name": pd.Series([], dtype=str)})
    )
    return {
        "postcodes": out,
        "postcode_areas": partial.sort_values(["kind", "code"]).reset_index(drop=True),
        "postcodes_outside": outside,
        "postcode_areas_outside": areas_outside,
        "postcodes_unplaced": unplaced,
    }


def build_areas_outside(ons_all: pd.DataFrame, inside: set[str]) -> pd.DataFrame:
    """Districts and sectors of the five postcode areas with no live postcode in the seven boroughs,
    each with the borough (or boroughs, most postcodes first) ONS places its live postcodes in."""
    live = ons_all[ons_all.doterm.fillna("").eq("") & ons_all.ladcd.notna() & ~ons_all.ladcd.isin(BOROUGHS)]
    outward = live.pcds.str.split(" ").str[0]
    rows = []
    for kind, code in (("district", outward), ("sector", outward + " " + live.pcds.str.split(" ").str[1].str[0])):
        counts = live.assign(code=code).groupby(["code", "ladnm"]).size().reset_index(name="n")
        counts = counts[~counts.code.isin(inside)].sort_values(["code", "n", "ladnm"], ascending=[True, False, True])
        for c, g in counts.groupby("code", sort=True):
            rows.append((kind, c, " and ".join(g.ladnm.astype(str).tolist()[:3])))
    return pd.DataFrame(rows, columns=["kind", "code", "lad_name"])


def build_outside(raw: Raw, inside: np.ndarray, boroughs: gpd.GeoDataFrame, nspl: pd.DataFrame) -> pd.DataFrame:
    """Every English postcode outside the 7 boroughs, as integer keys with its borough name.

    ``inside`` holds the integer keys of the area's own postcodes. Postcodes newer than
    the May 2022 England lookup come from the NSPL area files, with no borough name.
    """
    eng = raw.parquet(
        "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet", ["pcds", "ladnm", "ladcd"]
    )
    eng = eng.assign(key=encode_many(eng.pcds.to_numpy(dtype=str)))
    eng = eng[~eng.ladcd.isin(list(BOROUGHS)).to_numpy(dtype=bool) & ~np.isin(eng.key.to_numpy(), inside)]
    # Newer than the England lookup: outside only where the NSPL places it beyond the seven
    # boroughs. Postcodes with no coordinates, or inside the boroughs but absent from the
    # area's list, are not claimed to be anywhere ("not found").
    nspl = nspl.dropna(subset=["lat", "lon"])
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(nspl.lon, nspl.lat), crs=WGS84)
    inside_area = pts.intersects(boroughs.union_all()).to_numpy()
    nkeys = np.unique(encode_many(nspl.postcode.to_numpy(dtype=str)[~inside_area]))
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


def area_centres(areas: pd.DataFrame, postcodes: pd.DataFrame) -> pd.DataFrame:
    """``areas`` with ``lat``/``lon`` set to each small area's population-weighted centre: the mean
    of the raw coordinates of its live postcodes (where people live), or, for an area with none,
    the inner point of its unquantised boundary already in ``areas``. 6 decimals (~0.1 m)."""
    live = postcodes[~postcodes.terminated & postcodes.lsoa21_code.notna()]
    mean = live.groupby("lsoa21_code")[["lat", "lon"]].mean()
    out = areas.copy()
    for c in ("lat", "lon"):
        out[c] = np.round(out.lsoa21_code.map(mean[c]).fillna(out[c]).to_numpy(dtype=float), 6)
    return out
