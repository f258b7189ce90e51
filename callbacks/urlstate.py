"""The view state carried by the URL: postcode or LSOA, measure, radius, map view, filters
and index weights.

Pure functions, so the rules are tested without a browser. Anything unrecognised in a
URL falls back to a default instead of failing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

import service
from geodata import registry
from geodata.postcodes import MAX_INPUT_CHARS
from geodata.profile import DEFAULT_RADIUS_KM, RADII_KM

LSOA_CODE = re.compile(r"^E01\d{6}$")
_AREA = re.compile(r"^E0[58]\d{6}$")
WEIGHT_CHOICES = (0.0, 0.5, 1.0, 2.0, 3.0)


def default_state() -> dict:
    return {
        "postcode": None,
        "lsoa": None,
        "indicator": registry.DEFAULT_INDICATOR,
        "radius": DEFAULT_RADIUS_KM,
        "view": "values",
        "borough": None,
        "ward": None,
        "w": service.DEFAULT_WEIGHTS,
        "sort": "concern",
    }


def _weights(value: object) -> tuple[float, ...]:
    try:
        parts = [float(x) for x in (value.split(",") if isinstance(value, str) else value)]  # type: ignore[union-attr]
    except (TypeError, ValueError, AttributeError):
        return service.DEFAULT_WEIGHTS
    if len(parts) != 4 or any(p not in WEIGHT_CHOICES for p in parts) or not any(parts):
        return service.DEFAULT_WEIGHTS
    return tuple(parts)


def clean(state: object) -> dict:
    """A valid state from anything a browser may send: unknown or malformed parts take defaults."""
    out = default_state()
    if not isinstance(state, dict):
        return out
    pc = state.get("postcode")
    if isinstance(pc, str) and pc.strip() and len(pc) <= MAX_INPUT_CHARS:
        out["postcode"] = " ".join(pc.split()).upper()
    lsoa = state.get("lsoa")
    if not out["postcode"] and isinstance(lsoa, str) and LSOA_CODE.match(lsoa.strip().upper()):
        out["lsoa"] = lsoa.strip().upper()
    if service.is_measure(state.get("indicator")):
        out["indicator"] = state["indicator"]
    try:
        r = float(state.get("radius"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        r = DEFAULT_RADIUS_KM
    out["radius"] = r if r in RADII_KM else DEFAULT_RADIUS_KM
    if isinstance(state.get("view"), str) and state["view"] in service.VIEWS:
        out["view"] = state["view"]
    for key in ("borough", "ward"):
        v = state.get(key)
        if isinstance(v, str) and _AREA.match(v.strip().upper()) and service.is_area(key, v.strip().upper()):
            out[key] = v.strip().upper()
    out["w"] = _weights(state.get("w", service.DEFAULT_WEIGHTS))
    if isinstance(state.get("sort"), str) and state["sort"] in service.SORTS:
        out["sort"] = state["sort"]
    return out


def layer_of(state: dict) -> dict:
    """What the map needs to know to colour the small areas (a clean state's part)."""
    return {
        "indicator": state["indicator"],
        "view": state["view"],
        "w": list(state["w"]),
        "borough": state["borough"],
        "ward": state["ward"],
    }


def parse_query(search: object) -> dict:
    """State from a query string such as ``?postcode=B15+2TT&indicator=imd_decile&radius=2``."""
    if not isinstance(search, str):
        return default_state()
    q = parse_qs(search[:512].lstrip("?"), max_num_fields=20)
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
    if s["view"] != "values":
        q["view"] = s["view"]
    for key in ("borough", "ward"):
        if s[key]:
            q[key] = s[key]
    if s["w"] != service.DEFAULT_WEIGHTS:
        q["w"] = ",".join(f"{x:g}" for x in s["w"])
    if s["sort"] != "concern":
        q["sort"] = s["sort"]
    return "?" + urlencode(q)
