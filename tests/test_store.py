"""Loading the processed data: pure, cached, read-only, and loud when a file is damaged."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geodata
from geodata import registry
from geodata.store import DATA_DIR_ENV, DataError, data_dir, load, verify

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "data" / "processed"

PURITY_SCRIPT = textwrap.dedent("""
    import json, sys
    import geodata
    from geodata import store, places, profile, registry, postcodes, sources
    d = geodata.load()
    geodata.lookup_postcode("B15 2TT")
    geodata.lookup_postcode("B15")
    geodata.profile_for_postcode("B15 2TT", 1.0)
    geodata.profile_for_area("ward", "E05011134")
    geodata.nearby_assets(52.45328, -1.92789, 1.0)
    web = sorted(m for m in sys.modules
                 if m.split(".")[0] in ("dash", "flask", "werkzeug", "plotly")
                 or m.startswith(("dash_", "flask_")))
    print(json.dumps(web))
""")


def test_geodata_never_imports_a_web_framework() -> None:
    # A fresh interpreter, so nothing the test runner imported can hide an import.
    r = subprocess.run(
        [sys.executable, "-c", PURITY_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []


# ---------------------------------------------------------------------------- cached and read-only


def test_load_is_cached(data) -> None:
    assert geodata.load() is data
    assert load() is load()
    assert load(None) is data


def test_values_are_read_only(data) -> None:
    assert set(data.values) == {i.id for i in registry.mappable()} | {"population"}
    for name, a in data.values.items():
        assert isinstance(a, np.ndarray) and not a.flags.writeable, name
        assert len(a) == len(data.areas) == 1719
        with pytest.raises(ValueError):
            a[0] = 0.0
    assert not data.outside_lad.flags.writeable


def test_data_object_is_frozen(data) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.values = {}  # type: ignore[misc]


def test_values_match_the_areas_table(data) -> None:
    np.testing.assert_array_equal(data.values["imd_decile"], data.areas.imd_decile.to_numpy(dtype=float))
    assert list(data.areas.lsoa21_code) == sorted(data.areas.lsoa21_code)
    assert all(data.areas.lsoa21_code.iloc[i] == c for c, i in data.lsoa_row.items())


def test_data_dir_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert data_dir() == PROCESSED
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert data_dir() == tmp_path


def test_a_copy_loads_and_gives_the_same_answers(processed_copy: Path, data) -> None:
    other = load(str(processed_copy))
    assert other is not data and other.version == data.version
    assert geodata.lookup_postcode("B15 2TT", other) == geodata.lookup_postcode("B15 2TT", data)


# ---------------------------------------------------------------------------- data faults


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _tamper(p: Path) -> None:
    b = bytearray(p.read_bytes())
    b[len(b) // 2] ^= 0xFF
    p.write_bytes(bytes(b))


@pytest.mark.parametrize(
    ("artifact", "damage", "says"),
    [
        ("areas.parquet", _truncate, "does not match its checksum"),
        ("postcodes.parquet", _tamper, "does not match its checksum"),
        ("lsoa21.geoparquet", lambda p: p.unlink(), "is missing"),
        ("pgeocode/GB.txt", lambda p: p.write_text(p.read_text() + "GB,B0,B0\n"), "does not match its checksum"),
        ("postcodes_outside.parquet", lambda p: p.write_bytes(b""), "does not match its checksum"),
    ],
)
def test_damaged_artifact_is_named_with_how_to_rebuild(processed_copy: Path, artifact: str, damage, says: str) -> None:
    damage(processed_copy / artifact)
    for check in (verify, lambda folder: load(str(folder))):
        with pytest.raises(DataError) as exc:
            check(processed_copy)
        msg = str(exc.value)
        assert str(processed_copy / artifact) in msg
        assert says in msg
        assert "python -m geodata build" in msg and "git checkout data/processed" in msg


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda p: p.unlink(), "is missing"),
        (lambda p: p.write_text("{not json"), "is unreadable"),
        (lambda p: p.write_text("{}"), "is unreadable"),
    ],
)
def test_damaged_manifest_is_named(processed_copy: Path, damage, says: str) -> None:
    damage(processed_copy / "manifest.json")
    with pytest.raises(DataError, match=says) as exc:
        verify(processed_copy)
    assert "manifest.json" in str(exc.value) and "python -m geodata build" in str(exc.value)


def test_verify_passes_on_the_committed_data() -> None:
    manifest = verify(PROCESSED)
    assert manifest["format_version"] == 1
    assert manifest["indicators"] == len(registry.INDICATORS)


def _shorter_with_checksum_rerecorded(folder: Path, artifact: str = "postcodes.parquet") -> int:
    """Replace an artifact with its first half and re-record only its checksum: rows still disagree."""
    import hashlib

    p = folder / artifact
    df = pd.read_parquet(p)
    df.iloc[: len(df) // 2].to_parquet(p, index=False)
    m = json.loads((folder / "manifest.json").read_text())
    m["artifacts"][artifact]["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(m))
    return len(df)


def test_an_artifact_whose_rows_disagree_with_the_manifest_is_named(processed_copy: Path) -> None:
    rows = _shorter_with_checksum_rerecorded(processed_copy)
    with pytest.raises(DataError) as exc:
        verify(processed_copy)
    msg = str(exc.value)
    assert f"postcodes.parquet holds {rows // 2:,} rows where the manifest says {rows:,}" in msg
    assert "python -m geodata build" in msg
