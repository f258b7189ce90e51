"""API latency and throughput over loopback, and export generation time per format.

    python bench/bench_api.py [--clients 32] [--seconds 8] [--workers 2] [--worker-class sync]

All traffic goes to 127.0.0.1 and every loop is bounded in count and time.

1. Starts the app under gunicorn (``app:server``, 2 sync workers, a free loopback port) twice
   in the same run: with the response cache (``EXPLORER_CACHE=simple``, as deployed on one
   machine) and without it (``EXPLORER_CACHE=null``: every request computes its profile), the
   baseline. The API rate limit is off for the run (every request comes from one address).
2. Drives each with a pure-Python closed-loop client: ``--clients`` concurrent clients on one
   asyncio event loop, each sending its next request as soon as the last answer is read, for
   ``--seconds`` or ``--max-requests`` (whichever comes first). A sync worker closes every
   connection, so each request opens one and set-up counts in the latency. When ``wrk`` is
   installed (Debian package ``wrk``) the same closed loop is also driven by it: a C client
   takes far less of the two cores the server also needs, so its figures are closer to what
   the server alone does. Endpoints: postcode lookup (``/postcodes/{pc}``: place and profile)
   over 300 real postcodes and area profile (``/areas/ward/{code}``) over all 192 wards, with
   ``Accept-Encoding: identity``; the postcode endpoint again with ``gzip`` (what browsers
   send). Every URL is requested before timing so the cached run measures warm caches.
3. Times export generation in-process (no HTTP) per format for a postcode's surroundings, a
   ward and a borough: the first call (imports, fonts) and the median of ``--repeat`` more.

Prints Markdown tables and the load average (other work on the machine skews every figure);
writes bench/out/bench_api.json. No assertions: the targets (postcode p99 < 20 ms at 32
clients; PDF < 2 s) are printed beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HOST = "127.0.0.1"  # loopback only
TARGET_P99_MS = 20.0
POSTCODE_SCENARIO = "postcode lookup + profile"
TARGET_PDF_S = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving app:server on a free loopback port; stopped on exit."""

    def __init__(self, cache: str, workers: int, worker_class: str, threads: int) -> None:
        self.port = free_port()
        env = {**os.environ, "EXPLORER_CACHE": cache, "EXPLORER_RATE_LIMIT": "", "EXPLORER_LOG_LEVEL": "WARNING"}
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--worker-class",
            worker_class,
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "--no-control-socket",
        ]  # gunicorn's default control socket is one path per user: runs would clash
        if worker_class == "gthread":
            cmd += ["--threads", str(threads)]
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in stop(); not a pipe, which could block
        self.proc = subprocess.Popen(
            [*cmd, "app:server"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=self.log, text=True
        )

    def wait_ready(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited: {self.log.read()[-2000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/api/v1/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class _Exchange(asyncio.Protocol):
    """One HTTP/1.1 request on a fresh connection, read to the end (the server closes it)."""

    def __init__(self, request: bytes, done: asyncio.Future) -> None:
        self.request, self.done = request, done
        self.chunks: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            if exc is not None:
                self.done.set_exception(exc)
            else:
                self.done.set_result(b"".join(self.chunks))


def _request(path: str, port: int, encoding: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
    ).encode()


async def _fetch(loop: asyncio.AbstractEventLoop, port: int, request: bytes) -> int:
    done = loop.create_future()
    transport, _ = await loop.create_connection(lambda: _Exchange(request, done), HOST, port)
    try:
        raw = await asyncio.wait_for(done, 30)
    finally:
        transport.close()
    return int(raw[9:12]) if raw.startswith(b"HTTP/1.") else 0


def load_test(
    port: int, paths: list[str], clients: int, seconds: float, max_requests: int, encoding: str = "identity"
) -> dict:
    """Closed loop in one asyncio thread: each of ``clients`` sends its next request when the last is answered.

    A single event loop with bare protocols costs far less CPU per request than threads with
    http.client (no GIL hand-offs), which matters when client and server share two cores.
    """
    requests = [_request(p, port, encoding) for p in paths]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    budget = [max_requests]

    async def client(seed: int, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        rng = random.Random(seed)
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            req = requests[rng.randrange(len(requests))]
            t0 = time.perf_counter()
            try:
                status = await _fetch(loop, port, req)
            except (TimeoutError, OSError):
                status = 0
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1

    async def run() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(i, t0 + seconds) for i in range(clients)))
        return time.perf_counter() - t0

    elapsed = asyncio.run(run())
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, round(p / 100 * (len(lat) - 1)))] * 1000

    return {
        "requests": len(lat),
        "seconds": round(elapsed, 2),
        "rps": round(len(lat) / elapsed, 1),
        "median_ms": round(statistics.median(lat) * 1000, 2),
        "p95_ms": round(pct(95), 2),
        "p99_ms": round(pct(99), 2),
        "max_ms": round(lat[-1] * 1000, 2),
        "statuses": statuses,
    }


WRK_SCRIPT = """
paths = {%s}
request = function() return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "%s"}) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""


def wrk_test(port: int, paths: list[str], clients: int, seconds: float, encoding: str = "identity") -> dict | None:
    """The same closed loop driven by wrk (C), when installed: the server's figures without Python client cost."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % (", ".join(json.dumps(p) for p in paths), encoding))
    try:
        out = subprocess.run(
            [wrk, "-t2", f"-c{clients}", f"-d{max(1, int(seconds))}s", "-s", fh.name, f"http://{HOST}:{port}"],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        ).stdout
    finally:
        os.unlink(fh.name)
    line = next((x for x in out.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        return None
    n, dur_us, p50, p95, p99, mx, errors = (int(v) for v in line.split()[1:])
    return {
        "requests": n,
        "seconds": round(dur_us / 1e6, 2),
        "rps": round(n / (dur_us / 1e6), 1),
        "median_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "max_ms": mx / 1000,
        "statuses": {"errors": errors},
    }


def warm(port: int, paths: list[str], workers: int) -> None:
    """Request every path a few times so each worker's cache has it (workers share nothing)."""
    for _ in range(workers + 1):
        for p in paths:
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            for encoding in ("identity", "gzip"):
                conn.request("GET", p, headers={"Accept-Encoding": encoding})
                conn.getresponse().read()
            conn.close()


def sample_paths(n_postcodes: int, seed: int) -> dict[str, list[str]]:
    import geodata

    data = geodata.load()
    pcs = data.postcodes
    live = pcs[~pcs.terminated & pcs.lsoa21_code.notna()].postcode.tolist()
    rng = random.Random(seed)
    postcodes = rng.sample(live, n_postcodes)
    wards = sorted(data.ward_names)
    return {
        POSTCODE_SCENARIO: [f"/api/v1/postcodes/{quote(p)}" for p in postcodes],
        "ward profile": [f"/api/v1/areas/ward/{w}" for w in wards],
    }


def bench_exports(repeat: int) -> list[dict]:
    import exports
    import geodata

    data = geodata.load()
    areas = {
        "postcode B15 2TT, 1 km (16 LSOAs)": lambda: geodata.profile_for_postcode("B15 2TT", 1.0),
        "ward Ladywood": lambda: geodata.profile_for_area("ward", "E05011151"),
        "borough Birmingham (659 LSOAs)": lambda: geodata.profile_for_area("borough", "E08000025"),
    }
    rows = []
    for name, make in areas.items():
        profile = make()
        for fmt in exports.FORMATS:
            t0 = time.perf_counter()
            body = exports.render(fmt, profile, data)
            first = time.perf_counter() - t0
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                exports.render(fmt, profile, data)
                times.append(time.perf_counter() - t0)
            rows.append(
                {
                    "area": name,
                    "format": fmt,
                    "first_s": round(first, 3),
                    "median_s": round(statistics.median(times), 3),
                    "max_s": round(max(times), 3),
                    "bytes": len(body),
                }
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=8.0, help="per endpoint and configuration (bounded)")
    ap.add_argument("--max-requests", type=int, default=50_000, help="per endpoint and configuration")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    ap.add_argument("--threads", type=int, default=4, help="per worker, for gthread")
    ap.add_argument("--postcodes", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3, help="warm export renders per format")
    ap.add_argument("--skip-exports", action="store_true")
    ap.add_argument("--no-wrk", action="store_true", help="skip the wrk comparison even if wrk is installed")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    seconds = min(args.seconds, 60.0)  # bounded whatever is asked

    scenarios = sample_paths(args.postcodes, args.seed)
    results: dict = {
        "config": {**vars(args), "host": HOST, "cpus": os.cpu_count()},
        "api": [],
        "exports": [],
        "load_average_before": os.getloadavg(),
    }
    for cache, label in (
        ("simple", "cached (EXPLORER_CACHE=simple)"),
        ("null", "uncached baseline (EXPLORER_CACHE=null)"),
    ):
        server = Server(cache, args.workers, args.worker_class, args.threads)
        try:
            server.wait_ready()
            runs = [(name, paths, "identity") for name, paths in scenarios.items()]
            if cache == "simple":  # what browsers send: the cached, compressed-once body
                runs.append((POSTCODE_SCENARIO, scenarios[POSTCODE_SCENARIO], "gzip"))
            for name, paths, encoding in runs:
                if encoding == "identity":
                    warm(server.port, paths, args.workers)
                row = {"endpoint": name, "server": label, "encoding": encoding}
                r = load_test(server.port, paths, args.clients, seconds, args.max_requests, encoding)
                results["api"].append({**row, "client": "Python asyncio", **r})
                print(
                    f"  {label:45s} {name:28s} {encoding:8s} p99 {r['p99_ms']:7.2f} ms  {r['rps']:8.1f} req/s",
                    file=sys.stderr,
                )
                w = None if args.no_wrk else wrk_test(server.port, paths, args.clients, seconds, encoding)
                if w is not None:
                    results["api"].append({**row, "client": "wrk", **w})
                    print(
                        f"  {label:45s} {name:28s} {encoding:8s} p99 {w['p99_ms']:7.2f} ms  {w['rps']:8.1f} req/s"
                        " (wrk)",
                        file=sys.stderr,
                    )
        finally:
            server.stop()

    if not args.skip_exports:
        results["exports"] = bench_exports(args.repeat)

    results["load_average_after"] = os.getloadavg()
    print(
        f"\nMachine: {os.cpu_count()} CPUs; load average (1, 5, 15 min) before "
        f"{', '.join(f'{x:.2f}' for x in results['load_average_before'])}, after "
        f"{', '.join(f'{x:.2f}' for x in results['load_average_after'])} (other work on the machine skews the figures)."
    )
    print(
        f"\n### API over loopback: gunicorn {args.workers} {args.worker_class} workers, {args.clients} concurrent "
        f"clients, {seconds:g} s each (target: postcode p99 < {TARGET_P99_MS:g} ms)\n"
    )
    print(
        "| endpoint | server | Accept-Encoding | client | requests | req/s | median ms | p95 ms | p99 ms | max ms "
        "| statuses |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results["api"]:
        st = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items(), key=str))
        print(
            f"| {r['endpoint']} | {r['server']} | {r['encoding']} | {r['client']} | {r['requests']:,} | {r['rps']:,.0f} | {r['median_ms']:.2f} | "
            f"{r['p95_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.1f} | {st} |"
        )
    if results["exports"]:
        print(f"\n### Export generation in-process (target: PDF < {TARGET_PDF_S:g} s)\n")
        print("| area | format | first call s | median s (warm) | max s | bytes |")
        print("|---|---|---:|---:|---:|---:|")
        for r in results["exports"]:
            print(
                f"| {r['area']} | {r['format']} | {r['first_s']:.3f} | {r['median_s']:.3f} | {r['max_s']:.3f} | "
                f"{r['bytes']:,} |"
            )
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_api.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
