"""Area profiles: every indicator for a postcode's surroundings, an LSOA, a ward or a borough,
with its West Midlands rank or percentile and its comparators.

How areas combine is written once, in :data:`METHOD_NOTES`: the methods page, every export and
the README show those sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pgeocode

from . import registry
from .constants import ENGLAND_CODE, REGION_CODE
from .places import Place, lookup_postcode
from .registry import Indicator
from .store import Data, load

RADII_KM = (0.5, 1.0, 2.0)
DEFAULT_RADIUS_KM = 1.0
MAX_RADIUS_KM = 5.0
AREA_KINDS = ("lsoa", "ward", "borough")

# How the numbers are made, in plain sentences: shown on the methods page, in every export
# (PDF, XLSX, ZIP README) and in the README (docs/generate.py).
METHOD_NOTES: tuple[str, ...] = (
    (
        "Small-area values are for Lower Layer Super Output Areas (LSOA 2021), which have about 1,500 "
        "residents each. A ward, a borough or a postcode's surroundings combines the values of its small "
        "areas weighted by their Census 2021 residents: a population-weighted mean for rates, percentages "
        "and scores, and a population-weighted median for deciles (averaging deciles would invent values "
        "no area has). A ward's small areas are the ONS best fit; 'West Midlands' means the seven boroughs."
    ),
    (
        "A postcode's small area is ONS's own assignment (the May 2022 postcode lookup) where it has one, "
        "carried to LSOA 2021, and point-in-polygon for newer postcodes; its ward and borough are those of "
        "its small area (the ONS best-fit ward), so the three never contradict each other and the ward "
        "compared with is the one its small area is counted in, even where the ward boundary itself runs "
        "the other side of the postcode. A postcode ONS lists in the seven boroughs is inside the area."
    ),
    (
        "A postcode's surrounding area is every small area whose centre lies within the chosen radius "
        "of the postcode, plus the postcode's own small area. A small area's centre is where its residents "
        "live: the mean position of its live postcodes (or, with none, a point inside its boundary); the "
        "count of sports sites within 1 km is counted from the same centre."
    ),
    (
        "Figures are carried at full precision through the data files and the API, and rounded once, "
        "only where they are shown, to the decimal places each measure states."
    ),
    (
        "Borough-wide measures (schools, children's services, some health measures) are never averaged into "
        "small areas: the profile shows the borough's own figure, labelled as such, beside the West Midlands "
        "region and England figures published with it."
    ),
    (
        "'Better (or worse) than X% of West Midlands small areas' counts, of the 1,719 small areas in the seven "
        "boroughs, those with a strictly worse (or better) value, rounded down, where better always means less "
        "risk or more protection; 'the same as Y%' counts the others with exactly that value, and 'taken as a "
        "whole' sets a ward's, borough's or postcode area's combined value against single small areas. The "
        "percentile in the data files is the share with a better value, ties counting half (100 = worst); "
        "ranks count 1 as the worst."
    ),
    (
        "Neighbourhood (MSOA) figures are shared by every small area in the neighbourhood; LSOA 2011 figures "
        "are carried to LSOA 2021 by the ONS lookup: unchanged and split areas take their 2011 value, an area "
        "merged from several takes the area-weighted mean of its parts."
    ),
    (
        "Violence is shown as the outcome beside the risk and protective factors, never folded into a risk "
        "score. Ethnicity and similar characteristics are never used as risk factors."
    ),
)

CAVEAT = (
    "These figures describe places, not people. Risk factors are things that tend to go with "
    "more violence across many areas; they are correlates, not causes, and no one living here "
    "is at risk because of where they live. Protective factors are strengths to build on."
)


class AreaNotFound(KeyError):
    """No area of that kind has that code."""


@dataclass(frozen=True)
class Area:
    kind: str  # postcode | lsoa | ward | borough
    code: str
    name: str
    rows: tuple[int, ...]  # LSOA rows in Data.areas
    lad_code: str | None
    ward_code: str | None
    radius_km: float | None = None


# ---------------------------------------------------------------------------- statistics


def combine(values: np.ndarray, weights: np.ndarray, how: str) -> float | None:
    """Population-weighted mean or median, ignoring missing values."""
    ok = ~np.isnan(values)
    if not ok.any():
        return None
    v, w = values[ok], weights[ok]
    if (v == v[0]).all():  # one area (or all equal): exact, not v*w/w, so tied areas rank as ties
        return float(v[0])
    if how == "median":
        order = np.argsort(v, kind="stable")
        cum = np.cumsum(w[order])
        return float(v[order][np.searchsorted(cum, cum[-1] / 2)])
    return float(np.average(v, weights=w))


@dataclass(frozen=True)
class _Stats:
    sorted_values: dict[str, np.ndarray]
    ward: dict[str, dict[str, float | None]]
    borough: dict[str, dict[str, float | None]]
    west_midlands: dict[str, float | None]
    ward_rows: dict[str, tuple[int, ...]]
    borough_rows: dict[str, tuple[int, ...]]
    borough_values: dict[tuple[str, str], float]
    centres: np.ndarray  # (n, 2) lat, lon


@lru_cache(maxsize=4)
def _stats(data: Data) -> _Stats:
    areas, pop = data.areas, data.values["population"]
    ward_rows = {k: tuple(v) for k, v in areas.groupby("ward_code").indices.items()}
    borough_rows = {k: tuple(v) for k, v in areas.groupby("lad_code").indices.items()}
    sorted_values, ward, borough, wm = {}, {}, {}, {}
    for ind in registry.mappable():
        v = data.values[ind.id]
        sorted_values[ind.id] = np.sort(v[~np.isnan(v)])
        ward[ind.id] = {k: combine(v[list(r)], pop[list(r)], ind.agg) for k, r in ward_rows.items()}
        borough[ind.id] = {k: combine(v[list(r)], pop[list(r)], ind.agg) for k, r in borough_rows.items()}
        wm[ind.id] = combine(v, pop, ind.agg)
    bv = {(r.indicator_id, r.area_code): float(r.value) for r in data.borough_values.itertuples()}
    centres = np.column_stack([areas.lat.to_numpy(), areas.lon.to_numpy()])
    return _Stats(sorted_values, ward, borough, wm, ward_rows, borough_rows, bv, centres)


def worse_than_share(ind: Indicator, value: float, sorted_values: np.ndarray) -> float:
    """Percent of West Midlands areas with a better value (ties count half): 100 = worst."""
    lo = np.searchsorted(sorted_values, value, side="left")
    hi = np.searchsorted(sorted_values, value, side="right")
    better = lo if ind.higher_is_worse else len(sorted_values) - hi
    return round(100.0 * (better + 0.5 * (hi - lo)) / len(sorted_values), 1)


WM_SMALL_AREAS = "West Midlands small areas"


def standing(
    value: float | None,
    among: np.ndarray,
    higher_is_worse: bool,
    among_kind: Literal["small areas", "boroughs"] = "small areas",
    whole: bool = False,
) -> str:
    """Where ``value`` stands among ``among`` (the West Midlands small areas or boroughs), in words.

    The profile's ``wm_standing``: the one phrasing the app, exports, API and summary show.
    Better means less risk or more protection for every role. Percentages count the areas with a
    strictly worse (or better) value and round down, so they stay true with ties and never reach
    100% of a set that holds the area itself; a share of 1% or more with exactly the same value
    is said too (deciles tie a lot). ``whole``: ``value`` combines several small areas (a ward,
    borough or postcode's surroundings), so it is a combined value set against single small areas.
    Borough-wide measures rank the boroughs (1 = worst). "" when there is no value.
    """
    if value is None or len(among) == 0:
        return ""
    among = np.asarray(among, dtype=float)
    lower, higher = int((among < value).sum()), int((among > value).sum())
    better, worse = (lower, higher) if higher_is_worse else (higher, lower)
    same = len(among) - better - worse
    if among_kind == "boroughs":
        tied = " (tied)" if same > 1 else ""
        return f"ranks {worse + 1}{tied} of {len(among)} boroughs (1 = worst)"
    n = len(among)
    others = same - (0 if whole else 1)  # a single small area is one of ``among`` itself

    def share(k: int) -> int:
        return 100 * k // n  # rounded down: "better than 99%" is true of 1718 in 1719

    parts = [f"better than {share(worse)}%" if worse >= better else f"worse than {share(better)}%"]
    if max(share(worse), share(better)) == 0:  # (nearly) every area has this value: say only that
        parts = []
    if share(others) >= 1 or not parts:
        parts.append(f"the same as {share(others)}%")
    text = f"{' and '.join(parts)} of {WM_SMALL_AREAS}"
    return f"taken as a whole, {text}" if whole else text


# ---------------------------------------------------------------------------- areas


def find_area(kind: str, code: str, data: Data | None = None) -> Area:
    """An LSOA, ward or borough by its code; AreaNotFound otherwise."""
    data = data or load()
    st = _stats(data)
    code = code.strip().upper() if isinstance(code, str) else ""
    if kind == "lsoa" and code in data.lsoa_row:
        i = data.lsoa_row[code]
        a = data.areas.iloc[i]
        return Area("lsoa", code, f"{a.lsoa21_name} ({a.msoa21_label})", (i,), a.lad_code, a.ward_code)
    if kind == "ward" and code in st.ward_rows:
        lad = data.areas.lad_code.iloc[st.ward_rows[code][0]]
        return Area("ward", code, f"{data.ward_names[code]} ward, {data.lad_names[lad]}", st.ward_rows[code], lad, code)
    if kind == "borough" and code in st.borough_rows:
        return Area("borough", code, data.lad_names[code], st.borough_rows[code], code, None)
    raise AreaNotFound(f"No {kind} with code {code!r} in the West Midlands boroughs.")


def check_radius(radius_km: object) -> float:
    try:
        r = float(radius_km)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError("The radius must be a number of kilometres.") from None
    if not 0.1 <= r <= MAX_RADIUS_KM:
        raise ValueError(f"The radius must be between 0.1 and {MAX_RADIUS_KM:g} km.")
    return r


def distances_km(data: Data, lat: float, lon: float, points: np.ndarray) -> np.ndarray:
    """Great-circle distances from one point to (n, 2) lat/lon points, by pgeocode."""
    return pgeocode.haversine_distance(np.array([[lat, lon]]), points)


def areas_within_radius(centres: np.ndarray, lat: float, lon: float, radius_km: float, own_row: int) -> tuple[int, ...]:
    """The radius rule, in one pure function: the rows of the small areas whose centre (``centres``,
    (n, 2) lat/lon: each area's population-weighted centre, ``areas.lat``/``lon`` from the build)
    lies within ``radius_km`` of the point (great-circle distance, inclusive), plus ``own_row``,
    the point's own small area; sorted."""
    d = pgeocode.haversine_distance(np.array([[lat, lon]]), centres)
    rows = set(np.flatnonzero(d <= radius_km).tolist())
    rows.add(int(own_row))
    return tuple(sorted(rows))


def surrounding_area(place: Place, radius_km: float = DEFAULT_RADIUS_KM, data: Data | None = None) -> Area:
    data = data or load()
    if place.latitude is None or place.longitude is None or place.lsoa21_code is None:
        raise AreaNotFound(place.message)
    radius_km = check_radius(radius_km)
    rows = areas_within_radius(
        _stats(data).centres, place.latitude, place.longitude, radius_km, data.lsoa_row[place.lsoa21_code]
    )
    what = place.postcode or place.query
    return Area(
        "postcode",
        what,
        f"within {radius_km:g} km of {what}",
        rows,
        place.lad_code,
        place.ward_code,
        radius_km,
    )


# ---------------------------------------------------------------------------- profiles


def _comparator(label: str, code: str | None, value: float | None, ind: Indicator) -> dict:
    return {"label": label, "code": code, "value": value}  # full precision: only display rounds


@lru_cache(maxsize=256)
def _indicator_fields(ind: Indicator) -> tuple[tuple[str, object], ...]:
    """An indicator's own fields in a profile entry, made once: ``to_dict`` (dataclasses.asdict)
    was 60% of a profile's time."""
    d = ind.to_dict()
    del d["derivation"], d["derived_from"], d["agg"]
    return tuple(d.items())


@lru_cache(maxsize=4)
def _lsoa_codes(data: Data) -> tuple[str, ...]:
    """Every LSOA's code by row, as plain strings (``.iloc`` per row was a quarter of a profile)."""
    return tuple(str(c) for c in data.areas.lsoa21_code)


def _entry(ind: Indicator, data: Data, st: _Stats, area: Area) -> dict:
    d = dict(_indicator_fields(ind))
    lad, ward = area.lad_code, area.ward_code
    lad_name = data.lad_names.get(lad, "") if lad else ""
    if ind.mappable:
        rows = list(area.rows)
        value = combine(data.values[ind.id][rows], data.values["population"][rows], ind.agg)
        sv = st.sorted_values[ind.id]
        pct = None if value is None else worse_than_share(ind, value, sv)
        single = area.kind == "lsoa"
        rank = None
        if single and value is not None:
            rank = int((sv > value).sum() + 1) if ind.higher_is_worse else int((sv < value).sum() + 1)
        comps = [
            _comparator(f"{data.ward_names[ward]} ward", ward, st.ward[ind.id].get(ward), ind)
            if ward and area.kind != "ward"
            else None,
            _comparator(lad_name, lad, st.borough[ind.id].get(lad), ind) if lad and area.kind != "borough" else None,
            _comparator("West Midlands (7 boroughs)", None, st.west_midlands[ind.id], ind),
            {
                "label": "England",
                "code": ENGLAND_CODE,
                "value": None,
                "note": ind.national_note or "The source gives no England figure for this measure.",
            },
        ]
        d.update(
            value=value,
            value_note="" if ind.geography != "msoa" else "Neighbourhood (MSOA) figure shared by its small areas.",
            wm_percentile=pct,
            wm_standing=standing(value, sv, ind.higher_is_worse, whole=not single),
            wm_rank=rank,
            wm_count=len(sv) if single else None,
            wm_rank_of="small areas" if single else None,
        )
    else:
        value = st.borough_values.get((ind.id, lad)) if lad else None
        vals = [st.borough_values[(ind.id, b)] for b in data.lad_names if (ind.id, b) in st.borough_values]
        rank = None
        if value is not None:
            rank = 1 + sum((v > value) if ind.higher_is_worse else (v < value) for v in vals)
        # As published, like the borough's own value: rounding only these would set 0.1471 against 0.129.
        comps = [
            {"label": label, "code": code, "value": st.borough_values.get((ind.id, code))}
            for label, code in (("West Midlands region", REGION_CODE), ("England", ENGLAND_CODE))
        ]
        d.update(
            value=value,
            value_note=f"{lad_name} figure (borough-wide, not measured for small areas).",
            wm_percentile=None,
            wm_standing=standing(value, np.array(vals), ind.higher_is_worse, "boroughs"),
            wm_rank=rank,
            wm_count=len(vals),
            wm_rank_of="boroughs",
        )
    d["comparators"] = [c for c in comps if c is not None]
    return d


def _centre(area: Area, data: Data, place: Place | None) -> dict:
    """Where to centre a map: the postcode itself, else the population-weighted centre."""
    if place is not None and place.latitude is not None:
        return {"lat": place.latitude, "lon": place.longitude}
    rows = list(area.rows)
    w = data.values["population"][rows]
    a = data.areas.iloc[rows]
    return {"lat": round(float(np.average(a.lat, weights=w)), 5), "lon": round(float(np.average(a.lon, weights=w)), 5)}


def profile(area: Area, data: Data | None = None, place: Place | None = None) -> dict:
    """The JSON-ready profile of an area: one entry per indicator in registry order."""
    data = data or load()
    st = _stats(data)
    rows = list(area.rows)
    indicators = [_entry(ind, data, st, area) for ind in registry.INDICATORS]
    out = {
        "area": {
            "kind": area.kind,
            "code": area.code,
            "name": area.name,
            "radius_km": area.radius_km,
            "lad_code": area.lad_code,
            "lad_name": data.lad_names.get(area.lad_code) if area.lad_code else None,
            "ward_code": area.ward_code,
            "ward_name": data.ward_names.get(area.ward_code) if area.ward_code else None,
            "lsoa21_codes": [_lsoa_codes(data)[i] for i in rows],
            "population": int(data.values["population"][rows].sum()),
            "centre": _centre(area, data, place),
        },
        "data_version": data.version,
        "summary": summarise(area, indicators, int(data.values["population"][rows].sum())),
        "caveat": CAVEAT,
        "indicators": indicators,
    }
    if place is not None:
        out["place"] = place.public_dict()
    return out


def profile_for_postcode(text: object, radius_km: float = DEFAULT_RADIUS_KM, data: Data | None = None) -> dict:
    """A postcode's place and the profile of its surrounding area (empty when it cannot be placed)."""
    data = data or load()
    radius_km = check_radius(radius_km)
    place = lookup_postcode(text, data)
    if place.lsoa21_code is None:
        return {
            "place": place.public_dict(),
            "area": None,
            "data_version": data.version,
            "summary": place.message,
            "caveat": CAVEAT,
            "indicators": [],
        }
    return profile(surrounding_area(place, radius_km, data), data, place)


def profile_for_area(kind: str, code: str, data: Data | None = None) -> dict:
    data = data or load()
    return profile(find_area(kind, code, data), data)


def summarise(area: Area, indicators: list[dict], population: int) -> str:
    """Two or three plain sentences: size, the most marked risks and strengths, violence."""
    n = len(area.rows)
    where = {
        "postcode": f"The area {area.name}",
        "lsoa": f"Small area {area.name}",
        "ward": area.name,
        "borough": area.name,
    }[area.kind]
    size = f"{where} covers {n} small area{'s' if n != 1 else ''} with about {population:,} residents."
    ranked = [i for i in indicators if i["wm_percentile"] is not None]
    risks = sorted((i for i in ranked if i["role"] == "risk"), key=lambda i: -i["wm_percentile"])
    strengths = sorted((i for i in ranked if i["role"] == "protective"), key=lambda i: i["wm_percentile"])
    parts = [size]

    def name(i: dict) -> str:
        return i["label"][0].lower() + i["label"][1:]

    high = [name(i) for i in risks[:2] if i["wm_percentile"] >= 60]
    good = [name(i) for i in strengths[:2] if i["wm_percentile"] <= 40]
    if high:
        parts.append(
            "Compared with the rest of the West Midlands, its most marked risk "
            + ("factors are " if len(high) > 1 else "factor is ")
            + " and ".join(high)
            + "."
        )
    if good:
        parts.append("Its strengths include " + " and ".join(good) + ".")
    viol = next((i for i in ranked if i["id"] == registry.DEFAULT_INDICATOR), None)
    if viol is not None:
        parts.append(f"Recorded violence with injury: {viol['wm_standing']}.")
    return " ".join(parts)


def nearby_assets(
    lat: float, lon: float, radius_km: float = DEFAULT_RADIUS_KM, data: Data | None = None, limit_per_kind: int = 25
) -> list[dict]:
    """Sports sites, libraries, warm spaces and schools within the radius, nearest first."""
    data = data or load()
    radius_km = check_radius(radius_km)
    a = data.assets
    d = distances_km(data, lat, lon, np.column_stack([a.lat.to_numpy(), a.lon.to_numpy()]))
    near = a.assign(distance_km=np.round(d, 2))[d <= radius_km].sort_values(["distance_km", "name"])
    near = near.groupby("kind", sort=False).head(limit_per_kind)
    return near[["kind", "name", "detail", "lat", "lon", "distance_km", "source"]].to_dict("records")
