"""The area profile as CSV: UTF-8 with a byte-order mark, so Excel opens it cleanly."""

from __future__ import annotations

import csv
import io

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
