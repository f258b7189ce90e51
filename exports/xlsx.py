"""The area profile as an Excel workbook: the profile, every indicator's metadata, the sources.

Text goes through :func:`exports.tables.neutralise` (openpyxl would otherwise store a
string starting with ``=`` as a formula); numbers are written as numbers.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import geodata
from geodata.profile import METHOD_NOTES

from .tables import (
    COLUMNS,
    area_facts,
    area_title,
    attribution_lines,
    neutralise,
    profile_rows,
    source_rows,
    sources_used,
    today,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)

# Metadata sheet: every indicator in the registry, in registry order.
METADATA_COLUMNS = (
    ("id", "Indicator id", 26),
    ("label", "Indicator", 34),
    ("description", "Definition", 60),
    ("level", "Level", 14),
    ("role", "Role", 11),
    ("higher_is_worse", "Higher is worse", 9),
    ("unit", "Unit", 24),
    ("unit_plain", "Unit in words", 40),
    ("geography", "Geography", 10),
    ("geography_label", "Geography (meaning)", 40),
    ("period", "Period", 26),
    ("publisher", "Publisher", 34),
    ("dataset", "Dataset", 40),
    ("source_url", "Source URL", 40),
    ("licence", "Licence", 34),
    ("licence_confirmed", "Licence confirmed", 9),
    ("attribution", "Attribution", 50),
    ("derivation", "How it is derived", 60),
    ("agg", "How areas combine", 10),
    ("national_note", "England note", 40),
)
SOURCE_COLUMNS = (
    ("publisher", "Publisher", 34),
    ("dataset", "Dataset", 44),
    ("vintage", "Vintage", 26),
    ("licence", "Licence", 40),
    ("licence_confirmed", "Licence confirmed", 9),
    ("source_url", "Source URL", 40),
    ("attribution", "Attribution statement", 70),
)
PROFILE_TABLE_FIRST_HEADER = COLUMNS[0].header  # scripts find the profile table by its first heading


def _cell(v: object) -> object:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return neutralise(v)


def _table(ws: Worksheet, first_row: int, columns: list[tuple[str, str, int]], rows: list[dict]) -> None:
    for j, (_key, header, width) in enumerate(columns, start=1):
        c = ws.cell(first_row, j, header)
        c.font = BOLD
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows, start=first_row + 1):
        for j, (key, _h, _w) in enumerate(columns, start=1):
            ws.cell(i, j, _cell(row.get(key)))
    ws.freeze_panes = ws.cell(first_row + 1, 1)
    ws.auto_filter.ref = f"A{first_row}:{get_column_letter(len(columns))}{first_row + len(rows)}"


def render_xlsx(profile: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Profile"
    ws.cell(1, 1, neutralise(area_title(profile))).font = TITLE
    r = 2
    for label, value in [
        *area_facts(profile),
        ("Generated", today()),
        ("Summary", profile.get("summary", "")),
        ("Please note", profile.get("caveat", "")),
    ]:
        ws.cell(r, 1, label).font = BOLD
        ws.cell(r, 2, neutralise(value))
        r += 1
    r += 1
    _table(ws, r, [(c.key, c.header, c.width) for c in COLUMNS], profile_rows(profile))

    meta = wb.create_sheet("Metadata")
    _table(meta, 1, list(METADATA_COLUMNS), [i.to_dict() for i in geodata.INDICATORS])

    src = wb.create_sheet("Sources")
    sources = sources_used(profile)
    _table(src, 1, list(SOURCE_COLUMNS), source_rows(sources))
    r = len(sources) + 3
    src.cell(r, 1, "Attribution statements").font = BOLD
    for i, line in enumerate(attribution_lines(sources), start=r + 1):
        src.cell(i, 1, neutralise(line))
    r += len(sources) + 2
    src.cell(r, 1, "Method notes").font = BOLD
    for i, note in enumerate(METHOD_NOTES, start=r + 1):
        src.cell(i, 1, note)

    for sheet in (ws, meta, src):
        sheet.sheet_view.zoomScale = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
