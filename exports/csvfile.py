"""The area profile as CSV: UTF-8 with a byte-order mark, so Excel opens it cleanly."""

from __future__ import annotations

import csv
import io

import pandas as pd

from .tables import COLUMNS, neutralise, profile_rows

BOM = "\ufeff"


def render_csv(profile: dict) -> bytes:
    """One header row (the column keys) and one row per indicator; text cells neutralised."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.key for c in COLUMNS])
    for row in profile_rows(profile):
        w.writerow(["" if row[c.key] is None else neutralise(row[c.key]) for c in COLUMNS])
    return buf.getvalue().encode("utf-8")


RANKED_EXTRA = ("measure_id", "unit", "period", "source_name", "licence")


def ranked_csv(table: pd.DataFrame) -> str:
    """A ranked table (geodata.analysis.ranked_table) as CSV text: its columns, then the measure,
    unit, period, source and licence on every row, so a row read alone still says what it is.
    Every text cell is neutralised, as in the profile's exports."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    extra = [table.attrs.get(k, "") for k in RANKED_EXTRA]
    w.writerow([*table.columns, *RANKED_EXTRA])
    for row in table.itertuples(index=False):
        w.writerow([neutralise("" if pd.isna(v) else v) for v in (*row, *extra)])
    return buf.getvalue()
