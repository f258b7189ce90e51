"""The view state carried by the URL: postcode or LSOA, indicator and radius.

Pure functions, so the rules are tested without a browser. Anything unrecognised in a
URL falls back to a default instead of failing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from geodata import registry
from geodata.postcodes import MAX_INPUT_CHARS
from geodata.profile import DEFAULT_RADIUS_KM, RADII_KM

_LSOA = re.compile(r"^E01\d{6}$")


def default_state() -> dict:
    return {"postcode": None, "lsoa": None, "indicator": registry.DEFAULT_INDICATOR, "radius": DEFAULT_RADIUS_KM}


def clean(state: dict) -> dict:
    out = default_state()
    pc = state.get("postcode")
    if isinstance(pc, str) and pc.strip() and len(pc) <= MAX_INPUT_CHARS:
        out["postcode"] = " ".join(pc.split()).upper()
    lsoa = state.get("lsoa")
    if not out["postcode"] and isinstance(lsoa, str) and _LSOA.match(lsoa.strip().upper()):
        out["lsoa"] = lsoa.strip().upper()
    ind = state.get("indicator")
    if registry.exists(ind) and registry.get(ind).mappable:
        out["indicator"] = ind
    try:
        r = float(state.get("radius"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        r = DEFAULT_RADIUS_KM
    out["radius"] = r if r in RADII_KM else DEFAULT_RADIUS_KM
    return out


def parse_query(search: object) -> dict:
    """State from a query string such as ``?postcode=B15+2TT&indicator=imd_decile&radius=2``."""
    if not isinstance(search, str):
        return default_state()
    q = parse_qs(search[:512].lstrip("?"), max_num_fields=10)
    return clean({k: v[0] for k, v in q.items() if v})


def to_query(state: dict) -> str:
    s = clean(state)
    q = {}
    if s["postcode"]:
        q["postcode"] = s["postcode"]
    elif s["lsoa"]:
        q["lsoa"] = s["lsoa"]
    q["indicator"] = s["indicator"]
    q["radius"] = f"{s['radius']:g}"
    return "?" + urlencode(q)
