"""Data-layer benchmark: build time, cold start, memory, lookup and profile latency, and how
postcode lookup cost grows from the West Midlands to every English postcode.

    python bench/bench_geodata.py [--quick]

Prints a Markdown table. Each figure sits beside a baseline measured in the same run:
a pandas ``.loc`` lookup for postcodes, the West Midlands-only index for national scale.
Nothing is asserted; tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geodata  # noqa: E402
from geodata.postcodes import PostcodeIndex, encode_many  # noqa: E402


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def timed_calls(fn, args: list, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        for a in args:
            t = time.perf_counter_ns()
            fn(a)
            out.append((time.perf_counter_ns() - t) / 1e3)  # µs
    return out


def cold_start(runs: int = 3) -> tuple[float, float]:
    code = (
        "import resource, time; t = time.perf_counter(); import geodata; d = geodata.load(); "
        "geodata.lookup_postcode('B15 2TT'); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    times, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        t, m = map(float, out.stdout.split())
        times.append(t)
        rss.append(m)
    return statistics.median(times), statistics.median(rss)


def build_time(england: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "geodata", "build", "--out", str(Path(tmp) / "out")]
        if not england:
            args.append("--no-england")
        t = time.perf_counter()
        subprocess.run(args, cwd=ROOT, capture_output=True, check=True)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the builds")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    raw = ROOT.parent / "shared" / "data" / "raw"
    if not args.quick and raw.is_dir():
        rows.append(("build, West Midlands only (`--no-england`)", f"{build_time(False):.1f} s", ""))
        rows.append(("build, with the England lookup", f"{build_time(True):.1f} s", ""))

    t_cold, rss = cold_start()
    rows.append(
        (
            "cold start: import + load + first lookup (median of 3 processes)",
            f"{t_cold:.2f} s",
            f"peak RSS {rss:.0f} MB",
        )
    )

    data = geodata.load()
    rng = np.random.default_rng(1)
    wm = list(rng.choice(data.postcodes.postcode.to_numpy(dtype=str), 3000, replace=False))
    queries = wm + ["b152tt", " B1  1AA ", "B15", "CV1 2", "B60 1AA", "B99 9ZZ", "hello"] * 20
    for q in queries[:50]:
        geodata.lookup_postcode(q)
    lk = timed_calls(geodata.lookup_postcode, queries, repeat=3)
    frame = data.postcodes.set_index("postcode")
    naive = timed_calls(lambda pc: frame.loc[pc] if pc in frame.index else None, wm, repeat=3)
    rows.append(
        (
            "lookup_postcode, p50 / p99 (mixed input kinds)",
            f"{pct(lk, 50):.1f} / {pct(lk, 99):.1f} µs",
            f"pandas .loc on a postcode index: {pct(naive, 50):.1f} / {pct(naive, 99):.1f} µs",
        )
    )

    pcs = wm[:300]
    geodata.profile_for_postcode(pcs[0])
    pr = timed_calls(lambda pc: geodata.profile_for_postcode(pc, 1.0), pcs)
    lsoas = list(data.areas.lsoa21_code[:300])
    pa = timed_calls(lambda c: geodata.profile_for_area("lsoa", c), lsoas)
    rows.append(
        (
            "profile_for_postcode (1 km), p50 / p99",
            f"{pct(pr, 50) / 1e3:.2f} / {pct(pr, 99) / 1e3:.2f} ms",
            f"single-LSOA profile: {pct(pa, 50) / 1e3:.2f} / {pct(pa, 99) / 1e3:.2f} ms",
        )
    )

    # National scale: the same PostcodeIndex over every English postcode
    outside = __import__("pandas").read_parquet(data.folder / "postcodes_outside.parquet", columns=["key"])
    keys_all = np.concatenate([data.postcodes.key.to_numpy(), outside.key.to_numpy()])
    t = time.perf_counter()
    national = PostcodeIndex(keys_all)
    t_index = time.perf_counter() - t
    regional = PostcodeIndex(encode_many(np.asarray(wm)))
    probe = wm[:2000]
    n_lat = timed_calls(national.row, probe, repeat=3)
    r_lat = timed_calls(regional.row, probe, repeat=3)
    rows.append(
        (
            f"postcode index lookup, England ({len(national):,} postcodes), p50 / p99",
            f"{pct(n_lat, 50):.2f} / {pct(n_lat, 99):.2f} µs",
            f"West Midlands sample index ({len(regional):,}): {pct(r_lat, 50):.2f} / {pct(r_lat, 99):.2f} µs; "
            f"England index {national.nbytes / 1e6:.0f} MB, built in {t_index:.2f} s",
        )
    )

    print("| measure | figure | baseline / context |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    print()
    print(json.dumps({"python": sys.version.split()[0], "data_version": data.version}))


if __name__ == "__main__":
    main()
