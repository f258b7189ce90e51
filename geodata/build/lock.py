"""The sources lock: a build that cannot silently shrink.

``geodata/sources.lock.json`` (committed) pins the sha256 and row count of every raw input the
build reads, and the number of postcodes, small areas and values per borough the build made from
them. A build refuses, with one sentence and before writing anything, when

- a raw input differs from the lock (checked before any file is parsed), or
- a locked count (rows of an input; postcodes, small areas or values of a borough) falls by more
  than :data:`TOLERANCE`.

New inputs are accepted deliberately: ``python -m geodata build --update-lock`` builds them, still
refusing a fall beyond the tolerance, and rewrites the lock; ``--allow-shrink`` accepts a fall too.
A declared cut of the raw folder (tests/data/raw, see raw.read_cut) is held to its own ``CUT.json``
counts instead, so the lock describes the real raw data only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import registry
from ..constants import BOROUGHS
from ..sources import SOURCES
from ..store import sha256_file
from .raw import BuildError, Raw

LOCK_FILE = Path(__file__).resolve().parents[1] / "sources.lock.json"
# A locked count may fall by at most this share (1%) before the build refuses.
TOLERANCE = 0.01
ACCEPT = "python -m geodata build --update-lock"
LOCK_ABOUT = (
    "sha256 and rows of every raw input, and postcodes, small areas and values per borough, as last "
    f"accepted; the build refuses other inputs, or a count more than {TOLERANCE:.0%} below these. "
    f"Accept new inputs with `{ACCEPT}` (see geodata/build/lock.py)."
)


def declared_inputs() -> list[str]:
    return sorted({rel for src in SOURCES.values() for rel in src.files})


def input_hashes(raw: Raw) -> dict[str, str]:
    """sha256 of every declared raw input, by its path relative to the raw folder."""
    return {rel: sha256_file(raw.path(rel)) for rel in declared_inputs()}


def read_lock(path: Path) -> dict:
    if not path.is_file():
        raise BuildError(f"there is no sources lock at {path}: create it from these inputs with `{ACCEPT}`")
    try:
        lock = json.loads(path.read_text(encoding="utf-8"))
        lock["inputs"], lock["per_borough"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"the sources lock {path} is unreadable ({type(exc).__name__}); restore it with git") from None
    return lock


def check_inputs(lock: dict, hashes: dict[str, str], path: Path) -> None:
    """Refuse raw inputs that differ from the lock."""
    for rel, sha in hashes.items():
        locked = lock["inputs"].get(rel)
        if locked is None:
            raise BuildError(f"raw input {rel} is not in the sources lock {path.name}; if it is meant, run `{ACCEPT}`")
        if locked["sha256"] != sha:
            raise BuildError(
                f"raw input {rel} differs from the one in the sources lock {path.name} (sha256 {sha[:12]}, locked "
                f"{locked['sha256'][:12]}, {locked['rows']:,} rows); check it, and if it is meant, run `{ACCEPT}`"
            )


def counts(raw: Raw, areas: pd.DataFrame, borough_values: pd.DataFrame, postcodes: pd.DataFrame) -> dict:
    """Rows of every input read, and postcodes, small areas and values per borough."""
    ids = [i.id for i in registry.mappable()]
    per_borough = {}
    for code, name in sorted(BOROUGHS.items()):
        mine = areas[areas.lad_code == code]
        per_borough[code] = {
            "name": name,
            "postcodes": int((postcodes.lad_code == code).sum()),
            "small_areas": len(mine),
            "values": int(np.isfinite(mine[ids].to_numpy(dtype=float)).sum())
            + int((borough_values.area_code == code).sum()),
        }
    return {"inputs": {rel: raw.rows.get(rel) for rel in declared_inputs()}, "per_borough": per_borough}


def check_counts(lock: dict, found: dict, path: Path, tolerance: float = TOLERANCE) -> None:
    """Refuse a build whose counts fall below the lock's by more than ``tolerance``."""

    def guard(what: str, old: int | None, new: int | None) -> None:
        if old is None or new is None or new >= old * (1 - tolerance):
            return
        raise BuildError(
            f"{what} fell from {old:,} to {new:,} ({(new - old) / old:+.1%}), more than the {tolerance:.0%} the "
            f"sources lock {path.name} allows; if that is meant, run `{ACCEPT} --allow-shrink`"
        )

    for rel, rows in found["inputs"].items():
        guard(f"rows of {rel}", (lock["inputs"].get(rel) or {}).get("rows"), rows)
    for code, new in found["per_borough"].items():
        old = lock["per_borough"].get(code, {})
        for key in ("postcodes", "small_areas", "values"):
            guard(f"{key.replace('_', ' ')} in {new['name']}", old.get(key), new[key])


def write_lock(path: Path, hashes: dict[str, str], found: dict) -> None:
    lock = {
        "about": LOCK_ABOUT,
        "tolerance": TOLERANCE,
        "inputs": {rel: {"sha256": sha, "rows": found["inputs"].get(rel)} for rel, sha in hashes.items()},
        "per_borough": found["per_borough"],
    }
    path.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
