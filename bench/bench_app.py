"""Web benchmark: bytes to the browser, server time per callback, first map paint.

    python bench/bench_app.py [--no-browser]

Each figure sits beside the naive approach measured in the same run: re-sending the
whole map figure on every indicator switch instead of a Patch of the new values.
Prints a Markdown table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import plotly

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EXPLORER_LOG_LEVEL", "WARNING")

from app import app  # noqa: E402
from geodata import load, mapdata  # noqa: E402
from layouts import ids  # noqa: E402
from layouts.mapfig import map_figure  # noqa: E402

import insights  # noqa: E402

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


def first_paint(runs: int = 3) -> tuple[float, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**os.environ, "EXPLORER_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    paints, switches = [], []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            for _ in range(runs):
                ctx = b.new_context()
                pg = ctx.new_page()
                t = time.perf_counter()
                pg.goto(url)
                pg.wait_for_function("() => { const g = document.querySelector('#map .js-plotly-plot');"
                                     " return g && g._fullLayout && g._fullLayout.map && "
                                     "g.querySelector('canvas'); }", timeout=60_000)
                paints.append(time.perf_counter() - t)
                pg.wait_for_selector("#map-legend strong")
                pg.click("#indicator-menu summary")
                t = time.perf_counter()
                pg.click("button:has-text('Overall deprivation (IMD decile)')")
                pg.wait_for_function("() => document.querySelector('#map .js-plotly-plot').data[0].z"
                                     ".every(v => v === null || (v >= 1 && v <= 10))")
                switches.append(time.perf_counter() - t)
                ctx.close()
            b.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return statistics.median(paints), statistics.median(switches)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    rows = []

    # --- first load
    index = client.get("/", headers={"Accept-Encoding": "gzip"})
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    layout_raw = gzip.decompress(layout.data)
    geometry = json.dumps(mapdata.lsoa_geojson(), separators=(",", ":")).encode() + json.dumps(
        [mapdata.outlines("wards"), mapdata.outlines("boroughs")], separators=(",", ":")).encode()
    rows.append(("first load: page + layout (gzip on the wire)", kb(len(index.data) + len(layout.data)),
                 f"uncompressed {kb(len(layout_raw))}"))
    rows.append(("first load: geometry inside it (LSOAs, ward and borough lines, gzip)", kb(gz(geometry)),
                 f"raw {kb(len(geometry))}; the source GeoJSON (1e-6°) is 1.79 MB"))
    html = gzip.decompress(index.data).decode()
    js = 0
    for src in [x.split('"')[0] for x in html.split('src="')[1:]]:
        r = client.get(src, headers={"Accept-Encoding": "gzip"})
        js += len(r.data)
    rows.append(("first load: scripts the page lists (gzip; cached by the browser afterwards)", kb(js), "Plotly's map code loads on demand and is not counted"))

    # --- indicator switch: Patch vs whole figure
    cur = {"indicator": "violence_with_injury_rate", "view": "values", "w": [1, 1, 1, 1]}
    switch_times, switch_bytes = [], []
    choices = [i for i in ("imd_decile", "loneliness_pct", "idaci_decile", "gp_minutes", "household_churn")]
    for n in range(40):
        layer = {**cur, "indicator": choices[n % len(choices)]}
        body = callback_body(f"..{ids.MAP}.figure", {f"{ids.INDICATOR}.data": layer, f"{ids.PLACE}.data": None,
                                                     f"{ids.LAYERS}.data": []}, f"{ids.INDICATOR}.data")
        dt, raw, wire = post(body)
        switch_times.append(dt)
        switch_bytes.append((wire, len(raw)))
    naive_times, naive_sizes = [], []
    for n in range(10):
        t = time.perf_counter()
        fig = map_figure(insights.map_layer(choices[n % len(choices)], "values"))
        payload = json.dumps({"response": {"map": {"figure": fig}}}, cls=plotly.utils.PlotlyJSONEncoder).encode()
        naive_times.append((time.perf_counter() - t) * 1e3)
        naive_sizes.append((gz(payload), len(payload)))
    wire = statistics.median(b[0] for b in switch_bytes)
    naive_wire = statistics.median(b[0] for b in naive_sizes)
    rows.append(("indicator switch: bytes on the wire (gzip) / raw", f"{kb(wire)} / "
                 f"{kb(statistics.median(b[1] for b in switch_bytes))}",
                 f"whole figure: {kb(naive_wire)} / {kb(statistics.median(b[1] for b in naive_sizes))} "
                 f"({naive_wire / wire:.0f}× more on the wire)"))
    rows.append(("indicator switch: server time, median / p95", f"{percentile(switch_times, 50):.1f} / "
                 f"{percentile(switch_times, 95):.1f} ms",
                 f"building + serialising the whole figure: {percentile(naive_times, 50):.1f} / "
                 f"{percentile(naive_times, 95):.1f} ms"))

    # --- search to profile: the three callbacks a search sets off, uncached postcodes
    data = load()
    pcs = list(np.random.default_rng(7).choice(data.postcodes.postcode[~data.postcodes.terminated].to_numpy(str), 60,
                                               replace=False))
    totals, per = [], {"state": [], "area": [], "map": []}
    shown = {"indicator": "violence_with_injury_rate", "view": "values", "w": [1.0, 1.0, 1.0, 1.0]}
    for pc in pcs:
        b1 = callback_body(f"..{ids.URL}.search", {f"{ids.URL}.search": "", f"{ids.SEARCH_INPUT}.n_submit": 1,
                                                   f"{ids.SEARCH_INPUT}.value": pc, f"{ids.INDICATOR}.data": shown},
                           f"{ids.SEARCH_INPUT}.n_submit")
        t1, raw1, _ = post(b1)
        area = json.loads(raw1)["response"][ids.AREA]["data"]
        b2 = callback_body(f"..{ids.PROFILE}.children", {f"{ids.AREA}.data": area}, f"{ids.AREA}.data")
        t2, raw2, _ = post(b2)
        place = json.loads(raw2)["response"][ids.PLACE]["data"]
        b3 = callback_body(f"..{ids.MAP}.figure", {f"{ids.INDICATOR}.data": shown, f"{ids.PLACE}.data": place,
                                                   f"{ids.LAYERS}.data": []}, f"{ids.PLACE}.data")
        t3, _, _ = post(b3)
        per["state"].append(t1)
        per["area"].append(t2)
        per["map"].append(t3)
        totals.append(t1 + t2 + t3)
    rows.append(("search to profile: server time over its 3 callbacks, median / p95",
                 f"{percentile(totals, 50):.1f} / {percentile(totals, 95):.1f} ms",
                 "; ".join(f"{k} {percentile(v, 50):.1f} / {percentile(v, 95):.1f} ms" for k, v in per.items())))

    if not args.no_browser:
        fp = first_paint()
        if fp:
            rows.append(("headless Chromium: first map paint / indicator switch end to end (median of 3)",
                         f"{fp[0]:.2f} s / {fp[1] * 1e3:.0f} ms", "software WebGL, loopback, no tiles"))

    print("| measure | figure | naive / context |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
