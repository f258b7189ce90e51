"""Security headers, request limits, error handling and the health check.

- Every response carries security headers. HTML pages get a Content-Security-Policy that
  allows exactly what Dash 4 and Plotly's MapLibre maps need: scripts from this server plus
  the hash of Dash's one inline start-up script (no 'unsafe-inline' or 'unsafe-eval' for
  scripts), MapLibre's blob: workers, inline styles (Dash and Plotly set style attributes and
  inject <style> elements) and, only when a basemap is configured, its tile hosts.
- Behind ``EXPLORER_TRUSTED_PROXIES`` reverse proxies, the client address and scheme come
  from X-Forwarded-For/-Proto (so rate limits count per user); otherwise those headers are ignored.
- Request bodies are capped (``EXPLORER_MAX_BODY_BYTES``, 413). A callback request that does
  not match a registered callback and the page's components gets 400 JSON before Dash sees
  it, so a 500 means a real fault.
- No response carries a stack trace or internals: unexpected errors are logged with their
  traceback and answered with one sentence (JSON for /_dash-*, /api/ and /healthz).
- ``/healthz`` reports the data manifest's version and checks; 503 when one fails.

The API's per-address rate limit (Flask-Limiter, JSON 429) lives in :mod:`api`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

from dash import Dash
from dash.exceptions import DependencyException, InvalidResourceError
from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import geodata
import services
from layouts import ids
from layouts.mapview import tile_source

log = logging.getLogger("explorer.hardening")

CALLBACK_PATH = "/_dash-update-component"
JSON_PREFIXES = ("/_dash-", "/api/", "/healthz")
ARTIFACT_RECHECK_S = 60.0  # /healthz re-hashes the artifacts at most this often per process
MAX_PATTERN_IDS = 500  # a pattern-matching input lists at most this many components

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# Non-HTML responses (JSON, scripts, files) need no permissions at all.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

MESSAGES = {
    400: "The request is malformed.",
    404: "There is no such page.",
    405: "That method is not allowed here.",
    413: "The request is too large.",
    429: "Too many requests. Please slow down and try again in a minute.",
    500: "Something went wrong on our side. Please try again later.",
}


def basemap_hosts(basemap: str) -> tuple[str, ...]:
    """Origins the browser must reach for the configured basemap's tiles; none for 'none'."""
    source = tile_source(basemap)
    if source is None:
        return ()
    parts = urlsplit(source[0])
    return (f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}",)


def content_security_policy(script_hashes: list[str], basemap: str) -> str:
    tiles = " ".join(basemap_hosts(basemap))
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",  # Dash/Plotly style attributes and <style> elements
        "img-src": f"'self' data: blob: {tiles}".strip(),
        "font-src": "'self' data:",
        "connect-src": f"'self' {tiles}".strip(),
        "worker-src": "'none'",
        "child-src": "'none'",
        "frame-src": "'none'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def init_app(app: Dash, cfg: dict) -> None:
    """Attach headers, limits, error handlers and /healthz to the Dash app's Flask server."""
    server: Flask = app.server
    proxies = int(cfg.get("EXPLORER_TRUSTED_PROXIES") or 0)
    if proxies > 0:  # the client's address and scheme from the proxies' headers, for rate limits and HSTS
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    server.debug = False  # only `python app.py` with EXPLORER_DEBUG=1 turns on debug (in app.run)
    server.config["MAX_CONTENT_LENGTH"] = int(cfg.get("EXPLORER_MAX_BODY_BYTES") or 65536)
    server.config["PROPAGATE_EXCEPTIONS"] = False
    page_csp = content_security_policy(list(app.csp_hashes()), cfg.get("EXPLORER_BASEMAP", "none"))
    checks = HealthChecks(cfg)
    server.extensions["wm_hardening"] = {"csp": page_csp, "health": checks}

    @server.after_request
    def _security_headers(resp: Response) -> Response:
        h = resp.headers
        html = resp.mimetype == "text/html"
        h.setdefault("Content-Security-Policy", page_csp if html else STRICT_CSP)
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:  # behind a TLS proxy that sets X-Forwarded-Proto (and ProxyFix)
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if resp.status_code >= 400:
            h["Cache-Control"] = "no-store"
        return resp

    @server.before_request
    def _check_callback_request() -> Response | None:
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        problem = callback_body_problem(app, request.get_json(silent=True))
        if problem:
            log.info("rejected callback request: %s", problem)
            return error_response(400, "bad_callback_request", f"The callback request is malformed: {problem}.")
        return None

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code is None or exc.code < 400:
            return exc
        if _wants_json():
            return error_response(exc.code, _slug(exc.name), MESSAGES.get(exc.code, "The request failed."))
        return _html_error(exc.code, MESSAGES.get(exc.code, exc.name))

    @server.errorhandler(DependencyException)
    @server.errorhandler(InvalidResourceError)
    def _no_such_resource(exc: Exception):  # type: ignore[no-untyped-def]
        # A script path no component registered: a client's mistake. Dash's own messages list the
        # registered paths, so they are not passed on.
        log.info("no such resource: %s", request.path[:200])
        return (
            error_response(404, "not_found", "There is no such file.")
            if _wants_json()
            else _html_error(404, "There is no such file.")
        )

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path[:200])
        if _wants_json():
            return error_response(500, "internal_error", MESSAGES[500])
        return _html_error(500, MESSAGES[500])

    @server.route("/healthz", methods=["GET"])
    def healthz() -> Response:
        report = checks.run()
        status = 200 if report["status"] != "fail" else 503
        resp = Response(json.dumps(report, separators=(",", ":")), status=status, mimetype="application/json")
        resp.headers["Cache-Control"] = "no-store"
        return resp


# ------------------------------------------------------------------------------- errors


def _wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def _slug(name: str | None) -> str:
    return re.sub(r"\W+", "_", (name or "error").lower()).strip("_")


def error_response(status: int, error: str, message: str) -> Response:
    body = json.dumps({"status": status, "error": error, "message": message}, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json")


def _html_error(status: int, message: str) -> Response:
    body = (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{status}</title></head>'
        f'<body><h1>{status}</h1><p>{message}</p><p><a href="/">Back to the explorer</a></p></body></html>'
    )
    return Response(body, status=status, mimetype="text/html")


# ------------------------------------------------------------------------------- callback requests


def _stringify_id(cid: object) -> str:
    """Dash's own form of a component id in prop ids (sorted compact JSON for dicts)."""
    if isinstance(cid, dict):
        return json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return str(cid)


def _layout_ids(app: Dash) -> set[str] | None:
    """Every component id in the (static) layout, and those callbacks create, as Dash stringifies
    them; None if the layout is dynamic."""
    cache = app.server.extensions.setdefault("wm_hardening_ids", {})
    if "ids" not in cache:
        layout = app.layout
        if callable(layout) or layout is None:
            cache["ids"] = None
        else:
            found = {_stringify_id(c.id) for c in layout._traverse() if getattr(c, "id", None) is not None}
            found |= {_stringify_id(cid) for cid in ids.CREATED_BY_CALLBACKS}
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
    if not isinstance(entry, list) or len(entry) > MAX_PATTERN_IDS:
        return f"{what} {spec['id']}.{spec['property']} must list its components", []
    for item in entry:
        if not isinstance(item, dict) or item.get("property") not in props or not _matches(pattern, item.get("id")):
            return f"{what} {spec['id']}.{spec['property']} lists a component that does not fit it", []
        if known is not None and _stringify_id(item["id"]) not in known:
            return f"{what} lists a component that is not on the page", []
    return None, entry


def _output_specs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        cid, _, prop = part.rpartition(".")
        specs.append({"id": cid, "property": prop})  # "children@<hash>" for allow_duplicate outputs
    return specs


def callback_body_problem(app: Dash, body: Any) -> str | None:
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
    known = _layout_ids(app)
    out_specs = _output_specs(output)
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


# ------------------------------------------------------------------------------- health


class HealthChecks:
    """What /healthz reports: the data version and a few cheap checks of the loaded data."""

    def __init__(self, cfg: dict) -> None:
        self.cfg = cfg
        self._artifacts: tuple[float, dict] | None = None

    def run(self) -> dict:
        data = geodata.load(self.cfg.get("EXPLORER_DATA_DIR") or None)
        checks = {
            "artifacts": self._check_artifacts(data),
            "indicators": _guard(_check_indicators, data),
            "postcodes": _guard(_check_postcodes, data),
            "cache": _guard(_check_cache, self.cfg),
        }
        failed = [k for k, v in checks.items() if not v["ok"]]
        degraded = [k for k, v in checks.items() if v.get("degraded")]
        return {
            "status": "fail" if failed else "degraded" if degraded else "ok",
            "data_version": data.version,
            "format_version": data.manifest.get("format_version"),
            "checks": checks,
        }

    def _check_artifacts(self, data: geodata.store.Data) -> dict:
        now = time.monotonic()
        if self._artifacts is None or now - self._artifacts[0] > ARTIFACT_RECHECK_S:
            self._artifacts = (now, _guard(_verify_artifacts, data))
        return self._artifacts[1]


def _guard(check: Any, arg: Any) -> dict:
    try:
        return check(arg)
    except Exception as exc:  # noqa: BLE001 - a failing check is reported, never raised
        log.warning("health check %s failed: %s: %s", check.__name__, type(exc).__name__, exc)
        return {"ok": False, "error": type(exc).__name__}


def _verify_artifacts(data: geodata.store.Data) -> dict:
    """Re-hash every artifact against the manifest the process started with (names only, no paths)."""
    bad = []
    artifacts = data.manifest["artifacts"]
    for rel, meta in sorted(artifacts.items()):
        path = data.folder / rel
        if not path.is_file():
            bad.append(f"{rel} is missing")
            continue
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != meta["sha256"]:
            bad.append(f"{rel} does not match its checksum")
    out: dict = {"ok": not bad, "files": len(artifacts)}
    if bad:
        out["problems"] = bad
    return out


def _check_indicators(data: geodata.store.Data) -> dict:
    from geodata import registry

    expected = data.manifest.get("indicators")
    empty = [
        i.id
        for i in registry.mappable()
        if i.id not in data.values or not (data.values[i.id] == data.values[i.id]).any()
    ]  # all NaN
    ok = expected == len(registry.INDICATORS) and not empty
    out: dict = {"ok": ok, "count": len(registry.INDICATORS), "manifest": expected}
    if empty:
        out["without_values"] = empty
    return out


def _check_postcodes(data: geodata.store.Data) -> dict:
    sample = str(data.postcodes.postcode.iloc[len(data.postcodes) // 2])
    place = geodata.lookup_postcode(sample, data)
    return {
        "ok": place.status in ("ok", "terminated") and len(data.postcode_index) == len(data.postcodes),
        "count": len(data.postcode_index),
        "outside_area": len(data.outside_index),
    }


def _check_cache(cfg: dict) -> dict:
    """A cache outage degrades (answers are computed), it does not fail the instance."""
    backend = current_app.extensions["cache"][services.cache]
    kind = cfg.get("EXPLORER_CACHE", "simple").lower()
    reachable = True
    if kind == "redis":
        client = getattr(getattr(backend, "backend", backend), "_write_client", None)
        try:
            reachable = bool(client is not None and client.ping())
        except Exception:  # noqa: BLE001 - unreachable is the answer
            reachable = False
    return {"ok": True, "backend": kind, "reachable": reachable, "degraded": not reachable}
