"""Cut a small, real slice of ../shared/data/raw for the build tests (as postcodes.io keeps
a real cut of its sources). The raw data stay in ../shared: the tests make the cut into a
temporary folder once per session (tests/conftest.py ``cut_dir``); only the checksums of its
build are committed (tests/data/cut_build.sha256.json).

    python tests/data/cut_raw.py --out DIR  # cut ../shared/data/raw into DIR
    python tests/data/cut_raw.py --record   # cut into a temporary folder, build it, rewrite the record

The cut keeps the layout of the raw folder, so ``python -m geodata build --raw DIR``
reads it unchanged. Every value in it is a value of the raw file it comes from: rows are kept
or dropped, never edited, and CSV rows are copied byte for byte. It holds:

- all 7 boroughs (boundaries and every borough-level row the build reads: LAIT, ONS Health
  Index and IoD homelessness only for the measures the indicator registry uses);
- SEED_WARDS below, whole, with every LSOA 2021 in them, widened until no LSOA 2011 has a
  part outside the cut (so unchanged, split and merged areas all carry over as in the full
  build), and every small-area row for those LSOAs and their MSOAs;
- their postcodes (every live one, since an area's centre is their mean; every postcode the
  tests name, every one the build treats specially, one in POSTCODE_ONE_IN of the terminated
  rest; every one ONS lists there that postcodes_wm.csv lacks), each chosen so that its row in
  the cut's build equals its row in the full build;
- a sample of England and NSPL rows outside the seven boroughs, police.uk sample rows for
  the cut's LSOAs and every sample row recorded outside the force area, and the sports
  sites, libraries, warm spaces and schools in or within SPORTS_MARGIN_M of the cut.

``CUT.json`` says what the folder is and the counts the build must find in it (the build
reads it and records it in the manifest, so a build of the cut can never pass for the real
one). Each folder's PROVENANCE.md is the original's, under a note saying it is a cut.

Rerunning gives byte-identical files. Run ``--record`` when a change to the build or to the
cut changes the cut's build output (``test_cut_build_reproduces_its_checksum_record`` says so).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from geodata import registry  # noqa: E402
from geodata.build import CUT_FILE  # noqa: E402
from geodata.constants import BNG, BOROUGHS  # noqa: E402
from geodata.sources import SOURCES  # noqa: E402

SHARED_RAW = REPO.parent / "shared" / "data" / "raw"
RECORD = REPO / "tests" / "data" / "cut_build.sha256.json"

# Two wards or so per borough; in Birmingham, the wards holding the cases the tests name.
SEED_WARDS = {
    "E05011134": "Edgbaston (Birmingham): B15 2TT, whose LSOA 2011 E01033631 split in 2021",
    "E05011186": "Yardley West & Stechford (Birmingham): E01008881, the first LSOA of every file",
    "E05011170": "Sparkbrook & Balsall Heath East (Birmingham): B11 1JR, official LSOA against point-in-polygon",
    "E05011168": "Soho & Jewellery Quarter (Birmingham): B1 2SY, newer than the May 2022 lookup",
    "E05011151": "Ladywood (Birmingham): B1 1AA and B1 1WF, terminated postcodes",
    "E05011156": "Newtown (Birmingham): E01008914, split into E01034929 and E01034930",
    "E05011126": "Bordesley & Highgate (Birmingham): E01034935, the one LSOA 2021 merged from two",
    "E05011174": "Sutton Four Oaks (Birmingham): MSOA E02001827 and the police.uk sample of 2023-02",
    "E05011175": "Sutton Mere Green (Birmingham): MSOA E02001827 and the police.uk sample of 2023-02",
    "E05001219": "Binley and Willenhall (Coventry): CV3 9QY, and CV3 4FY with no LSOA",
    "E05001228": "St Michael's (Coventry): police.uk sample of 2026-01",
    "E05015905": "Brierley Hill & Wordsley South (Dudley): DY5 1TB",
    "E05015906": "Brockmoor & Pensnett (Dudley): police.uk sample of 2026-01",
    "E05001273": "Oldbury (Sandwell): B69 2PZ",
    "E05001264": "Cradley Heath and Old Hill (Sandwell): police.uk sample of 2026-01",
    "E05001297": "Shirley South (Solihull): E01010191",
    "E05001295": "St Alphege (Solihull): B91 1NS's Code-Point ward; police.uk sample of 2026-01",
    "E05001306": "Bloxwich East (Walsall): WS3 3PU",
    "E05001320": "Willenhall South (Walsall): police.uk sample of 2026-01",
    "E05014848": "Heath Town (Wolverhampton): WV1 9DP",
    "E05014847": "Graiseley (Wolverhampton): police.uk sample of 2026-01",
}
# Postcodes the tests name: kept whatever the sampling says.
NAMED_POSTCODES = (
    "B15 2TT",
    "B11 1JR",
    "B1 2SY",
    "B1 1AA",
    "B1 1WF",
    "CV3 4FY",
    "CV3 9QY",
    "DY5 1TB",
    "B69 2PZ",
    "B91 1NS",
    "WS3 3PU",
    "WV1 9DP",
)
NAMED_OUTSIDE = ("B60 1AA",)  # Bromsgrove: in the West Midlands ONS file, outside the seven boroughs
POSTCODE_ONE_IN = 6  # of the cut's ordinary postcodes
ONS_OUTSIDE_ONE_IN = 100  # rows of the West Midlands ONS file outside the seven boroughs
NSPL_OUTSIDE_ONE_IN = 40  # NSPL rows (B, CV, DY, WS, WV) outside the seven boroughs
ENGLAND_ONE_IN = 2000  # rows of the England lookup
SPORTS_MARGIN_M = 1100.0  # build.SPORTS_RADIUS_M plus room for the boundaries' quantising

POLICE_SAMPLE = "crime/wm_police_uk_street_SAMPLE_2023-02_2026-01.csv"
ENGLAND = "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_england.parquet"
NSPL = tuple(f"geography/postcodes/nspl_may2025_latlon/{a}.csv" for a in ("B", "CV", "DY", "WS", "WV"))


def squeeze(postcode: str) -> str:
    """One spelling for matching: the NSPL files write CV10 0AA as CV100AA."""
    return postcode.replace(" ", "").upper()


def one_in(key: str, n: int) -> bool:
    """A sample that does not move when rows are added elsewhere in the file."""
    return zlib.crc32(key.encode()) % n == 0


# ---------------------------------------------------------------------------- file formats


def csv_records(text: str) -> list[str]:
    """Split CSV text into records, each with its line ending, respecting quoted newlines."""
    out, start, quoted = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            out.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def cut_csv(data: bytes, keep: Callable[[dict[str, str]], bool]) -> tuple[bytes, int, int]:
    """The header and the rows ``keep`` accepts, byte for byte; (bytes, rows kept, rows)."""
    records = csv_records(data.decode("utf-8"))
    header = next(csv.reader([records[0]]))
    kept = [records[0]]
    for rec in records[1:]:
        (fields,) = list(csv.reader([rec]))
        assert len(fields) == len(header), rec[:80]
        if keep(dict(zip(header, fields))):
            kept.append(rec)
    return "".join(kept).encode("utf-8"), len(kept) - 1, len(records) - 1


def cut_geojson(data: bytes, keep: Callable[[dict], bool]) -> tuple[bytes, int, int]:
    gj = json.loads(data)
    features = gj["features"]
    gj["features"] = [f for f in features if keep(f["properties"])]
    text = json.dumps(gj, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8"), len(gj["features"]), len(features)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


# ---------------------------------------------------------------------------- what is in the cut


class Selection:
    """The cut's wards, LSOAs, MSOAs and postcodes, all decided from the raw files."""

    def __init__(self, raw: Path):
        def read(rel: str, **kw) -> pd.DataFrame:
            return pd.read_csv(raw / rel, dtype=str, keep_default_na=False, **kw)

        lk21 = read("geography/lookups/lsoa21_lookup_wm.csv")
        lk = read("geography/lookups/lsoa11_lsoa21_wm.csv")
        wards = set(SEED_WARDS)
        while True:  # widen to whole wards until no LSOA 2011 has a part outside the cut
            l21 = set(lk21.lsoa21_code[lk21.ward_code.isin(wards)])
            l11 = set(lk.lsoa11_code[lk.lsoa21_code.isin(l21)])
            parts = set(lk.lsoa21_code[lk.lsoa11_code.isin(l11)])
            more = wards | set(lk21.ward_code[lk21.lsoa21_code.isin(parts)])
            if more == wards:
                break
            wards = more
        self.wards, self.lsoa21, self.lsoa11 = wards, l21, l11
        self.msoa21 = set(lk21.msoa21_code[lk21.lsoa21_code.isin(l21)])
        self.all_lsoa11, self.all_lsoa21 = set(lk.lsoa11_code), set(lk21.lsoa21_code)

        pcs = read("geography/postcodes/postcodes_wm.csv")
        ons = pd.read_csv(
            raw / "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz", dtype=str, keep_default_na=False
        )
        ons = ons[ons.ladcd.isin(list(BOROUGHS))].drop_duplicates("pcds").set_index("pcds")
        self.all_postcodes = {squeeze(p) for p in pcs.postcode}
        official = pcs.postcode.map(ons.lsoa11cd).fillna("")
        doterm = pcs.postcode.map(ons.doterm).fillna("")
        reused = (pcs.live == "1") & doterm.ne("")
        # The small area the build gives each postcode: a part of its official LSOA 2011 where
        # ONS has one (and it is not reused), else its point-in-polygon LSOA.
        official_used = official.isin(self.all_lsoa11) & ~reused
        in_cut = official.isin(l11).where(official_used, pcs.lsoa21.isin(l21))
        # A postcode whose row in the cut's build equals its row in the full build: its small
        # area is in the cut (so are its ward and borough), or, with none, its Code-Point ward.
        faithful = in_cut | (pcs.postcode.isin(NAMED_POSTCODES) & pcs.lsoa21.eq("") & pcs.ward.isin(wards))
        pairs = set(zip(lk.lsoa11_code, lk.lsoa21_code))
        n_parts = lk.lsoa11_code.value_counts()
        special = (
            pcs.postcode.isin(NAMED_POSTCODES)
            | ~pcs.postcode.isin(ons.index)  # newer than the May 2022 lookup
            | reused
            | pd.Series(  # official LSOA 2011 split, point-in-polygon LSOA 2021 not one of its parts
                [n_parts.get(o, 0) > 1 and (o, p) not in pairs for o, p in zip(official, pcs.lsoa21)], index=pcs.index
            )
        )
        sampled = pcs.postcode.map(lambda p: one_in(p, POSTCODE_ONE_IN))
        # Every live postcode of the cut's small areas: their centres are the mean of them.
        live = pcs.live == "1"
        self.postcodes = set(pcs.postcode[faithful & (special | sampled | live)])
        # Postcodes ONS lists in the seven boroughs that postcodes_wm.csv lacks, in the cut's areas.
        extra = ~ons.index.isin(pcs.postcode) & ons.lsoa11cd.isin(l11)
        self.postcodes |= set(ons.index[extra])
        self.squeezed = {squeeze(p) for p in self.postcodes}
        missing = set(NAMED_POSTCODES) - self.postcodes
        assert not missing, f"named postcodes not in the cut: {missing}"


# ---------------------------------------------------------------------------- the cut


def cut(raw: Path, out: Path) -> dict:
    sel = Selection(raw)
    files: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="cut-", dir=out.parent))

    def put(rel: str, data: bytes, kept: int, of: int) -> None:
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_bytes(data)
        files[rel] = {
            "rows": kept,
            "of_rows": of,
            "source_sha256": hashlib.sha256((raw / rel).read_bytes()).hexdigest(),
        }

    def csv_file(rel: str, keep: Callable[[dict[str, str]], bool]) -> None:
        src = (raw / rel).read_bytes()
        if rel.endswith(".gz"):
            data, kept, of = cut_csv(gzip.decompress(src), keep)
            put(rel, gzipped(data), kept, of)
        else:
            put(rel, *cut_csv(src, keep))

    def geojson_file(rel: str, keep: Callable[[dict], bool]) -> None:
        put(rel, *cut_geojson((raw / rel).read_bytes(), keep))

    def by(column: str, codes: set[str]) -> Callable[[dict[str, str]], bool]:
        return lambda r: r[column] in codes

    everything: Callable[[dict[str, str]], bool] = lambda r: True  # noqa: E731

    # geography
    geojson_file("geography/boundaries/lsoa21_wm.geojson", lambda p: p["code"] in sel.lsoa21)
    geojson_file("geography/boundaries/wards2025_wm.geojson", lambda p: p["code"] in sel.wards)
    geojson_file("geography/boundaries/lad_wm.geojson", lambda p: True)  # all 7 boroughs
    csv_file("geography/lookups/lsoa21_lookup_wm.csv", by("lsoa21_code", sel.lsoa21))
    csv_file("geography/lookups/lsoa11_lsoa21_wm.csv", by("lsoa21_code", sel.lsoa21))
    csv_file("geography/lookups/wards2025_wm.csv", by("ward_code", sel.wards))
    labels = {"lad": set(BOROUGHS), "ward": sel.wards, "msoa21": sel.msoa21}
    csv_file("geography/context/place_labels_wm.csv", lambda r: r["code"] in labels.get(r["type"], ()))

    # postcodes: the cut's own, a sample of those outside the seven boroughs
    csv_file("geography/postcodes/postcodes_wm.csv", by("postcode", sel.postcodes))
    nspl_outside: set[str] = set()
    for rel in NSPL:

        def keep_nspl(r: dict[str, str]) -> bool:
            p = squeeze(r["Postcode"])
            if p in sel.squeezed:
                return True
            if p not in sel.all_postcodes and one_in(p, NSPL_OUTSIDE_ONE_IN):
                nspl_outside.add(p)
                return True
            return False

        csv_file(rel, keep_nspl)
    csv_file(
        "geography/ons_postcode_lookup/pcd_oa_lsoa_msoa_lad_may22_wm.csv.gz",
        lambda r: (
            r["pcds"] in sel.postcodes
            or r["pcds"] in NAMED_OUTSIDE
            or (r["ladcd"] not in BOROUGHS and one_in(r["pcds"], ONS_OUTSIDE_ONE_IN))
        ),
    )
    eng = pq.read_table(raw / ENGLAND)
    pcds = [squeeze(p) for p in eng.column("pcds").to_pylist()]
    # Rows the full build reads the same way: never a postcode of the seven boroughs' own list
    # unless it is one of the cut's (whose England row the build then drops, as it does in full).
    mask = [
        (p in sel.squeezed) or (p not in sel.all_postcodes and (p in nspl_outside or one_in(p, ENGLAND_ONE_IN)))
        for p in pcds
    ]
    small = eng.filter(pa.array(mask))
    buf = io.BytesIO()
    pq.write_table(small, buf, compression="zstd")
    put(ENGLAND, buf.getvalue(), small.num_rows, eng.num_rows)
    outside = small.filter(pc.invert(pc.is_in(small.column("ladcd"), pa.array(list(BOROUGHS)))))
    outside_england = len({squeeze(p) for p in outside.column("pcds").to_pylist()} - sel.all_postcodes)

    # small areas
    for rel in (
        "deprivation/iod2025_lsoa21_west_midlands.csv",
        "deprivation/iod2025_underlying_indicators_lsoa21_west_midlands.csv",
        "census/census2021_lsoa21_west_midlands.csv",
        "protective/cni2023_lsoa21_wm.csv",
        "protective/ahah_v4_lsoa21_wm.csv",
        "protective/loneliness_cls_lsoa21_wm.csv",
    ):
        csv_file(rel, by("lsoa21_code", sel.lsoa21))
    for rel in (
        "deprivation/iod2019_lsoa11_west_midlands.csv",
        "protective/ahah_v3_domains_lsoa11_wm.csv",
        "protective/cdrc_household_churn_2018_2023_lsoa11_wm.csv",
    ):
        csv_file(rel, by("lsoa11_code", sel.lsoa11))
    csv_file("protective/census2021_ts019_migration_msoa21_wm.csv", by("msoa21_code", sel.msoa21))

    # boroughs: only the measures the registry reads, every period and area of them
    lait = {i.derived.measure for i in registry.INDICATORS if isinstance(i.derived, registry.LaitMeasure)}
    health_index = {
        i.derived.indicator for i in registry.INDICATORS if isinstance(i.derived, registry.HealthIndexMeasure)
    }
    csv_file("education/lait_wm_indicators_long.csv.gz", lambda r: r["measure_short"] in lait)
    csv_file("health/lait_wm_health_youth_indicators_long.csv", lambda r: r["measure_short"] in lait)
    csv_file("protective/ons_health_index_indicators_ltla_wm.csv", lambda r: r["indicator"] in health_index)
    csv_file("crime/crime_severity_score_ltla_wm_2022-23.csv", everything)  # one row a borough

    # points: in the cut, or near enough to count towards its sports-sites indicator
    area = gpd.read_file(tmp / "geography/boundaries/lsoa21_wm.geojson").to_crs(BNG).union_all()
    sports = pd.read_csv(raw / "protective/sport_england_active_places_facilities_wm.csv", dtype={"site_id": str})
    pts = gpd.GeoSeries(gpd.points_from_xy(sports.lon, sports.lat), crs="EPSG:4326").to_crs(BNG)
    near = set(sports.site_id[(pts.distance(area) <= SPORTS_MARGIN_M).to_numpy()])
    # Near the cut, only the facilities the build counts (operational, public: build.sports_sites);
    # in it, every facility, so the build still has to leave some out.
    csv_file(
        "protective/sport_england_active_places_facilities_wm.csv",
        lambda r: (
            r["lsoa21_code"] in sel.lsoa21
            or (r["site_id"] in near and r["status"].startswith("Operational") and r["access_group"] == "Public Access")
        ),
    )
    csv_file("protective/public_libraries_wm.csv", by("lsoa21_code", sel.lsoa21))
    csv_file("protective/warm_spaces_wm.csv", by("lsoa21_code", sel.lsoa21))
    # the schools the build drops for lying outside the bounding box are kept, so it still must
    csv_file(
        "schools/gias_open_establishments_wm.csv",
        lambda r: r["lsoa21_code"] in sel.lsoa21 or r["coords_in_bbox"] == "0",
    )

    # police.uk sample: the cut's LSOAs, and every row the force recorded outside the seven boroughs
    csv_file(POLICE_SAMPLE, lambda r: r["LSOA code"] in sel.lsoa21 or r["LSOA code"] not in sel.all_lsoa21)

    declared = {f for s in SOURCES.values() for f in s.files}
    assert set(files) - {POLICE_SAMPLE} == declared, f"cut and sources.py disagree: {sorted(set(files) ^ declared)}"

    expected = {
        "boroughs": len(BOROUGHS),
        "lsoa21": len(sel.lsoa21),
        "lsoa11": len(sel.lsoa11),
        "wards": len(sel.wards),
        "postcodes_outside_above": outside_england - 1,  # every one of them must come through
    }
    declaration = {
        "what": (
            "A cut of ../shared/data/raw for the tests, made by tests/data/cut_raw.py: all 7 boroughs, "
            f"{len(sel.wards)} whole wards with their {len(sel.lsoa21)} LSOA 2021 and {len(sel.lsoa11)} LSOA 2011, "
            f"{len(sel.postcodes)} of their postcodes and samples of the rest. Real rows, none edited; "
            "not the West Midlands."
        ),
        "made_by": "tests/data/cut_raw.py",
        "expected": expected,
        "seed_wards": SEED_WARDS,
        "files": files,
    }
    (tmp / CUT_FILE).write_text(json.dumps(declaration, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    write_provenance(raw, tmp, files)

    if out.exists():
        old = out.with_name(out.name + ".old")
        os.replace(out, old)
        os.replace(tmp, out)
        _rmtree(old)
    else:
        os.replace(tmp, out)
    return declaration


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


def write_provenance(raw: Path, out: Path, files: dict[str, dict]) -> None:
    """Each PROVENANCE.md the cut's files fall under, with a note on top saying what was kept."""

    def home(rel: str) -> str:  # the nearest folder above ``rel`` with a PROVENANCE.md
        for parent in Path(rel).parents:
            if (raw / parent / "PROVENANCE.md").is_file():
                return parent.as_posix()
        raise AssertionError(f"no PROVENANCE.md above {rel}")

    by_folder: dict[str, list[str]] = {}
    for rel in sorted(files):
        by_folder.setdefault(home(rel), []).append(rel)
    for folder, rels in sorted(by_folder.items()):
        rows = [
            f"| `{Path(rel).relative_to(folder).as_posix()}` | {files[rel]['rows']:,} | {files[rel]['of_rows']:,} |"
            for rel in rels
        ]
        note = "\n".join(
            [
                f"# A cut of ../shared/data/raw/{folder} for the tests",
                "",
                "Made by `tests/data/cut_raw.py` (`CUT.json` at the top of the cut says what it keeps and why).",
                "Rows are kept or dropped, never edited: every value below is the published one, under the",
                "publisher, vintage and licence that the original provenance, copied unchanged below the line, states.",
                "Counts and sizes quoted there are the original's.",
                "",
                "| file | rows kept | rows in the original |",
                "|---|---:|---:|",
                *rows,
                "",
                "---",
                "",
                "",
            ]
        )
        text = (raw / folder / "PROVENANCE.md").read_text(encoding="utf-8")
        (out / folder / "PROVENANCE.md").write_text(note + text, encoding="utf-8")


# ---------------------------------------------------------------------------- checksum record


def build_hashes(raw: Path) -> dict[str, str]:
    """sha256 of every file a build of ``raw`` writes (England lookup included)."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "processed"
        env = {k: v for k, v in os.environ.items() if k != "EXPLORER_DATA_DIR"}
        subprocess.run(
            [sys.executable, "-m", "geodata", "build", "--raw", str(raw), "--out", str(dest)],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
        )
        return {
            p.relative_to(dest).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dest.rglob("*"))
            if p.is_file()
        }


def write_record(raw: Path, record: Path = RECORD) -> dict:
    files = build_hashes(raw)
    data = {
        "what": "sha256 of every file `python -m geodata build` writes from the cut tests/data/cut_raw.py makes; "
        "tests/test_build.py checks a fresh build against it. Rewrite with `python tests/data/cut_raw.py --record`.",
        "files": files,
        # the counts the cut declares in its CUT.json, which the build tests expect in their messages
        "expected": json.loads((raw / CUT_FILE).read_text())["expected"],
    }
    record.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=SHARED_RAW, help="the full raw folder (default ../shared/data/raw)")
    ap.add_argument("--out", type=Path, help="where the cut goes")
    ap.add_argument("--record", action="store_true", help="rewrite tests/data/cut_build.sha256.json")
    args = ap.parse_args(argv)
    if not args.raw.is_dir():
        print(f"error: raw data folder {args.raw} not found (pass --raw DIR)", file=sys.stderr)
        return 2
    if args.out is None and not args.record:
        ap.error("give --out DIR, --record or both")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "raw"
        out.parent.mkdir(parents=True, exist_ok=True)
        print(cut(args.raw, out)["what"])
        if args.record:
            write_record(out)
            print(f"wrote {RECORD.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
