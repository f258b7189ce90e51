"""Cached entry points shared by the Dash callbacks and the JSON API.

Each function takes primitive arguments only, so its result can be memoised in the
shared cache (per process by default, Redis when several workers run). Callbacks and
API views call these, never pandas.
"""

from __future__ import annotations

from flask_caching import Cache

import geodata

cache = Cache()
TIMEOUT = 24 * 3600  # data only changes with a new build; the key prefix carries its version


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
