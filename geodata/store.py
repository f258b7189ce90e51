"""Load the processed artifacts once per process, check them against the manifest and keep
them read-only.

``load()`` is cached: every caller in a process shares one :class:`Data`. Nothing here
mutates it after loading; numpy arrays are flagged read-only so an accidental write fails.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from . import registry
from .postcodes import PostcodeIndex

DATA_DIR_ENV = "EXPLORER_DATA_DIR"
POLICE_ARTIFACT = "police_monthly.parquet"  # optional: only when monthly police files were built
REBUILD_HINT = (
    "run `python -m geodata build` (needs ../shared/data/raw) or restore it with `git checkout data/processed`"
)


class DataError(RuntimeError):
    """The processed data is missing, truncated or does not match its manifest."""


def data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data" / "processed"


@dataclass(frozen=True, eq=False)
class Data:
    folder: Path
    manifest: dict
    areas: pd.DataFrame  # one row per LSOA 2021, sorted by code; mappable indicator columns
    values: dict[str, np.ndarray]  # indicator id -> values aligned with areas (read-only)
    borough_values: pd.DataFrame
    lsoa21: gpd.GeoDataFrame
    wards: gpd.GeoDataFrame
    boroughs: gpd.GeoDataFrame
    labels: pd.DataFrame
    ward_names: dict[str, str]
    lad_names: dict[str, str]
    postcodes: pd.DataFrame
    postcode_index: PostcodeIndex
    outside_index: PostcodeIndex
    outside_lad: np.ndarray  # category code per outside postcode (2.2M small ints, not strings)
    outside_lad_names: tuple[str, ...]
    postcode_areas: dict[tuple[str, str], dict]  # (kind, code) -> centre record
    # (kind, code) -> borough name(s) of a district or sector with no live postcode inside
    areas_outside: dict[tuple[str, str], str]
    unplaced: dict[str, str]  # postcode without coordinates -> its district
    assets: pd.DataFrame
    lsoa_row: dict[str, int] = field(default_factory=dict)
    # Plain per-row records for the lookup hot path (a pandas row access costs ~100 µs).
    postcode_records: tuple[tuple, ...] = ()  # POSTCODE_FIELDS per row of ``postcodes``
    lsoa_records: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name, ward, borough
    # LSOA 2021 x month x crime type counts from monthly police.uk files; None when the
    # build had none (see geodata.police).
    police_monthly: pd.DataFrame | None = None

    @property
    def version(self) -> str:
        return str(self.manifest["data_version"])


POSTCODE_FIELDS = (
    "lat",
    "lon",
    "terminated",
    "doterm",
    "lsoa21_code",
    "lsoa21_method",
    "lsoa11_code",
    "ward_code",
    "lad_code",
)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(folder: Path) -> dict:
    """Check every artifact against the manifest; raise DataError naming the first bad file."""
    mpath = folder / "manifest.json"
    if not mpath.is_file():
        raise DataError(f"The data manifest {mpath} is missing: {REBUILD_HINT}.")
    try:
        manifest = json.loads(mpath.read_text())
        artifacts = manifest["artifacts"]
    except (ValueError, KeyError) as exc:
        raise DataError(f"The data manifest {mpath} is unreadable ({exc}): {REBUILD_HINT}.") from None
    for rel, meta in sorted(artifacts.items()):
        p = folder / rel
        if not p.is_file():
            raise DataError(f"The data file {p} is missing: {REBUILD_HINT}.")
        if sha256_file(p) != meta["sha256"]:
            raise DataError(
                f"The data file {p} does not match its checksum in the manifest (truncated or changed): {REBUILD_HINT}."
            )
        rows = meta.get("rows")
        if rows is not None and p.suffix in (".parquet", ".geoparquet"):
            try:
                found = pq.read_metadata(p).num_rows
            except (OSError, ValueError) as exc:
                raise DataError(f"The data file {p} is unreadable ({type(exc).__name__}): {REBUILD_HINT}.") from None
            if found != rows:
                raise DataError(
                    f"The data file {p} holds {found:,} rows where the manifest says {rows:,}: {REBUILD_HINT}."
                )
    return manifest


def _plain(col: pd.Series) -> list:
    """A column as Python values, missing as None."""
    return [
        None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
        for v in col.astype(object).tolist()
    ]


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


def load(folder: str | None = None) -> Data:
    """The data in ``folder`` (default :func:`data_dir`), loaded once per folder per process.

    ``load()``, ``load(None)`` and ``load(<the same folder>)`` return the same object.
    """
    return _load(_resolve(folder or os.environ.get(DATA_DIR_ENV) or ""))


@lru_cache(maxsize=16)
def _resolve(folder: str) -> str:
    # Resolving a path costs filesystem calls; load() sits on every lookup's hot path.
    return str((Path(folder) if folder else data_dir()).resolve())


@lru_cache(maxsize=4)
def _load(folder: str) -> Data:
    path = Path(folder)
    manifest = verify(path)
    areas = pd.read_parquet(path / "areas.parquet")
    values = {i.id: _readonly(areas[i.id].to_numpy(dtype=float)) for i in registry.mappable()}
    values["population"] = _readonly(areas["population"].to_numpy(dtype=float))
    pcs = pd.read_parquet(path / "postcodes.parquet")
    outside = pd.read_parquet(path / "postcodes_outside.parquet")
    partial = pd.read_parquet(path / "postcode_areas.parquet")
    areas_outside = pd.read_parquet(path / "postcode_areas_outside.parquet")
    unplaced = pd.read_parquet(path / "postcodes_unplaced.parquet")
    wards = gpd.read_parquet(path / "wards.geoparquet")
    boroughs = gpd.read_parquet(path / "boroughs.geoparquet")
    return Data(
        folder=path,
        manifest=manifest,
        areas=areas,
        values=values,
        borough_values=pd.read_parquet(path / "borough_values.parquet"),
        lsoa21=gpd.read_parquet(path / "lsoa21.geoparquet"),
        wards=wards,
        boroughs=boroughs,
        labels=pd.read_parquet(path / "labels.parquet"),
        ward_names=dict(zip(wards.code, wards.name)),
        lad_names=dict(zip(boroughs.code, boroughs.name)),
        postcodes=pcs,
        postcode_index=PostcodeIndex(pcs.key.to_numpy()),
        outside_index=PostcodeIndex(outside.key.to_numpy()),
        outside_lad=_readonly(outside.lad_name.astype("category").cat.codes.to_numpy()),
        outside_lad_names=tuple(map(str, outside.lad_name.astype("category").cat.categories)),
        postcode_areas={(r.kind, r.code): r._asdict() for r in partial.itertuples(index=False)},
        areas_outside={(r.kind, r.code): r.lad_name for r in areas_outside.itertuples(index=False)},
        unplaced=dict(zip(unplaced.postcode, unplaced.district)),
        assets=pd.read_parquet(path / "assets.parquet"),
        lsoa_row={c: i for i, c in enumerate(areas.lsoa21_code)},
        postcode_records=tuple(zip(*(_plain(pcs[f]) for f in POSTCODE_FIELDS))),
        lsoa_records={r[0]: r[1:] for r in zip(areas.lsoa21_code, areas.lsoa21_name, areas.ward_code, areas.lad_code)},
        police_monthly=(pd.read_parquet(path / POLICE_ARTIFACT) if POLICE_ARTIFACT in manifest["artifacts"] else None),
    )


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def artifact(name: str, data: Data | None = None) -> pd.DataFrame:
    """A processed artifact listed in the manifest beyond those :class:`Data` holds (the
    planners' precomputed layers, e.g. ``hotspots.parquet``), read once per data folder.
    Callers must not change the frame. DataError if the build did not write it."""
    data = data or load()
    if name not in data.manifest["artifacts"]:
        raise DataError(f"The data in {data.folder} has no {name}: {REBUILD_HINT}.")
    return _artifact(str(data.folder), name)


@lru_cache(maxsize=16)
def _artifact(folder: str, name: str) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / name)
