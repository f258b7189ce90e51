"""Public JSON API under /api/v1/, on the Flask server behind the Dash app.

Every response is built from the same cached profile functions the app uses
(:mod:`service`), so the app, the API and the exports can never disagree. The routes and hooks are
here; input checks are in :mod:`web.api.args`, bodies, caching and ETags in :mod:`web.api.responses`.

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

import logging
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

import exports
import geodata
import service
from exports.values import indicator_values

from ..errors import MESSAGES, error_response, http_error, slug
from .args import (
    MAX_QUERY_CHARS,
    NOT_A_POSTCODE,
    ApiError,
    area_args,
    area_profile_of,
    check_place,
    indicator_arg,
    plan_args,
    postcode_arg,
    radius_arg,
)
from .openapi import document as openapi_document
from .responses import (
    API_REVISION,
    EXPORT_CACHE_BYTES,
    PREFIX,
    BytesLRU,
    cached_json,
    current_data,
    current_etag,
    data_version,
    json_bytes,
    json_response,
    respelt_json,
)

log = logging.getLogger("explorer.api")


MAX_AGE = 3600  # seconds; the data changes only with a new build, which changes every ETag

EXPOSED_HEADERS = "ETag, Content-Disposition, X-Data-Version"

bp = Blueprint("api", __name__, url_prefix=PREFIX)

# No X-RateLimit-* headers: they cost a storage round trip on every request. A 429 says Retry-After.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, strategy="moving-window")

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
        etag = current_etag()
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
        extra += [("ETag", f'W/"{current_etag()}"'), ("Cache-Control", _PUBLIC), ("X-Data-Version", data_version())]
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


@bp.get("/")
def index() -> Response:
    return cached_json(
        "api:index",
        lambda: json_bytes(
            {
                "name": "West Midlands postcode risk-factor explorer API",
                "version": API_REVISION,
                "data_version": data_version(),
                "openapi": f"{PREFIX}/openapi.json",
                "endpoints": sorted(openapi_document()["paths"]),
            }
        ),
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    return cached_json("api:openapi", lambda: json_bytes(openapi_document()))


@bp.get("/postcodes/<postcode>")
def postcode_profile(postcode: str) -> Response:
    postcode, radius = postcode_arg(postcode), radius_arg()
    canonical = service.canonical_postcode(postcode)
    if canonical is None:  # the pattern let it through, the parser does not: answered, never cached
        check_place(postcode)
        raise ApiError(400, "invalid_postcode", NOT_A_POSTCODE.format("That"))

    def make() -> bytes:
        check_place(canonical)  # raises, so an error is never cached
        # Straight from the data layer: a fresh profile is cheap, and this body is its one cache entry.
        return json_bytes(geodata.profile_for_postcode(canonical, radius, current_data()))

    # One entry per canonical postcode and offered radius, whatever the spelling.
    key = f"api:postcode:{canonical}:{radius!r}"
    if postcode == canonical:
        return cached_json(key, make, level=1)
    return respelt_json(key, make, canonical, postcode)


@bp.get("/areas/<kind>/<code>")
def area_profile(kind: str, code: str) -> Response:
    kind, code = area_args(kind, code)
    return cached_json(f"api:area:{kind}:{code}", lambda: json_bytes(area_profile_of(kind, code)))


@bp.get("/indicators")
def indicators() -> Response:
    def make() -> bytes:
        from geodata.registry import GEOGRAPHY_LABELS, LEVEL_LABELS, LEVELS, ROLES

        return json_bytes(
            {
                "data_version": data_version(),
                "count": len(geodata.INDICATORS),
                "levels": [{"id": lv, "label": LEVEL_LABELS[lv]} for lv in LEVELS],
                "roles": list(ROLES),
                "geographies": [{"id": g, "label": label} for g, label in GEOGRAPHY_LABELS.items()],
                "indicators": [i.to_dict() for i in geodata.INDICATORS],
            }
        )

    return cached_json("api:indicators", make)


@bp.get("/indicators/<indicator_id>")
def indicator(indicator_id: str) -> Response:
    ind = indicator_arg(indicator_id)
    return json_response(json_bytes(ind.to_dict()))


@bp.get("/indicators/<indicator_id>/values")
def values(indicator_id: str) -> Response:
    ind = indicator_arg(indicator_id)
    return cached_json(f"api:values:{ind.id}", lambda: json_bytes(indicator_values(ind.id, current_data())))


export_cache = BytesLRU(EXPORT_CACHE_BYTES)


def _export(profile: Callable[[], dict], fmt: str) -> Response:
    if fmt not in exports.FORMATS:
        raise ApiError(404, "unknown_format", f"Profiles can be downloaded as {', '.join(exports.FORMATS)}.")
    data = current_data()
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
    postcode, radius = postcode_arg(postcode), radius_arg()

    def profile() -> dict:
        check_place(postcode)
        return service.postcode_profile(postcode, radius)

    return _export(profile, fmt)


@bp.get("/areas/<kind>/<code>/profile.<fmt>")
def area_export(kind: str, code: str, fmt: str) -> Response:
    kind, code = area_args(kind, code)
    return _export(lambda: area_profile_of(kind, code), fmt)


@bp.get("/plans/<kind>/<code>/plan.<fmt>")
def plan_export(kind: str, code: str, fmt: str) -> Response:
    """A borough's or ward's plan (the Plan page's choices, from the query) as PDF or XLSX."""
    fmt, kind, code, choices = plan_args(kind, code, fmt)
    args = (fmt, choices["indicator"], choices["view"], *choices["where"], choices["w"], choices["sort"])
    body = export_cache.get(f"{current_data().version}:plan:{args}", lambda: service.plan_file(*args))
    resp = Response(body, status=200, content_type=exports.MEDIA_TYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="plan_{kind}_{code}_{choices["indicator"]}.{fmt}"'
    return resp


@bp.route("/<path:rest>", methods=["GET"])
def unknown(rest: str) -> Response:
    raise ApiError(404, "not_found", f"There is no such API endpoint. The API is described at {PREFIX}/openapi.json.")


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
        return http_error(exc)  # the app's own style elsewhere, not Werkzeug's page
