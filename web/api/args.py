"""The API's inputs checked before any work: postcodes, radii, area codes and indicator ids.
A bad input raises ApiError, answered as JSON with one sentence."""

from __future__ import annotations

import logging
import re

from flask import request

import geodata
import service
from geodata.places import PLACE_KEYS
from geodata.profile import AREA_KINDS, DEFAULT_RADIUS_KM, RADII_KM, AreaNotFound

from .openapi import AREA_CODE_PATTERN, POSTCODE_MAX, POSTCODE_PATTERN
from .responses import PREFIX

log = logging.getLogger("explorer.api")


MAX_ID_CHARS = 64

MAX_QUERY_CHARS = 256

# The documented patterns are the checks: 400 exactly when an input does not match (see api.openapi).
POSTCODE = re.compile(POSTCODE_PATTERN)

AREA_CODE = re.compile(AREA_CODE_PATTERN)  # GSS codes: E01009146, E05011151, E08000025

NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # no spaces, "nan", "inf" or "1_0"

NOT_A_POSTCODE = (
    "{} is not a UK postcode. A postcode looks like B1 1AA or CV1 2AB; you can also type just the "
    "first part, such as B15."
)

RADIUS_MESSAGE = (
    f"The radius must be one of {', '.join(f'{r:g}' for r in RADII_KM[:-1])} or {RADII_KM[-1]:g} km "
    "(radius_km=0.5, 1 or 2), the radii the explorer offers."
)

NOT_FOUND_STATUSES = ("not_found", "outside_area")


class ApiError(Exception):
    """An error answered as JSON with the given status."""

    def __init__(self, status: int, error: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.extra = status, error, message, extra


def postcode_arg(postcode: str) -> str:
    if len(postcode) > POSTCODE_MAX:
        raise ApiError(400, "invalid_postcode", f"A postcode has at most {POSTCODE_MAX} characters.")
    if not POSTCODE.fullmatch(postcode):
        shown = " ".join(postcode.split())[:POSTCODE_MAX]
        raise ApiError(400, "invalid_postcode", NOT_A_POSTCODE.format(f"“{shown}”" if shown else "That"))
    return postcode


def radius_arg() -> float:
    raws = request.args.getlist("radius_km")
    if not raws:
        return DEFAULT_RADIUS_KM
    if len(raws) > 1:
        raise ApiError(400, "invalid_radius", "Give radius_km once.")
    if NUMBER.fullmatch(raws[0]) and float(raws[0]) in RADII_KM:
        return float(raws[0])
    # Only the radii the app offers: each other one would be a fresh profile and a cache entry.
    raise ApiError(400, "invalid_radius", RADIUS_MESSAGE)


def area_args(kind: str, code: str) -> tuple[str, str]:
    if kind not in AREA_KINDS:
        raise ApiError(
            404,
            "unknown_area_kind",
            f"There are no areas of kind {kind[:MAX_ID_CHARS]!r}; use one of {', '.join(AREA_KINDS)}.",
        )
    if not AREA_CODE.fullmatch(code):
        raise ApiError(400, "invalid_area_code", "An area code is a letter and eight digits, such as E05011151.")
    return kind, code.upper()


def check_place(postcode: str) -> None:
    """ApiError unless the postcode resolves to a place that can be profiled."""
    place = service.lookup(postcode)
    public = {k: place[k] for k in PLACE_KEYS}
    if place["status"] == "invalid":
        raise ApiError(400, "invalid_postcode", place["message"], place=public)
    if place["status"] in NOT_FOUND_STATUSES:
        raise ApiError(404, place["status"], place["message"], place=public)


def area_profile_of(kind: str, code: str) -> dict:
    try:
        return service.area_profile(kind, code)
    except AreaNotFound as exc:
        raise ApiError(404, "area_not_found", exc.args[0]) from None


def indicator_arg(indicator_id: str) -> geodata.registry.Indicator:
    if len(indicator_id) > MAX_ID_CHARS or not geodata.registry.exists(indicator_id):
        raise ApiError(
            404,
            "unknown_indicator",
            f"There is no indicator {indicator_id[:MAX_ID_CHARS]!r}. The list is at {PREFIX}/indicators.",
        )
    return geodata.get_indicator(indicator_id)


PLAN_KINDS = ("borough", "ward")
PLAN_CHOICES = ("indicator", "view", "w", "sort")


def plan_args(kind: str, code: str, fmt: str) -> tuple[str, str, str, dict]:
    """The plan's format, area and choices (the Plan page's query: indicator, view, w, sort), or
    ApiError with the sentence the app would show for a link it cannot honour."""
    from service.urlstate import read_query

    if fmt not in service.PLAN_FORMATS:
        raise ApiError(404, "unknown_format", f"Plans can be downloaded as {' or '.join(service.PLAN_FORMATS)}.")
    if kind not in PLAN_KINDS:
        raise ApiError(404, "unknown_area_kind", f"Plans are made for a {' or a '.join(PLAN_KINDS)}.")
    if not AREA_CODE.fullmatch(code):
        raise ApiError(400, "invalid_area_code", "An area code is a letter and eight digits, such as E05011151.")
    code = code.upper()
    if not service.is_area(kind, code):
        raise ApiError(404, "area_not_found", f"There is no {kind} {code} in the seven boroughs.")
    unknown = sorted(set(request.args) - set(PLAN_CHOICES))
    if unknown:
        raise ApiError(400, "invalid_choice", f"A plan takes {', '.join(PLAN_CHOICES)}; not {unknown[0][:20]!r}.")
    choices, notes = read_query("?" + request.query_string.decode("latin-1"))
    if notes:
        raise ApiError(400, "invalid_choice", notes[0])
    choices["where"] = (code, None) if kind == "borough" else (None, code)
    return fmt, kind, code, choices
