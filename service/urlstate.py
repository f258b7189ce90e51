"""The view state carried by the URL: postcode or LSOA, measure, radius, map view, filters,
index weights, the table's order and the places compared.

Pure functions, so the rules are tested without a browser. Anything unrecognised in a URL
falls back to a default instead of failing, and :func:`read_query` says in a sentence what
it could not honour.
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
WEIGHT_STEP, WEIGHT_MAX = 0.5, 3.0
# Every weight the weights box offers (its min, max and step), and nothing else.
WEIGHT_CHOICES = tuple(i * WEIGHT_STEP for i in range(int(WEIGHT_MAX / WEIGHT_STEP) + 1))
WEIGHTS_RULE = (
    f"each level's weight is one of {', '.join(f'{w:g}' for w in WEIGHT_CHOICES[:-1])} or {WEIGHT_MAX:g}, "
    "and at least one is above 0"
)
MAX_COMPARE = 4
# The ward table's orders: most concern (the first count column, highest first), or by name.
WARD_SORTS = {"concern": "Most concern first", "ward": "Ward, A to Z", "borough": "Borough, A to Z"}
MAX_COMPARE_CHARS = 200


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
        "wsort": "concern",
        "compare": (),
    }


def weights_of(value: object) -> tuple[float, ...] | None:
    """Four level weights from a list or "1,0.5,2,1", or None unless every one is offered."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        return None
    try:
        parts = [float(x) for x in items]
    except (TypeError, ValueError):
        return None
    if len(parts) != 4 or any(p not in WEIGHT_CHOICES for p in parts) or not any(parts):
        return None
    return tuple(parts)


def compare_specs(text: object) -> tuple[str, ...]:
    """The places typed into Compare: postcodes or area codes separated by semicolons (or commas)."""
    if isinstance(text, (list, tuple)):  # as a store holds them
        text = ";".join(str(t) for t in text)
    raw = text[:MAX_COMPARE_CHARS] if isinstance(text, str) else ""
    return tuple(" ".join(p.split()).upper() for p in raw.replace(",", ";").split(";") if p.strip())


def _read(state: object) -> tuple[dict, list[str]]:
    """A valid state from anything a browser may send, and a sentence for each part not honoured."""
    out = default_state()
    notes: list[str] = []
    if not isinstance(state, dict):
        return out, notes
    pc = state.get("postcode")
    if isinstance(pc, str) and pc.strip():
        if len(pc) <= MAX_INPUT_CHARS:
            out["postcode"] = " ".join(pc.split()).upper()
        else:
            notes.append("The link's postcode is too long to be a postcode, so no place is shown.")
    lsoa = state.get("lsoa")
    if not out["postcode"] and isinstance(lsoa, str) and lsoa.strip():
        if LSOA_CODE.match(lsoa.strip().upper()):
            out["lsoa"] = lsoa.strip().upper()
        else:
            notes.append(f"“{lsoa[:20]}” in the link is not a small-area code (E01 and six digits).")
    ind = state.get("indicator")
    if service.is_measure(ind):
        out["indicator"] = ind
    elif ind is not None:
        notes.append(
            f"The link asks for a measure “{str(ind)[:40]}” the explorer does not have; "
            f"the map shows {service.measure_label(out['indicator'])} instead."
        )
    radius = state.get("radius")
    if radius is not None:
        try:
            r = float(radius)
        except (TypeError, ValueError):
            r = None
        if r in RADII_KM:
            out["radius"] = r
        else:
            notes.append(
                f"The link's radius “{str(radius)[:10]}” is not one of "
                f"{', '.join(f'{k:g}' for k in RADII_KM)} km; the area within {DEFAULT_RADIUS_KM:g} km is shown."
            )
    view = state.get("view")
    if isinstance(view, str) and view in service.VIEWS:
        out["view"] = view
    elif view is not None:
        notes.append(f"The link's map view “{str(view)[:20]}” is unknown; the map shows values.")
    for key in ("borough", "ward"):
        v = state.get(key)
        if v is None:
            continue
        code = v.strip().upper() if isinstance(v, str) else ""
        if _AREA.match(code) and service.is_area(key, code):
            out[key] = code
        else:
            notes.append(f"The link's {key} “{str(v)[:20]}” is not one of the seven boroughs' {key}s; all are shown.")
    if out["ward"]:
        out["borough"] = None
    if "w" in state:
        w = weights_of(state["w"])
        if w is None:
            notes.append(f"The link's index weights cannot be used ({WEIGHTS_RULE}); every level counts equally.")
        out["w"] = w or service.DEFAULT_WEIGHTS
    sort = state.get("sort")
    if isinstance(sort, str) and sort in service.SORTS:
        out["sort"] = sort
    elif sort is not None:
        notes.append(f"The link's table order “{str(sort)[:20]}” is unknown; the table is ordered by concern.")
    wsort = state.get("wsort")
    if isinstance(wsort, str) and wsort in WARD_SORTS:
        out["wsort"] = wsort
    elif wsort is not None:
        notes.append(f"The link's ward table order “{str(wsort)[:20]}” is unknown; wards are ordered by concern.")
    if state.get("compare"):
        specs = compare_specs(state["compare"])
        if len(specs) > MAX_COMPARE:
            notes.append(f"The link compares more than {MAX_COMPARE} places; the first {MAX_COMPARE} are compared.")
        out["compare"] = specs[:MAX_COMPARE]
    return out, notes


def clean(state: object) -> dict:
    """A valid state from anything a browser may send: unknown or malformed parts take defaults."""
    return _read(state)[0]


def layer_of(state: dict, page: str = "plan") -> dict:
    """What the map needs to know to colour the small areas. Your area always shows values of
    the whole region; views and filters are the planners' (page "plan")."""
    planning = page == "plan"
    return {
        "indicator": state["indicator"],
        "view": state["view"] if planning else "values",
        "w": list(state["w"]),
        "borough": state["borough"] if planning else None,
        "ward": state["ward"] if planning else None,
    }


def read_query(search: object) -> tuple[dict, list[str]]:
    """State from a query string such as ``?postcode=B15+2TT&indicator=imd_decile&radius=2``,
    and a sentence for each part of it that cannot be honoured."""
    if not isinstance(search, str):
        return default_state(), []
    try:
        q = parse_qs(search[:1024].lstrip("?"), max_num_fields=20)
    except ValueError:  # more fields than any link of the explorer has
        return default_state(), ["The link has more parts than the explorer uses, so none of them is used."]
    return _read({k: v[0] for k, v in q.items() if v})


def parse_query(search: object) -> dict:
    return read_query(search)[0]


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
    if s["wsort"] != "concern":
        q["wsort"] = s["wsort"]
    if s["compare"]:
        q["compare"] = ";".join(s["compare"])
    return "?" + urlencode(q)
