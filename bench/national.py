"""National scale: the same code with only the West Midlands postcodes, and with every English
postcode (the England lookup, as the committed data has it): memory, start-up time and
postcode lookup latency, each measured in a fresh subprocess.

    python bench/national.py [--lookups 5000] [--raw ../shared/data/raw]

Builds both variants with ``python -m geodata build`` into a temporary folder (a few
seconds each; ``--no-england`` for the West Midlands one), then for each variant and for the
committed data/processed starts a subprocess that creates the app and reports:

- start-up: wall time from the interpreter starting to ``app.create_app()`` returning
  (imports, checksums, loading the artifacts, building the layout);
- memory: resident set size (VmRSS) after start-up, and the postcode indexes' own bytes;
- lookup latency: ``geodata.lookup_postcode`` for --lookups real West Midlands postcodes
  and --lookups real English postcodes from outside the area, p50/p99 in microseconds;
- API latency: GET /api/v1/postcodes/{pc} through Flask's test client with no cache
  (EXPLORER_CACHE=null), 300 of each kind.

Prints a Markdown table and a note on what national use would still need. Writes nothing
into the repository (the builds go to a temporary folder that is removed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
ENGLAND = "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet"
WM_LADS = ("E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031")

PROBE = r"""
import json, os, sys, time
T0 = float(sys.argv[1])
import numpy as np
from app import app  # creates the app from the environment, as gunicorn does
started = time.time() - T0
import geodata
data = geodata.load()
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
rss = rss_mb()
samples = json.loads(sys.stdin.read())
out = {"startup_s": started, "rss_mb": rss, "data_version": data.version,
       "wm_postcodes": len(data.postcode_index), "outside_postcodes": len(data.outside_index),
       "index_mb": (data.postcode_index.nbytes + data.outside_index.nbytes) / 2**20}
for kind, pcs in samples.items():
    statuses = {}
    times = []
    for pc in pcs:
        t = time.perf_counter()
        place = geodata.lookup_postcode(pc, data)
        times.append(time.perf_counter() - t)
        statuses[place.status] = statuses.get(place.status, 0) + 1
    out[f"lookup_{kind}"] = [float(np.percentile(times, 50)) * 1e6, float(np.percentile(times, 99)) * 1e6, statuses]
    client = app.server.test_client()
    times, codes = [], {}
    for pc in pcs[:300]:
        t = time.perf_counter()
        r = client.get("/api/v1/postcodes/" + pc.replace(" ", "%20"))
        times.append(time.perf_counter() - t)
        codes[r.status_code] = codes.get(r.status_code, 0) + 1
    out[f"api_{kind}"] = [float(np.percentile(times, 50)) * 1e3, float(np.percentile(times, 99)) * 1e3, codes]
out["rss_after_mb"] = rss_mb()
print(json.dumps(out))
"""


def build(raw: Path, out: Path, england: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k != "EXPLORER_DATA_DIR"}
    cmd = [sys.executable, "-m", "geodata", "build", "--raw", str(raw), "--out", str(out)]
    if not england:
        cmd.append("--no-england")
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {proc.stdout[-1000:]}{proc.stderr[-1000:]}")
    return time.perf_counter() - t


def samples(raw: Path, n: int, seed: int) -> dict[str, list[str]]:
    import pandas as pd

    wm = pd.read_parquet(REPO / "data/processed/postcodes.parquet", columns=["postcode", "terminated"])
    out = {"wm": wm[~wm.terminated].postcode.sample(n=n, random_state=seed).astype(str).tolist()}
    eng_path = raw / ENGLAND
    if eng_path.is_file():
        eng = pd.read_parquet(eng_path, columns=["pcds", "ladcd", "doterm"])
        eng = eng[~eng.ladcd.isin(WM_LADS) & eng.doterm.isna()]
        out["england"] = eng.pcds.sample(n=n, random_state=seed).astype(str).tolist()
    return out


def probe(folder: Path, pcs: dict[str, list[str]]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLORER_")}
    env.update(EXPLORER_DATA_DIR=str(folder), EXPLORER_LOG_LEVEL="ERROR", EXPLORER_CACHE="null", EXPLORER_RATE_LIMIT="")
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, repr(t0)],
        cwd=REPO,
        env=env,
        input=json.dumps(pcs),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"probe failed for {folder}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


NOTE = """\
What national use would still need (the England lookup gives, for every English postcode,
its 2011 output area, LSOA 2011, MSOA and local authority, but no coordinates and no LSOA
2021; the indicators, boundaries and nearby strengths cover the seven boroughs only):

- Coordinates and LSOA 2021 for every postcode: the national NSPL/ONSPD (about 2.7 million
  rows, Open Government Licence) in place of the West Midlands postcode file, so a postcode
  anywhere is placed, mapped and profiled. The integer index already scales: one binary
  search, so lookup time is the same at 87 thousand and 2.2 million keys (see the table).
- A national indicator build: every source is cut to the West Midlands today (census,
  deprivation, health, crime, protective assets). IMD 2019/2025 and Census 2021 exist for all
  33,755 English LSOAs; police.uk crime needs every force's monthly files, not West
  Midlands Police only; school and asset layers need national extracts.
- Geometry as tiles: the page sends all 1,719 LSOA outlines with the figure (under 400 KB
  gzipped). 33,755 LSOAs cannot go that way; serve vector tiles (PMTiles or MBTiles,
  simplified per zoom) as static files and colour them by value on the client, or load
  one region at a time.
- Memory and start-up: the profile frames grow about 20-fold; keep them in Arrow/numpy
  columns memory-mapped from the artifacts (shared by all workers with --preload) rather
  than pandas objects per worker, and check worker RSS against the host.
- Comparisons: "higher than X% of West Midlands small areas" becomes national or regional
  percentiles, which changes the wording, the hot-spot statistics (Gi* neighbourhoods across
  force boundaries) and the tests' expected values.
- Operations: a Redis sized for the larger cache (or a short TTL), the API rate limit and
  gunicorn worker count sized for national traffic, and the build run on a schedule.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    ap.add_argument("--lookups", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.raw.is_dir():
        raise SystemExit(f"raw data folder {args.raw} not found (pass --raw)")
    pcs = samples(args.raw, args.lookups, args.seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="national-bench-") as tmp:
        wm_dir, eng_dir = Path(tmp) / "wm" / "processed", Path(tmp) / "england" / "processed"
        variants = [
            ("West Midlands only (--no-england)", wm_dir, build(args.raw, wm_dir, england=False)),
            ("West Midlands + all English postcodes", eng_dir, build(args.raw, eng_dir, england=True)),
            ("committed data/processed", REPO / "data" / "processed", None),
        ]
        for name, folder, build_s in variants:
            results.append((name, folder_mb(folder), build_s, probe(folder, pcs)))

    print("\n### National scale: the same code, West Midlands postcodes only vs every English postcode\n")
    print(
        "| data | postcodes indexed | on disk MB | build s | start-up s | RSS MB | index MB | "
        "lookup WM p50/p99 µs | lookup England p50/p99 µs | API WM p50/p99 ms | API England p50/p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, mb, build_s, r in results:
        lw, le = r.get("lookup_wm"), r.get("lookup_england")
        aw, ae = r.get("api_wm"), r.get("api_england")

        def pair(x: list | None, fmt: str = "{:.1f}") -> str:
            return f"{fmt.format(x[0])} / {fmt.format(x[1])}" if x else "n/a"

        print(
            f"| {name} | {r['wm_postcodes'] + r['outside_postcodes']:,} | {mb:.1f} | "
            f"{'' if build_s is None else f'{build_s:.1f}'} | {r['startup_s']:.1f} | {r['rss_mb']:.0f} | "
            f"{r['index_mb']:.1f} | {pair(lw)} | {pair(le)} | {pair(aw)} | {pair(ae)} |"
        )
    print()
    for name, _, _, r in results:
        statuses = {k: r[k][2] for k in ("lookup_wm", "lookup_england", "api_wm", "api_england") if k in r}
        print(f"- {name}: data version {r['data_version']}; answers {json.dumps(statuses)}")
    print(
        f"- {args.lookups} lookups of each kind (live postcodes, seed {args.seed}); API: first 300 of each, "
        "no cache, through Flask's test client; one process, RSS after start-up"
    )
    print(f"- machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(NOTE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
