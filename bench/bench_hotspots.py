"""Hotspot timing on all 1,719 LSOAs: weights, Gi* cold and cached, against baselines
measured in the same run.

    python bench/bench_hotspots.py [--indicator violence_with_injury_rate] [--repeat 5]
    python bench/bench_hotspots.py --stability [--seed 1]  # every built measure against another seed (~3 min)
    python bench/bench_hotspots.py --serving       # the Plan page's layers from the artifacts

Baselines: queen weights built from the polygons by libpysal (cold) against the cached
weights; esda ``G_Local`` called directly with the same weights, permutations and seed
against ``geodata.analysis.hotspots`` cold (first call: Gi* plus classification) and
cached (lru_cache hit). Also how much the false discovery rate count moves with the seed.
Prints plain text; no assertions (timings belong here, not in the tests).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from esda.getisord import G_Local
from libpysal.weights import Queen

from geodata import analysis as A
from geodata.analysis import hotspot
from geodata.store import load


def clock(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicator", default="violence_with_injury_rate")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--stability", action="store_true", help="seed agreement for every built measure")
    ap.add_argument("--seed", type=int, default=1, help="the other seed for --stability")
    ap.add_argument("--serving", action="store_true", help="Plan layers served from the artifacts")
    args = ap.parse_args()
    if args.stability:
        return stability(args.seed)
    if args.serving:
        return serving(args.repeat)
    t0 = time.perf_counter()
    data = load()
    print(f"load processed data             {time.perf_counter() - t0:8.3f} s")
    y = data.values[args.indicator]

    t_poly, _ = clock(
        lambda: Queen.from_dataframe(
            data.lsoa21, ids=data.lsoa21.code.tolist(), use_index=False, silence_warnings=True
        ),
        args.repeat,
    )
    t0 = time.perf_counter()
    qw = A.queen_weights(data)
    t_first = time.perf_counter() - t0
    t_cached_w, _ = clock(lambda: A.queen_weights(data), args.repeat)
    print(f"queen weights from polygons     {t_poly:8.3f} s  (libpysal, median of {args.repeat})")
    print(f"queen_weights() first call      {t_first:8.3f} s  (polygons + island check)")
    print(f"queen_weights() cached          {t_cached_w * 1e6:8.1f} us")
    print(f"  {qw.n} areas, {len(qw.islands)} islands, {qw.mean_neighbours:.2f} neighbours on average")

    t_esda, _ = clock(
        lambda: G_Local(y, qw.w, transform="R", star=True, permutations=A.PERMUTATIONS, seed=A.SEED, n_jobs=1),
        args.repeat,
    )
    t_esda_pool, _ = clock(
        lambda: G_Local(y, qw.w, transform="R", star=True, permutations=A.PERMUTATIONS, seed=A.SEED), 1
    )
    colds = []
    for _ in range(args.repeat):
        hotspot._gi_cached.cache_clear()
        hotspot._hotspot_frame.cache_clear()
        t0 = time.perf_counter()
        hs = A.hotspots(args.indicator, data=data)
        colds.append(time.perf_counter() - t0)
    t_cached, hs = clock(lambda: A.hotspots(args.indicator, data=data), max(args.repeat, 20))
    t_alpha, _ = clock(lambda: A.hotspots(args.indicator, alpha=0.01, data=data), 1)
    print(f"esda G_Local, 999 perms, 1 job  {t_esda:8.3f} s  (baseline, median of {args.repeat})")
    print(f"esda G_Local, default n_jobs=-1 {t_esda_pool:8.3f} s  (process pool: slower at this size)")
    print(f"hotspots() cold                 {statistics.median(colds):8.3f} s  (Gi* + FDR + classes)")
    print(f"hotspots() cached               {t_cached * 1e3:8.3f} ms (lru_cache hit + copy)")
    print(f"hotspots() new alpha, same Gi*  {t_alpha * 1e3:8.3f} ms (permutations reused)")
    print(
        f"  {args.indicator}: {hs.attrs['n_hot']} hot, {hs.attrs['n_cold']} cold after FDR at 0.05 "
        f"(cut-off p <= {hs.attrs['fdr_cutoff']:.4f}); uncorrected: "
        f"{int(hs.significant_uncorrected.sum())} significant"
    )

    counts = []
    for seed in range(10):
        h = A.hotspots(args.indicator, seed=seed, data=data)
        counts.append((h.attrs["n_hot"], h.attrs["n_cold"]))
    hot, cold = np.array(counts).T
    print(
        f"  over 10 seeds: hot {hot.min()}-{hot.max()}, cold {cold.min()}-{cold.max()} "
        "(permutation noise near the FDR cut-off)"
    )
    return 0


def stability(seed: int = 1) -> int:
    """For every measure in the build's hotspot layer: the share of classes another seed
    agrees on at the build's permutations, and the hot counts for each seed."""
    from geodata.store import artifact

    data = load()
    meta = artifact("hotspots_meta.parquet", data)
    hs = artifact("hotspots.parquet", data)
    print(f"{'measure':34s} {'agree':>7s}  hot (seed {A.SEED}, seed {seed})  cold (both)  seconds")
    worst = 1.0
    for mid, perms in zip(meta.indicator, meta.permutations):
        built = hs[hs.indicator == mid]["class"].astype(str).to_numpy()
        t0 = time.perf_counter()
        other = A.hotspots(mid, permutations=int(perms), seed=seed, data=data)["class"].to_numpy()
        dt = time.perf_counter() - t0
        agree = float((other == built).mean())
        worst = min(worst, agree)
        print(
            f"{mid:34s} {agree:7.2%}  {(built == 'hot').sum():5d} {(other == 'hot').sum():5d}"
            f"  {(built == 'cold').sum():5d} {(other == 'cold').sum():5d}  {dt:6.1f}",
            flush=True,
        )
    print(f"minimum agreement over all {len(meta)} measures: {worst:.2%} (target 99.50%)")
    return 0


def serving(repeat: int) -> int:
    """The Plan page's layers as the app serves them: a map view switch from the build's
    artifact, and an index with a planner's own weights (cold, then cached)."""
    from flask import Flask

    import service
    from service import planning

    service.cache.init_app(Flask("bench"), {"CACHE_TYPE": "SimpleCache"})
    load()
    ids = ["violence_with_injury_rate", "risk_index", "protective_index", "imd_decile", "idaci_decile"]
    planning.hotspot_layer.uncached(ids[0])  # first read of the artifact (once per process)
    t_switch, _ = clock(lambda: [planning.hotspot_layer.uncached(i) for i in ids], repeat)
    print(f"hotspot view switch, from the artifact, uncached   {t_switch / len(ids) * 1e3:8.1f} ms per measure")
    t_hit, _ = clock(lambda: planning.hotspot_layer(ids[1]), repeat)
    t_hit, _ = clock(lambda: planning.hotspot_layer(ids[1]), repeat)
    print(f"hotspot view switch, memoised                      {t_hit * 1e3:8.2f} ms")
    colds = []
    for k in range(repeat):
        weights = (1.0 + k, 1.0, 2.0, 1.0)
        hotspot._gi_cached.cache_clear()
        hotspot._hotspot_frame.cache_clear()
        t0 = time.perf_counter()
        planning.hotspot_layer(ids[1], weights)
        colds.append(time.perf_counter() - t0)
    t_cached, _ = clock(lambda: planning.hotspot_layer(ids[1], (1.0, 1.0, 2.0, 1.0)), repeat)
    print(
        f"risk index with own weights, cold                   {statistics.median(colds):8.3f} s  "
        f"(max {max(colds):.3f} s; {A.PERMUTATIONS:,} permutations)"
    )
    print(f"risk index with own weights, cached                 {t_cached * 1e3:8.2f} ms")
    for name, fn in (
        ("bivariate clusters", lambda: planning.bivariate_clusters.uncached("risk_vs_violence")),
        ("high risk, low protection 20%", lambda: planning.high_risk_low_protection.uncached(20)),
        ("IoD change, IMD", lambda: planning.iod_change.uncached("imd")),
        ("borough series", lambda: planning.borough_series.uncached("permanent_exclusion_rate")),
    ):
        fn()
        t, _ = clock(fn, repeat)
        print(f"{name + ', uncached':51s}{t * 1e3:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
