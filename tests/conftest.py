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
# for the build and trace-back tests, the raw files in ../shared/data/raw (never copied into
# this repository). The build tests build a small real cut of them that tests/data/cut_raw.py
# makes once per session into a temporary folder (its CUT.json says what it holds). Tests that
# need raw data, marked ``shared`` or using a raw-data fixture, are deselected (not skipped)
# when ../shared/data/raw is absent, and the run says so.

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "data" / "processed"
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"  # as geodata.build.default_raw_dir()
CUT_SCRIPT = REPO / "tests" / "data" / "cut_raw.py"
CUT_RECORD = REPO / "tests" / "data" / "cut_build.sha256.json"
HAS_SHARED = SHARED_RAW.is_dir()
RAW_DIR = SHARED_RAW
# Fixtures that read the raw files: a test using one needs ../shared/data/raw.
RAW_FIXTURES = {"raw_dir", "cut_dir", "raw_csv", "shared_raw_dir", "good_builds", "full_build", "mirror_raw"}
_DESELECTED = pytest.StashKey[int]()


def pytest_report_header(config: pytest.Config) -> str:
    if HAS_SHARED:
        return f"raw data: {RAW_DIR} (build tests use a cut of it made by {CUT_SCRIPT.name})"
    return f"raw data: {SHARED_RAW} not found"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests count as slow; deselect (not skip) the tests marked ``shared`` when the
    full raw data is absent."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        if RAW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared)
    if HAS_SHARED:
        return
    shared = [item for item in items if item.get_closest_marker("shared")]
    if shared:
        config.hook.pytest_deselected(items=shared)
        items[:] = [item for item in items if not item.get_closest_marker("shared")]
    config.stash[_DESELECTED] = len(shared)


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> str | None:
    n = config.stash.get(_DESELECTED, 0)
    if not n:
        return None
    return f"{n} tests deselected: they need the raw data in {SHARED_RAW}, which is absent"


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
    """The raw data, ../shared/data/raw."""
    return RAW_DIR


@pytest.fixture(scope="session")
def cut_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real cut of the raw data (about 10 s to make), which the build tests build."""
    import runpy

    out = tmp_path_factory.mktemp("cut") / "raw"
    runpy.run_path(str(CUT_SCRIPT))["cut"](SHARED_RAW, out)
    return out


@pytest.fixture(scope="session")
def shared_raw_dir() -> Path:
    """The full raw data, for tests marked ``shared`` (deselected when it is absent)."""
    assert HAS_SHARED, f"{SHARED_RAW} not found: mark the test 'shared'"
    return SHARED_RAW


@cache
def _read_raw_csv(rel: str) -> pd.DataFrame:
    return pd.read_csv(RAW_DIR / rel, dtype={"pcds": str, "doterm": str, "lsoa11cd": str, "ladcd": str})


@pytest.fixture(scope="session")
def raw_csv(raw_dir: Path) -> Callable[[str], pd.DataFrame]:
    """Read a raw CSV by its path relative to the raw folder (cached; do not mutate)."""
    return _read_raw_csv


def _run_geodata(
    *args: str,
    input: str | None = None,
    env: dict | None = None,
    timeout: float = 900,  # a full build with the planning stage takes minutes
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


def _builds(raw: Path, outs: list[Path], *flags: str) -> None:
    """Build ``raw`` into each of ``outs`` side by side, one process each, different hash seeds."""
    procs = []
    for i, out in enumerate(outs, start=1):
        env = {k: v for k, v in os.environ.items() if k != "EXPLORER_DATA_DIR"}
        env["PYTHONHASHSEED"] = str(i)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "geodata", "build", *flags, "--raw", str(raw), "--out", str(out)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for p in procs:
        stdout, stderr = p.communicate(timeout=900)  # the planning stage: ~3.5 min of Gi* on a busy 2-core machine
        assert p.returncode == 0, f"build failed:\n{stdout}\n{stderr}"
        assert "built data version" in stdout


@pytest.fixture(scope="session")
def good_builds(cut_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two independent builds of the cut, England lookup included.

    They run side by side with different hash seeds, so any ordering that depends on
    set or dict iteration would show up as a byte difference.
    """
    outs = [tmp_path_factory.mktemp(f"build{i}") / "processed" for i in (1, 2)]
    _builds(cut_dir, outs)
    return outs[0], outs[1]


@pytest.fixture(scope="session")
def full_build(shared_raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the full raw data (``--no-england``: the 2.2 million-row England lookup
    only feeds postcodes_outside.parquet), for tests marked ``shared``."""
    out = tmp_path_factory.mktemp("full_build") / "processed"
    _builds(shared_raw_dir, [out], "--no-england")
    return out


@pytest.fixture(scope="session")
def cut_record() -> dict:
    """The committed checksums of a build of the cut (tests/data/cut_build.sha256.json)."""
    import json

    return json.loads(CUT_RECORD.read_text())


@pytest.fixture
def mirror_raw(cut_dir: Path, tmp_path: Path) -> Callable[[dict[str, bytes]], Path]:
    """A raw folder that mirrors the cut with symlinks, except the files given.

    ``mirror_raw({"deprivation/x.csv": b"..."})`` returns the new folder; each named file
    is a real file holding the bytes given, so the cut itself is never touched.
    """

    def make(replace: dict[str, bytes]) -> Path:
        root = tmp_path / "raw"
        for dirpath, _dirs, files in os.walk(cut_dir):
            rel_dir = Path(dirpath).relative_to(cut_dir)
            (root / rel_dir).mkdir(parents=True, exist_ok=True)
            for f in files:
                rel = (rel_dir / f).as_posix()
                if rel not in replace:
                    (root / rel_dir / f).symlink_to(Path(dirpath) / f)
        for rel, content in replace.items():
            assert (cut_dir / rel).is_file(), f"no raw file {rel} to replace"
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


# ============================================================================ app fixtures
#
# The app as `app.py` builds it (create_app with the environment's settings), shared by
# the app, API, export and security tests.


@pytest.fixture(scope="session")
def explorer():
    """The Dash app from the app factory (``app.app``)."""
    from app import app

    return app


@pytest.fixture(scope="module")
def no_rate_limit(explorer):
    """The API's rate limit off for a module (restored afterwards): these tests make many requests."""
    cfg = explorer.server.config["EXPLORER"]
    saved = cfg["EXPLORER_RATE_LIMIT"]
    cfg["EXPLORER_RATE_LIMIT"] = ""
    yield
    cfg["EXPLORER_RATE_LIMIT"] = saved


@pytest.fixture(scope="module")
def client(explorer, no_rate_limit):
    """A Flask test client of the app, rate limit off."""
    return explorer.server.test_client()
