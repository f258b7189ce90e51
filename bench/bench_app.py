"""Web benchmark, server side: bytes of the page and of each indicator switch, server time per
callback. (What the browser sees, paint and repaint times, is bench/bench_map.py.)

    python bench/bench_app.py

Each figure sits beside the naive approach measured in the same run: sending the geometry
with the colours on every switch instead of the colour classes alone.
Prints a Markdown table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EXPLORER_LOG_LEVEL", "WARNING")

import service  # noqa: E402
from app import app  # noqa: E402
from geodata import load, mapdata  # noqa: E402
from layouts import ids  # noqa: E402
from layouts.mapview import geometry_url  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
import serving  # noqa: E402  (shared with the tests)

client = app.server.test_client()
DEPS = client.get("/_dash-dependencies").get_json()
LAYOUT = client.get("/_dash-layout").get_json()


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def gz(b: bytes) -> int:
    return len(gzip.compress(b, 6))


def callback_body(output_prefix: str, values: dict, changed: str) -> dict:
    """The request the Dash renderer would post (built by the tests' helper, from the live layout)."""
    return serving.callback_body(DEPS, LAYOUT, output_prefix, values, [changed])


def post(body: dict) -> tuple[float, bytes, int]:
    t = time.perf_counter()
    r = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    dt = (time.perf_counter() - t) * 1e3
    raw = gzip.decompress(r.data) if r.headers.get("Content-Encoding") == "gzip" else r.data
    return dt, raw, len(r.data)


def percentile(xs, q):
    return float(np.percentile(np.asarray(xs), q))


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    rows = []

    # --- first load
    index = client.get("/", headers={"Accept-Encoding": "gzip"})
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    version = load().version
    geo = {
        layer: client.get(geometry_url(layer, version), headers={"Accept-Encoding": "gzip"}).data
        for layer in mapdata.GEOMETRY_LAYERS
    }
    rows.append(
        (
            "first load: page + layout (gzip on the wire)",
            kb(len(index.data) + len(layout.data)),
            f"layout uncompressed {kb(len(gzip.decompress(layout.data)))}; no geometry in it",
        )
    )
    rows.append(
        (
            "first load: geometry files, once, then cached for a year (gzip)",
            kb(sum(map(len, geo.values()))),
            ", ".join(f"{k} {kb(len(v))}" for k, v in geo.items()),
        )
    )

    # --- indicator switch: colour classes vs geometry and colours
    cur = {"indicator": "violence_with_injury_rate", "view": "values", "w": [1, 1, 1, 1], "borough": None, "ward": None}
    switch_times, switch_bytes = [], []
    choices = ["imd_decile", "loneliness_pct", "idaci_decile", "gp_minutes", "household_churn"]
    for n in range(40):
        layer = {**cur, "indicator": choices[n % len(choices)]}
        body = callback_body(f"..{ids.MAP_COLOURS}.data", {f"{ids.INDICATOR}.data": layer}, f"{ids.INDICATOR}.data")
        dt, raw, wire = post(body)
        switch_times.append(dt)
        switch_bytes.append((wire, len(raw)))
    naive_sizes = []
    for n in range(10):
        colours = json.dumps(service.map_layer(choices[n % len(choices)], "values")).encode()
        naive = mapdata.geometry_json("lsoa21") + colours
        naive_sizes.append((gz(naive), len(naive)))
    wire = statistics.median(b[0] for b in switch_bytes)
    naive_wire = statistics.median(b[0] for b in naive_sizes)
    rows.append(
        (
            "indicator switch: bytes on the wire (gzip) / raw",
            f"{kb(wire)} / {kb(statistics.median(b[1] for b in switch_bytes))}",
            f"with the geometry: {kb(naive_wire)} / {kb(statistics.median(b[1] for b in naive_sizes))} "
            f"({naive_wire / wire:.0f}× more on the wire)",
        )
    )
    rows.append(
        (
            "indicator switch: server time, median / p95",
            f"{percentile(switch_times, 50):.1f} / {percentile(switch_times, 95):.1f} ms",
            "",
        )
    )

    # --- search to profile: the three callbacks a search sets off, uncached postcodes
    data = load()
    pcs = list(
        np.random.default_rng(7).choice(
            data.postcodes.postcode[~data.postcodes.terminated].to_numpy(str), 60, replace=False
        )
    )
    totals, per = [], {"state": [], "area": [], "map": []}
    shown = {**cur, "w": [1.0, 1.0, 1.0, 1.0]}
    for pc in pcs:
        b1 = callback_body(
            f"..{ids.URL}.search",
            {
                f"{ids.URL}.search": "",
                f"{ids.SEARCH_INPUT}.n_submit": 1,
                f"{ids.SEARCH_INPUT}.value": pc,
                f"{ids.INDICATOR}.data": shown,
            },
            f"{ids.SEARCH_INPUT}.n_submit",
        )
        t1, raw1, _ = post(b1)
        area = json.loads(raw1)["response"][ids.AREA]["data"]
        b2 = callback_body(f"..{ids.PROFILE}.children", {f"{ids.AREA}.data": area}, f"{ids.AREA}.data")
        t2, raw2, _ = post(b2)
        place = json.loads(raw2)["response"][ids.PLACE]["data"]
        b3 = callback_body(
            f"..{ids.MAP_PLACE}.children", {f"{ids.PLACE}.data": place, f"{ids.LAYERS}.data": []}, f"{ids.PLACE}.data"
        )
        t3, _, _ = post(b3)
        per["state"].append(t1)
        per["area"].append(t2)
        per["map"].append(t3)
        totals.append(t1 + t2 + t3)
    rows.append(
        (
            "search to profile: server time over its 3 callbacks, median / p95",
            f"{percentile(totals, 50):.1f} / {percentile(totals, 95):.1f} ms",
            "; ".join(f"{k} {percentile(v, 50):.1f} / {percentile(v, 95):.1f} ms" for k, v in per.items()),
        )
    )

    print("| measure | figure | naive / context |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
