"""Build the processed artifacts from the raw files in ``../shared/data/raw``.

``python -m geodata build [--raw DIR] [--out DIR]``

The build reads only local files, validates everything before writing, writes into a
temporary folder beside the output and swaps it in, so a failed build leaves the previous
artifacts untouched. Output is deterministic: the same inputs give byte-identical files.


One module a stage: ``raw`` (reading and checks), ``geography``, ``indicators`` (from the
registry's derivations), ``postcodes``, ``assets``; this module writes, records and swaps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .. import police, registry
from ..sources import SOURCES
from ..store import sha256_file
from .assets import build_assets
from .geography import build_geography
from .indicators import build_borough_values, build_lsoa_indicators
from .lock import LOCK_FILE, check_counts, check_inputs, counts, input_hashes, read_lock, write_lock
from .planning import build_borough_series, build_hotspots, build_iod_change
from .postcodes import area_centres, build_postcodes
from .raw import CUT_FILE, BuildError, Expected, Raw, check, default_out_dir, default_raw_dir, progress

__all__ = ["CUT_FILE", "BuildError", "Expected", "build", "default_out_dir", "default_raw_dir", "main_build"]

FORMAT_VERSION = 1


def write_pgeocode(partial: pd.DataFrame, folder: Path) -> None:
    """District centres in pgeocode's own file format, so ``pgeocode.Nominatim('gb')``
    answers from this folder (``PGEOCODE_DATA_DIR``) and never downloads."""
    d = partial[partial.kind == "district"]
    gb = pd.DataFrame(
        {
            "country_code": "GB",
            "postal_code": d.code,
            "place_name": d.code,
            "state_name": "England",
            "state_code": "ENG",
            "county_name": "West Midlands",
            "county_code": "",
            "community_name": "",
            "community_code": "",
            "latitude": d.lat,
            "longitude": d.lon,
            "accuracy": 4,
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    gb.to_csv(folder / "GB.txt", index=False, lineterminator="\n")
    gb.to_csv(folder / "GB-index.txt", index=False, lineterminator="\n")


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    if isinstance(df, gpd.GeoDataFrame):
        df.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
    else:
        df.to_parquet(path, index=False, compression="zstd")


def build(
    raw_dir: Path,
    out_dir: Path,
    england: bool = True,
    police_dir: Path | None = None,
    lock_path: Path = LOCK_FILE,
    update_lock: bool = False,
    allow_shrink: bool = False,
) -> dict:
    """Run the whole build; return the manifest. Raises BuildError, writing nothing, on bad input.

    ``police_dir``: a folder of monthly police.uk street-level CSVs to aggregate into
    ``police_monthly.parquet`` (see geodata.police); None or no files: nothing extra.
    The sources lock (geodata.build.lock): inputs must match ``lock_path`` unless ``update_lock``
    (which then rewrites it), and no locked count may fall beyond the tolerance unless
    ``allow_shrink``. A declared cut of the raw folder is not held to the lock."""
    t0 = time.perf_counter()
    raw = Raw(Path(raw_dir))
    locked = raw.cut is None
    lock = read_lock(lock_path) if locked and not (update_lock and not lock_path.is_file()) else None
    hashes = input_hashes(raw) if locked else {}
    if lock is not None and not update_lock:
        check_inputs(lock, hashes, lock_path)
    progress(f"reading geography from {raw_dir}", t0)
    geo = build_geography(raw)
    progress("postcodes" + (" (with the England lookup)" if england else ""), t0)
    pcs = build_postcodes(raw, geo, england=england)
    # Every small area's centre (radius rule, sports sites nearby) from its live postcodes.
    geo["areas"] = area_centres(geo["areas"], pcs["postcodes"])
    progress("small-area indicators", t0)
    lsoa_values = build_lsoa_indicators(raw, geo["areas"], geo["lsoa21"])
    areas = geo["areas"].merge(lsoa_values, on="lsoa21_code", validate="1:1")
    progress("borough indicators", t0)
    borough = build_borough_values(raw)
    progress("nearby strengths", t0)
    assets = build_assets(raw)
    progress("planning: hot spots, clusters, change over time", t0)
    planning = {
        **build_hotspots(areas, geo["lsoa21"]),
        "iod_change.parquet": build_iod_change(raw),
        "borough_series.parquet": build_borough_series(raw),
    }
    monthly, police_meta = build_police(police_dir, geo["areas"].lsoa21_code.tolist(), t0)

    missing = {i.id for i in registry.INDICATORS} - set(areas.columns) - set(borough.indicator_id)
    check(not missing, f"registry indicators without data: {sorted(missing)}")
    found = counts(raw, areas, borough, pcs["postcodes"]) if locked else {}
    if lock is not None and not allow_shrink:
        check_counts(lock, found, lock_path)

    artifacts: dict[str, pd.DataFrame] = {
        "areas.parquet": areas,
        "borough_values.parquet": borough,
        "lsoa21.geoparquet": geo["lsoa21"],
        "wards.geoparquet": geo["wards"],
        "boroughs.geoparquet": geo["boroughs"],
        "labels.parquet": geo["labels"],
        "postcodes.parquet": pcs["postcodes"],
        "postcode_areas.parquet": pcs["postcode_areas"],
        "postcodes_outside.parquet": pcs["postcodes_outside"],
        "postcode_areas_outside.parquet": pcs["postcode_areas_outside"],
        "postcodes_unplaced.parquet": pcs["postcodes_unplaced"],
        "assets.parquet": assets,
        **planning,
    }
    if monthly is not None:
        artifacts[police.ARTIFACT] = monthly
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out_dir.name + ".tmp-", dir=out_dir.parent))
    try:
        progress(f"writing {len(artifacts)} artifacts", t0)
        for name, df in artifacts.items():
            _write_parquet(df, tmp / name)
        write_pgeocode(pcs["postcode_areas"], tmp / "pgeocode")
        manifest = make_manifest(raw, tmp, {n: len(df) for n, df in artifacts.items()})
        if police_meta:
            manifest["police"] = police_meta
        if raw.cut:
            manifest["raw_cut"] = raw.cut
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        swap(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if locked and update_lock:
        write_lock(lock_path, hashes, found)
        progress(f"sources lock rewritten: {lock_path}", t0)
    progress(f"done: {out_dir}", t0)
    return manifest


def build_police(folder: Path | None, lsoa_codes: list[str], t0: float) -> tuple[pd.DataFrame | None, dict]:
    files = police.find_street_files(folder) if folder else []
    if folder is None or not files:
        return None, {}
    progress(f"monthly police files: {len(files)} in {folder}", t0)
    try:
        table, meta = police.build_monthly(folder, lsoa_codes)
    except police.PoliceFileError as exc:
        raise BuildError(str(exc)) from None
    progress(f"police rows rejected: {meta['rows_rejected']}", t0)
    return table, meta


def make_manifest(raw: Raw, folder: Path, rows: dict[str, int]) -> dict:
    inputs = {}
    for src in SOURCES.values():
        for rel in src.files:
            p = raw.path(rel)
            inputs[rel] = {
                "source": src.key,
                "sha256": sha256_file(p),
                "rows": raw.rows.get(rel),
                "publisher": src.publisher,
                "vintage": src.vintage,
                "licence": src.licence,
            }
    unused = set(raw.rows) - set(inputs)
    check(not unused, f"raw files read but not declared in sources.py: {sorted(unused)}")
    artifacts = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            artifacts[rel] = {"sha256": sha256_file(p), "rows": rows.get(rel)}
    digest = hashlib.sha256(json.dumps(artifacts, sort_keys=True).encode()).hexdigest()[:12]
    return {
        "format_version": FORMAT_VERSION,
        "data_version": digest,
        "inputs": inputs,
        "artifacts": artifacts,
        "indicators": len(registry.INDICATORS),
    }


def swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new``; the old folder is removed only after the swap."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def main_build(
    raw_dir: str | None,
    out_dir: str | None,
    england: bool = True,
    echo: Callable[[str], None] = print,
    police_dir: str | None = None,
    lock_path: str | None = None,
    update_lock: bool = False,
    allow_shrink: bool = False,
) -> int:
    raw = Path(raw_dir) if raw_dir else default_raw_dir()
    out = Path(out_dir) if out_dir else default_out_dir()
    if not raw.is_dir():
        echo(f"error: raw data folder {raw} not found (pass --raw DIR)")
        return 2
    # Monthly police files: --police DIR, else a police/ folder in the raw folder if any.
    pol = Path(police_dir) if police_dir else raw / "police"
    if police_dir and not police.find_street_files(pol):
        echo(f"error: no police.uk street-level files (YYYY-MM-<force>-street.csv) in {pol}")
        return 2
    try:
        m = build(
            raw,
            out,
            england=england,
            police_dir=pol if pol.is_dir() else None,
            lock_path=Path(lock_path) if lock_path else LOCK_FILE,
            update_lock=update_lock,
            allow_shrink=allow_shrink,
        )
    except BuildError as exc:
        echo(f"error: build failed validation, previous artifacts left untouched: {exc}")
        return 1
    echo(f"built data version {m['data_version']} into {out}")
    if "raw_cut" in m:
        echo(f"from a cut of the raw data, not the West Midlands ({CUT_FILE}): {m['raw_cut']['what']}")
    echo(
        f"monthly police data: {len(m['police']['months'])} months from {len(m['police']['files'])} files"
        if "police" in m
        else "no monthly police files present"
    )
    return 0
