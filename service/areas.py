"""Places and areas: postcode lookups, profiles, nearby strengths and ward and borough names."""

from __future__ import annotations

import geodata
from geodata import load

from .cache import TIMEOUT, cache


@cache.memoize(timeout=TIMEOUT)
def lookup(text: str) -> dict:
    return geodata.lookup_postcode(text).to_dict()


@cache.memoize(timeout=TIMEOUT)
def postcode_profile(text: str, radius_km: float) -> dict:
    return geodata.profile_for_postcode(text, radius_km)


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


def ward_codes(borough: str | None = None) -> list[str]:
    """The wards of one borough, or of all seven, by code."""
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
