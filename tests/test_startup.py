"""Data faults at start-up: a missing, truncated or tampered artifact stops the app with one
sentence naming the file and the rebuild command, and /healthz reports a file changed later.

Each case damages a private copy of data/processed and starts the app on it in a
subprocess (``python app.py``, and the production ``gunicorn --preload``), as an operator would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from serving import GUNICORN, ROOT, app_env, free_port


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _append(path: Path) -> None:
    with open(path, "ab") as fh:
        fh.write(b"ZZ99 9ZZ\tplaced by hand\n")


def _delete(path: Path) -> None:
    path.unlink()


def _garble(path: Path) -> None:
    path.write_text('{"artifacts": ')


def _halve_rows_rerecord_checksum(path: Path) -> None:
    """Half the postcode table, its checksum re-recorded in the manifest: only the row count tells."""
    import hashlib

    import pandas as pd

    df = pd.read_parquet(path)
    df.iloc[: len(df) // 2].to_parquet(path, index=False)
    manifest = path.parent / "manifest.json"
    m = json.loads(manifest.read_text())
    m["artifacts"][path.name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(m))


CASES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "deleted postcode index": ("postcodes.parquet", _delete),
    "truncated area table": ("areas.parquet", _truncate),
    "empty ward boundaries": ("wards.geoparquet", _empty),
    "one byte changed in the LSOA boundaries": ("lsoa21.geoparquet", _flip_one_byte),
    "a line added to the pgeocode table": ("pgeocode/GB.txt", _append),
    "deleted manifest": ("manifest.json", _delete),
    "unreadable manifest": ("manifest.json", _garble),
    "half the postcodes, checksum re-recorded": ("postcodes.parquet", _halve_rows_rerecord_checksum),
}


def _damaged_copy(processed_copy: Path, rel: str, damage: Callable[[Path], None]) -> Path:
    damage(processed_copy / rel)
    return processed_copy


def _assert_one_sentence(proc: subprocess.CompletedProcess, rel: str) -> None:
    out = (proc.stdout + proc.stderr).strip()
    assert proc.returncode != 0, out
    assert "Traceback" not in out and 'File "' not in out, out
    lines = out.splitlines()
    assert len(lines) == 1, out
    line = lines[0]
    assert line.startswith("Cannot start: ") and line.endswith(".")
    assert Path(rel).name in line
    assert "python -m geodata build" in line


@pytest.fixture(scope="module")
def started(processed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """``python app.py`` on each damaged copy, all started at once (each stops within seconds)."""
    procs = {}
    for i, (case, (rel, damage)) in enumerate(CASES.items()):
        folder = tmp_path_factory.mktemp(f"damaged{i}") / "processed"
        shutil.copytree(processed_dir, folder)
        damage(folder / rel)
        env = app_env(EXPLORER_DATA_DIR=str(folder), EXPLORER_PORT=str(free_port()), EXPLORER_LOG_LEVEL="INFO")
        procs[case] = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    done = {}
    for case, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:  # it started serving: stop it, and the test below fails
            proc.kill()
            out, err = proc.communicate()
        done[case] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_artifact_stops_python_app_py_with_one_sentence(case, started):
    _assert_one_sentence(started[case], CASES[case][0])


@pytest.mark.slow
def test_bad_artifact_stops_production_gunicorn_with_one_sentence(processed_copy):
    """With --preload the app loads once, in the master, so bad data stops gunicorn outright
    (without it, gunicorn would respawn failing workers)."""
    folder = _damaged_copy(processed_copy, "postcodes_outside.parquet", _flip_one_byte)
    env = app_env(EXPLORER_DATA_DIR=str(folder))
    proc = subprocess.run(
        [
            str(GUNICORN),
            "--preload",
            "--no-control-socket",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{free_port()}",
            "app:server",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    _assert_one_sentence(proc, "postcodes_outside.parquet")


HEALTH_SCRIPT = """
import json, sys
from pathlib import Path
from app import app
c = app.server.test_client()
first = c.get("/healthz")
path = Path(sys.argv[1])
data = bytearray(path.read_bytes()); data[len(data) // 2] ^= 0xFF; path.write_bytes(bytes(data))
app.server.extensions["wm_hardening"]["health"]._artifacts = None  # skip the 60 s re-hash interval
second = c.get("/healthz")
print(json.dumps([[first.status_code, first.get_json()], [second.status_code, second.get_json()]]))
"""


@pytest.mark.slow
def test_healthz_reports_version_and_checks_and_503_after_tampering(processed_copy):
    manifest = json.loads((processed_copy / "manifest.json").read_text())
    env = app_env(EXPLORER_DATA_DIR=str(processed_copy))
    proc = subprocess.run(
        [sys.executable, "-c", HEALTH_SCRIPT, str(processed_copy / "assets.parquet")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (ok_status, ok), (bad_status, bad) = json.loads(proc.stdout.strip().splitlines()[-1])
    assert ok_status == 200 and ok["status"] == "ok"
    assert ok["data_version"] == manifest["data_version"]
    assert set(ok["checks"]) == {"artifacts", "indicators", "postcodes", "cache"}
    assert ok["checks"]["artifacts"] == {"ok": True, "files": len(manifest["artifacts"])}
    assert ok["checks"]["indicators"]["count"] == manifest["indicators"]
    assert bad_status == 503 and bad["status"] == "fail"
    assert bad["checks"]["artifacts"]["problems"] == ["assets.parquet does not match its checksum"]
    assert str(processed_copy) not in proc.stdout  # names, never server paths
