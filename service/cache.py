"""The shared cache (per process by default, Redis when several workers run).

The cache is an optimisation, never a dependency: if its backend fails (Redis stopped,
restarting or unreachable), no request fails. Flask-Caching 2.5.1 already computes the
answer when a backend errors inside ``memoize`` (except in debug mode, where it re-raises),
but not for direct ``cache.get``/``cache.set`` calls (the API's response cache), and
redis-py's default client retries a dead server 10 times with back-off and waits up to 5 s
per socket operation. So the backend is wrapped here (:class:`GuardedBackend`): a failure
costs one refused connection; then, for ``RETRY_AFTER_S``, the process keeps answers in a
small cache of its own instead of asking Redis, and tries Redis again, so shared caching
resumes by itself within a second of Redis returning. Keys carry the data version and the
data never changes within a version, so a local copy can never be stale.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_caching import Cache

log = logging.getLogger("explorer.cache")

TIMEOUT = 24 * 3600  # data only changes with a new build; the key prefix carries its version
RETRY_AFTER_S = 1.0  # after a backend failure, use the local stand-in this long before trying it again
REDIS_SOCKET_TIMEOUT_S = 0.25  # a healthy Redis on the same network answers in well under 1 ms
# Every per-process cache is bounded: a crawl of distinct postcodes must not grow a worker.
LOCAL_ITEMS = 300  # the stand-in's size while Redis is away (API responses are 7-60 KB each)
SIMPLE_ITEMS = 600  # the per-process cache when there is no Redis (EXPLORER_CACHE=simple)
# Redis is run with a memory cap and evicts the least recently used keys (README, tests, bench):
# without one, each postcode and radius asked for stays for TIMEOUT.
REDIS_MAXMEMORY = "256mb"
REDIS_ARGS = ("--maxmemory", REDIS_MAXMEMORY, "--maxmemory-policy", "allkeys-lru")


def redis_client_options() -> dict[str, Any]:
    """Options for every redis-py client in the app: fail fast, no retry loop.

    The breaker in :class:`GuardedBackend` retries at most once a second instead.
    """
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_S,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 0,
    }


def _outage_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a runtime requirement
        return (OSError,)
    return (RedisConnectionError, RedisTimeoutError, OSError)


# What each backend operation answers when the backend cannot: a miss, "not stored".
_MISS: dict[str, Callable[..., Any]] = {
    "get": lambda *a, **k: None,
    "get_many": lambda *keys, **k: [None] * len(keys),
    "get_dict": lambda *keys, **k: dict.fromkeys(keys),
    "has": lambda *a, **k: False,
    "set": lambda *a, **k: False,
    "add": lambda *a, **k: False,
    "set_many": lambda *a, **k: [],
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: [],
    "unlink": lambda *a, **k: None,
    "clear": lambda *a, **k: False,
    "inc": lambda *a, **k: None,
    "dec": lambda *a, **k: None,
}


class GuardedBackend:
    """A Flask-Caching backend whose failures never reach the caller.

    An outage (connection refused, timeout) is logged once, in one line, and opens a
    breaker: for ``RETRY_AFTER_S`` the backend is not asked at all and ``local`` (a small
    per-process cache, if given) stands in; without one, every operation is a miss. Any
    other backend error (a value that cannot be pickled, say) is logged and answered as a miss.
    """

    def __init__(self, backend: Any, retry_after_s: float = RETRY_AFTER_S, local: Any = None) -> None:
        self._backend = backend
        self._local = local
        self._retry_after_s = retry_after_s
        self._closed_until = 0.0  # monotonic time before which the backend is skipped
        self._down = False
        self._outage = _outage_errors()

    @property
    def backend(self) -> Any:
        return self._backend

    @property
    def available(self) -> bool:
        """False while the breaker is open after an outage."""
        return not self._down

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._backend, name)
        miss = _MISS.get(name)
        if miss is None or not callable(attr):
            return attr

        def stand_in(*args: Any, **kwargs: Any) -> Any:
            if self._local is None:
                return miss(*args, **kwargs)
            try:
                return getattr(self._local, name)(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the stand-in must not fail a request either
                return miss(*args, **kwargs)

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self._down and time.monotonic() < self._closed_until:
                return stand_in(*args, **kwargs)
            try:
                result = attr(*args, **kwargs)
            except self._outage as exc:
                if not self._down:
                    log.warning(
                        "cache unavailable (%s: %s); using a per-process cache until it returns",
                        type(exc).__name__,
                        exc,
                    )
                self._down, self._closed_until = True, time.monotonic() + self._retry_after_s
                return stand_in(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the cache must never fail a request
                log.warning("cache %s failed (%s: %s); answered as a miss", name, type(exc).__name__, exc)
                return miss(*args, **kwargs)
            if self._down:
                self._down = False
                if self._local is not None:
                    self._local.clear()  # back to the shared cache; free the stand-in's memory
                log.warning("cache available again")
            return result

        return guarded


class SafeCache(Cache):
    """Flask-Caching's Cache with a :class:`GuardedBackend` and fail-fast Redis clients."""

    def init_app(self, app: Flask, config: dict | None = None) -> None:
        config = dict(config or {})
        if str(config.get("CACHE_TYPE", "")).endswith("RedisCache"):
            config.setdefault("CACHE_OPTIONS", redis_client_options())
        # The API's rate limiter shares this Redis. create_app initialises the cache before
        # the API, so its Flask-Limiter reads these defaults: the same fail-fast client, and
        # in-memory limits while the storage is down instead of a failed request.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", redis_client_options())
        app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        super().init_app(app, config)
        backend = app.extensions["cache"][self]
        if not isinstance(backend, GuardedBackend):
            local = None
            if str(config.get("CACHE_TYPE", "")).endswith("RedisCache"):
                from flask_caching.backends.simplecache import SimpleCache

                local = SimpleCache(threshold=LOCAL_ITEMS, default_timeout=TIMEOUT)
            app.extensions["cache"][self] = GuardedBackend(backend, local=local)


cache = SafeCache()
