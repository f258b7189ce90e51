"""The OpenAPI 3.1 description of the API, built from the registry where it can be.

Enums (levels, roles, geographies, sources, indicator ids, postcode statuses, area kinds,
export formats) come from geodata and exports, so the document follows the code. Objects
are closed (``additionalProperties: false``): a field added to a response without being
described here fails tests/test_openapi.py.

The input patterns are the server's own checks (the API answers 400 exactly when a
parameter does not match), written in the subset of regular-expression syntax that means the
same in Python and in ECMA-262, which JSON Schema uses.
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from typing import Literal, get_args, get_origin, get_type_hints

import exports
import service
from geodata.places import PLACE_KEYS, STATUSES
from geodata.profile import AREA_KINDS, DEFAULT_RADIUS_KM, RADII_KM
from geodata.registry import DERIVATIONS, FIELD_DOCS, INDICATORS, LEVELS, ROLES, Indicator
from geodata.sources import SOURCES, Source

# A full postcode with spaces anywhere, a sector ("CV1 2") or a district ("B15"); any case.
POSTCODE_PATTERN = (
    r"^ *(?:(?:[A-Za-z] *){1,2}[0-9] *(?:[A-Za-z0-9] *)?[0-9] *(?:[A-Za-z] *){2}"
    r"|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? +[0-9] *"
    r"|[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *)$"
)
POSTCODE_MAX = 32
AREA_CODE_PATTERN = r"^[A-Za-z][0-9]{8}$"

FORMAT_NOTES = {
    "pdf": "A printable A4 profile: area name, date, a map, the four levels with risk and protective factors, "
    "violence, comparators, method notes and full attribution.",
    "xlsx": "A workbook: Profile (one row per indicator), Metadata (every indicator's definition, period, "
    "geography, publisher, source URL and licence) and Sources (attribution statements).",
    "csv": "The profile table: UTF-8 with a byte-order mark; text cells that a spreadsheet could run as a "
    "formula are prefixed with an apostrophe.",
    "geojson": "The area's small areas (LSOA 2021) as an RFC 7946 FeatureCollection with every small-area "
    "indicator value; the area profile and attribution are foreign members.",
    "zip": "A bundle of the PDF, XLSX, CSV and GeoJSON with a README on methods and licences.",
}


def _nullable(t: str, **kw: object) -> dict:
    return {"type": [t, "null"], **kw}


def _obj(props: dict, required: list[str] | None = None, **kw: object) -> dict:
    return {
        "type": "object",
        "properties": props,
        "required": list(props) if required is None else required,
        "additionalProperties": False,
        **kw,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _type_schema(tp: object) -> dict:
    """JSON Schema of a dataclass field's type: str, bool, int, float, a Literal of strings or a
    tuple of one of those (``tuple[str, ...]``, an array in JSON)."""
    if get_origin(tp) is Literal:
        return {"type": "string", "enum": list(get_args(tp))}
    if get_origin(tp) is tuple:
        return {"type": "array", "items": _type_schema(get_args(tp)[0])}
    return {"type": _JSON_TYPES[tp]}  # type: ignore[index]


def _dataclass_properties(cls: type, skip: tuple[str, ...] = ()) -> dict:
    hints = get_type_hints(cls)
    out = {}
    for f in fields(cls):
        if f.name in skip:
            continue
        out[f.name] = _type_schema(hints[f.name])
        if f.name in FIELD_DOCS:
            out[f.name]["description"] = FIELD_DOCS[f.name]
    return out


def _derivation_schema() -> dict:
    """One of the registry's derivation kinds, with its own fields."""
    kinds = []
    for cls in DERIVATIONS:
        props = {"kind": {"type": "string", "const": cls.__name__}, **_dataclass_properties(cls)}
        kinds.append(_obj(props, description=(cls.__doc__ or "").split("\n")[0]))
    return {"oneOf": kinds, "description": FIELD_DOCS["derived_from"]}


def _indicator_properties() -> dict:
    """An indicator's record (``Indicator.to_dict``), generated from the registry's dataclasses."""
    props = _dataclass_properties(Indicator, skip=("derived",))
    props["id"]["enum"] = [i.id for i in INDICATORS]
    props["source"]["enum"] = list(SOURCES)
    props["derivation"] = {"type": "string", "description": FIELD_DOCS["derivation"]}
    props["derived_from"] = _derivation_schema()
    source = _dataclass_properties(Source, skip=("key", "files", "vintage"))
    props.update({("source_url" if k == "url" else k): v for k, v in source.items()})
    props["geography_label"] = {"type": "string", "description": FIELD_DOCS["geography_label"]}
    return props


def _schemas() -> dict:
    place = {
        "query": {"type": "string"},
        "postcode": _nullable("string"),
        "status": {"type": "string", "enum": list(STATUSES)},
        "message": {"type": "string", "description": "One plain sentence about the place."},
        "latitude": _nullable("number"),
        "longitude": _nullable("number"),
        **{k: _nullable("string") for k in PLACE_KEYS if k.endswith(("_code", "_name"))},
    }
    if list(place) != list(PLACE_KEYS):
        raise RuntimeError("The Place schema is out of step with geodata.places.PLACE_KEYS.")
    entry = {k: v for k, v in _indicator_properties().items() if k not in ("derivation", "derived_from", "agg")}
    entry.update(
        {
            "value": _nullable("number"),
            "value_note": {"type": "string"},
            "wm_percentile": _nullable(
                "number",
                minimum=0,
                maximum=100,
                description="Percent of West Midlands small areas with a better value "
                "(ties count half): 100 is the worst.",
            ),
            "wm_standing": {
                "type": "string",
                "description": "Where the value stands in the West Midlands, in the words the app, the PDF, "
                "the XLSX and the CSV show (better always means less risk or more protection); empty when "
                "there is no value.",
            },
            "wm_rank": _nullable("integer", minimum=1, description="1 = worst."),
            "wm_count": _nullable("integer", minimum=1),
            "wm_rank_of": {"enum": ["small areas", "boroughs", None]},
            "comparators": {"type": "array", "items": _ref("Comparator")},
        }
    )
    profile_props = {
        "area": _ref("Area"),
        "data_version": {"type": "string"},
        "summary": {"type": "string"},
        "caveat": {"type": "string"},
        "indicators": {"type": "array", "items": _ref("ProfileIndicator")},
    }
    return {
        "Error": _obj(
            {
                "status": {"type": "integer"},
                "error": {"type": "string"},
                "message": {"type": "string"},
                "place": _ref("Place"),
            },
            required=["status", "error", "message"],
        ),
        "Place": _obj(place, description="The keys of `python -m geodata lookup`, in order."),
        "Comparator": _obj(
            {
                "label": {"type": "string"},
                "code": _nullable("string"),
                "value": _nullable("number"),
                "note": {"type": "string"},
            },
            required=["label", "code", "value"],
        ),
        "Indicator": _obj(_indicator_properties()),
        "ProfileIndicator": _obj(entry),
        "Area": _obj(
            {
                "kind": {"type": "string", "enum": ["postcode", *AREA_KINDS]},
                "code": {"type": "string"},
                "name": {"type": "string"},
                "radius_km": _nullable("number"),
                "lad_code": _nullable("string"),
                "lad_name": _nullable("string"),
                "ward_code": _nullable("string"),
                "ward_name": _nullable("string"),
                "lsoa21_codes": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "population": {"type": "integer", "minimum": 0},
                "centre": _obj(
                    {"lat": {"type": "number"}, "lon": {"type": "number"}},
                    description="Where to centre a map: the postcode, else the population-weighted centre.",
                ),
            }
        ),
        "Profile": _obj(profile_props),
        "PostcodeProfile": _obj(
            {"place": _ref("Place"), **profile_props, "area": {"anyOf": [_ref("Area"), {"type": "null"}]}},
            description="The place and the profile of its surroundings (`area` is null, and `indicators` "
            "empty, for a postcode just outside the small-area boundaries).",
        ),
        "IndicatorList": _obj(
            {
                "data_version": {"type": "string"},
                "count": {"type": "integer"},
                "levels": {
                    "type": "array",
                    "items": _obj({"id": {"type": "string", "enum": list(LEVELS)}, "label": {"type": "string"}}),
                },
                "roles": {"type": "array", "items": {"type": "string", "enum": list(ROLES)}},
                "geographies": {
                    "type": "array",
                    "items": _obj({"id": {"type": "string"}, "label": {"type": "string"}}),
                },
                "indicators": {"type": "array", "items": _ref("Indicator")},
            }
        ),
        "IndicatorValues": _obj(
            {
                "indicator": _ref("Indicator"),
                "data_version": {"type": "string"},
                "area_kind": {"type": "string", "enum": ["lsoa", "borough"]},
                "count": {"type": "integer"},
                "values": {
                    "type": "array",
                    "items": _obj(
                        {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string", "enum": ["lsoa", "borough", "region", "country"]},
                            "ward_code": {"type": "string"},
                            "lad_code": {"type": "string"},
                            "value": _nullable("number"),
                        },
                        required=["code", "name", "kind", "value"],
                    ),
                },
            }
        ),
        "ApiIndex": _obj(
            {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "data_version": {"type": "string"},
                "openapi": {"type": "string"},
                "endpoints": {"type": "array", "items": {"type": "string"}},
            }
        ),
        "FeatureCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type", "geometry", "properties"],
                        "properties": {
                            "type": {"const": "Feature"},
                            "geometry": {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
                            },
                            "properties": {"type": "object"},
                        },
                    },
                },
            },
        },
    }


_HEADERS = {
    "ETag": {
        "description": "Weak validator: data version, API revision and a hash of the path and query.",
        "schema": {"type": "string"},
        "required": True,
    },
    "Cache-Control": {"schema": {"type": "string"}, "required": True},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}, "required": True},
}


def _ok(description: str, media_type: str, schema: dict) -> dict:
    return {"description": description, "headers": _HEADERS, "content": {media_type: {"schema": schema}}}


def _responses(ok: dict, *errors: int) -> dict:
    out = {"200": ok, "304": {"$ref": "#/components/responses/NotModified"}}
    for status in (*errors, 429, 500):
        out[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return out


_P = {
    "postcode": {
        "name": "postcode",
        "in": "path",
        "required": True,
        "description": "A full postcode in any case and spacing (B1 1AA, b11aa), a sector (CV1 2) or a district (B15).",
        "schema": {"type": "string", "minLength": 2, "maxLength": POSTCODE_MAX, "pattern": POSTCODE_PATTERN},
        "examples": {"unit": {"value": "B1 1AA"}, "district": {"value": "B15"}},
    },
    "radius_km": {
        "name": "radius_km",
        "in": "query",
        "required": False,
        "description": "Radius of the surrounding area, in km: one of the radii the explorer offers.",
        "schema": {"type": "number", "enum": list(RADII_KM), "default": DEFAULT_RADIUS_KM},
    },
    "kind": {"name": "kind", "in": "path", "required": True, "schema": {"type": "string", "enum": list(AREA_KINDS)}},
    "code": {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "The area's GSS code.",
        "schema": {"type": "string", "pattern": AREA_CODE_PATTERN},
        "examples": {"ward": {"value": "E05011151"}, "borough": {"value": "E08000025"}},
    },
    "indicator_id": {
        "name": "indicator_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": [i.id for i in INDICATORS]},
    },
}


def _export_paths() -> dict:
    paths = {}
    for fmt in exports.FORMATS:
        media = exports.MEDIA_TYPES[fmt].split(";")[0]
        schema = _ref("FeatureCollection") if fmt == "geojson" else {"type": "string", "format": "binary"}
        if fmt == "csv":
            schema = {"type": "string"}
        ok = _ok(f"The profile as {fmt.upper()}. {FORMAT_NOTES[fmt]}", media, schema)
        paths[f"/postcodes/{{postcode}}/profile.{fmt}"] = {
            "get": {
                "operationId": f"postcode_profile_{fmt}",
                "tags": ["exports"],
                "summary": f"Profile of a postcode's surroundings as {fmt.upper()}",
                "parameters": [_P["postcode"], _P["radius_km"]],
                "responses": _responses(ok, 400, 404),
            }
        }
        paths[f"/areas/{{kind}}/{{code}}/profile.{fmt}"] = {
            "get": {
                "operationId": f"area_profile_{fmt}",
                "tags": ["exports"],
                "summary": f"Profile of an LSOA, ward or borough as {fmt.upper()}",
                "parameters": [_P["kind"], _P["code"]],
                "responses": _responses(ok, 400, 404),
            }
        }
    return paths


PLAN_NOTES = {
    "pdf": "A printable A4 plan: the map of the chosen view for the area, counts, the ranked small areas with "
    "rank ranges (the first rows), method notes and attribution.",
    "xlsx": "The same plan as a workbook: every small area's class, every ranked row, methods and sources; text "
    "cells a spreadsheet could run as a formula are prefixed with an apostrophe.",
}


def _plan_paths() -> dict:
    from geodata import registry
    from geodata.analysis import index_ids
    from service.urlstate import WEIGHT_CHOICES

    one = "(" + "|".join(f"{w:g}".replace(".", "\\.") for w in WEIGHT_CHOICES) + ")"

    query = [
        {
            "name": "indicator",
            "in": "query",
            "required": False,
            "description": "The measure (indicator or index id).",
            "schema": {"type": "string", "enum": [i.id for i in registry.mappable()] + list(index_ids())},
        },
        {
            "name": "view",
            "in": "query",
            "required": False,
            "description": "The map's view.",
            "schema": {"type": "string", "enum": list(service.VIEWS)},
        },
        {
            "name": "w",
            "in": "query",
            "required": False,
            "description": "Four level weights (individual, relationships, community, society), each one of "
            + ", ".join(f"{w:g}" for w in WEIGHT_CHOICES)
            + ", not all 0; e.g. 1,1,2,0.5.",
            "schema": {"type": "string", "pattern": f"^(?!0,0,0,0$){one}(,{one}){{3}}$"},
        },
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "The ranked table's order.",
            "schema": {"type": "string", "enum": list(service.SORTS)},
        },
    ]
    paths = {}
    for fmt in service.PLAN_FORMATS:
        ok = _ok(PLAN_NOTES[fmt], exports.MEDIA_TYPES[fmt], {"type": "string", "format": "binary"})
        paths[f"/plans/{{kind}}/{{code}}/plan.{fmt}"] = {
            "get": {
                "operationId": f"plan_{fmt}",
                "tags": ["exports"],
                "summary": f"A borough's or ward's plan as {fmt.upper()}",
                "parameters": [
                    {**_P["kind"], "schema": {"type": "string", "enum": ["borough", "ward"]}},
                    _P["code"],
                    *query,
                ],
                "responses": _responses(ok, 400, 404),
            }
        }
    return paths


@lru_cache(maxsize=1)
def document() -> dict:
    """The OpenAPI document (built once; treat as read-only)."""

    def json_ok(description: str, schema_name: str) -> dict:
        return _ok(description, "application/json", _ref(schema_name))

    def error(description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "West Midlands postcode risk-factor explorer API",
            "version": "1.0.0",
            "description": (
                "Risk and protective factors for violence around any West Midlands postcode, for an LSOA, a ward or "
                "a borough, from official open data, with every dataset's publisher, vintage and licence. "
                "Figures describe places, not people: risk factors are correlates, not causes. "
                "Responses carry a weak ETag and `Cache-Control: public`; send `If-None-Match` to get 304. "
                "Cross-origin GET is allowed. Errors are JSON with a plain-English `message`."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "places"}, {"name": "indicators"}, {"name": "exports"}, {"name": "meta"}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "index",
                    "tags": ["meta"],
                    "summary": "What the API offers",
                    "responses": _responses(json_ok("The endpoints.", "ApiIndex")),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "tags": ["meta"],
                    "summary": "This document",
                    "responses": _responses(_ok("OpenAPI 3.1", "application/json", {"type": "object"})),
                }
            },
            "/postcodes/{postcode}": {
                "get": {
                    "operationId": "postcode_profile",
                    "tags": ["places"],
                    "summary": "A postcode's place and the profile of its surrounding area",
                    "description": "Status `invalid` answers 400; `not_found` and `outside_area` answer 404 with the "
                    "place; `ok`, `terminated` and `partial` (a sector or district) answer 200.",
                    "parameters": [_P["postcode"], _P["radius_km"]],
                    "responses": _responses(json_ok("The place and its profile.", "PostcodeProfile"), 400, 404),
                }
            },
            "/areas/{kind}/{code}": {
                "get": {
                    "operationId": "area_profile",
                    "tags": ["places"],
                    "summary": "The profile of an LSOA, ward or borough",
                    "parameters": [_P["kind"], _P["code"]],
                    "responses": _responses(json_ok("The profile.", "Profile"), 400, 404),
                }
            },
            "/indicators": {
                "get": {
                    "operationId": "indicators",
                    "tags": ["indicators"],
                    "summary": "The indicator registry: every indicator's metadata",
                    "responses": _responses(json_ok("The registry.", "IndicatorList")),
                }
            },
            "/indicators/{indicator_id}": {
                "get": {
                    "operationId": "indicator",
                    "tags": ["indicators"],
                    "summary": "One indicator's metadata",
                    "parameters": [_P["indicator_id"]],
                    "responses": _responses(json_ok("The indicator.", "Indicator"), 404),
                }
            },
            "/indicators/{indicator_id}/values": {
                "get": {
                    "operationId": "indicator_values",
                    "tags": ["indicators"],
                    "summary": "The indicator for every LSOA (or, for borough-wide indicators, every borough with the "
                    "region and England)",
                    "parameters": [_P["indicator_id"]],
                    "responses": _responses(json_ok("The values.", "IndicatorValues"), 404),
                }
            },
            **_export_paths(),
            **_plan_paths(),
        },
        "components": {
            "schemas": _schemas(),
            "responses": {
                "NotModified": {"description": "Not modified: the `If-None-Match` ETag is current."},
                "E400": error("Malformed input (a postcode, area code or radius that cannot be valid)."),
                "E404": error("Unknown place, area, indicator or format; for a postcode, `place` says why."),
                "E429": error("Too many requests from this address."),
                "E500": error("A fault on our side (never expected)."),
            },
        },
    }
