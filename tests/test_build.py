"""The data build: reproducible, validated before writing, atomic, and fully declared in its manifest.

Most of these tests build a small real cut of ../shared/data/raw (tests/data/cut_raw.py makes
it once per session into a temporary folder; a few seconds a build): the cut's build must
reproduce its committed checksum record and agree row for row with the committed data/processed
on the areas it covers. A few build the full raw data (``--no-england``: the 2.2 million-row
England lookup only feeds postcodes_outside.parquet). Without ../shared/data/raw they are all
deselected. Nothing here writes into data/processed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest

from geodata import build as geobuild
from geodata.sources import SOURCES

pytestmark = pytest.mark.build

RECORD = Path(__file__).parent / "data" / "cut_build.sha256.json"
N = json.loads(RECORD.read_text())["expected"]  # the counts the cut declares in its CUT.json

ENGLAND_ONLY = "postcodes_outside.parquet"  # built from the England lookup, so it differs under --no-england
IOD = "deprivation/iod2025_lsoa21_west_midlands.csv"
IOD_UI = "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv"
LONELY = "protective/loneliness_cls_lsoa21_wm.csv"
LSOA_GEOJSON = "geography/boundaries/lsoa21_wm.geojson"
LAD_GEOJSON = "geography/boundaries/lad_wm.geojson"
WARD_LIST = "geography/lookups/wards2025_wm.csv"
AHAH3 = "protective/ahah_v3_domains_lsoa11_wm.csv"
ENGLAND = "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet"
FAILED = "error: build failed validation, previous artifacts left untouched: "
POSTCODES_WM = "geography/postcodes/postcodes_wm.csv"


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


def _declare(**counts: int) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        cut = json.loads(raw)
        cut["expected"].update(counts)
        return json.dumps(cut).encode()

    return change


CORRUPTIONS = [
    # A value that is not a number in a used column: a sentence naming file, column and row.
    pytest.param(
        IOD_UI,
        _set_cell("violence_with_injury_rate_per_1_000_at_risk_population", "twelve", row=5),
        f"{IOD_UI}, column 'violence_with_injury_rate_per_1_000_at_risk_population', row 7 "
        "(counting the header as row 1): 'twelve' is not a number",
        id="not-a-number",
    ),
    pytest.param(
        POSTCODES_WM,
        _set_cell("lat", "52.5N", row=2),
        f"{POSTCODES_WM}, column 'lat', row 4 (counting the header as row 1): '52.5N' is not a number",
        id="postcode-latitude-not-a-number",
    ),
    pytest.param(IOD, _duplicate_first_row, f"{IOD}: duplicate lsoa21_code ['E01008881']", id="duplicated-row"),
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
        f"LSOA 2021 boundaries: expected {N['lsoa21']} rows, found {N['lsoa21'] - 10}",
        id="lsoa-boundaries-short",
    ),
    pytest.param(LAD_GEOJSON, _drop_features(1), "borough boundaries: expected 7 rows, found 6", id="six-boroughs"),
    pytest.param(
        WARD_LIST,
        _drop_last_line,
        f"ward list: expected {N['wards']} rows, found {N['wards'] - 1}",
        id="ward-list-short",
    ),
    pytest.param(
        AHAH3,
        _drop_last_line,
        f"{AHAH3}: expected {N['lsoa11']:,} LSOA 2011 rows, found {N['lsoa11'] - 1:,}",
        id="lsoa11-rows-short",
    ),
    # The cut's declaration is checked like the data: it cannot vouch for other counts.
    pytest.param(
        geobuild.CUT_FILE,
        _declare(lsoa21=N["lsoa21"] + 1),
        f"LSOA 2021 boundaries: expected {N['lsoa21'] + 1} rows, found {N['lsoa21']}",
        id="cut-declares-more-lsoas",
    ),
    pytest.param(
        geobuild.CUT_FILE,
        _declare(postcodes=10),
        "{raw}/CUT.json: needs 'what' and 'expected' with exactly "
        "['boroughs', 'lsoa11', 'lsoa21', 'postcodes_outside_above', 'wards']",
        id="cut-declares-an-unknown-count",
    ),
    pytest.param(
        geobuild.CUT_FILE,
        _declare(wards="22"),
        "{raw}/CUT.json: expected counts must be whole numbers",
        id="cut-count-not-a-number",
    ),
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
    assert "manifest.json" in a and "areas.parquet" in a and "pgeocode/GB.txt" in a and ENGLAND_ONLY in a
    assert a == b


def test_cut_build_reproduces_its_checksum_record(good_builds: tuple[Path, Path], hash_tree, cut_record) -> None:
    """The build of the cut, byte for byte, on every machine with ../shared. If a change to the build
    or the cut is meant to change it: ``python tests/data/cut_raw.py --record``."""
    assert hash_tree(good_builds[0]) == cut_record["files"], (
        "the cut's build changed: if you meant it, run `python tests/data/cut_raw.py --record` and commit the record"
    )


def _rows(folder: Path, name: str, key: str, keys) -> pd.DataFrame:
    df = gpd.read_parquet(folder / name) if name.endswith("geoparquet") else pd.read_parquet(folder / name)
    return df.set_index(key).loc[list(keys)].reset_index()


def test_cut_build_agrees_with_the_committed_data_on_its_areas(good_builds: tuple[Path, Path], processed_dir) -> None:
    """Every row of the cut's build is the committed data/processed row for the same area or
    postcode: the cut keeps whole the inputs each of those rows depends on."""
    cut = good_builds[0]
    areas = pd.read_parquet(cut / "areas.parquet")
    assert len(areas) == N["lsoa21"] and areas.lsoa21_code.is_monotonic_increasing
    pd.testing.assert_frame_equal(areas, _rows(processed_dir, "areas.parquet", "lsoa21_code", areas.lsoa21_code))
    for name, n in (("lsoa21.geoparquet", N["lsoa21"]), ("wards.geoparquet", N["wards"]), ("boroughs.geoparquet", 7)):
        got = gpd.read_parquet(cut / name)
        want = _rows(processed_dir, name, "code", got.code)[got.columns]
        assert len(got) == n, name
        pd.testing.assert_frame_equal(got.drop(columns="geometry"), want.drop(columns="geometry"))
        assert got.geometry.geom_equals_exact(want.geometry, tolerance=0).all(), name
    # borough figures are whole in the cut: the same table
    pd.testing.assert_frame_equal(
        pd.read_parquet(cut / "borough_values.parquet"), pd.read_parquet(processed_dir / "borough_values.parquet")
    )
    pcs = pd.read_parquet(cut / "postcodes.parquet")
    pd.testing.assert_frame_equal(pcs, _rows(processed_dir, "postcodes.parquet", "postcode", pcs.postcode)[pcs.columns])
    methods = set(pcs.lsoa21_method)
    assert methods == {"ons_lookup", "point_in_polygon", "nearest_child_of_official_lsoa11"}
    assert pcs.terminated.any() and (~pcs.terminated).any()
    # lists of things: the cut's are among the committed ones
    for name, on in (("labels.parquet", None), ("assets.parquet", None), (ENGLAND_ONLY, "key")):
        got, full = pd.read_parquet(cut / name), pd.read_parquet(processed_dir / name)
        if on:  # postcodes outside the area: key and borough name
            got, full = (d.assign(lad_name=d.lad_name.astype(str)) for d in (got, full))
        both = got.merge(full, how="left", indicator=True)
        assert len(got) > 10 and (both["_merge"] == "both").all(), name
        assert len(got) < len(full), name


def test_cut_is_declared_in_its_build_and_never_in_the_committed_data(
    good_builds: tuple[Path, Path], processed_dir: Path, cut_dir: Path
) -> None:
    built = json.loads((good_builds[0] / "manifest.json").read_text())
    cut = json.loads((cut_dir / geobuild.CUT_FILE).read_text())
    assert built["raw_cut"] == {
        "what": cut["what"],
        "expected": N,
        "sha256": hashlib.sha256((cut_dir / geobuild.CUT_FILE).read_bytes()).hexdigest(),
    }
    assert set(N) == set(asdict(geobuild.Expected()))
    assert "raw_cut" not in json.loads((processed_dir / "manifest.json").read_text())
    assert not (geobuild.default_raw_dir() / geobuild.CUT_FILE).exists()  # the real raw folder is not a cut


def test_a_folder_without_a_declaration_is_held_to_the_full_counts(mirror_raw, tmp_path: Path) -> None:
    """Without CUT.json the cut is just a truncated West Midlands, and the build says so."""
    bare = mirror_raw({})
    (bare / geobuild.CUT_FILE).unlink()
    said: list[str] = []
    # held to the sources lock first: its inputs are not the locked ones
    assert geobuild.main_build(str(bare), str(tmp_path / "out"), england=False, echo=said.append) == 1
    assert len(said) == 1 and said[0].startswith(FAILED + "raw input ")
    assert "differs from the one in the sources lock sources.lock.json" in said[0]
    # and, were its inputs accepted, to the full counts
    lock = tmp_path / "lock.json"
    said.clear()
    assert (
        geobuild.main_build(
            str(bare), str(tmp_path / "out"), england=False, echo=said.append, lock_path=str(lock), update_lock=True
        )
        == 1
    )
    assert said == [FAILED + f"LSOA 2021 boundaries: expected 1719 rows, found {N['lsoa21']}"]
    assert not lock.exists()
    assert geobuild.Expected() == geobuild.Expected(
        boroughs=7, lsoa21=1719, lsoa11=1680, wards=192, postcodes_outside_above=1_000_000
    )


def test_truncated_england_lookup_fails(cut_dir: Path, mirror_raw, tmp_path: Path) -> None:
    eng = pq.read_table(cut_dir / ENGLAND)
    buf = io.BytesIO()
    pq.write_table(eng.slice(0, eng.num_rows // 2), buf, compression="zstd")
    said: list[str] = []
    code = geobuild.main_build(str(mirror_raw({ENGLAND: buf.getvalue()})), str(tmp_path / "o"), echo=said.append)
    assert code == 1 and said[0].startswith(FAILED + "England lookup looks truncated (")


@pytest.mark.slow
@pytest.mark.shared
def test_build_reproduces_the_committed_artifacts(full_build: Path, processed_dir: Path, hash_tree) -> None:
    built, committed = hash_tree(full_build), hash_tree(processed_dir)
    skip = {ENGLAND_ONLY, "manifest.json"}
    assert set(built) - skip <= set(committed)
    assert {k: v for k, v in built.items() if k not in skip} == {k: committed[k] for k in built if k not in skip}


# ---------------------------------------------------------------------------- manifest


@pytest.mark.shared
def test_manifest_declares_every_raw_input(shared_raw_dir: Path, processed_dir: Path) -> None:
    manifest = json.loads((processed_dir / "manifest.json").read_text())
    declared = {f for s in SOURCES.values() for f in s.files}
    assert set(manifest["inputs"]) == declared
    for rel, meta in manifest["inputs"].items():
        src = SOURCES[meta["source"]]
        assert rel in src.files
        assert (meta["publisher"], meta["vintage"], meta["licence"]) == (src.publisher, src.vintage, src.licence)
        assert isinstance(meta["rows"], int) and meta["rows"] > 0, rel
        assert meta["sha256"] == hashlib.sha256((shared_raw_dir / rel).read_bytes()).hexdigest(), rel


def test_cut_build_manifest_declares_every_raw_input(good_builds: tuple[Path, Path], cut_dir: Path) -> None:
    manifest = json.loads((good_builds[0] / "manifest.json").read_text())
    cut = json.loads((cut_dir / geobuild.CUT_FILE).read_text())
    declared = {f for s in SOURCES.values() for f in s.files}
    assert set(manifest["inputs"]) == declared
    for rel, meta in manifest["inputs"].items():
        src = SOURCES[meta["source"]]
        assert (meta["source"], meta["publisher"], meta["vintage"], meta["licence"]) == (
            src.key,
            src.publisher,
            src.vintage,
            src.licence,
        )
        assert meta["sha256"] == hashlib.sha256((cut_dir / rel).read_bytes()).hexdigest(), rel
        assert meta["rows"] == cut["files"][rel]["rows"] > 0, rel  # as the cut script counted them
        assert cut["files"][rel]["source_sha256"]  # and which version of the raw file it was cut from


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


@pytest.mark.shared
def test_tmp_build_manifest_agrees_with_the_committed_one(full_build: Path, processed_dir: Path) -> None:
    built = json.loads((full_build / "manifest.json").read_text())
    committed = json.loads((processed_dir / "manifest.json").read_text())
    assert {k: v["sha256"] for k, v in built["inputs"].items()} == {
        k: v["sha256"] for k, v in committed["inputs"].items()
    }
    for rel, meta in built["inputs"].items():  # --no-england does not read the England-wide files
        assert meta["rows"] in (None, committed["inputs"][rel]["rows"]), rel
    assert built["indicators"] == committed["indicators"]
    assert "raw_cut" not in built


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("rel", "corrupt", "message"), CORRUPTIONS)
def test_bad_input_fails_and_leaves_previous_artifacts(
    cut_dir: Path, mirror_raw, previous_build: Path, hash_tree, rel: str, corrupt, message: str
) -> None:
    bad_raw = mirror_raw({rel: corrupt((cut_dir / rel).read_bytes())})
    before, siblings = _untouched(previous_build, hash_tree), _siblings(previous_build)
    said: list[str] = []
    code = geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=said.append)
    assert code == 1
    assert said == [FAILED + message.format(raw=bad_raw)]
    assert _untouched(previous_build, hash_tree) == before  # byte for byte
    assert _siblings(previous_build) == siblings  # no temporary folder left behind


def test_cli_build_failure_exits_1_with_a_clear_message(
    cut_dir: Path, mirror_raw, previous_build: Path, hash_tree, run_geodata
) -> None:
    bad_raw = mirror_raw({IOD: _duplicate_first_row((cut_dir / IOD).read_bytes())})
    before = _untouched(previous_build, hash_tree)
    r = run_geodata("build", "--no-england", "--raw", str(bad_raw), "--out", str(previous_build))
    assert r.returncode == 1, r.stderr
    assert r.stdout.strip() == FAILED + f"{IOD}: duplicate lsoa21_code ['E01008881']"
    assert "Traceback" not in r.stderr
    assert _untouched(previous_build, hash_tree) == before


def test_first_build_that_fails_creates_nothing(cut_dir: Path, mirror_raw, tmp_path: Path) -> None:
    bad_raw = mirror_raw({IOD: _set_cell("imd_decile", "11")((cut_dir / IOD).read_bytes())})
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
    cut_dir: Path, mirror_raw, previous_build: Path, hash_tree
) -> None:
    bad_raw = mirror_raw({LSOA_GEOJSON: _truncate_bytes((cut_dir / LSOA_GEOJSON).read_bytes())})
    before, siblings = _untouched(previous_build, hash_tree), _siblings(previous_build)
    assert geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=lambda m: None) == 1
    assert _untouched(previous_build, hash_tree) == before
    assert _siblings(previous_build) == siblings


def test_unreadable_raw_file_gets_a_clear_message(cut_dir: Path, mirror_raw, previous_build: Path) -> None:
    bad_raw = mirror_raw({LSOA_GEOJSON: _truncate_bytes((cut_dir / LSOA_GEOJSON).read_bytes())})
    said: list[str] = []
    code = geobuild.main_build(str(bad_raw), str(previous_build), england=False, echo=said.append)
    assert code == 1 and said[0].startswith(FAILED) and LSOA_GEOJSON in said[0]


def test_failure_while_writing_leaves_previous_artifacts(
    cut_dir: Path, previous_build: Path, hash_tree, monkeypatch
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
        geobuild.build(cut_dir, previous_build, england=False)
    assert len(written) == 4
    assert _untouched(previous_build, hash_tree) == before
    assert _siblings(previous_build) == siblings


# ---------------------------------------------------------------------------- nearby sports sites

ACTIVE_PLACES = "protective/sport_england_active_places_facilities_wm.csv"
# Words a resident would use for each Active Places facility type, any one of which names it
# (golf and cycling are named by their subtype: a golf course or a driving range, a BMX track).
SPORT_WORDS = {
    "Swimming Pool": ("swimming pool",),
    "Sports Hall": ("sports hall",),
    "Health and Fitness Gym": ("gym",),
    "Studio": ("studio",),
    "Artificial Grass Pitch": ("artificial grass pitch",),
    "Outdoor Tennis Courts": ("outdoor tennis",),
    "Indoor Tennis Centre": ("indoor tennis",),
    "Squash Courts": ("squash",),
    "Athletics": ("athletics",),
    "Golf": ("golf",),
    "Cycling": ("cycl", "bmx", "velodrome", "mountain bike"),
    "Indoor Bowls": ("indoor bowls",),
    "Ice Rinks": ("ice rink",),
    "Ski Slopes": ("ski slope",),
}


def _sport_assets(processed_dir: Path, raw_csv) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The operational, public facilities of the raw file, and the committed sports assets,
    each with its site_id (a site's coordinates are unique among the sites)."""
    f = raw_csv(ACTIVE_PLACES)
    f = f[f.status.astype(str).str.startswith("Operational") & (f.access_group == "Public Access")]
    sites = f.groupby("site_id", as_index=False).agg(lon=("lon", "first"), lat=("lat", "first"))
    assets = pd.read_parquet(processed_dir / "assets.parquet")
    sport = assets[assets.kind == "sport"].astype({"lon": float, "lat": float})
    named = sites.merge(sport, on=["lon", "lat"], how="outer", validate="one_to_one", indicator=True)
    assert (named["_merge"] == "both").all() and len(named) == f.site_id.nunique() == 605
    return f, named


@pytest.mark.shared
def test_sports_sites_are_named_by_their_facilities_and_detail_their_access(processed_dir: Path, raw_csv) -> None:
    """The snapshot has no site names: each site is named by its facility types, and its detail
    says who may use it (the source's access types) and who runs it (its operator if named)."""
    f, named = _sport_assets(processed_dir, raw_csv)
    assert not named.name.str.startswith("Sports site:").any()
    assert not named.detail.str.contains("Sport England Active Places").any()
    for site in named.itertuples():
        rows = f[f.site_id == site.site_id]
        name = site.name.lower()
        for t, words in SPORT_WORDS.items():
            has = any(w in name for w in words)
            assert has == (t in set(rows.facility_type)), (site.site_id, t, site.name)
        assert site.detail.startswith("Access: "), site.detail
        for access in set(rows.access_type):
            assert access in site.detail, (site.site_id, access, site.detail)
        for operator in set(rows.operator_name.dropna()):
            assert f"run by {operator}" in site.detail, (site.site_id, operator, site.detail)
        assert len(site.detail) <= 160


@pytest.mark.shared
@pytest.mark.parametrize(
    ("site_id", "name", "detail"),
    [
        (
            1004354,
            "Swimming pool, sports hall, gym and exercise studio",
            "Access: Pay and Play, Registered Membership use · run by Kore Wellness (a trust) · "
            "pools: main, learner · halls: main · studios: fitness, cycle",
        ),
        (
            1004237,
            "Swimming pool and gym",
            "Access: Pay and Play, Registered Membership use · run by the council · pools: main, learner",
        ),
        (
            1200124,
            "Gym, golf course and golf driving range",
            "Access: Pay and Play, Registered Membership use · run by a trust",
        ),
        (6011700, "Outdoor tennis courts", "Access: Free Public Access · run by the council"),
        (
            1041669,
            "Artificial grass pitch and squash courts",
            "Access: Sports Club / Community Association · run by a sports club · pitches: sand filled · squash: normal",
        ),
    ],
)
def test_sports_site_names_read_as_the_source_says(
    processed_dir: Path, raw_csv, site_id: int, name: str, detail: str
) -> None:
    _, named = _sport_assets(processed_dir, raw_csv)
    site = named.set_index("site_id").loc[site_id]
    assert (site["name"], site["detail"]) == (name, detail)


@pytest.mark.shared
def test_schools_show_their_free_school_meals_share_as_gias_holds_it(processed_dir: Path, raw_csv) -> None:
    """Each school on the nearby-strengths layer carries GIAS's % of pupils eligible for free school
    meals, or says GIAS holds none (issue 12)."""
    raw = raw_csv("schools/gias_open_establishments_wm.csv")
    raw = raw[raw.coords_in_bbox == 1].astype({"longitude": float, "latitude": float})
    assets = pd.read_parquet(processed_dir / "assets.parquet")
    schools = assets[assets.kind == "school"].astype({"lon": float, "lat": float})
    both = raw.merge(
        schools, left_on=["establishment_name", "longitude", "latitude"], right_on=["name", "lon", "lat"], how="inner"
    )
    assert len(both) == len(raw) == len(schools)
    held = both.percentage_fsm.notna()
    assert held.sum() == raw.percentage_fsm.notna().sum() > 1000
    for pct, detail in zip(both.percentage_fsm[held], both.detail[held]):
        assert f"{pct:.1f}% of pupils eligible for free school meals (GIAS)" in detail
    assert both.detail[~held].str.endswith("free school meals share not held in GIAS").all()


# ---------------------------------------------------------------------------- the sources lock


LOCK = Path(geobuild.__file__).resolve().parents[1] / "sources.lock.json"


def _full_mirror(shared: Path, root: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the full raw tree: symlinks, except the files given, which hold the bytes given."""
    for p in sorted(shared.rglob("*")):
        rel = p.relative_to(shared).as_posix()
        if p.is_dir():
            (root / rel).mkdir(parents=True, exist_ok=True)
        elif rel not in replace:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).symlink_to(p)
    for rel, content in replace.items():
        (root / rel).write_bytes(content)
    return root


def _first_lines(share: float) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        lines = raw.splitlines(keepends=True)
        return b"".join(lines[: 1 + int((len(lines) - 1) * share)])

    return change


def _zero_64_bytes(raw: bytes) -> bytes:
    data = bytearray(raw)
    mid = len(data) // 2
    data[mid : mid + 64] = bytes(64)
    return bytes(data)


def test_the_committed_lock_pins_every_declared_input(processed_dir: Path) -> None:
    lock = json.loads(LOCK.read_text())
    manifest = json.loads((processed_dir / "manifest.json").read_text())
    assert set(lock["inputs"]) == {rel for src in SOURCES.values() for rel in src.files} == set(manifest["inputs"])
    assert {rel: v["sha256"] for rel, v in lock["inputs"].items()} == {
        rel: v["sha256"] for rel, v in manifest["inputs"].items()
    }
    assert lock["tolerance"] == geobuild.lock.TOLERANCE == 0.01
    pcs = pd.read_parquet(processed_dir / "postcodes.parquet")
    areas = pd.read_parquet(processed_dir / "areas.parquet")
    for code, c in lock["per_borough"].items():
        assert c["postcodes"] == int((pcs.lad_code == code).sum()) > 5000, c["name"]
        assert c["small_areas"] == int((areas.lad_code == code).sum()) > 100, c["name"]
        assert c["values"] > 20 * c["small_areas"], c["name"]


@pytest.mark.shared
@pytest.mark.parametrize(
    ("rel", "damage", "shrinks"),
    [
        pytest.param(
            POSTCODES_WM, _first_lines(0.8), f"rows of {POSTCODES_WM} fell from 86,987 to", id="postcodes-cut-to-80pc"
        ),
        pytest.param(ENGLAND, _zero_64_bytes, None, id="england-lookup-64-bytes-zeroed"),
    ],
)
def test_changed_input_is_refused_and_leaves_the_previous_artifacts(
    shared_raw_dir: Path, tmp_path: Path, hash_tree, rel: str, damage, shrinks: str | None
) -> None:
    """Both passed the build before the lock, dropping most of Wolverhampton and Walsall."""
    raw = _full_mirror(shared_raw_dir, tmp_path / "raw", {rel: damage((shared_raw_dir / rel).read_bytes())})
    out = tmp_path / "out" / "processed"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "processed", out)
    before = _untouched(out, hash_tree)
    said: list[str] = []
    assert geobuild.main_build(str(raw), str(out), echo=said.append) == 1
    assert said == [
        FAILED + f"raw input {rel} differs from the one in the sources lock sources.lock.json (sha256 "
        f"{geobuild.sha256_file(raw / rel)[:12]}, locked {json.loads(LOCK.read_text())['inputs'][rel]['sha256'][:12]}, "
        f"{json.loads(LOCK.read_text())['inputs'][rel]['rows']:,} rows); check it, and if it is meant, run "
        "`python -m geodata build --update-lock`"
    ]
    assert _untouched(out, hash_tree) == before
    if shrinks is None:  # the same rows, other bytes: only the checksum sees it
        return
    # Accepting new inputs deliberately still refuses a fall beyond the tolerance.
    lock = tmp_path / "lock.json"
    shutil.copy(LOCK, lock)
    said.clear()
    assert geobuild.main_build(str(raw), str(out), echo=said.append, lock_path=str(lock), update_lock=True) == 1
    assert len(said) == 1 and said[0].startswith(FAILED), said
    assert shrinks in said[0] and "more than the 1% the sources lock lock.json allows" in said[0]
    assert said[0].endswith("run `python -m geodata build --update-lock --allow-shrink`")
    assert _untouched(out, hash_tree) == before
    assert lock.read_bytes() == LOCK.read_bytes()


@pytest.mark.shared
def test_update_lock_on_the_same_inputs_rewrites_the_same_lock(
    shared_raw_dir: Path, tmp_path: Path, run_geodata
) -> None:
    lock = tmp_path / "lock.json"
    out = tmp_path / "processed"
    r = run_geodata("build", "--raw", str(shared_raw_dir), "--out", str(out), "--update-lock", "--lock", str(lock))
    assert r.returncode == 0, r.stdout + r.stderr
    assert lock.read_bytes() == LOCK.read_bytes()  # deterministic: the committed lock is this build's
    r = run_geodata("build", "--raw", str(shared_raw_dir), "--out", str(out), "--lock", str(lock))
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_borough_that_shrinks_is_named() -> None:
    from geodata.build.lock import check_counts

    lock = {"inputs": {}, "per_borough": {"E08000030": {"postcodes": 7560, "small_areas": 169, "values": 4900}}}
    found = {
        "inputs": {},
        "per_borough": {"E08000030": {"name": "Walsall", "postcodes": 1000, "small_areas": 169, "values": 4890}},
    }
    with pytest.raises(geobuild.BuildError) as err:
        check_counts(lock, found, LOCK)
    assert str(err.value).startswith("postcodes in Walsall fell from 7,560 to 1,000 (-86.8%), more than the 1%")
    found["per_borough"]["E08000030"]["postcodes"] = 7500  # -0.8%: within the tolerance
    check_counts(lock, found, LOCK)
