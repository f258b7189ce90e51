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
sys.path[:0] = [str(REPO), str(REPO / "tests")]
from serving import SEARCH_OUTPUT, RedisServer, callback_body, free_port, search_values, stop  # noqa: E402  (shared with the tests)

HOST = "127.0.0.1"  # loopback only
GUNICORN = Path(sys.executable).with_name("gunicorn")
TARGET_P99_MS = 20.0
MIX = (("postcode API", 0.6), ("area API", 0.2), ("search callback", 0.2))


def request(
    port: int, method: str, path: str, body: bytes | None = None, timeout: float = 10.0, client: str | None = None
) -> tuple[int, bytes]:
    """One request on a fresh connection; ``client``: the address a trusted proxy would forward."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body else {}
    if client:
        headers["X-Forwarded-For"] = client
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class App:
    """The production command on a free loopback port."""

    def __init__(self, workers: int, env: dict[str, str], config: bool = False) -> None:
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
        flags = ["--config", str(REPO / "gunicorn.conf.py")] if config else ["--preload", "--no-control-socket"]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                *flags,
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
                    self.cold_start_s = time.monotonic() - self.started
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
        json.dumps(callback_body(deps, layout, SEARCH_OUTPUT, search_values(pc), ["search-input.n_submit"])).encode()
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
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--serving"]:
        return serving_main(argv[1:])
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


# ---------------------------------------------------------------------------- serving under abuse (issue 13)
#
#     python bench/load.py --serving [--seconds 8] [--clients 16] [--requests 10000]
#
# Against the production configuration (gunicorn.conf.py: 2 threaded workers, preloaded data;
# Redis capped with maxmemory and allkeys-lru; the real cost limits; one trusted proxy, so each
# simulated client has its own forwarded address):
# 1. throughput: --clients closed-loop clients asking for distinct postcodes (random live
#    postcodes and offered radii: nearly every one a fresh profile), then for one cached postcode;
# 2. an honest client (4 threads, 50 ms think time: searches and postcode look-ups) alone, then
#    beside an abusive client at full speed: a PDF storm, then a callback storm (8 threads each);
# 3. Redis memory over --requests requests with random radii (valid or not) and spellings.
# Writes bench/results/serving.txt with --save.

SERVING_RESULTS = REPO / "bench" / "results" / "serving.txt"
HONEST, ABUSER = "198.51.100.{}", "203.0.113.66"  # each honest thread a person with an address of its own
BENCH_REDIS_CAP = "32mb"  # small, so the cap is reached within the run (production: service.cache.REDIS_MAXMEMORY)


def _live_postcodes(seed: int) -> list[str]:
    import pandas as pd

    pcs = pd.read_parquet(REPO / "data/processed/postcodes.parquet", columns=["postcode", "terminated", "lsoa21_code"])
    live = pcs[~pcs.terminated & pcs.lsoa21_code.notna()].postcode.astype(str).tolist()
    random.Random(seed).shuffle(live)
    return live


def _loop(
    port: int,
    threads: int,
    seconds: float,
    make: Callable[[random.Random], tuple[str, str, bytes | None]],
    client: str,
    think_s: float = 0.0,
    seed: int = 1,
) -> tuple[list[tuple[float, int | str]], float]:
    """``threads`` closed-loop clients for ``seconds``: (latency s, status or error name) each."""
    out: list[tuple[float, int | str]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(i: int) -> None:
        rnd = random.Random(seed * 7919 + i)
        while time.monotonic() < deadline:
            method, path, body = make(rnd)
            t0 = time.perf_counter()
            try:
                status: int | str = request(port, method, path, body, timeout=30, client=client.format(i))[0]
            except OSError as exc:
                status = type(exc).__name__
            with lock:
                out.append((time.perf_counter() - t0, status))
            if think_s:
                time.sleep(think_s)

    start = time.monotonic()
    ts = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=seconds + 60)
    return out, time.monotonic() - start


def _summary(samples: list[tuple[float, int | str]], wall: float) -> dict:
    lat = [t for t, s in samples if s in (200, 204)]
    return {
        "n": len(samples),
        "rps": len(samples) / wall,
        "p50": pct(lat, 50),
        "p99": pct(lat, 99),
        "ok": len(lat),
        "429": sum(1 for _, s in samples if s == 429),
        "other": sum(1 for _, s in samples if s not in (200, 204, 429)),
        "5xx": sum(1 for _, s in samples if isinstance(s, int) and s >= 500),
    }


def _worker_memory(pid: int) -> list[tuple[int, int, int]]:
    """(pid, RSS MB, USS MB) of each gunicorn worker, from /proc/PID/smaps_rollup."""
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    out = []
    for kid in kids:
        fields = {}
        for line in Path(f"/proc/{kid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split()[:2]
            fields[name.rstrip(":")] = int(value) // 1024
        out.append((int(kid), fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]))
    return out


def serving_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        description="Serving under abuse: distinct vs cached, honest vs abusive, Redis memory."
    )
    ap.add_argument("--seconds", type=float, default=8.0, help="per phase")
    ap.add_argument("--clients", type=int, default=16, help="closed-loop clients in the throughput phases")
    ap.add_argument("--requests", type=int, default=10_000, help="requests in the Redis memory phase")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--save", action="store_true", help=f"also write {SERVING_RESULTS.relative_to(REPO)}")
    args = ap.parse_args(argv)
    from service.cache import REDIS_ARGS

    lines: list[str] = []
    fives = 0  # responses >= 500 in any phase

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    live = _live_postcodes(args.seed)
    radii = ("0.5", "1", "2")
    redis = RedisServer(maxmemory=BENCH_REDIS_CAP).start()
    env = {
        "EXPLORER_CACHE": "redis",
        "EXPLORER_REDIS_URL": f"redis://{HOST}:{redis.port}/0",
        "EXPLORER_TRUSTED_PROXIES": "1",
        "EXPLORER_RATE_LIMIT": "1000000/minute",  # the general API limit out of reach; the cost limits as shipped
    }
    app = App(2, env, config=True)
    try:
        say(f"## Serving under abuse ({time.strftime('%Y-%m-%d %H:%M')}, `python bench/load.py --serving`)")
        say()
        say(
            f"gunicorn -c gunicorn.conf.py (2 workers x threads), Redis `{' '.join(REDIS_ARGS)}` "
            f"(here --maxmemory {BENCH_REDIS_CAP}), loopback; {os.cpu_count()} cores shared by client and server."
        )
        say(f"- cold start (gunicorn exec to /healthz 200): {app.cold_start_s:.2f} s")
        pc_path = "/api/v1/postcodes/{}?radius_km={}"

        def distinct(rnd: random.Random) -> tuple[str, str, None]:
            return "GET", pc_path.format(quote(rnd.choice(live)), rnd.choice(radii)), None

        def cached(rnd: random.Random) -> tuple[str, str, None]:
            return "GET", pc_path.format(quote("B15 2TT"), "1"), None

        request(app.port, *cached(random.Random(0))[:2])
        _loop(app.port, 4, 1.0, distinct, "198.51.100.250", seed=0)  # each worker's first requests
        # 1. throughput, side by side
        say()
        say(f"### Postcode API, {args.clients} closed-loop clients, {args.seconds:g} s each")
        say()
        say("| requests | req/s | p50 ms | p99 ms | non-200 |")
        say("|---|---:|---:|---:|---:|")
        got = {}
        for name, make in (("distinct postcodes (fresh profiles)", distinct), ("one cached postcode", cached)):
            samples, wall = _loop(app.port, args.clients, args.seconds, make, HONEST, seed=args.seed)
            got[name] = r = _summary(samples, wall)
            fives += r["5xx"]
            say(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['other'] + r['429']} |")
        d, c = got["distinct postcodes (fresh profiles)"], got["one cached postcode"]
        say()
        say(
            f"- distinct / cached throughput: {100 * d['rps'] / c['rps']:.0f}% (target >= 60%); "
            f"p99 ratio {d['p99'] / c['p99']:.1f}x (target <= 3x)"
        )
        mem = _worker_memory(app.proc.pid)
        say("- workers after the throughput phases: " + ", ".join(f"RSS {r} MB, USS {u} MB" for _, r, u in mem))

        # 2. honest client alone, then beside an abuser
        search = search_bodies(app.port, live[:200])

        def honest(rnd: random.Random) -> tuple[str, str, bytes | None]:
            if rnd.random() < 0.4:
                return "POST", "/_dash-update-component", rnd.choice(search)
            return distinct(rnd)

        def pdf_storm(rnd: random.Random) -> tuple[str, str, None]:
            return "GET", f"/api/v1/postcodes/{quote(rnd.choice(live))}/profile.pdf?radius_km={rnd.choice(radii)}", None

        def callback_storm(rnd: random.Random) -> tuple[str, str, bytes]:
            return "POST", "/_dash-update-component", rnd.choice(search)

        say()
        say(
            f"### Six honest people (one thread each, 200 ms think: searches and postcode look-ups) beside an abusive one (8 threads, no pause), {args.seconds:g} s"
        )
        say()
        say(
            "| phase | honest req | honest p50 ms | honest p99 ms | honest 429 / other errors | abuser req | abuser 429 | abuser other errors |"
        )
        say("|---|---:|---:|---:|---:|---:|---:|---:|")
        alone, ratios = None, []
        for name, storm in (("alone", None), ("PDF storm", pdf_storm), ("callback storm", callback_storm)):
            abuse: list = []
            thread = None
            if storm is not None:
                box: dict = {}

                def attack(storm=storm, box=box) -> None:
                    box["r"] = _loop(app.port, 8, args.seconds + 1, storm, ABUSER, seed=args.seed + 1)

                thread = threading.Thread(target=attack, daemon=True)
                thread.start()
                time.sleep(0.5)
            samples, wall = _loop(app.port, 6, args.seconds, honest, HONEST, think_s=0.2, seed=args.seed + 2)
            h = _summary(samples, wall)
            fives += h["5xx"]
            if thread is not None:
                thread.join()
                abuse = [_summary(*box["r"])]
                fives += abuse[0]["5xx"]
                time.sleep(10)  # the abuser's burst windows pass before the next phase
            a = abuse[0] if abuse else None
            alone = alone or h
            say(
                f"| {name} | {h['n']} | {h['p50']:.1f} | {h['p99']:.1f} | {h['429']} / {h['other']} | "
                + (f"{a['n']} | {a['429']} | {a['other']} |" if a else "— | — | — |")
            )
            if a:
                ratios.append(f"{name} {h['p99'] / alone['p99']:.2f}x")

        say()
        say(
            f"- honest p99 beside the abuser, against alone (p50 too: see the table): {', '.join(ratios)} (target <= 2x)"
        )

        # 3. Redis memory under random radii and spellings
        client = redis.client()
        cap = int(client.config_get("maxmemory")["maxmemory"])
        client.flushall()  # from empty, to watch it grow to the cap and stay there
        before = int(client.info("memory")["used_memory"])
        series: list[float] = []
        rnd = random.Random(args.seed + 3)
        statuses: dict[int | str, int] = defaultdict(int)
        peak = before
        budget = iter(range(args.requests))
        lock = threading.Lock()

        def spelling(pc: str) -> str:
            text = "".join(ch.lower() if rnd.random() < 0.5 else ch for ch in pc)
            return text.replace(" ", rnd.choice(["", " ", "  "]))

        def run() -> None:
            nonlocal peak
            while True:
                with lock:
                    if next(budget, None) is None:
                        return
                    pc = spelling(rnd.choice(live))
                    radius = rnd.choice([*radii, f"{rnd.uniform(0.1, 5):.3f}", f"{rnd.uniform(0.1, 5):.1f}"])
                try:
                    status: int | str = request(app.port, "GET", pc_path.format(quote(pc), radius), client=HONEST)[0]
                except OSError as exc:
                    status = type(exc).__name__
                with lock:
                    statuses[status] += 1
                    if sum(statuses.values()) % 1000 == 0:
                        used = int(client.info("memory")["used_memory"])
                        peak = max(peak, used)
                        series.append(used / 2**20)

        t0 = time.monotonic()
        ts = [threading.Thread(target=run) for _ in range(args.clients)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        after = int(client.info("memory")["used_memory"])
        say()
        say(f"### Redis memory: {args.requests} requests, random spellings and radii (valid or not)")
        say()
        say(
            f"- used_memory {before / 2**20:.1f} MB before, peak {max(peak, after) / 2**20:.1f} MB, "
            f"{after / 2**20:.1f} MB after; cap {cap / 2**20:.0f} MB; {client.dbsize()} keys; "
            f"{time.monotonic() - t0:.0f} s; answers: "
            + ", ".join(f"{k} x{v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
        )
        say("- used_memory every 1,000 requests (MB): " + ", ".join(f"{m:.1f}" for m in series))
        fives += sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500)
        say(f"- responses >= 500, all phases together: {fives}")
        mem = _worker_memory(app.proc.pid)
        say("- workers at the end: " + ", ".join(f"RSS {r} MB, USS {u} MB" for _, r, u in mem))
        say(f"- load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        app.close()
        redis.kill()
    if args.save:
        SERVING_RESULTS.parent.mkdir(parents=True, exist_ok=True)
        SERVING_RESULTS.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
