"""Reading the raw folder: files by relative path, row counts, the expected counts (or a
declared cut's), and the checks every reader uses. A failed check raises BuildError."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..store import sha256_file


class BuildError(Exception):
    """Raised when an input fails validation; nothing is written."""


@dataclass(frozen=True)
class Expected:
    """The counts the build insists on finding. The defaults are the whole West Midlands.

    A raw folder that is a declared cut of the real one (tests/data/raw, made by
    tests/data/cut_raw.py) states its own counts in ``CUT.json``; the build then checks those
    and records the declaration in the manifest, so a build of a cut never passes for the real one.
    """

    boroughs: int = 7
    lsoa21: int = 1719
    lsoa11: int = 1680
    wards: int = 192
    # Fewer postcodes than this outside the 7 boroughs means the England lookup is truncated.
    postcodes_outside_above: int = 1_000_000


CUT_FILE = "CUT.json"


def read_cut(root: Path) -> tuple[Expected, dict | None]:
    """The counts to check in ``root``, and its ``CUT.json`` declaration if it is a cut."""
    path = root / CUT_FILE
    if not path.is_file():
        return Expected(), None
    try:
        cut = json.loads(path.read_text(encoding="utf-8"))
        what, counts = cut["what"], cut["expected"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{path}: not a cut declaration ({type(exc).__name__}: {exc})") from None
    names = {f.name for f in fields(Expected)}
    check(
        isinstance(what, str) and bool(what) and isinstance(counts, dict) and set(counts) == names,
        f"{path}: needs 'what' and 'expected' with exactly {sorted(names)}",
    )
    check(all(type(v) is int and v >= 0 for v in counts.values()), f"{path}: expected counts must be whole numbers")
    expected = Expected(**counts)
    return expected, {"what": what, "expected": asdict(expected), "sha256": sha256_file(path)}


def default_raw_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"


def default_out_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "processed"


def progress(msg: str, t0: float) -> None:
    print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise BuildError(msg)


def unique(df: pd.DataFrame, key: str, what: str) -> None:
    dup = df[key][df[key].duplicated()]
    check(dup.empty, f"{what}: duplicate {key} {list(dup[:3])}")


def require_columns(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    check(not missing, f"{what}: missing columns {missing}")


def numeric(values: pd.Series, rel: str, column: str) -> pd.Series:
    """``values`` as floats (blank stays missing); BuildError naming the file, column and row
    of the first value that is not a number."""
    out = pd.to_numeric(values, errors="coerce").astype(float)
    bad = out.isna() & values.notna() & values.astype("string").str.strip().ne("")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise BuildError(
            f"{rel}, column {column!r}, row {i + 2} (counting the header as row 1): "
            f"{str(values.iloc[i])[:40]!r} is not a number"
        )
    return out


class Raw:
    """Reads raw files by their path relative to the raw folder, counting rows. A CSV read
    with default options is read once (several indicators share a file); do not mutate it."""

    def __init__(self, root: Path):
        self.root = root
        self.rows: dict[str, int] = {}
        self._csv: dict[str, pd.DataFrame] = {}
        self.expected, self.cut = read_cut(root)

    def path(self, rel: str) -> Path:
        p = self.root / rel
        check(p.is_file(), f"missing raw file {p}")
        return p

    def _read(self, rel: str, reader: Callable, *args, **kw) -> pd.DataFrame:
        path = self.path(rel)
        try:
            df = reader(path, *args, **kw)
        except Exception as exc:  # noqa: BLE001 - any parser's error: name the file, not a traceback
            raise BuildError(f"cannot read raw file {path}: {type(exc).__name__}: {str(exc)[:200]}") from None
        self.rows[rel] = len(df)
        return df

    def csv(self, rel: str, **kw) -> pd.DataFrame:
        if kw:
            return self._read(rel, pd.read_csv, dtype_backend="numpy_nullable", **kw)
        if rel not in self._csv:
            self._csv[rel] = self._read(rel, pd.read_csv, dtype_backend="numpy_nullable")
        return self._csv[rel]

    def geojson(self, rel: str) -> gpd.GeoDataFrame:
        return self._read(rel, gpd.read_file)

    def parquet(self, rel: str, columns: list[str]) -> pd.DataFrame:
        return self._read(rel, pd.read_parquet, columns=columns)
