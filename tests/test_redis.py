"""The shared cache: Redis when configured, and every request still answered when it stops.

The fault test runs the production command (gunicorn, 2 workers) against a real
redis-server, kills Redis mid-run, checks nothing fails, restarts it and watches keys
appear again. The first two tests need no Redis: they show what Flask-Caching does on a
dead backend by itself, and that service.SafeCache turns it into fast misses.
"""

from __future__ import annotations

import json
import shutil
import time

import pandas as pd
import pytest
from flask import Flask
from flask_caching import Cache
from serving import ROOT, RedisServer, app_env, app_server, free_port, get, search_body

import service

NO_REDIS = shutil.which("redis-server") is None


def _dead_redis_config() -> dict:
    # Nothing listens on this port: every connection is refused at once.
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "CACHE_KEY_PREFIX": "t-",
    }


def test_plain_flask_caching_lets_backend_errors_escape_direct_calls():
    """Flask-Caching 2.5.1: memoize swallows backend errors (outside debug mode), get/set do not."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    cache, app = Cache(), Flask("plain")
    cache.init_app(app, config={**_dead_redis_config(), "CACHE_OPTIONS": service.redis_client_options()})

    @cache.memoize()
    def double(x: int) -> int:
        return 2 * x

    with app.app_context():
        assert double(2) == 4
        with pytest.raises(RedisConnectionError):
            cache.get("k")


def test_safe_cache_answers_from_a_local_stand_in_while_redis_is_dead():
    cache, app = service.SafeCache(), Flask("safe")
    cache.init_app(app, config=_dead_redis_config())
    calls = []

    @cache.memoize()
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    with app.app_context():
        start = time.perf_counter()
        assert cache.get("k") is None and cache.set("k", 1) and cache.get("k") == 1
        assert [double(2), double(2), double(3)] == [4, 4, 6] and calls == [2, 3]
        for _ in range(200):
            cache.get("k")
        assert time.perf_counter() - start < 0.5  # the breaker skips the dead server, no retry loop
        assert not app.extensions["cache"][cache].available
    # the rate limiter (api) gets the same fail-fast client and falls back to memory
    assert app.config["RATELIMIT_SWALLOW_ERRORS"] and app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"]


class _Broken:
    """A backend that fails the way a dead Redis does, or with a non-network error."""

    def __init__(self, exc: Exception) -> None:
        self.exc, self.calls = exc, 0

    def _fail(self, *_a: object, **_k: object) -> object:
        self.calls += 1
        raise self.exc

    get = set = get_many = has = delete = _fail


def test_guarded_backend_without_a_stand_in_answers_misses_and_backs_off():
    from redis.exceptions import ConnectionError as RedisConnectionError

    dead = _Broken(RedisConnectionError("refused"))
    guarded = service.GuardedBackend(dead, retry_after_s=60)
    assert guarded.get("a") is None and guarded.set("a", 1) is False and guarded.get_many("a", "b") == [None, None]
    assert dead.calls == 1 and not guarded.available  # one attempt, then the breaker holds
    odd = _Broken(ValueError("cannot pickle"))
    guarded = service.GuardedBackend(odd, retry_after_s=60)
    assert guarded.set("a", object()) is False and guarded.get("a") is None
    assert odd.calls == 2 and guarded.available  # not an outage: keep using the backend


def _postcodes(n: int) -> list[str]:
    pcs = pd.read_parquet(ROOT / "data/processed/postcodes.parquet", columns=["postcode", "terminated", "lsoa21_code"])
    live = pcs[~pcs.terminated & pcs.lsoa21_code.notna()].postcode.sort_values()
    return [str(p) for p in live.iloc[:: max(1, len(live) // n)].iloc[:n]]


def _api(port: int, pc: str) -> int:
    return get(port, "/api/v1/postcodes/" + pc.replace(" ", "%20"), timeout=10)[0]


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.skipif(NO_REDIS, reason="redis-server is not installed (bash .ci/run installs it)")
def test_requests_survive_redis_stopping_and_caching_resumes_when_it_returns(tmp_path):
    redis = RedisServer().start()
    version = json.loads((ROOT / "data/processed/manifest.json").read_text())["data_version"]
    prefix = f"wm-{version}-"
    pcs = _postcodes(24)
    env = app_env(EXPLORER_CACHE="redis", EXPLORER_REDIS_URL=redis.url, EXPLORER_RATE_LIMIT="100000/minute")
    try:
        with app_server(env, workers=2, log_path=tmp_path / "gunicorn.log") as port:
            body = search_body(port, "B15 2TT")
            post = {"method": "POST", "body": body, "headers": {"Content-Type": "application/json"}}

            # 1. Redis up: answers are cached in it, shared by both workers.
            assert [_api(port, pc) for pc in pcs[:8]] == [200] * 8
            assert get(port, "/_dash-update-component", **post)[0] == 200
            cached = redis.keys(prefix + "*")
            assert any(":postcode:" in k for k in cached) and len(cached) >= 8
            assert json.loads(get(port, "/healthz")[2])["checks"]["cache"]["reachable"] is True

            # 2. Redis killed mid-run: every request still succeeds, computed instead of cached.
            redis.kill()
            statuses, slowest = [], 0.0
            for pc in pcs[:16]:  # 8 that were cached, 8 that never were
                t = time.perf_counter()
                statuses.append(_api(port, pc))
                statuses.append(get(port, "/_dash-update-component", **post)[0])
                slowest = max(slowest, time.perf_counter() - t)
            assert statuses == [200] * 32
            assert slowest < 5.0  # no multi-second retry loop per request (generous: a busy CI box)
            status, _, health = get(port, "/healthz")
            assert status == 200 and json.loads(health)["status"] == "degraded"

            # 3. Redis back (empty, same port): caching resumes by itself within a second or two.
            redis = RedisServer(redis.port).start()
            time.sleep(service.RETRY_AFTER_S + 0.2)
            deadline, fresh = time.monotonic() + 20, []
            while time.monotonic() < deadline and not fresh:
                assert all(_api(port, pc) == 200 for pc in pcs[16:])
                fresh = [k for k in redis.keys(prefix + "*") if ":postcode:" in k]
                time.sleep(0.2)
            assert fresh, "nothing was cached after Redis came back"
            assert json.loads(get(port, "/healthz")[2])["status"] == "ok"
        log = (tmp_path / "gunicorn.log").read_text()
        # one line per worker that met the outage; no stack traces in the log either
        assert "cache unavailable (ConnectionError" in log and "using a per-process cache" in log
        assert "Traceback" not in log
    finally:
        redis.kill()
