"""Per-client limits by what a request costs, shared by every worker through the limiter's storage.

The API's general limit (``EXPLORER_RATE_LIMIT``, :mod:`web.api`) counts requests; these count
the expensive ones apart, each kind in its own bucket per client address (after
``EXPLORER_TRUSTED_PROXIES``): a PDF costs a second or more of a worker, a callback request
can make a fresh profile, comparing makes up to four, the weighted indices re-rank 1,719 areas.
Each kind has a burst allowance (what one person clicking never reaches: a page load fires
about a dozen callbacks, a person downloads a PDF or two) and a steady rate a script hits at
once. A request over either gets 429 with ``Retry-After`` and one sentence: JSON for the API and
callback endpoint, a page elsewhere.

The counters live in the same storage as the API limiter (Redis when ``EXPLORER_CACHE=redis``,
so two workers share them); while it is unreachable, each process counts in memory instead, as
Flask-Limiter's own fallback does. Everything here is off when ``EXPLORER_RATE_LIMIT`` is empty.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from .callback_guard import CALLBACK_PATH
from .errors import error_response, html_error, wants_json

log = logging.getLogger("explorer.limits")

API_PREFIX = "/api/v1/"
EXPORT = re.compile(r"/(?:profile|plan)\.(pdf|zip|xlsx|csv|geojson)$")  # profiles and plans


@dataclass(frozen=True)
class Cost:
    """One kind of expensive request: its bucket, limits (burst first) and the sentence a 429 says."""

    name: str
    limits: str
    what: str

    @property
    def items(self) -> list[RateLimitItem]:
        return parse_many(self.limits)


# Fixed windows: one INCR per bucket and window in Redis, where a moving window keeps a list of
# every hit. The burst windows are short, so a window's edge at most doubles a burst.
COSTS: dict[str, Cost] = {
    c.name: c
    for c in (
        # PDF (and the zip holding one): 0.3-1.5 s of a core each; a person downloads one or two.
        Cost("export-pdf", "2/10 seconds;6/minute;60/hour", "PDF downloads"),
        Cost("export-xlsx", "6/10 seconds;30/minute", "spreadsheet downloads"),
        Cost("export-light", "10/10 seconds;60/minute", "CSV and GeoJSON downloads"),
        # Every interaction posts a few callbacks; a page load about a dozen.
        Cost("callback", "60/10 seconds;300/minute", "updates to the page"),
        Cost("compare", "10/10 seconds;40/minute", "comparisons"),
        Cost("weights", "10/10 seconds;40/minute", "re-weighted indices"),
    )
}

_EXPORT_COST = {"pdf": "export-pdf", "zip": "export-pdf", "xlsx": "export-xlsx", "csv": "export-light"}


# Callback outputs that cost more than a page update, and their bucket: set by install() from the
# app's component ids (this module does not import the layouts).
CALLBACK_COSTS: dict[str, str] = {}


def _callback_costs(body: bytes) -> list[str]:
    # The callback's output key names its outputs ("compare-result.children", or
    # "..priority-counts.children...priority-ranked.children.."), wherever it is in the body. A
    # typed value holding these words is charged as well: harmless, and cheaper than parsing.
    costs = ["callback"]
    for output_id, cost in CALLBACK_COSTS.items():
        if cost not in costs and f"{output_id}.".encode() in body:
            costs.append(cost)
    return costs


def costs_of(path: str, method: str, body: bytes = b"") -> list[str]:
    """The buckets a request is counted in (none for the cheap ones)."""
    if path == CALLBACK_PATH and method == "POST":
        return _callback_costs(body)
    if path.startswith(API_PREFIX) and method in ("GET", "HEAD"):
        m = EXPORT.search(path)
        if m:
            return [_EXPORT_COST.get(m.group(1), "export-light")]
    return []


class CostLimiter:
    """The buckets' counters in the shared storage, with a per-process stand-in while it is down."""

    def __init__(self, storage: Storage | None) -> None:
        self._shared = FixedWindowRateLimiter(storage) if storage is not None else None
        self._local = FixedWindowRateLimiter(MemoryStorage())
        self._down_until = 0.0

    def _strategy(self) -> FixedWindowRateLimiter:
        if self._shared is None or time.monotonic() < self._down_until:
            return self._local
        return self._shared

    def over(self, cost: str, client: str) -> int | None:
        """Seconds until the client may try again when this request is over a limit, else None."""
        for _ in range(2):
            strategy = self._strategy()
            try:
                for item in COSTS[cost].items:
                    if not strategy.hit(item, cost, client):
                        reset = strategy.get_window_stats(item, cost, client).reset_time
                        return max(1, math.ceil(reset - time.time()))
                return None
            except Exception as exc:  # noqa: BLE001 - a storage outage must not fail a request
                if strategy is self._local:
                    return None
                log.warning("rate-limit storage unavailable (%s); counting per process for 1 s", type(exc).__name__)
                self._down_until = time.monotonic() + 1.0
        return None


def too_many(cost: Cost, retry_after: int) -> Response:
    sentence = (
        f"Too many {cost.what} from your address in a short time. Please wait {retry_after} seconds and try again."
    )
    if wants_json():
        resp = error_response(429, "too_many_requests", sentence, retry_after=retry_after)
    else:
        resp = html_error(429, sentence, title="Too many requests", heading="Please slow down")
    resp.headers["Retry-After"] = str(retry_after)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def install(server: Flask, callback_costs: dict[str, str] | None = None) -> CostLimiter:
    """Count the costly requests; ``callback_costs``: callback output ids -> their bucket
    (``compare``, ``weights``), beside the ``callback`` bucket every update is counted in."""
    CALLBACK_COSTS.update(callback_costs or {})
    limiter = server.extensions.get("limiter")
    storage = None
    for ext in limiter if isinstance(limiter, set) else [limiter]:
        storage = getattr(ext, "storage", None) or storage
    counters = CostLimiter(storage)
    server.extensions["wm_cost_limits"] = counters

    @server.before_request
    def _limit_by_cost() -> Response | None:
        if not current_app.config["EXPLORER"].get("EXPLORER_RATE_LIMIT", "").strip():
            return None
        names = costs_of(
            request.path, request.method, request.get_data(cache=True) if request.method == "POST" else b""
        )
        client = get_remote_address()
        for name in names:
            retry_after = counters.over(name, client)
            if retry_after is not None:
                log.info("429 %s for %s on %s", name, client, request.path[:120])
                return too_many(COSTS[name], retry_after)
        return None

    return counters
