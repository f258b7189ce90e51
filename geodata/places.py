"""Resolve what a person typed into a place, with one plain sentence about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from .postcodes import parse
from .store import Data, load

Status = Literal["ok", "terminated", "partial", "outside_area", "not_found", "invalid"]
STATUSES: tuple[Status, ...] = ("ok", "terminated", "partial", "outside_area", "not_found", "invalid")
AREA_NAME = (
    "the seven West Midlands boroughs (Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall and Wolverhampton)"
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The keys of every lookup result, in the order the CLI and API print them.
PLACE_KEYS = (
    "query",
    "postcode",
    "status",
    "message",
    "latitude",
    "longitude",
    "lsoa21_code",
    "lsoa21_name",
    "lsoa11_code",
    "ward_code",
    "ward_name",
    "lad_code",
    "lad_name",
)


@dataclass(frozen=True)
class Place:
    query: str
    postcode: str | None
    status: Status
    message: str
    latitude: float | None = None
    longitude: float | None = None
    lsoa21_code: str | None = None
    lsoa21_name: str | None = None
    lsoa11_code: str | None = None
    ward_code: str | None = None
    ward_name: str | None = None
    lad_code: str | None = None
    lad_name: str | None = None
    kind: str = "unit"  # unit | sector | district
    lsoa21_method: str | None = None  # ons_lookup | point_in_polygon | nearest_to_centre
    terminated_yyyymm: str | None = None
    n_postcodes: int | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None

    def to_dict(self) -> dict:
        return asdict(self)

    def public_dict(self) -> dict:
        """The stable keys of the lookup command, in order."""
        d = asdict(self)
        return {k: d[k] for k in PLACE_KEYS}


def _month(yyyymm: str) -> str:
    try:
        return f"{_MONTHS[int(yyyymm[4:6]) - 1]} {yyyymm[:4]}"
    except (ValueError, IndexError):
        return ""


def _quote(query: str) -> str:
    q = " ".join(query.split())[:32]
    return f"“{q}”" if q else "That"


def _area_fields(data: Data, lsoa21: str | None, ward: str | None, lad: str | None) -> dict:
    """The place's small area, ward and borough. The rule: the ward and borough are those of
    the small area (its ONS best-fit ward), so the three never contradict each other and the
    ward comparator is the ward the small area is counted in; ``ward`` and ``lad`` (Code-Point's)
    are used only when there is no small area."""
    rec = data.lsoa_records.get(lsoa21) if lsoa21 else None
    if rec:
        ward, lad = rec[1], rec[2]
    return dict(  # noqa: C408 - reads as the keyword list of the place it describes
        lsoa21_code=lsoa21 if rec else None,
        lsoa21_name=rec[0] if rec else None,
        ward_code=ward,
        ward_name=data.ward_names.get(ward) if ward else None,
        lad_code=lad,
        lad_name=data.lad_names.get(lad) if lad else None,
    )


def lookup_postcode(text: object, data: Data | None = None) -> Place:
    """Resolve a full postcode, a sector ("CV1 2") or a district ("B15")."""
    data = data or load()
    parsed = parse(text)
    query = parsed.query
    if parsed.kind == "empty":
        return Place(query, None, "invalid", "Type a postcode, such as B1 1AA.")
    if parsed.kind == "invalid" or parsed.normalised is None:
        return Place(
            query,
            None,
            "invalid",
            f"{_quote(query)} is not a UK postcode. A postcode looks like B1 1AA or CV1 2AB; "
            "you can also type just the first part, such as B15.",
        )
    pc = parsed.normalised
    if parsed.kind == "unit":
        return _lookup_unit(data, query, pc)
    return _lookup_partial(data, query, pc, parsed.kind)


def _lookup_unit(data: Data, query: str, pc: str) -> Place:
    row = data.postcode_index.row(pc)
    if row is None:
        out = data.outside_index.row(pc)
        if out is not None:
            lad = data.outside_lad_names[data.outside_lad[out]]
            where = f"in {lad}, " if lad else ""
            return Place(query, pc, "outside_area", f"{pc} is {where}outside the area this tool covers: {AREA_NAME}.")
        district = data.unplaced.get(pc)
        if district is not None:
            return _unplaced(data, query, pc, district)
        return Place(
            query,
            pc,
            "not_found",
            f"We could not find {pc}. Check it for typing mistakes. Very new postcodes, and "
            "postcodes outside England, are not in our data.",
        )
    lat, lon, terminated, doterm, lsoa21, method, lsoa11, ward, lad = data.postcode_records[row]
    fields = _area_fields(data, lsoa21, ward, lad)
    where = ", ".join(x for x in (fields["ward_name"] and f"{fields['ward_name']} ward", fields["lad_name"]) if x)
    doterm = doterm or ""
    if terminated:
        when = f" (it was retired in {_month(doterm)})" if _month(doterm) else ""
        msg = f"{pc} is no longer in use{when}. We show where it was: {where}."
    else:
        msg = f"{pc} is in {where}."
    if fields["lsoa21_code"] is None:
        msg += " It lies just outside the boundary of our small areas, so there is no small-area profile for it."
    return Place(
        query,
        pc,
        "terminated" if terminated else "ok",
        msg,
        latitude=float(lat),
        longitude=float(lon),
        lsoa11_code=lsoa11,
        lsoa21_method=method if fields["lsoa21_code"] else None,
        terminated_yyyymm=doterm or None,
        **fields,
    )


def _unplaced(data: Data, query: str, pc: str, district: str) -> Place:
    """A real postcode with no coordinates: its district's centre (partial) when the district
    lies wholly inside the seven boroughs, else a sentence saying why it cannot be placed."""
    c = data.postcode_areas.get(("district", district))
    if c is None or not c.get("wholly_inside", False):
        out = data.areas_outside.get(("district", district))
        if out is not None and c is None:
            return Place(
                query, pc, "outside_area", f"{pc} is in {out}, outside the area this tool covers: {AREA_NAME}."
            )
        why = (
            f"its district {district} is not wholly inside {AREA_NAME}"
            if c is not None
            else f"its district {district} has no live postcode with a position in {AREA_NAME}"
        )
        return Place(
            query,
            pc,
            "not_found",
            f"{pc} is a real postcode, but our data gives it no position, and {why}, so we cannot say where it "
            "is. Try a neighbouring postcode.",
        )
    fields = _area_fields(data, c["lsoa21_code"], None, None)
    msg = (
        f"{pc} is a real postcode, but our data gives it no position. Its district {district} lies wholly in "
        f"the West Midlands boroughs, so we show the centre of its {c['n_postcodes']:,} live postcodes, near "
        f"{fields['ward_name']} ward, {fields['lad_name']}. This is not the postcode's own small area."
    )
    return Place(
        query,
        pc,
        "partial",
        msg,
        latitude=float(c["lat"]),
        longitude=float(c["lon"]),
        kind="district",
        lsoa21_method="nearest_to_centre",
        n_postcodes=int(c["n_postcodes"]),
        **fields,
    )


def _lookup_partial(data: Data, query: str, code: str, kind: str) -> Place:
    c = data.postcode_areas.get((kind, code))
    if c is None:
        out = data.areas_outside.get((kind, code))
        if out is not None:
            return Place(
                query,
                code,
                "outside_area",
                f"{code} is a postcode {kind} in {out}, outside the area this tool covers: {AREA_NAME}.",
                kind=kind,
            )
        return Place(
            query,
            code,
            "not_found",
            f"We could not find any live postcodes starting {code} in {AREA_NAME}. "
            "Check it, or type your full postcode.",
            kind=kind,
        )
    fields = _area_fields(data, c["lsoa21_code"], None, None)
    msg = (
        f"{code} is a postcode {kind}, not a full postcode. We show the centre of its "
        f"{c['n_postcodes']:,} live postcodes in the West Midlands boroughs, near {fields['ward_name']} ward, "
        f"{fields['lad_name']}. Type your full postcode for your exact area."
    )
    return Place(
        query,
        code,
        "partial",
        msg,
        latitude=float(c["lat"]),
        longitude=float(c["lon"]),
        kind=kind,
        lsoa21_method="nearest_to_centre",
        n_postcodes=int(c["n_postcodes"]),
        **fields,
    )
