"""Load test over loopback: the JSON API and the Dash callback endpoint under gunicorn, with a
shared Redis cache, then the same with Redis killed halfway, against a per-process baseline.

    python bench/load.py [--clients 32] [--seconds 20] [--workers 2] [--pool 600]

Everything runs on 127.0.0.1 and is bounded in time (about 3 x (warm-up + --seconds) plus
start-ups; roughly 90 s with the defaults) and in count (--max-requests per phase):

1. Starts redis-server (Debian) on a free port, no persistence, and the app with the
   production command, ``gunicorn --preload --workers 2 app:server``, with
   EXPLORER_CACHE=redis. The API rate limit is set out of reach (every request comes from
   one address) but still checked, so its Redis round trip is in the figures.
2. Warms up: one request for every URL in the pool (real postcodes drawn from
   data/processed/postcodes.parquet, real LSOA codes, and a real search callback body per
   postcode, built from the app's own /_dash-dependencies and /_dash-layout).
3. Drives ``--clients`` concurrent closed-loop clients (threads, http.client; a sync
   gunicorn worker closes each connection, so connection set-up is in the latency) for
   ``--seconds``: 60% GET /api/v1/postcodes/{pc}, 20% GET /api/v1/areas/lsoa/{code},
   20% POST /_dash-update-component (the search callback).
4. Phase "redis killed halfway": the same, with redis-server SIGKILLed at half time.
5. Baseline: a fresh gunicorn with EXPLORER_CACHE=simple (per-process cache, no Redis).

Prints Markdown tables (requests per second, p50/p95/p99 latency in ms, errors per
endpoint) and the target: zero errors, postcode API p99 < 20 ms. Writes nothing.
Closed-loop clients measure latency at saturation: with 32 clients always waiting, a
request queues behind the others, so p99 is roughly 32 / throughput, not the service time.
``--think-ms`` adds a pause between a client's requests to measure below saturation.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from serving import RedisServer, callback_body, free_port, stop  # noqa: E402  (shared with the tests)

HOST = "127.0.0.1"  # loopback only
GUNICORN = Path(sys.executable).with_name("gunicorn")
TARGET_P99_MS = 20.0
MIX = (("postcode API", 0.6), ("area API", 0.2), ("search callback", 0.2))


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class App:
    """The production command on a free loopback port."""

    def __init__(self, workers: int, env: dict[str, str]) -> None:
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                "--preload",
                "--no-control-socket",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{self.port}",
                "app:server",
            ],
            cwd=REPO,
            env={**base, "EXPLORER_LOG_LEVEL": "ERROR", "EXPLORER_BASEMAP": "none", **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.proc.returncode}")
            try:
                if request(self.port, "GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app did not start")

    def close(self) -> None:
        stop(self.proc)


# ---------------------------------------------------------------------------- the request pool


def search_bodies(port: int, postcodes: list[str]) -> list[bytes]:
    """A real search callback request per postcode (what the renderer posts on Enter)."""
    deps = json.loads(request(port, "GET", "/_dash-dependencies")[1])
    layout = json.loads(request(port, "GET", "/_dash-layout")[1])
    return [
        json.dumps(
            callback_body(
                deps,
                layout,
                "..url.search",
                {"search-input.n_submit": 1, "search-input.value": pc, "url.search": ""},
                ["search-input.n_submit"],
            )
        ).encode()
        for pc in postcodes
    ]


def make_pool(port: int, size: int, seed: int) -> dict[str, list[tuple[str, str, bytes | None]]]:
    import pandas as pd

    pcs = pd.read_parquet(REPO / "data/processed/postcodes.parquet", columns=["postcode", "terminated", "lsoa21_code"])
    live = pcs[~pcs.terminated & pcs.lsoa21_code.notna()]
    sample = live.sample(n=min(size, len(live)), random_state=seed)
    postcodes = sample.postcode.astype(str).tolist()
    lsoas = sorted(set(sample.lsoa21_code.astype(str)))[: max(1, size // 2)]
    bodies = search_bodies(port, postcodes[: max(1, size // 3)])
    return {
        "postcode API": [("GET", "/api/v1/postcodes/" + quote(pc), None) for pc in postcodes],
        "area API": [("GET", f"/api/v1/areas/lsoa/{code}", None) for code in lsoas],
        "search callback": [("POST", "/_dash-update-component", b) for b in bodies],
    }


# ---------------------------------------------------------------------------- driving


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, str | None]] = []  # (t, endpoint, seconds, error)

    def add(self, t: float, endpoint: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.samples.append((t, endpoint, seconds, error))


def drive(
    port: int,
    pool: dict,
    clients: int,
    seconds: float,
    max_requests: int,
    think_s: float,
    seed: int,
    at_half: Callable[[], None] | None = None,
) -> tuple[Recorder, float, float]:
    rec = Recorder()
    start = time.monotonic()
    deadline = start + seconds
    budget = iter(range(max_requests))
    budget_lock = threading.Lock()
    names = [n for n, _ in MIX]
    weights = [w for _, w in MIX]

    def client(i: int) -> None:
        rnd = random.Random(seed * 1000 + i)
        while time.monotonic() < deadline:
            with budget_lock:
                if next(budget, None) is None:
                    return
            endpoint = rnd.choices(names, weights)[0]
            method, path, body = rnd.choice(pool[endpoint])
            t0 = time.perf_counter()
            try:
                status, _ = request(port, method, path, body)
                error = None if status in (200, 204) else f"HTTP {status}"
            except OSError as exc:
                error = type(exc).__name__
            rec.add(time.monotonic() - start, endpoint, time.perf_counter() - t0, error)
            if think_s:
                time.sleep(think_s)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    if at_half is not None:
        time.sleep(seconds / 2)
        at_half()
    for t in threads:
        t.join(timeout=seconds + 30)
    return rec, start, time.monotonic() - start


def warm(port: int, pool: dict) -> int:
    """One request per pooled URL, 8 at a time; returns the number of failures."""
    items = [x for reqs in pool.values() for x in reqs]
    failures = []

    def go(chunk):
        for method, path, body in chunk:
            try:
                if request(port, method, path, body, timeout=30)[0] not in (200, 204):
                    failures.append(path)
            except OSError:
                failures.append(path)

    threads = [threading.Thread(target=go, args=(items[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(failures)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))] * 1000


def rows(phase: str, samples: list, wall: float) -> list[str]:
    by = defaultdict(list)
    for _, endpoint, seconds, error in samples:
        by[endpoint].append((seconds, error))
    by["all"] = [(s, e) for _, _, s, e in samples]
    out = []
    for endpoint in [n for n, _ in MIX] + ["all"]:
        got = by.get(endpoint, [])
        lat = [s for s, _ in got]
        errors = [e for _, e in got if e]
        kinds = ", ".join(f"{k} x{errors.count(k)}" for k in sorted(set(errors)))
        out.append(
            f"| {phase} | {endpoint} | {len(got)} | {len(got) / wall:.0f} | {pct(lat, 50):.1f} | "
            f"{pct(lat, 95):.1f} | {pct(lat, 99):.1f} | {len(errors)}{' (' + kinds + ')' if kinds else ''} |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0, help="per phase")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pool", type=int, default=600, help="postcodes in the request pool")
    ap.add_argument("--max-requests", type=int, default=200_000, help="per phase, a hard cap")
    ap.add_argument("--think-ms", type=float, default=0.0, help="pause between a client's requests")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    table = [
        "| phase | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    think = args.think_ms / 1000
    common = {"EXPLORER_RATE_LIMIT": "100000000/minute"}

    redis = RedisServer().start()
    app = None
    try:
        app = App(
            args.workers, {**common, "EXPLORER_CACHE": "redis", "EXPLORER_REDIS_URL": f"redis://{HOST}:{redis.port}/0"}
        )
        pool = make_pool(app.port, args.pool, args.seed)
        notes.append(
            f"pool: {len(pool['postcode API'])} postcodes, {len(pool['area API'])} LSOAs, "
            f"{len(pool['search callback'])} search bodies "
            f"({max(len(b) for _, _, b in pool['search callback'])} bytes at most)"
        )
        t = time.monotonic()
        failed = warm(app.port, pool)
        notes.append(f"warm-up (Redis): {time.monotonic() - t:.1f} s, {failed} failures")

        rec, _, wall = drive(app.port, pool, args.clients, args.seconds, args.max_requests, think, args.seed)
        table += rows(f"Redis, {args.workers} workers", rec.samples, wall)

        killed_at: list[float] = []
        phase_start = time.monotonic()

        def kill() -> None:
            killed_at.append(time.monotonic() - phase_start)
            redis.kill()

        rec, _, wall = drive(
            app.port, pool, args.clients, args.seconds, args.max_requests, think, args.seed + 1, at_half=kill
        )
        half = killed_at[0] if killed_at else args.seconds / 2
        before = [s for s in rec.samples if s[0] < half]
        after = [s for s in rec.samples if s[0] >= half]
        table += rows("Redis killed halfway: before", before, half)
        table += rows("Redis killed halfway: after", after, max(wall - half, 1e-9))
        app.close()
        app = None

        app = App(args.workers, {**common, "EXPLORER_CACHE": "simple"})
        t = time.monotonic()
        failed = warm(app.port, pool)
        warm(app.port, pool)  # each worker has its own cache: warm twice so both are likely warm
        notes.append(f"warm-up (per-process cache): {time.monotonic() - t:.1f} s, {failed} failures")
        rec, _, wall = drive(app.port, pool, args.clients, args.seconds, args.max_requests, think, args.seed)
        table += rows(f"baseline: per-process cache, {args.workers} workers, no Redis", rec.samples, wall)
    finally:
        if app is not None:
            app.close()
        redis.kill()

    print(
        f"\n### Load: {args.clients} concurrent clients, {args.seconds:g} s per phase, "
        f"gunicorn --workers {args.workers} (sync), loopback"
        + (f", {args.think_ms:g} ms think time" if think else "")
        + "\n"
    )
    print("\n".join(table))
    print()
    for n in notes:
        print(f"- {n}")
    print(f"- target: zero errors in every phase; postcode API p99 < {TARGET_P99_MS:g} ms")
    print(
        f"- machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        "(client and server share the cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
