"""Monthly police.uk street-level crime: read, validate, aggregate, smooth.

The build (``python -m geodata build --police DIR``) reads every
``YYYY-MM-<force>-street.csv`` (or ``.csv.gz``) under DIR, in the exact columns data.police.uk
publishes, and writes ``police_monthly.parquet``: counts per LSOA 2021 × month × crime
type for the 1,719 West Midlands LSOAs. Nothing here is needed to run the app: with no
monthly files the app says so (:func:`status`) and uses the Indices of Deprivation's rates.

Rows are checked one by one. A malformed row (bad month, LSOA code, crime type or
coordinates, or the wrong number of fields) is rejected with a message naming its file
and line; a file without the published columns is refused whole (:class:`PoliceFileError`).
Rows police.uk publishes with no location (blank coordinates and LSOA) are valid but
cannot be placed; rows in LSOAs outside the seven boroughs are counted as *outside*.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from esda.smoothing import Empirical_Bayes

from .registry import CRIME_TYPES, POLICE_RATES, police_rate
from .store import Data, load

# The published columns. The repository's sample replaces "Crime ID" by
# "crime_id_present" (the ID itself was not copied) and adds source_* columns: either
# identifier column is accepted and extra columns are ignored.
COLUMNS = (
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
ID_COLUMNS = ("Crime ID", "crime_id_present")
FILE_RE = re.compile(r"^(\d{4}-\d{2})-[a-z0-9-]+-street\.csv(\.gz)?$")
MONTH_RE = r"\d{4}-(0[1-9]|1[0-2])"
LSOA_RE = r"[EW]01\d{6}"
# Great Britain, generously: police.uk snaps points to nearby map features.
LON_RANGE, LAT_RANGE = (-8.7, 1.9), (49.8, 60.9)

ARTIFACT = "police_monthly.parquet"
ALL_CRIME = POLICE_RATES[0].id  # "police_all_crime"
RATE_UNIT = "per 1,000 residents a year (empirical-Bayes smoothed)"
PUBLISHER = "police.uk / Home Office (street-level crime, data.police.uk)"
LICENCE = "Open Government Licence v3.0"
ARCHIVE_URL = "https://data.police.uk/data/archive/{month}.zip"
DEFAULT_FORCE = "west-midlands"
NO_FILES = (
    "No monthly police files present: hotspots and rankings use the Indices of Deprivation 2025 crime "
    "rates (police recorded crime for one pooled period)."
)
MAX_EXAMPLES = 20


class PoliceFileError(ValueError):
    """A file is not a police.uk street-level CSV (missing columns, unreadable)."""


@dataclass(frozen=True)
class RejectedRow:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


@dataclass(frozen=True)
class StreetFile:
    name: str
    sha256: str
    months: tuple[str, ...]
    rows: int
    accepted: int
    rejected: int
    no_location: int
    outside: int | None  # accepted rows in LSOAs outside the area (None: no area given)

    def manifest(self) -> dict:
        return {
            "sha256": self.sha256,
            "months": list(self.months),
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "no_location": self.no_location,
            "outside": self.outside,
        }


@dataclass(frozen=True)
class ParseResult:
    records: pd.DataFrame  # accepted rows with an LSOA code: month, lsoa21_code, crime_type
    files: tuple[StreetFile, ...]
    rejected: tuple[RejectedRow, ...]


# ---------------------------------------------------------------------------- reading


def find_street_files(folder: Path | str) -> list[Path]:
    """Every police.uk street-level file under ``folder`` (any depth), in path order."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and FILE_RE.match(p.name)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def _open_text(path: Path, raw: bytes) -> io.StringIO:
    data = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    try:
        return io.StringIO(data.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError as exc:
        raise PoliceFileError(f"{path.name}: not UTF-8 text ({exc.reason}).") from None


def read_street_csv(path: Path | str, lsoa_codes: Iterable[str] | None = None, name: str | None = None) -> ParseResult:
    """Read and validate one street-level CSV; ``lsoa_codes`` (the area's LSOAs) lets it
    count accepted rows outside the area."""
    path = Path(path)
    name = name or path.name
    raw = path.read_bytes()
    reader = csv.reader(_open_text(path, raw))
    header = next(reader, None)
    if not header:
        raise PoliceFileError(f"{name}: empty file.")
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if not any(c in header for c in ID_COLUMNS):
        missing.insert(0, "Crime ID")
    if missing:
        raise PoliceFileError(f"{name}: not a police.uk street-level file, missing columns {missing}.")
    rows, lines, rejected = [], [], []
    for row in reader:
        if not row:
            continue
        if len(row) != len(header):
            rejected.append(RejectedRow(name, reader.line_num, f"expected {len(header)} fields, found {len(row)}"))
            continue
        rows.append(row)
        lines.append(reader.line_num)
    df = pd.DataFrame(rows, columns=header, dtype=str) if rows else pd.DataFrame(columns=header, dtype=str)
    n_read = len(rows) + len(rejected)
    m = FILE_RE.match(path.name)
    ok, msgs = _validate(df, m.group(1) if m else None)
    rejected += [RejectedRow(name, lines[i], msgs[i]) for i in np.flatnonzero(~ok)]
    rejected.sort(key=lambda r: r.line)
    good = df[ok]
    code = good["LSOA code"].str.strip()
    placed = code != ""
    records = pd.DataFrame(
        {
            "month": good["Month"].str.strip()[placed].to_numpy(),
            "lsoa21_code": code[placed].to_numpy(),
            "crime_type": good["Crime type"].str.strip()[placed].to_numpy(),
        }
    )
    outside = None
    if lsoa_codes is not None:
        outside = int((~records.lsoa21_code.isin(set(lsoa_codes))).sum())
    info = StreetFile(
        name,
        hashlib.sha256(raw).hexdigest(),
        tuple(sorted(set(records.month))),
        n_read,
        int(ok.sum()),
        len(rejected),
        int((~placed).sum()),
        outside,
    )
    return ParseResult(records, (info,), tuple(rejected))


def _validate(df: pd.DataFrame, file_month: str | None) -> tuple[np.ndarray, list[str]]:
    """Row checks, vectorised; returns (ok mask, message per row: '' when ok)."""
    s = {c: df[c].fillna("").str.strip() for c in ("Month", "LSOA code", "Crime type", "Longitude", "Latitude")}
    checks: list[tuple[pd.Series, Callable[[int], str]]] = []
    month = s["Month"]
    bad_month = ~month.str.fullmatch(MONTH_RE)
    checks.append((bad_month, lambda i: f"Month {month.iat[i]!r} is not a month written YYYY-MM"))
    if file_month:
        checks.append(
            (
                ~bad_month & (month != file_month),
                lambda i: f"Month {month.iat[i]} differs from the file's month {file_month}",
            )
        )
    code = s["LSOA code"]
    checks.append(
        (
            (code != "") & ~code.str.fullmatch(LSOA_RE),
            lambda i: f"LSOA code {code.iat[i]!r} is not an LSOA code (E01 and six digits)",
        )
    )
    ctype = s["Crime type"]
    checks.append((~ctype.isin(CRIME_TYPES), lambda i: f"Crime type {ctype.iat[i]!r} is not a police.uk category"))
    lon_t, lat_t = s["Longitude"], s["Latitude"]
    checks.append(((lon_t == "") != (lat_t == ""), lambda i: "Longitude and Latitude must both be given or both blank"))
    for col, text, (lo, hi) in (("Longitude", lon_t, LON_RANGE), ("Latitude", lat_t, LAT_RANGE)):
        v = pd.to_numeric(text.where(text != ""), errors="coerce")
        nonnum = (text != "") & v.isna()
        checks.append((nonnum, _not_a_number(col, text)))
        checks.append((~nonnum & v.notna() & ~v.between(lo, hi), _outside_gb(col, text, lo, hi)))
    bad = np.zeros(len(df), dtype=bool)
    for mask, _ in checks:
        bad |= mask.to_numpy(dtype=bool)
    msgs = [""] * len(df)
    for i in np.flatnonzero(bad).tolist():
        msgs[i] = "; ".join(msg(i) for mask, msg in checks if mask.iat[i])
    return ~bad, msgs


def _not_a_number(col: str, text: pd.Series) -> Callable[[int], str]:
    return lambda i: f"{col} {text.iat[i]!r} is not a number"


def _outside_gb(col: str, text: pd.Series, lo: float, hi: float) -> Callable[[int], str]:
    return lambda i: f"{col} {text.iat[i]} is outside Great Britain ({lo} to {hi})"


def read_street_files(
    paths: Sequence[Path], lsoa_codes: Iterable[str] | None = None, root: Path | None = None
) -> ParseResult:
    codes = None if lsoa_codes is None else set(lsoa_codes)
    parts = [read_street_csv(p, codes, p.relative_to(root).as_posix() if root else p.name) for p in paths]
    records = (
        pd.concat([r.records for r in parts], ignore_index=True)
        if parts
        else pd.DataFrame({"month": [], "lsoa21_code": [], "crime_type": []}, dtype=str)
    )
    return ParseResult(records, tuple(f for r in parts for f in r.files), tuple(x for r in parts for x in r.rejected))


def aggregate(records: pd.DataFrame, lsoa_codes: Iterable[str]) -> pd.DataFrame:
    """Counts per ``lsoa21_code, month, crime_type`` for the given LSOAs only, sorted."""
    r = records[records.lsoa21_code.isin(set(lsoa_codes))]
    out = r.groupby(["lsoa21_code", "month", "crime_type"]).size().rename("count").reset_index()
    out["count"] = out["count"].astype("int64")
    for c in ("lsoa21_code", "month", "crime_type"):
        out[c] = out[c].astype(str)
    return out.sort_values(["lsoa21_code", "month", "crime_type"]).reset_index(drop=True)


def build_monthly(folder: Path | str, lsoa_codes: Sequence[str]) -> tuple[pd.DataFrame, dict]:
    """The build's police step: the monthly table and the manifest section describing
    every file read. Raises PoliceFileError for a folder with no street files."""
    folder = Path(folder)
    paths = find_street_files(folder)
    if not paths:
        raise PoliceFileError(f"no police.uk street-level files (YYYY-MM-<force>-street.csv) in {folder}")
    res = read_street_files(paths, lsoa_codes, folder)
    table = aggregate(res.records, lsoa_codes)
    section = {
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "months": sorted(set(table.month)),
        "files": {f.name: f.manifest() for f in res.files},
        "rows_rejected": len(res.rejected),
        "rejected_examples": [str(r) for r in res.rejected[:MAX_EXAMPLES]],
    }
    return table, section


# ---------------------------------------------------------------------------- rates and trends


def available(data: Data | None = None) -> bool:
    data = data or load()
    return data.police_monthly is not None and len(data.police_monthly) > 0


def _monthly(data: Data) -> pd.DataFrame:
    """The monthly table; an empty one when no police files were built."""
    pm = data.police_monthly
    return pm if pm is not None else pd.DataFrame(columns=["lsoa21_code", "month", "crime_type", "count"])


def months(data: Data | None = None) -> tuple[str, ...]:
    data = data or load()
    return tuple(sorted(set(_monthly(data).month))) if available(data) else ()


def status(data: Data | None = None) -> str:
    """One sentence for the app: which monthly police data is present, if any."""
    data = data or load()
    if not available(data):
        return NO_FILES
    ms = months(data)
    return (
        f"Police.uk street-level crime for {len(ms)} month{'s' if len(ms) != 1 else ''} "
        f"({ms[0]} to {ms[-1]}), {PUBLISHER}, {LICENCE}."
    )


def source_line(data: Data | None = None) -> str:
    return status(data)


_TYPE_BY_ID = {p.id: p.crime_type for p in POLICE_RATES if p.crime_type}


def measure_ids(data: Data | None = None) -> tuple[str, ...]:
    """Ids of the police.uk rates this data can give: all crime, then one per crime type present."""
    data = data or load()
    if not available(data):
        return ()
    present = set(_monthly(data).crime_type)
    return (ALL_CRIME, *(i for i, t in _TYPE_BY_ID.items() if t in present))


def measure_label(measure_id: str) -> str:
    rate = police_rate(measure_id)
    if rate is None:
        raise KeyError(measure_id)
    return rate.label


def eb_rates(counts: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Marshall's global empirical-Bayes rates (``esda.smoothing.Empirical_Bayes``).

    Each area's crude rate ``counts / exposure`` is pulled towards the overall rate, more
    strongly the smaller its exposure. When the areas vary less than chance alone would
    make them (the method-of-moments variance is not positive) esda's shrinkage weight
    leaves 0..1; Marshall then gives every area the overall rate, and so does this.
    """
    e, b = np.asarray(counts, dtype=float), np.asarray(exposure, dtype=float)
    mean = e.sum() / b.sum()
    between = (b * (e / b - mean) ** 2).sum() / b.sum() - mean / b.mean()
    if between <= 0:
        return np.full(len(e), mean)
    return Empirical_Bayes(e, b).r.ravel()


def pooled_counts(data: Data, crime_types: Sequence[str] | None = None) -> np.ndarray:
    """Counts per LSOA (Data.areas order) pooled over every month, for some or all crime types."""
    pm = _monthly(data)
    if crime_types is not None:
        pm = pm[pm.crime_type.isin(list(crime_types))]
    s = pm.groupby("lsoa21_code")["count"].sum()
    return s.reindex(data.areas.lsoa21_code, fill_value=0).to_numpy(dtype=float)


def pooled_rates(data: Data, measure_id: str = ALL_CRIME) -> np.ndarray:
    """Empirical-Bayes smoothed rates per 1,000 residents a year, pooled over all months (cached)."""
    if not available(data):
        raise ValueError(NO_FILES)
    if measure_id != ALL_CRIME and measure_id not in _TYPE_BY_ID:
        raise ValueError(f"Unknown police.uk measure {measure_id!r}.")
    return _pooled_rates(data, measure_id).copy()


@lru_cache(maxsize=32)
def _pooled_rates(data: Data, measure_id: str) -> np.ndarray:
    types = None if measure_id == ALL_CRIME else [_TYPE_BY_ID[measure_id]]
    counts = pooled_counts(data, types)
    # residents × years / 1,000: rates come out per 1,000 residents a year
    exposure = data.values["population"] * len(months(data)) / 12.0 / 1000.0
    return eb_rates(counts, exposure)


def monthly_trend(
    lsoa_codes: Iterable[str], crime_types: Sequence[str] | None = None, by_type: bool = False, data: Data | None = None
) -> pd.DataFrame:
    """Monthly counts for a set of LSOAs, every month present (zeros filled).

    Columns ``month, count, rate_per_1000`` (per 1,000 residents of those LSOAs in the
    month), with ``crime_type`` as well when ``by_type``. Empty, with ``attrs['status']``
    saying so, when no monthly police files were built.
    """
    data = data or load()
    codes = list(dict.fromkeys(lsoa_codes))
    unknown = [c for c in codes if c not in data.lsoa_row]
    if unknown:
        raise ValueError(f"Not West Midlands LSOA 2021 codes: {unknown[:5]}")
    if crime_types is not None:
        bad = [t for t in crime_types if t not in CRIME_TYPES]
        if bad:
            raise ValueError(f"Not police.uk crime types: {bad}")
    cols = ["month"] + (["crime_type"] if by_type else []) + ["count", "rate_per_1000"]
    if not available(data):
        out = pd.DataFrame({c: pd.Series(dtype=float if c == "rate_per_1000" else object) for c in cols})
        out.attrs["status"] = NO_FILES
        return out
    pm = _monthly(data)
    pm = pm[pm.lsoa21_code.isin(codes)]
    types = list(crime_types) if crime_types is not None else list(CRIME_TYPES)
    pm = pm[pm.crime_type.isin(types)]
    keys = ["month", "crime_type"] if by_type else ["month"]
    grid = (
        pd.MultiIndex.from_product([months(data), sorted(types)], names=keys)
        if by_type
        else pd.Index(months(data), name="month")
    )
    counts = pm.groupby(keys)["count"].sum().reindex(grid, fill_value=0).astype("int64")
    pop = float(data.values["population"][[data.lsoa_row[c] for c in codes]].sum())
    out = counts.rename("count").reset_index()
    out["rate_per_1000"] = out["count"] / pop * 1000.0 if pop else np.nan
    out.attrs["status"] = status(data)
    return out[cols]


# ---------------------------------------------------------------------------- fetching (needs internet)


class FetchError(RuntimeError):
    """Downloading from data.police.uk failed."""


def check_month(text: str) -> str:
    if not re.fullmatch(MONTH_RE, str(text).strip()):
        raise ValueError(f"{text!r} is not a month written YYYY-MM.")
    return str(text).strip()


def fetch_months(
    months_wanted: Sequence[str],
    out_dir: Path | str,
    force: str = DEFAULT_FORCE,
    echo: Callable[[str], None] = print,
    timeout: float = 60.0,
) -> list[Path]:
    """Download street-level files from data.police.uk's archive into ``out_dir``.

    Each archive ``YYYY-MM.zip`` holds every force's files for that month and the 35
    before it, so the newest month still wanted is fetched first and every wanted month
    it holds is extracted. Archives are large (more than 1 GB). Raises FetchError when the
    site cannot be reached or a month is missing; never needed to run the app.
    """
    wanted = sorted({check_month(m) for m in months_wanted}, reverse=True)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    while wanted:
        url = ARCHIVE_URL.format(month=wanted[0])
        echo(f"downloading {url} (large: every force, 36 months) ...")
        with tempfile.TemporaryFile(dir=out) as tmp:
            try:
                # nosec B310: the URL is ARCHIVE_URL, a fixed https address, with a YYYY-MM month checked above
                with urllib.request.urlopen(url, timeout=timeout) as resp:  # nosec B310
                    shutil.copyfileobj(resp, tmp, 1 << 20)
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise FetchError(
                    f"could not download {url} ({reason}). fetch-police needs internet access to "
                    "data.police.uk; the app itself never needs it."
                ) from None
            tmp.seek(0)
            try:
                zf = zipfile.ZipFile(tmp)
            except zipfile.BadZipFile:
                raise FetchError(f"{url} did not return a zip archive.") from None
            with zf:
                names = set(zf.namelist())
                for m in list(wanted):
                    member = f"{m}/{m}-{force}-street.csv"
                    if member in names:
                        target = out / f"{m}-{force}-street.csv"
                        with zf.open(member) as src, open(target, "wb") as dst:
                            shutil.copyfileobj(src, dst, 1 << 20)
                        written.append(target)
                        wanted.remove(m)
                        echo(f"wrote {target}")
        if wanted and wanted[0] == url.rsplit("/", 1)[1][:7]:
            raise FetchError(f"{wanted[0]}: no {force} street-level file in {url}.")
    return sorted(written)
