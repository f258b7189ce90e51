"""Two to four areas side by side, indicator by indicator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import registry
from ..profile import CAVEAT, AreaNotFound, profile_for_area, profile_for_postcode
from ..registry import LEVEL_LABELS, LEVELS
from ..store import Data, load
from .indices import INDEX_ROLES

MAX_COMPARE = 4

_KINDS = {"E01": "lsoa", "E05": "ward", "E08": "borough"}


def _area_spec(spec: object) -> tuple[str, str]:
    if isinstance(spec, Mapping):
        return str(spec.get("kind", "")), str(spec.get("code", ""))
    if isinstance(spec, (tuple, list)) and len(spec) == 2:
        return str(spec[0]), str(spec[1])
    text = str(spec).strip()
    kind, sep, code = text.partition(":")
    if sep and kind in ("postcode", "lsoa", "ward", "borough"):
        return kind, code.strip()
    up = text.upper()
    if len(up) == 9 and up[:3] in _KINDS and up[3:].isdigit():
        return _KINDS[up[:3]], up
    return "postcode", text


def compare(areas: Sequence[object], radius_km: float = 1.0, data: Data | None = None) -> dict:
    """Two to four areas side by side, indicator by indicator, grouped by level and role.

    Each area is a postcode (its surrounding area within ``radius_km``), an LSOA, ward
    or borough code (``E01…``, ``E05…``, ``E08…``), ``"kind:code"``, a ``(kind, code)``
    pair or ``{"kind": …, "code": …}``. Profiles come from :mod:`geodata.profile`.
    Raises ValueError for the wrong number of areas, AreaNotFound for an unknown one.
    """
    data = data or load()
    if isinstance(areas, (str, bytes)) or not 2 <= len(areas) <= MAX_COMPARE:
        raise ValueError(f"Compare two to {MAX_COMPARE} areas.")
    profiles = []
    for spec in areas:
        kind, code = _area_spec(spec)
        if kind == "postcode":
            p = profile_for_postcode(code, radius_km, data)
            if p["area"] is None:
                raise AreaNotFound(p["summary"])
        else:
            p = profile_for_area(kind, code, data)
        profiles.append(p)
    by_id = [{e["id"]: e for e in p["indicators"]} for p in profiles]
    groups = []
    order = [(lv, role) for lv in LEVELS for role in INDEX_ROLES] + [(lv, "outcome") for lv in LEVELS]
    for lv, role in order:
        rows = []
        for ind in registry.INDICATORS:
            if ind.level != lv or ind.role != role:
                continue
            es = [b[ind.id] for b in by_id]
            rows.append(
                {
                    "id": ind.id,
                    "label": ind.label,
                    "unit": ind.unit,
                    "unit_plain": ind.unit_plain,
                    "higher_is_worse": ind.higher_is_worse,
                    "geography": ind.geography,
                    "decimals": ind.decimals,
                    "values": [e["value"] for e in es],
                    "wm_percentiles": [e["wm_percentile"] for e in es],
                    "wm_standings": [e["wm_standing"] for e in es],
                    "notes": [e["value_note"] for e in es],
                }
            )
        if rows:
            groups.append({"level": lv, "level_label": LEVEL_LABELS[lv], "role": role, "indicators": rows})
    return {
        "areas": [p["area"] for p in profiles],
        "summaries": [p["summary"] for p in profiles],
        "groups": groups,
        "caveat": CAVEAT,
        "data_version": data.version,
    }
