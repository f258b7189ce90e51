"""``python -m geodata lookup|profile``, run as partners run it: a subprocess from the repository root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

LOOKUP_KEYS = [
    "query",
    "postcode",
    "status",
    "message",
    "latitude",
    "longitude",
    "lsoa21_code",
    "lsoa21_name",
    "lsoa11_code",
    "ward_code",
    "ward_name",
    "lad_code",
    "lad_name",
]
INDICATOR_KEYS = {
    "id",
    "label",
    "level",
    "role",
    "value",
    "unit",
    "geography",
    "period",
    "source",
    "licence",
    "comparators",
}


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_lookup_prints_one_json_object_per_postcode(run_geodata) -> None:
    r = run_geodata("lookup", "b152tt", "B1 1AA", "B60 1AA", "B99 9ZZ", "hello", "B15")
    assert r.returncode == 0, r.stderr  # even though some are not found
    out = _lines(r.stdout)
    assert [list(o) for o in out] == [LOOKUP_KEYS] * 6  # exactly these keys, in this order
    assert [o["status"] for o in out] == ["ok", "terminated", "outside_area", "not_found", "invalid", "partial"]
    ok = out[0]
    assert (ok["query"], ok["postcode"], ok["lsoa21_code"], ok["lsoa11_code"], ok["ward_code"], ok["lad_code"]) == (
        "b152tt",
        "B15 2TT",
        "E01034937",
        "E01033631",
        "E05011134",
        "E08000025",
    )
    assert ok["ward_name"] == "Edgbaston" and ok["lad_name"] == "Birmingham"
    assert "Bromsgrove" in out[2]["message"]


def test_lookup_reads_stdin_when_given_no_postcodes(run_geodata) -> None:
    r = run_geodata("lookup", input="CV3 9QY\n\n  \nB99 9ZZ\nWV1 9DP")
    assert r.returncode == 0, r.stderr
    out = _lines(r.stdout)
    assert [(o["query"], o["status"]) for o in out] == [("CV3 9QY", "ok"), ("B99 9ZZ", "not_found"), ("WV1 9DP", "ok")]
    assert out[0]["lad_name"] == "Coventry" and out[2]["lad_name"] == "Wolverhampton"
    assert all(list(o) == LOOKUP_KEYS for o in out)


def test_profile_prints_one_json_object(run_geodata) -> None:
    r = run_geodata("profile", "B15 2TT", "--radius-km", "0.5")
    assert r.returncode == 0, r.stderr
    p = json.loads(r.stdout)  # one object: the whole output parses
    assert list(p["place"]) == LOOKUP_KEYS and p["place"]["postcode"] == "B15 2TT"
    assert p["area"]["radius_km"] == 0.5 and "E01034937" in p["area"]["lsoa21_codes"]
    assert p["indicators"] and all(set(i) >= INDICATOR_KEYS for i in p["indicators"])
    ids = [i["id"] for i in p["indicators"]]
    assert "violence_with_injury_rate" in ids and "permanent_exclusion_rate" in ids and len(ids) == len(set(ids))


def test_profile_of_an_unknown_postcode_is_not_an_error(run_geodata) -> None:
    r = run_geodata("profile", "B99 9ZZ")
    assert r.returncode == 0, r.stderr
    p = json.loads(r.stdout)
    assert p["place"]["status"] == "not_found" and p["indicators"] == [] and p["area"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "usage:"),
        (("profile", "B15 2TT", "--radius-km", "abc"), "--radius-km"),
        (("profile", "B15 2TT", "--radius-km", "0"), "radius must be between"),
        (("profile", "B15 2TT", "--radius-km", "50"), "radius must be between"),
        (("no-such-command",), "usage:"),
    ],
)
def test_usage_errors_exit_2(run_geodata, args: tuple[str, ...], says: str) -> None:
    r = run_geodata(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert says in r.stderr and "Traceback" not in r.stderr


def test_damaged_data_exits_1_naming_the_file(run_geodata, processed_copy: Path) -> None:
    (processed_copy / "postcodes.parquet").write_bytes(b"")
    r = run_geodata("lookup", "B15 2TT", env={"EXPLORER_DATA_DIR": str(processed_copy)})
    assert r.returncode == 1
    assert r.stdout == ""
    assert str(processed_copy / "postcodes.parquet") in r.stderr and "python -m geodata build" in r.stderr
    assert "Traceback" not in r.stderr
    shutil.rmtree(processed_copy)
