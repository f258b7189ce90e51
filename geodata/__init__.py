"""Pure data layer of the West Midlands postcode risk-factor explorer.

No web framework is imported here (a test proves it). Everything is built from the raw
files by ``python -m geodata build`` and loaded, read-only, by :func:`load`.
"""

from .places import Place, lookup_postcode
from .profile import (
    DEFAULT_RADIUS_KM,
    RADII_KM,
    AreaNotFound,
    find_area,
    nearby_assets,
    profile,
    profile_for_area,
    profile_for_postcode,
)
from .registry import INDICATORS
from .registry import get as get_indicator
from .store import DataError, load

__all__ = [
    "DEFAULT_RADIUS_KM",
    "INDICATORS",
    "RADII_KM",
    "AreaNotFound",
    "DataError",
    "Place",
    "find_area",
    "get_indicator",
    "load",
    "lookup_postcode",
    "nearby_assets",
    "profile",
    "profile_for_area",
    "profile_for_postcode",
]
