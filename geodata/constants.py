"""Codes and geodesy every part of the product shares: the seven boroughs, the comparator
areas and the coordinate systems. One place, so a code or a constant is never restated."""

from __future__ import annotations

BOROUGHS = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
REGION_CODE = "E12000005"  # West Midlands region (the comparator the LAIT files carry)
ENGLAND_CODE = "E92000001"

WGS84 = "EPSG:4326"  # longitude/latitude, as the raw files and the map use
BNG = "EPSG:27700"  # British National Grid, in metres: distances and contiguity
KM_PER_DEG_LAT = 110.57  # one degree of latitude at 52.5° N (WGS84 ellipsoid)
KM_PER_DEG_LON_EQUATOR = 111.32  # one degree of longitude at the equator; times cos(latitude)
