"""Hotspot timing on all 1,719 LSOAs: weights, Gi* cold and cached, against baselines
measured in the same run.

    python bench/bench_hotspots.py [--indicator violence_with_injury_rate] [--repeat 5]

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
    args = ap.parse_args()
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


if __name__ == "__main__":
    raise SystemExit(main())
