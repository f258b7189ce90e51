"""Monthly police.uk street-level files: parsing the real sample, rejecting malformed rows,
aggregation, empirical-Bayes rates, loading, trends, the build step and fetch-police offline.

Every fixture row is a real row of the police.uk sample in the raw folder in use: all 622 rows
in ../shared/data/raw/crime. Expected counts are counted
from the sample with the csv module, apart from the parser. Malformed rows are real rows with
one field broken.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from esda.smoothing import Empirical_Bayes

from geodata import analysis as A
from geodata import police as P
from geodata.cli import main
from geodata.store import data_dir, load

SAMPLE_FILE = "crime/wm_police_uk_street_SAMPLE_2023-02_2026-01.csv"
PUBLISHED = ["Crime ID", *P.COLUMNS]


@pytest.fixture(scope="module")
def data():
    return load()


@pytest.fixture(scope="module")
def sample(raw_dir: Path) -> Path:
    return raw_dir / SAMPLE_FILE


@pytest.fixture(scope="module")
def sample_rows(sample: Path) -> list[dict]:
    with open(sample, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def in_area(rows: list[dict], codes) -> list[dict]:
    codes = set(codes)
    return [r for r in rows if r["LSOA code"] in codes]


def by_month(rows: list[dict]) -> Counter:
    return Counter(r["Month"] for r in rows)


def write_published(folder: Path, rows: list[dict], name: str) -> Path:
    """Rows in the exact columns data.police.uk publishes (the sample dropped the Crime ID
    itself; an empty ID is what police.uk publishes for anti-social behaviour)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(PUBLISHED)
        for r in rows:
            w.writerow([""] + [r[c] for c in P.COLUMNS])
    return path


@pytest.fixture(scope="module")
def police_folder(tmp_path_factory, sample_rows) -> Path:
    """The sample split into the two monthly files police.uk would publish."""
    folder = tmp_path_factory.mktemp("police")
    for month in ("2023-02", "2026-01"):
        write_published(
            folder / month, [r for r in sample_rows if r["Month"] == month], f"{month}-west-midlands-street.csv"
        )
    (folder / "2026-01" / "2026-01-west-midlands-outcomes.csv").write_text("not read\n")
    return folder


@pytest.fixture(scope="module")
def data_with_police(tmp_path_factory, police_folder, data):
    """The processed data plus police_monthly.parquet, registered in its manifest."""
    folder = tmp_path_factory.mktemp("processed")
    shutil.copytree(data_dir(), folder, dirs_exist_ok=True)
    table, section = P.build_monthly(police_folder, data.areas.lsoa21_code.tolist())
    table.to_parquet(folder / P.ARTIFACT, index=False, compression="zstd")
    manifest = json.loads((folder / "manifest.json").read_text())
    sha = hashlib.sha256((folder / P.ARTIFACT).read_bytes()).hexdigest()
    manifest["artifacts"][P.ARTIFACT] = {"sha256": sha, "rows": len(table)}
    manifest["police"] = section
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return load(str(folder))


# ---------------------------------------------------------------------------- parsing


def test_sample_parses_completely(data, sample, sample_rows):
    res = P.read_street_csv(sample, data.areas.lsoa21_code)
    (f,) = res.files
    n = len(sample_rows)
    assert n >= 400  # the cut keeps 408 of the 622
    assert (f.rows, f.accepted, f.rejected, f.no_location) == (n, n, 0, 0)
    assert f.months == ("2023-02", "2026-01")
    # two Nuneaton and Bedworth rows: recorded by West Midlands Police, outside the seven boroughs
    assert f.outside == 2 == sum(r["LSOA name"].startswith("Nuneaton and Bedworth") for r in sample_rows)
    assert Counter(res.records.month) == by_month(sample_rows) and set(by_month(sample_rows)) == {"2023-02", "2026-01"}
    types = Counter(res.records.crime_type)
    assert types == Counter(r["Crime type"] for r in sample_rows)
    assert types["Violence and sexual offences"] > 100 and types["Possession of weapons"] > 5
    assert set(types) <= set(P.CRIME_TYPES)
    if n == 622:  # the full sample, as crime/PROVENANCE.md counts it
        assert by_month(sample_rows) == {"2023-02": 66, "2026-01": 556}
        assert (types["Violence and sexual offences"], types["Possession of weapons"], types["Shoplifting"]) == (
            190,
            15,
            121,
        )


def test_published_monthly_files_are_found_and_read(police_folder, data, sample_rows):
    paths = P.find_street_files(police_folder)
    assert [p.name for p in paths] == ["2023-02-west-midlands-street.csv", "2026-01-west-midlands-street.csv"]
    res = P.read_street_files(paths, data.areas.lsoa21_code, police_folder)
    assert [f.name for f in res.files] == [
        "2023-02/2023-02-west-midlands-street.csv",
        "2026-01/2026-01-west-midlands-street.csv",
    ]
    months = by_month(sample_rows)
    assert [f.rows for f in res.files] == [months["2023-02"], months["2026-01"]] and not res.rejected
    assert P.find_street_files(police_folder / "missing") == []


def test_aggregation_to_lsoa_month_and_type(sample, sample_rows, data):
    res = P.read_street_csv(sample)
    table = P.aggregate(res.records, data.areas.lsoa21_code)
    assert list(table.columns) == ["lsoa21_code", "month", "crime_type", "count"]
    inside = in_area(sample_rows, data.areas.lsoa21_code)
    assert table["count"].dtype == np.int64 and table["count"].sum() == len(inside) == len(sample_rows) - 2
    assert not table.duplicated(["lsoa21_code", "month", "crime_type"]).any()
    assert table.lsoa21_code.isin(data.areas.lsoa21_code).all()
    assert table.equals(table.sort_values(["lsoa21_code", "month", "crime_type"]).reset_index(drop=True))
    # one cell by hand from the raw rows
    n = sum(
        1
        for r in sample_rows
        if r["LSOA code"] == "E01009417" and r["Month"] == "2023-02" and r["Crime type"] == "Criminal damage and arson"
    )
    got = table[
        (table.lsoa21_code == "E01009417")
        & (table.month == "2023-02")
        & (table.crime_type == "Criminal damage and arson")
    ]["count"]
    assert n == 2 and got.tolist() == [n]


BROKEN = [  # (field, new value, message fragment)
    ("Month", "2026-13", "Month '2026-13' is not a month written YYYY-MM"),
    ("Month", "2023-02", "Month 2023-02 differs from the file's month 2026-01"),
    ("LSOA code", "E0103474", "LSOA code 'E0103474' is not an LSOA code"),
    ("Crime type", "Knife crime", "Crime type 'Knife crime' is not a police.uk category"),
    ("Longitude", "-1.5o", "Longitude '-1.5o' is not a number"),
    ("Latitude", "95.2", "Latitude 95.2 is outside Great Britain"),
    ("Latitude", "", "Longitude and Latitude must both be given or both blank"),
]


def test_malformed_rows_are_rejected_with_a_message(tmp_path, sample_rows, data):
    good = [r for r in sample_rows if r["Month"] == "2026-01"][:12]
    rows = [dict(r) for r in good]
    for i, (field, value, _) in enumerate(BROKEN):
        rows[i][field] = value
    # a row police.uk publishes without a location: valid, but it cannot be placed
    rows[len(BROKEN)].update(
        {"Longitude": "", "Latitude": "", "Location": "No location", "LSOA code": "", "LSOA name": ""}
    )
    path = write_published(tmp_path, rows, "2026-01-west-midlands-street.csv")
    with open(path, "a", encoding="utf-8") as fh:  # a row cut short
        fh.write(",".join(["", *[good[-1][c] for c in P.COLUMNS]][:7]) + "\n")
    res = P.read_street_csv(path, data.areas.lsoa21_code)
    (f,) = res.files
    assert (f.rows, f.rejected, f.accepted, f.no_location) == (13, len(BROKEN) + 1, 12 - len(BROKEN), 1)
    by_line = {r.line: r.message for r in res.rejected}
    for i, (_, _, fragment) in enumerate(BROKEN):
        assert fragment in by_line[i + 2], (i, by_line.get(i + 2))  # line 1 is the header
    assert by_line[14] == "expected 12 fields, found 7"
    assert str(res.rejected[0]).startswith("2026-01-west-midlands-street.csv, line 2: ")
    assert len(res.records) == 12 - len(BROKEN) - 1


def test_several_faults_in_one_row_are_all_named(tmp_path, sample_rows):
    row = dict(sample_rows[0], **{"Month": "Feb 2023", "Crime type": "", "Longitude": "999"})
    res = P.read_street_csv(write_published(tmp_path, [row], "x.csv"))
    (msg,) = [r.message for r in res.rejected]
    assert "Month 'Feb 2023'" in msg and "Crime type ''" in msg and "Longitude 999 is outside" in msg


def test_a_file_without_the_published_columns_is_refused(tmp_path, sample_rows):
    path = tmp_path / "2026-01-west-midlands-street.csv"
    pd.DataFrame(sample_rows[:3]).drop(columns=["Crime type"]).to_csv(path, index=False)
    with pytest.raises(P.PoliceFileError, match=r"missing columns.*Crime type"):
        P.read_street_csv(path)
    path.write_text("")
    with pytest.raises(P.PoliceFileError, match="empty"):
        P.read_street_csv(path)
    with pytest.raises(P.PoliceFileError, match=r"no police\.uk street-level files"):
        P.build_monthly(tmp_path / "none", ["E01009417"])


def test_gzipped_files_are_read(tmp_path, police_folder, sample_rows):
    import gzip

    src = police_folder / "2023-02" / "2023-02-west-midlands-street.csv"
    dst = tmp_path / "2023-02-west-midlands-street.csv.gz"
    dst.write_bytes(gzip.compress(src.read_bytes()))
    assert P.find_street_files(tmp_path) == [dst]
    assert P.read_street_csv(dst).files[0].accepted == by_month(sample_rows)["2023-02"]


# ---------------------------------------------------------------------------- rates


def test_eb_rates_are_esdas_empirical_bayes(data, sample):
    res = P.read_street_csv(sample)
    table = P.aggregate(res.records, data.areas.lsoa21_code)
    counts = table.groupby("lsoa21_code")["count"].sum().reindex(data.areas.lsoa21_code, fill_value=0).to_numpy()
    exposure = data.values["population"] * 2 / 12 / 1000
    got = P.eb_rates(counts, exposure)
    np.testing.assert_allclose(got, Empirical_Bayes(counts, exposure).r.ravel())
    crude, mean = counts / exposure, counts.sum() / exposure.sum()
    assert ((got - mean) * (crude - mean) >= -1e-12).all()  # pulled towards the mean, never past it
    assert (np.abs(got - mean) <= np.abs(crude - mean) + 1e-12).all()


def test_eb_rates_fall_back_to_the_mean_when_areas_vary_less_than_chance(data):
    pop = data.values["population"][:5]
    counts = np.round(pop / pop.sum() * 10)  # almost exactly proportional to population
    got = P.eb_rates(counts, pop / 1000)
    np.testing.assert_allclose(got, counts.sum() / pop.sum() * 1000)


def test_loaded_monthly_data_gives_rates_trends_and_hotspots(data_with_police, sample_rows):
    d = data_with_police
    assert P.available(d) and P.months(d) == ("2023-02", "2026-01")
    assert P.status(d).startswith("Police.uk street-level crime for 2 months (2023-02 to 2026-01)")
    assert d.manifest["police"]["files"]["2026-01/2026-01-west-midlands-street.csv"]["outside"] == 2
    ids = P.measure_ids(d)
    assert ids[0] == P.ALL_CRIME and "police_violence_and_sexual_offences" in ids
    assert set(ids) <= set(A.measure_ids(d))
    counts = P.pooled_counts(d)
    assert counts.sum() == len(in_area(sample_rows, d.areas.lsoa21_code)) == len(sample_rows) - 2
    rates = P.pooled_rates(d, P.ALL_CRIME)
    exposure = d.values["population"] * 2 / 12 / 1000
    np.testing.assert_allclose(rates, Empirical_Bayes(counts, exposure).r.ravel())
    hs = A.hotspots(P.ALL_CRIME, data=d)
    np.testing.assert_allclose(hs.value, rates)
    assert hs.attrs["label"].startswith("All crime")
    table = A.ranked_table("police_violence_and_sexual_offences", borough="Sandwell", data=d)
    assert len(table) == 190 and table.attrs["unit"] == P.RATE_UNIT


def test_monthly_trend_fills_months_without_crimes(data_with_police):
    d = data_with_police
    t = P.monthly_trend(["E01009417"], data=d)
    assert t.month.tolist() == ["2023-02", "2026-01"]
    pm = d.police_monthly[d.police_monthly.lsoa21_code == "E01009417"]
    assert t["count"].tolist() == [int(pm["count"][pm.month == m].sum()) for m in t.month]
    by_hand = P.monthly_trend(["E01009417", "E01009415"], data=d)["count"].sum()
    assert by_hand == d.police_monthly[d.police_monthly.lsoa21_code.isin(["E01009417", "E01009415"])]["count"].sum()
    pop = d.values["population"][d.lsoa_row["E01009417"]]
    np.testing.assert_allclose(t.rate_per_1000, t["count"] / pop * 1000)
    by = P.monthly_trend(["E01009417"], crime_types=["Burglary", "Vehicle crime"], by_type=True, data=d)
    assert len(by) == 4 and list(by.columns) == ["month", "crime_type", "count", "rate_per_1000"]
    with pytest.raises(ValueError):
        P.monthly_trend(["E01999999"], data=d)
    with pytest.raises(ValueError):
        P.monthly_trend(["E01009417"], crime_types=["Knife crime"], data=d)


def test_without_monthly_files_the_app_says_so(data):
    if data.police_monthly is not None:
        pytest.skip("the processed data has monthly police files")
    assert not P.available(data) and P.measure_ids(data) == ()
    assert P.status(data) == P.NO_FILES and "No monthly police files present" in P.NO_FILES
    t = P.monthly_trend(["E01009417"], data=data)
    assert t.empty and t.attrs["status"] == P.NO_FILES
    with pytest.raises(A.MeasureError, match="No monthly police files"):
        A.hotspots(P.ALL_CRIME, data=data)


# ---------------------------------------------------------------------------- build and fetch


@pytest.mark.build
def test_build_writes_police_monthly_and_records_each_file(tmp_path, police_folder, cut_dir, sample_rows):
    from geodata.build import main_build

    out = tmp_path / "processed"
    assert main_build(str(cut_dir), str(out), england=False, echo=lambda m: None, police_dir=str(police_folder)) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert P.ARTIFACT in manifest["artifacts"]
    assert sorted(manifest["police"]["files"]) == [
        "2023-02/2023-02-west-midlands-street.csv",
        "2026-01/2026-01-west-midlands-street.csv",
    ]
    d = load(str(out))
    inside = in_area(sample_rows, d.areas.lsoa21_code)  # the cut's small areas
    assert d.police_monthly["count"].sum() == len(inside) > 300
    assert set(d.police_monthly.lsoa21_code) == {r["LSOA code"] for r in inside}
    assert (
        main_build(
            str(cut_dir), str(tmp_path / "x"), england=False, echo=lambda m: None, police_dir=str(tmp_path / "empty")
        )
        == 2
    )


def test_fetch_police_offline_says_so(tmp_path, monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    assert main(["fetch-police", "--months", "2025-01", "--out", str(tmp_path / "p")]) == 1
    err = capsys.readouterr().err
    assert "could not download https://data.police.uk/data/archive/2025-01.zip" in err and "internet" in err
    assert main(["fetch-police", "--months", "Jan 2025", "--out", str(tmp_path / "p")]) == 2
