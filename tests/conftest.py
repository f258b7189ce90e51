"""Shared pytest fixtures.

Keep each group under its own heading: the data-layer (geodata) fixtures are below; app
fixtures (app, client, runner) belong in their own group.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

# ============================================================================ geodata fixtures
#
# Every fixture is cut from the real data: the committed artifacts in data/processed and,
# for the build and trace-back tests, the raw files in ../shared/data/raw (skipped when
# that folder is absent, as on a machine with only this repository).

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "data" / "processed"
RAW_DIR = Path(__file__).parents[1].parent / "shared/data/raw"
NO_RAW = f"raw data folder {RAW_DIR} not found (the build and trace-back tests need ../shared/data/raw)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, keyed by its relative path."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def data():
    """The processed data, loaded once (geodata.load is itself cached)."""
    import geodata

    return geodata.load()


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    if not RAW_DIR.is_dir():
        pytest.skip(NO_RAW)
    return RAW_DIR


@cache
def _read_raw_csv(rel: str) -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / rel, dtype={"pcds": str, "doterm": str, "lsoa11cd": str, "ladcd": str})


@pytest.fixture(scope="session")
def raw_csv(raw_dir: Path) -> Callable[[str], pd.DataFrame]:
    """Read a raw CSV by its path relative to the raw folder (cached; do not mutate)."""
    return _read_raw_csv


def _run_geodata(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "EXPLORER_DATA_DIR"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "geodata", *args],
        cwd=REPO,
        input=input,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def run_geodata() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``python -m geodata ARGS`` from the repository root, as partners do; returns the result."""
    return _run_geodata


@pytest.fixture(scope="session")
def processed_dir() -> Path:
    """The committed data/processed (read it, never write it)."""
    return PROCESSED


@pytest.fixture(scope="session")
def hash_tree() -> Callable[[Path], dict[str, str]]:
    return tree_hashes


@pytest.fixture(scope="session")
def good_builds(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two independent builds of the same raw files (``--no-england``), one per process.

    They run side by side with different hash seeds, so any ordering that depends on
    set or dict iteration would show up as a byte difference.
    """
    outs = [tmp_path_factory.mktemp(f"build{i}") / "processed" for i in (1, 2)]
    procs = []
    for i, out in enumerate(outs, start=1):
        env = {k: v for k, v in os.environ.items() if k != "EXPLORER_DATA_DIR"}
        env["PYTHONHASHSEED"] = str(i)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "geodata", "build", "--no-england", "--raw", str(raw_dir), "--out", str(out)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, f"build failed:\n{stdout}\n{stderr}"
        assert "built data version" in stdout
    return outs[0], outs[1]


@pytest.fixture
def mirror_raw(raw_dir: Path, tmp_path: Path) -> Callable[[dict[str, bytes]], Path]:
    """A raw folder that mirrors the real one with symlinks, except the files given.

    ``mirror_raw({"deprivation/x.csv": b"..."})`` returns the new folder; each named file
    is a real file holding the bytes given, so the shared raw data is never touched.
    """

    def make(replace: dict[str, bytes]) -> Path:
        root = tmp_path / "raw"
        for dirpath, _dirs, files in os.walk(raw_dir):
            rel_dir = Path(dirpath).relative_to(raw_dir)
            (root / rel_dir).mkdir(parents=True, exist_ok=True)
            for f in files:
                rel = (rel_dir / f).as_posix()
                if rel not in replace:
                    (root / rel_dir / f).symlink_to(Path(dirpath) / f)
        for rel, content in replace.items():
            assert (raw_dir / rel).is_file(), f"no raw file {rel} to replace"
            (root / rel).write_bytes(content)
        return root

    return make


@pytest.fixture
def processed_copy(tmp_path: Path) -> Path:
    """A private copy of the committed data/processed, safe to damage."""
    import shutil

    dest = tmp_path / "processed"
    shutil.copytree(PROCESSED, dest)
    return dest
