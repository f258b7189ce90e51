"""Callback requests checked against the registered callbacks and the page before Dash.

A /_dash-update-component body that does not match a registered callback and the page's
components gets a 400 JSON answer, so a 500 from a callback means a real fault.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
from dash import Dash
from flask import Flask, Response, request

from .errors import error_response

log = logging.getLogger("explorer.callbacks")

CALLBACK_PATH = "/_dash-update-component"
MAX_PATTERN_IDS = 500  # a pattern-matching input lists at most this many components


MAX_JSON_DEPTH = 32  # the renderer's deepest real body nests 6 levels (a pattern input's list of ids)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(raw: bytes) -> int:
    """How deeply a JSON text nests its arrays and objects, read without parsing it (a parser
    recurses once per level, so a 2 KB body of brackets can exhaust the stack)."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", raw))
    if not brackets:
        return 0
    steps = np.frombuffer(brackets, dtype=np.uint8)
    opens = (steps == ord("[")) | (steps == ord("{"))
    return int(np.cumsum(np.where(opens, 1, -1)).max())


def install_body_check(server: Flask) -> None:
    """JSON bodies nested deeper than :data:`MAX_JSON_DEPTH` get 400 before anything parses them
    (their size is already capped by ``MAX_CONTENT_LENGTH``)."""

    @server.before_request
    def _check_json_depth() -> Response | None:
        if request.method != "POST":
            return None
        depth = json_depth(request.get_data(cache=True))
        if depth > MAX_JSON_DEPTH:
            log.info("rejected a request body nested %d levels deep on %s", depth, request.path[:120])
            return error_response(
                400, "too_deeply_nested", f"The request body nests deeper than {MAX_JSON_DEPTH} levels."
            )
        return None


def install(app: Dash, created_by_callbacks: Iterable[object] = ()) -> None:
    """Reject malformed callback requests. ``created_by_callbacks``: ids of components that
    callbacks add to the page later (they are not in the static layout)."""
    extra = tuple(created_by_callbacks)

    @app.server.before_request
    def _check_callback_request() -> Response | None:
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        problem = callback_body_problem(app, request.get_json(silent=True), extra)
        if problem:
            log.info("rejected callback request: %s", problem)
            return error_response(400, "bad_callback_request", f"The callback request is malformed: {problem}.")
        return None


def _stringify_id(cid: object) -> str:
    """Dash's own form of a component id in prop ids (sorted compact JSON for dicts)."""
    if isinstance(cid, dict):
        return json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return str(cid)


def _layout_ids(app: Dash, extra: tuple[object, ...] = ()) -> set[str] | None:
    """Every component id in the (static) layout or, for an app of several pages, in any page
    (``app.validation_layout``), and those callbacks create, as Dash stringifies them; None if the
    layout is dynamic."""
    cache = app.server.extensions.setdefault("wm_hardening_ids", {})
    if "ids" not in cache:
        layout = app.validation_layout or app.layout  # every page's components, when it has pages
        if callable(layout) or layout is None:
            cache["ids"] = None
        else:
            found = {_stringify_id(c.id) for c in layout._traverse() if getattr(c, "id", None) is not None}
            found |= {_stringify_id(cid) for cid in extra}
            root = getattr(layout, "id", None)
            cache["ids"] = found | ({_stringify_id(root)} if root is not None else set())
    return cache["ids"]


def _pattern(spec_id: str) -> dict | None:
    if not spec_id.startswith("{"):
        return None
    try:
        pat = json.loads(spec_id)
    except ValueError:
        return None
    return pat if isinstance(pat, dict) else None


def _matches(pattern: dict, cid: object) -> bool:
    """A concrete dict id fits a wildcard id such as {"type": "radius-option", "km": ["ALL"]}."""
    if not isinstance(cid, dict) or set(cid) != set(pattern):
        return False
    for key, want in pattern.items():
        got = cid[key]
        if not isinstance(got, (str, int, float, bool)) or (isinstance(got, str) and len(got) > 200):
            return False
        if not isinstance(want, list) and got != want:
            return False
    return True


def _entry_problem(entry: object, spec: dict, known: set[str] | None, what: str) -> tuple[str | None, list]:
    """Check one input/state/output entry of the body against the callback's declaration.

    Returns the problem (or None) and the concrete components the entry names.
    """
    pattern = _pattern(spec["id"])
    props = {spec["property"], spec["property"].split("@")[0]}
    if pattern is None:
        if not isinstance(entry, dict) or entry.get("id") != spec["id"] or entry.get("property") not in props:
            return f"{what} {spec['id']}.{spec['property']} is missing or wrong", []
        return None, [entry]
    if isinstance(entry, dict) and entry.get("id") == spec["id"] and entry.get("property") in props:
        return None, []  # the wildcard itself with no components (what a bare client may send): value only
    if not any(isinstance(v, list) and v != ["MATCH"] for v in pattern.values()):
        entry = [entry]  # a dict id without wildcards, or with MATCH only: one component, not a list
    if not isinstance(entry, list) or len(entry) > MAX_PATTERN_IDS:
        return f"{what} {spec['id']}.{spec['property']} must list its components", []
    for item in entry:
        if not isinstance(item, dict) or item.get("property") not in props or not _matches(pattern, item.get("id")):
            return f"{what} {spec['id']}.{spec['property']} lists a component that does not fit it", []
        if known is not None and _stringify_id(item["id"]) not in known:
            return f"{what} lists a component that is not on the page", []
    return None, entry


def output_specs(output: str) -> list[dict]:
    """Dash's output key (``id.prop`` or ``..a.p...b.q..``) as ``[{"id", "property"}]``; a
    property keeps its ``@hash`` suffix when the output allows duplicates."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        cid, _, prop = part.rpartition(".")
        specs.append({"id": cid, "property": prop})  # "children@<hash>" for allow_duplicate outputs
    return specs


def callback_body_problem(app: Dash, body: Any, created_by_callbacks: tuple[object, ...] = ()) -> str | None:
    """Why a /_dash-update-component body cannot be from this app's page, or None if it can.

    The Dash renderer sends the callback's output key, its outputs, inputs and state in
    declaration order (a list of components for a pattern-matching id) and the prop ids that
    changed. Values are not checked here: the callbacks accept any value.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or len(output) > 2000:
        return "no output named"
    cb = app.callback_map.get(output)
    if cb is None:
        return "there is no callback for that output"
    known = _layout_ids(app, created_by_callbacks)
    out_specs = output_specs(output)
    outputs = body.get("outputs")
    if len(out_specs) == 1 and not output.startswith(".."):
        outputs = [outputs]
    if not isinstance(outputs, list) or len(outputs) != len(out_specs):
        return "the outputs do not match the callback"
    given: set[str] = set()
    for kind, specs, entries in (
        ("output", out_specs, outputs),
        ("input", cb.get("inputs", []), body.get("inputs")),
        ("state", cb.get("state", []), body.get("state", [])),
    ):
        if not isinstance(entries, list) or len(entries) != len(specs):
            return f"the {kind}s do not match the callback"
        for entry, spec in zip(entries, specs):
            problem, items = _entry_problem(entry, spec, known, kind)
            if problem:
                return problem
            if kind == "input":
                given.update(f"{_stringify_id(item['id'])}.{item['property']}" for item in items)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and c in given for c in changed):
        return "the changed properties are not inputs of the callback"
    return None
