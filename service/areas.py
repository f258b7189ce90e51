"""Places and areas: postcode lookups, profiles, nearby strengths and ward and borough names."""

from __future__ import annotations

import geodata
from geodata import load
from geodata.postcodes import parse
from geodata.profile import RADII_KM

from .cache import TIMEOUT, cache


def canonical_postcode(text: object) -> str | None:
    """The one spelling a postcode, sector or district is cached under ("b152tt" -> "B15 2TT");
    None when it cannot be one, so invalid input never becomes a cache key."""
    return parse(text).normalised


def lookup(text: str) -> dict:
    # Not cached: a lookup is a few microseconds, and a key per spelling would let anyone fill the cache.
    return geodata.lookup_postcode(text).to_dict()


def postcode_profile(text: str, radius_km: float) -> dict:
    """The profile of the area within ``radius_km`` (one of RADII_KM) of a postcode, cached under
    its canonical spelling; the place still says what was typed."""
    canonical = canonical_postcode(text)
    if canonical is None or radius_km not in RADII_KM:
        return geodata.profile_for_postcode(text, radius_km)  # never cached
    prof = _canonical_profile(canonical, float(radius_km))
    if prof.get("place", {}).get("query") == text:
        return prof
    return {**prof, "place": {**prof["place"], "query": text}}


@cache.memoize(timeout=TIMEOUT)
def _canonical_profile(canonical: str, radius_km: float) -> dict:
    return geodata.profile_for_postcode(canonical, radius_km)


@cache.memoize(timeout=TIMEOUT)
def area_profile(kind: str, code: str) -> dict:
    return geodata.profile_for_area(kind, code)


@cache.memoize(timeout=TIMEOUT)
def nearby(lat: float, lon: float, radius_km: float) -> list[dict]:
    return geodata.nearby_assets(lat, lon, radius_km)


def is_area(kind: str, code: str) -> bool:
    data = load()
    return code in (data.lad_names if kind == "borough" else data.ward_names)


def ward_label(code: str) -> str:
    """ "Edgbaston (Birmingham)": how the ward picker names a ward."""
    data = load()
    lad = data.wards.lad_code[data.wards.code == code]
    return f"{data.ward_names[code]} ({data.lad_names[lad.iloc[0]]})" if len(lad) else str(code)


def lsoa_codes(borough: str | None = None, ward: str | None = None) -> list[str]:
    """The small areas of a ward, a borough or all seven, by code."""
    a = load().areas
    keep = (a.ward_code == ward) if ward else (a.lad_code == borough) if borough else a.lad_code.notna()
    return list(a.lsoa21_code[keep])


def borough_of_ward(ward: str | None) -> str | None:
    if not ward:
        return None
    w = load().wards
    lad = w.lad_code[w.code == ward]
    return str(lad.iloc[0]) if len(lad) else None


def ward_codes(borough: str | None = None, ward: str | None = None) -> list[str]:
    """The wards a filter keeps: the one ward, the wards of one borough, or all, by code."""
    if ward:
        return [ward]
    w = load().wards
    return list(w.code[w.lad_code == borough] if borough else w.code)


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


def warm(data: geodata.store.Data) -> None:
    """Build what every profile reads (the West Midlands, ward and borough comparators, sorted
    values, each indicator's fields) and import the PDF renderer once, at start-up: under
    gunicorn's preload this runs before the workers fork, so they share it copy-on-write instead
    of each building it on its first request (about a second each, and private memory)."""
    import exports.mapping  # matplotlib, geopandas
    import exports.pdf  # noqa: F401

    geodata.profile_for_area("borough", next(iter(data.lad_names)), data)
