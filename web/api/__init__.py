"""Public JSON API under /api/v1/, on the Flask server behind the Dash app.

Every response is built from the same cached profile functions the app uses
(:mod:`service`), so the app, the API and the exports can never disagree.

- Errors are JSON ``{"status", "error", "message"}`` (plus ``place`` for a postcode that was
  understood but cannot be profiled); no stack trace ever leaves the server.
- Successful GETs carry a weak ETag (data version + API revision + a hash of the path and
  query) and ``Cache-Control: public``; a matching ``If-None-Match`` gets 304 before any work.
- Every response allows cross-origin GET (``Access-Control-Allow-Origin: *``).
- JSON responses are cached as serialised bytes in the shared cache, so a repeat request is
  a cache read and a write to the socket. Rendered exports are kept in a bounded per-process
  LRU (:data:`EXPORT_CACHE_BYTES`), never in the shared cache.
- A per-address rate limit (``EXPLORER_RATE_LIMIT``; empty disables it) answers 429.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

import exports
import geodata
import service
from exports.values import indicator_values
from geodata.places import PLACE_KEYS
from geodata.profile import AREA_KINDS, DEFAULT_RADIUS_KM, AreaNotFound, check_radius

from ..errors import MESSAGES, error_response, slug
from .openapi import AREA_CODE_PATTERN, POSTCODE_MAX, POSTCODE_PATTERN
from .openapi import document as openapi_document

log = logging.getLogger("explorer.api")

PREFIX = "/api/v1"
API_REVISION = "1"  # bump when a response's shape or an export's layout changes: it is part of every ETag
MAX_AGE = 3600  # seconds; the data changes only with a new build, which changes every ETag
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
NOT_FOUND_STATUSES = ("not_found", "outside_area")
EXPOSED_HEADERS = "ETag, Content-Disposition, X-Data-Version"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
# No X-RateLimit-* headers: they cost a storage round trip on every request. A 429 says Retry-After.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, strategy="moving-window")


class ApiError(Exception):
    """An error answered as JSON with the given status."""

    def __init__(self, status: int, error: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.extra = status, error, message, extra


# ---------------------------------------------------------------------------- responses


def _json_bytes(obj: object) -> bytes:
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN slipped through: JSON has no NaN, null is the honest value
        text = json.dumps(_nan_to_none(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def _nan_to_none(obj: object) -> object:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_nan_to_none(v) for v in obj]
    return obj


def _cached(key: str, make: Callable[[], bytes]) -> bytes:
    """Bytes from the shared cache (keyed under the data version by the app), made once."""
    body = service.cache.get(key)
    if body is None:
        body = make()
        service.cache.set(key, body, timeout=service.TIMEOUT)
    return body


def _cached_json(key: str, make: Callable[[], bytes]) -> Response:
    """A cached JSON body; gzip-compressed once and cached too when the client accepts gzip.

    Compressing a 50 KB profile on every request costs about a millisecond; here it is
    done once per body. (Flask-Compress leaves a response that already has an encoding alone.)
    """
    if request.accept_encodings.quality("gzip") > 0:
        body = _cached(f"{key}:gzip", lambda: gzip.compress(_cached(key, make), compresslevel=6, mtime=0))
        resp = _json_response(body)
        resp.headers["Content-Encoding"] = "gzip"
        resp.vary.add("Accept-Encoding")
        return resp
    return _json_response(_cached(key, make))


def _json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="application/json")


def _data() -> geodata.store.Data:
    return current_app.extensions["wm_api"]["data"]


def _data_version() -> str:
    return current_app.extensions["wm_api"]["data_version"]


def _etag() -> str:
    if "api_etag" not in g:
        query = urlencode(sorted(request.args.items(multi=True)))
        digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:20]
        g.api_etag = f"{_data_version()}-{API_REVISION}-{digest}"
    return g.api_etag


# ---------------------------------------------------------------------------- input checks


def _postcode_arg(postcode: str) -> str:
    if len(postcode) > POSTCODE_MAX:
        raise ApiError(400, "invalid_postcode", f"A postcode has at most {POSTCODE_MAX} characters.")
    if not POSTCODE.fullmatch(postcode):
        shown = " ".join(postcode.split())[:POSTCODE_MAX]
        raise ApiError(400, "invalid_postcode", NOT_A_POSTCODE.format(f"“{shown}”" if shown else "That"))
    return postcode


def _radius_arg() -> float:
    raws = request.args.getlist("radius_km")
    if not raws:
        return DEFAULT_RADIUS_KM
    if len(raws) > 1:
        raise ApiError(400, "invalid_radius", "Give radius_km once.")
    if not NUMBER.fullmatch(raws[0]):
        raise ApiError(400, "invalid_radius", "The radius must be a number of kilometres, such as 1 or 0.5.")
    try:
        return check_radius(raws[0])
    except ValueError as exc:
        raise ApiError(400, "invalid_radius", str(exc)) from None


def _area_args(kind: str, code: str) -> tuple[str, str]:
    if kind not in AREA_KINDS:
        raise ApiError(
            404,
            "unknown_area_kind",
            f"There are no areas of kind {kind[:MAX_ID_CHARS]!r}; use one of {', '.join(AREA_KINDS)}.",
        )
    if not AREA_CODE.fullmatch(code):
        raise ApiError(400, "invalid_area_code", "An area code is a letter and eight digits, such as E05011151.")
    return kind, code.upper()


def _check_place(postcode: str) -> None:
    """ApiError unless the postcode resolves to a place that can be profiled."""
    place = service.lookup(postcode)
    public = {k: place[k] for k in PLACE_KEYS}
    if place["status"] == "invalid":
        raise ApiError(400, "invalid_postcode", place["message"], place=public)
    if place["status"] in NOT_FOUND_STATUSES:
        raise ApiError(404, place["status"], place["message"], place=public)


def _area_profile(kind: str, code: str) -> dict:
    try:
        return service.area_profile(kind, code)
    except AreaNotFound as exc:
        raise ApiError(404, "area_not_found", exc.args[0]) from None


def _indicator(indicator_id: str) -> geodata.registry.Indicator:
    if len(indicator_id) > MAX_ID_CHARS or not geodata.registry.exists(indicator_id):
        raise ApiError(
            404,
            "unknown_indicator",
            f"There is no indicator {indicator_id[:MAX_ID_CHARS]!r}. The list is at {PREFIX}/indicators.",
        )
    return geodata.get_indicator(indicator_id)


# ---------------------------------------------------------------------------- hooks


_ALWAYS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
    ("X-Content-Type-Options", "nosniff"),
)
_PREFLIGHT = (
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "If-None-Match"),
    ("Access-Control-Max-Age", "86400"),
)
_PUBLIC = f"public, max-age={MAX_AGE}"


@bp.before_request
def _before() -> Response | None:
    if len(request.query_string) > MAX_QUERY_CHARS:
        return error_response(400, "query_too_long", f"The query string has at most {MAX_QUERY_CHARS} characters.")
    # A revalidation is answered before any work: the ETag depends only on the data and the URL.
    if request.environ.get("HTTP_IF_NONE_MATCH") and request.method in ("GET", "HEAD"):
        etag = _etag()
        if request.if_none_match.contains_weak(etag):
            return Response(status=304, headers=[("ETag", f'W/"{etag}"'), ("Cache-Control", _PUBLIC)])
    return None


@bp.after_request
def _after(resp: Response) -> Response:
    # One extend() rather than a set() per header: this runs on every API response.
    extra = list(_ALWAYS)
    if request.method == "OPTIONS":
        extra.extend(_PREFLIGHT)
    if resp.status_code == 200 and request.method in ("GET", "HEAD"):
        extra += [("ETag", f'W/"{_etag()}"'), ("Cache-Control", _PUBLIC), ("X-Data-Version", _data_version())]
    elif resp.status_code != 304:
        extra.append(("Cache-Control", "no-store"))
    resp.headers.extend(extra)
    return resp


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.error, exc.message, **exc.extra)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return _http_json(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log.exception("API error on %s", request.full_path)
    return error_response(500, "internal_error", MESSAGES[500])


def _http_json(exc: HTTPException) -> Response:
    status = exc.code or 500
    messages = {
        400: "The request is malformed.",
        404: f"There is no such API endpoint. The API is described at {PREFIX}/openapi.json.",
        405: "Only GET (and HEAD and OPTIONS) requests are supported.",
        429: "Too many requests from this address. Please slow down and try again in a minute.",
    }
    resp = error_response(
        status,
        slug(exc.name),
        messages.get(status, exc.description or "The request failed."),
    )
    methods = getattr(exc, "valid_methods", None)  # MethodNotAllowed
    if status == 405 and methods:
        resp.headers["Allow"] = ", ".join(methods)
    limit = getattr(exc, "limit", None)  # flask_limiter's RateLimitExceeded
    if status == 429 and limit is not None:
        resp.headers["Retry-After"] = str(limit.limit.get_expiry())
    return resp


# ---------------------------------------------------------------------------- endpoints


@bp.get("/")
def index() -> Response:
    return _cached_json(
        "api:index",
        lambda: _json_bytes(
            {
                "name": "West Midlands postcode risk-factor explorer API",
                "version": API_REVISION,
                "data_version": _data_version(),
                "openapi": f"{PREFIX}/openapi.json",
                "endpoints": sorted(openapi_document()["paths"]),
            }
        ),
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    return _cached_json("api:openapi", lambda: _json_bytes(openapi_document()))


@bp.get("/postcodes/<postcode>")
def postcode_profile(postcode: str) -> Response:
    postcode, radius = _postcode_arg(postcode), _radius_arg()

    def make() -> bytes:
        _check_place(postcode)  # raises, so an error is never cached
        return _json_bytes(service.postcode_profile(postcode, radius))

    return _cached_json(f"api:postcode:{postcode}:{radius!r}", make)


@bp.get("/areas/<kind>/<code>")
def area_profile(kind: str, code: str) -> Response:
    kind, code = _area_args(kind, code)
    return _cached_json(f"api:area:{kind}:{code}", lambda: _json_bytes(_area_profile(kind, code)))


@bp.get("/indicators")
def indicators() -> Response:
    def make() -> bytes:
        from geodata.registry import GEOGRAPHY_LABELS, LEVEL_LABELS, LEVELS, ROLES

        return _json_bytes(
            {
                "data_version": _data_version(),
                "count": len(geodata.INDICATORS),
                "levels": [{"id": lv, "label": LEVEL_LABELS[lv]} for lv in LEVELS],
                "roles": list(ROLES),
                "geographies": [{"id": g, "label": label} for g, label in GEOGRAPHY_LABELS.items()],
                "indicators": [i.to_dict() for i in geodata.INDICATORS],
            }
        )

    return _cached_json("api:indicators", make)


@bp.get("/indicators/<indicator_id>")
def indicator(indicator_id: str) -> Response:
    ind = _indicator(indicator_id)
    return _json_response(_json_bytes(ind.to_dict()))


@bp.get("/indicators/<indicator_id>/values")
def values(indicator_id: str) -> Response:
    ind = _indicator(indicator_id)
    return _cached_json(f"api:values:{ind.id}", lambda: _json_bytes(indicator_values(ind.id, _data())))


class _BytesLRU:
    """Rendered exports, most recently used kept, at most ``max_bytes`` in all (per process).

    Exports are kept here rather than in the shared cache: a PDF or a zip is 0.1-1 MB, and an
    unbounded crawl of postcodes must not fill Redis or the workers' memory.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                return body
        body = make()  # outside the lock: another format may render meanwhile
        with self._lock:
            if key not in self._items and len(body) <= self.max_bytes:
                self._items[key] = body
                self._size += len(body)
                while self._size > self.max_bytes:
                    self._size -= len(self._items.popitem(last=False)[1])
        return body

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


EXPORT_CACHE_BYTES = 64 * 1024 * 1024
export_cache = _BytesLRU(EXPORT_CACHE_BYTES)


def _export(profile: Callable[[], dict], fmt: str) -> Response:
    if fmt not in exports.FORMATS:
        raise ApiError(404, "unknown_format", f"Profiles can be downloaded as {', '.join(exports.FORMATS)}.")
    data = _data()
    prof = profile()
    if not prof.get("area"):
        raise ApiError(404, "no_profile", prof.get("summary") or "There is no small-area profile for this place.")
    # Keyed by the area itself, so "b152tt" and "B15 2TT" share one rendering.
    area = prof["area"]
    key = f"{data.version}:{area['kind']}:{area['code']}:{area.get('radius_km')}"

    def part(f: str) -> bytes:
        return export_cache.get(f"{key}:{f}", lambda: exports.render(f, prof, data))

    if fmt == "zip":
        body = export_cache.get(
            f"{key}:zip", lambda: exports.render_bundle(prof, {f: part(f) for f in exports.BUNDLED})
        )
    else:
        body = part(fmt)
    resp = Response(body, status=200, content_type=exports.MEDIA_TYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{exports.filename(prof, fmt)}"'
    return resp


@bp.get("/postcodes/<postcode>/profile.<fmt>")
def postcode_export(postcode: str, fmt: str) -> Response:
    postcode, radius = _postcode_arg(postcode), _radius_arg()

    def profile() -> dict:
        _check_place(postcode)
        return service.postcode_profile(postcode, radius)

    return _export(profile, fmt)


@bp.get("/areas/<kind>/<code>/profile.<fmt>")
def area_export(kind: str, code: str, fmt: str) -> Response:
    kind, code = _area_args(kind, code)
    return _export(lambda: _area_profile(kind, code), fmt)


@bp.route("/<path:rest>", methods=["GET"])
def unknown(rest: str) -> Response:
    raise ApiError(404, "not_found", f"There is no such API endpoint. The API is described at {PREFIX}/openapi.json.")


# ---------------------------------------------------------------------------- wiring


def _rate_limit() -> str:
    return current_app.config["EXPLORER"].get("EXPLORER_RATE_LIMIT", "") or "1000000/second"


def _rate_limit_off() -> bool:
    return not current_app.config["EXPLORER"].get("EXPLORER_RATE_LIMIT", "").strip()


def init_app(server: Flask, cfg: dict) -> None:
    """Register the API blueprint on the Flask server behind the Dash app."""
    if "wm_api" in server.extensions:
        return
    server.config.setdefault("EXPLORER", cfg)
    data = geodata.load(cfg.get("EXPLORER_DATA_DIR") or None)
    server.extensions["wm_api"] = {"data": data, "data_version": data.version}
    # With no limit configured the limiter is not even installed (it costs ~80 us a request);
    # with one, the limit is read per request, so tests can change it on a running app.
    server.config.setdefault("RATELIMIT_ENABLED", bool(cfg.get("EXPLORER_RATE_LIMIT", "").strip()))
    redis = cfg.get("EXPLORER_CACHE", "").lower() == "redis"
    server.config.setdefault("RATELIMIT_STORAGE_URI", cfg["EXPLORER_REDIS_URL"] if redis else "memory://")
    server.config.setdefault("RATELIMIT_KEY_PREFIX", "wm-api")
    limiter.init_app(server)
    limiter.limit(_rate_limit, exempt_when=_rate_limit_off)(bp)
    server.register_blueprint(bp)

    # Routing errors (a POST to a GET endpoint) are raised before any blueprint is chosen,
    # so the app-level handler answers them, as JSON under /api/ and as before elsewhere.
    @server.errorhandler(405)
    def _method_not_allowed(exc: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith(PREFIX):
            return _after(_http_json(exc))
        return exc
