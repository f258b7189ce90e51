"""The data build: reproducible, validated before writing, atomic, and fully declared in its manifest.

These tests need the raw files in ../shared/data/raw and are skipped without them. They
build with ``--no-england`` (the 2.2 million-row England lookup only feeds
postcodes_outside.parquet) and never write into data/processed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from geodata import build as geobuild
from geodata.sources import SOURCES

pytestmark = pytest.mark.build

ENGLAND_ONLY = "postcodes_outside.parquet"  # built from the England lookup, so it differs under --no-england
IOD = "deprivation/iod2025_lsoa21_west_midlands.csv"
IOD_UI = "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv"
LONELY = "protective/loneliness_cls_lsoa21_wm.csv"
LSOA_GEOJSON = "geography/boundaries/lsoa21_wm.geojson"
LAD_GEOJSON = "geography/boundaries/lad_wm.geojson"
WARD_LIST = "geography/lookups/wards2025_wm.csv"
FAILED = "error: build failed validation, previous artifacts left untouched: "


# ---------------------------------------------------------------------------- corruptions of real files


def _duplicate_first_row(raw: bytes) -> bytes:
    text = raw.decode()
    first_row = text.splitlines(keepends=True)[1]
    return (text if text.endswith("\n") else text + "\n").encode() + first_row.encode()


def _set_cell(column: str, value: str, row: int = 0) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(raw.decode())))
        rows[1 + row][rows[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()

    return change


def _drop_features(n: int) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        gj = json.loads(raw)
        gj["features"] = gj["features"][:-n]
        return json.dumps(gj).encode()

    return change


def _drop_last_line(raw: bytes) -> bytes:
    return b"".join(raw.splitlines(keepends=True)[:-1])


CORRUPTIONS = [
    pytest.param(IOD, _duplicate_first_row, "IoD 2025: duplicate lsoa21_code ['E01008881']", id="duplicated-row"),
    pytest.param(IOD, _set_cell("imd_decile", "11"), "imd_decile: decile outside 1..10", id="decile-of-11"),
    pytest.param(
        LONELY,
        _set_cell("pct_lonely_often_some_of_time", "120.5"),
        "loneliness_pct: percentage outside 0..100",
        id="percentage-over-100",
    ),
    pytest.param(
        IOD_UI,
        _set_cell("violence_with_injury_rate_per_1_000_at_risk_population", "-3.2", row=5),
        "violence_with_injury_rate: negative rate",
        id="negative-rate",
    ),
    pytest.param(
        LSOA_GEOJSON,
        _drop_features(10),
        "LSOA 2021 boundaries: expected 1719 rows, found 1709",
        id="lsoa-boundaries-short",
    ),
    pytest.param(LAD_GEOJSON, _drop_features(1), "borough boundaries: expected 7 rows, found 6", id="six-boroughs"),
    pytest.param(WARD_LIST, _drop_last_line, "ward list: expected 192 rows, found 191", id="ward-list-short"),
]


@pytest.fixture
def previous_build(good_builds: tuple[Path, Path], tmp_path: Path) -> Path:
    """An output folder already holding a good build, as data/processed would."""
    out = tmp_path / "out" / "processed"
    shutil.copytree(good_builds[0], out)
    return out


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def _untouched(folder: Path, hash_tree) -> dict[str, tuple]:
    """Content and identity of every file: a rewrite with identical bytes still shows."""
    return {
        rel: (sha, (folder / rel).stat().st_ino, (folder / rel).stat().st_mtime_ns)
        for rel, sha in hash_tree(folder).items()
    }


# ---------------------------------------------------------------------------- reproducible


def test_two_builds_are_byte_identical(good_builds: tuple[Path, Path], hash_tree) -> None:
    a, b = (hash_tree(p) for p in good_builds)
    assert "manifest.json" in a and "areas.parquet" in a and "pgeocode/GB.txt" in a
    assert a == b


def test_build_reproduces_the_committed_artifacts(
    good_builds: tuple[Path, Path], processed_dir: Path, hash_tree
) -> None:
    built, committed = hash_tree(good_builds[0]), hash_tree(processed_dir)
    skip = {ENGLAND_ONLY, "manifest.json"}
    assert set(built) - skip <= set(committed)
    assert {k: v for k, v in built.items() if k not in skip} == {k: committed[k] for k in built if k not in skip}


# ---------------------------------------------------------------------------- manifest


def test_manifest_declares_every_raw_input(raw_dir: Path, processed_dir: Path) -> None:
    manifest = json.loads((processed_dir / "manifest.json").read_text())
    declared = {f for s in SOURCES.values() for f in s.files}
    assert set(manifest["inputs"]) == declared
    for rel, meta in manifest["inputs"].items():
        src = SOURCES[meta["source"]]
        assert rel in src.files
        assert (meta["publisher"], meta["vintage"], meta["licence"]) == (src.publisher, src.vintage, src.licence)
        assert isinstance(meta["rows"], int) and meta["rows"] > 0, rel
        assert meta["sha256"] == hashlib.sha256((raw_dir / rel).read_bytes()).hexdigest(), rel


def test_manifest_matches_the_committed_files(processed_dir: Path, hash_tree) -> None:
    manifest = json.loads((processed_dir / "manifest.json").read_text())
    on_disk = hash_tree(processed_dir)
    assert set(on_disk) == set(manifest["artifacts"]) | {"manifest.json"}  # nothing undeclared
    for rel, meta in manifest["artifacts"].items():
        assert meta["sha256"] == on_disk[rel], rel
        if rel.endswith("parquet"):
            assert meta["rows"] == pq.read_metadata(processed_dir / rel).num_rows, rel
    rows = {k: v["rows"] for k, v in manifest["artifacts"].items()}
    assert (
        rows["areas.parquet"],
        rows["lsoa21.geoparquet"],
        rows["wards.geoparquet"],
        rows["boroughs.geoparquet"],
    ) == (1719, 1719, 192, 7)


def test_tmp_build_manifest_agrees_with_the_committed_one(good_builds: tuple[Path, Path], processed_dir: Path) -> None:
    built = json.loads((good_builds[0] / "manifest.json").read_text())
    committed = json.loads((processed_dir / "manifest.json").read_text())
    assert {k: v["sha256"] for k, v in built["inputs"].items()} == {
        k: v["sha256"] for k, v in committed["inputs"].items()
    }
    for rel, meta in built["inputs"].items():  # --no-england does not read the England-wide files
        assert meta["rows"] in (None, committed["inputs"][rel]["rows"]), rel
    assert built["indicators"] == committed["indicators"]


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("rel", "corrupt", "message"), CORRUPTIONS)
def test_bad_input_fails_and_leaves_previous_artifacts(
    raw_dir: Path, mirror_raw, previous_build: Path, hash_tree, rel: str, corrupt, message: str
) -> None:
    bad_raw = mirror_raw({rel: corrupt((raw_dir / rel).read_bytes())})
    before, siblings = _untouched(previous_build, hash_tree), _siblings(previous_build)
    said: list[str] = []
    code = geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=said.append)
    assert code == 1
    assert said == [FAILED + message]
    assert _untouched(previous_build, hash_tree) == before  # byte for byte
    assert _siblings(previous_build) == siblings  # no temporary folder left behind


def test_cli_build_failure_exits_1_with_a_clear_message(
    raw_dir: Path, mirror_raw, previous_build: Path, hash_tree, run_geodata
) -> None:
    bad_raw = mirror_raw({IOD: _duplicate_first_row((raw_dir / IOD).read_bytes())})
    before = _untouched(previous_build, hash_tree)
    r = run_geodata("build", "--no-england", "--raw", str(bad_raw), "--out", str(previous_build))
    assert r.returncode == 1, r.stderr
    assert r.stdout.strip() == FAILED + "IoD 2025: duplicate lsoa21_code ['E01008881']"
    assert "Traceback" not in r.stderr
    assert _untouched(previous_build, hash_tree) == before


def test_first_build_that_fails_creates_nothing(raw_dir: Path, mirror_raw, tmp_path: Path) -> None:
    bad_raw = mirror_raw({IOD: _set_cell("imd_decile", "11")((raw_dir / IOD).read_bytes())})
    out = tmp_path / "fresh" / "processed"
    assert geobuild.main_build(str(bad_raw), str(out), england=False, echo=lambda m: None) == 1
    assert not out.parent.exists()  # validation runs before anything touches the disk


def test_missing_raw_folder_is_a_usage_error(tmp_path: Path) -> None:
    said: list[str] = []
    assert geobuild.main_build(str(tmp_path / "nope"), str(tmp_path / "out"), england=False, echo=said.append) == 2
    assert "raw data folder" in said[0] and not (tmp_path / "out").exists()


def _truncate_bytes(raw: bytes) -> bytes:
    return raw[: len(raw) // 3]


def test_unreadable_raw_file_leaves_previous_artifacts(
    raw_dir: Path, mirror_raw, previous_build: Path, hash_tree
) -> None:
    bad_raw = mirror_raw({LSOA_GEOJSON: _truncate_bytes((raw_dir / LSOA_GEOJSON).read_bytes())})
    before, siblings = _untouched(previous_build, hash_tree), _siblings(previous_build)
    assert geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=lambda m: None) == 1
    assert _untouched(previous_build, hash_tree) == before
    assert _siblings(previous_build) == siblings


def test_unreadable_raw_file_gets_a_clear_message(raw_dir: Path, mirror_raw, previous_build: Path) -> None:
    bad_raw = mirror_raw({LSOA_GEOJSON: _truncate_bytes((raw_dir / LSOA_GEOJSON).read_bytes())})
    said: list[str] = []
    code = geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=said.append)
    assert code == 1 and said[0].startswith(FAILED) and LSOA_GEOJSON in said[0]


def test_failure_while_writing_leaves_previous_artifacts(
    raw_dir: Path, previous_build: Path, hash_tree, monkeypatch
) -> None:
    before, siblings = _untouched(previous_build, hash_tree), _siblings(previous_build)
    real_write, written = geobuild._write_parquet, []

    def write_then_fail(df, path: Path) -> None:
        if len(written) == 4:
            raise OSError("disk full (simulated)")
        real_write(df, path)
        written.append(path.name)

    monkeypatch.setattr(geobuild, "_write_parquet", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        geobuild.build(raw_dir, previous_build, england=False)
    assert len(written) == 4
    assert _untouched(previous_build, hash_tree) == before
    assert _siblings(previous_build) == siblings
