"""A plan on paper: one borough's or ward's priorities as an A4 PDF and as an Excel workbook.

Both take the plan dict that :func:`service.planning.plan_document` builds (nothing is
recomputed here) and return bytes:

* ``title``, ``where`` (name), ``generated``, ``data_version``, ``summary`` (sentences);
* ``map``: ``codes`` (LSOA 2021), ``classes`` (an index into ``labels``/``colours`` or None),
  ``labels``, ``colours``, ``title``, ``note``;
* ``tables``: each ``{"title", "columns", "rows", "note"}`` and optionally ``widths`` (relative): the cluster counts, the wards,
  and the ranked small areas with their rank ranges;
* ``methods``: sentences; ``sources``: :class:`geodata.sources.Source` records.
"""

from __future__ import annotations

import io
import math
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

import geodata
from geodata.store import Data

from .mapping import CONTEXT_FILL, EDGE, MAP_ATTRIBUTION, _Canvas, _fit
from .pdf import _LOCK, _RC, MAP_DPI, TEXT_W, TOOL_NAME, _Layout
from .tables import attribution_lines, neutralise
from .xlsx import BOLD, TITLE

PLAN_MAP_IN = (TEXT_W, 5.2)


def plan_map_image(plan: dict, data: Data | None = None, size_in: tuple[float, float] = PLAN_MAP_IN) -> np.ndarray:
    """The plan's small areas coloured by class (others grey), ward and borough lines, as RGBA."""
    data = data or geodata.load()
    m = plan["map"]
    lsoa = data.lsoa21
    by_code = dict(zip(m["codes"], m["classes"], strict=True))
    shown = lsoa[lsoa.code.isin(by_code)]
    minx, miny, maxx, maxy = _fit(tuple(shown.total_bounds), size_in[0] / size_in[1])
    fig = Figure(figsize=size_in, dpi=MAP_DPI)
    _Canvas(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    context = lsoa.cx[minx:maxx, miny:maxy]
    context = context[~context.code.isin(by_code)]
    if len(context):
        context.plot(ax=ax, color=CONTEXT_FILL, edgecolor=EDGE, linewidth=0.3)
    colours = [CONTEXT_FILL if by_code[c] is None else m["colours"][by_code[c]] for c in shown.code]
    shown.plot(ax=ax, color=colours, edgecolor="#9e9e9e", linewidth=0.3)
    data.wards.cx[minx:maxx, miny:maxy].boundary.plot(ax=ax, color="#616161", linewidth=0.5)
    data.boroughs.cx[minx:maxx, miny:maxy].boundary.plot(ax=ax, color="#212121", linewidth=1.0)
    lat0 = (miny + maxy) / 2
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect(1 / math.cos(math.radians(lat0)), adjustable="box")
    ax.set_axis_off()
    canvas = cast(_Canvas, fig.canvas)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _widths(table: dict) -> tuple[tuple[str, float], ...]:
    """Column widths for the PDF from the table's relative ``widths`` (else the first column,
    a name, gets twice the room of each other)."""
    columns = table["columns"]
    shares = table.get("widths") or [2.0] + [1.0] * (len(columns) - 1)
    return tuple((c, TEXT_W * s / sum(shares)) for c, s in zip(columns, shares, strict=True))


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def render_plan_pdf(plan: dict, data: Data | None = None) -> bytes:
    """The plan as a printable A4 PDF: summary, the priority map, the tables, methods, sources."""
    image = plan_map_image(plan, data)
    with _LOCK, matplotlib.rc_context(cast(Any, _RC)):
        doc = _Layout()
        doc.text(f"{TOOL_NAME}: plan", 9, color="#555555", after=0.02)
        doc.text(plan["title"], 17, bold=True, after=0.08)
        doc.facts([("Area", plan["where"]), ("Generated", plan["generated"]), ("Data version", plan["data_version"])])
        for sentence in plan["summary"]:
            doc.text(sentence, 10, after=0.06)
        m = plan["map"]
        doc.heading(m["title"], 11, keep=PLAN_MAP_IN[1])
        doc.image(image, *PLAN_MAP_IN)
        doc.swatches(list(zip(m["colours"], m["labels"], strict=True)))
        doc.text(m["note"], 7.5, color="#555555", after=0.02)
        doc.text(MAP_ATTRIBUTION, 6.5, color="#555555", after=0.1)
        for t in plan["tables"]:
            doc.heading(t["title"], 11, keep=1.0)
            if t.get("note"):
                doc.text(t["note"], 8, color="#555555")
            doc.table([[_text(v) for v in row] for row in t["rows"]], columns=_widths(t))
        doc.heading("Method notes", 13)
        for note in plan["methods"]:
            doc.text(note, 8.5)
        doc.heading("Sources and licences", 13)
        for line in attribution_lines(plan["sources"]):
            doc.text(line, 8, indent=0.1)
        doc.footers(plan["title"], f"generated {plan['generated']} | data version {plan['data_version']}")
        buf = io.BytesIO()
        meta = {"Title": plan["title"], "Author": TOOL_NAME, "Subject": "Hotspot and prevention priorities"}
        with PdfPages(buf, metadata=meta) as pdf:
            for fig in doc.pages:
                pdf.savefig(fig)
    return buf.getvalue()


def render_plan_xlsx(plan: dict) -> bytes:
    """The plan as a workbook: a Plan sheet (summary, the map's classes per small area), one sheet
    per table, Methods and Sources. Every text cell is neutralised; numbers stay numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append([neutralise(plan["title"])])
    ws["A1"].font = TITLE
    for label, value in (
        ("Area", plan["where"]),
        ("Generated", plan["generated"]),
        ("Data version", plan["data_version"]),
    ):
        ws.append([label, neutralise(value)])
    for sentence in plan["summary"]:
        ws.append([neutralise(sentence)])
    ws.append([])
    m = plan["map"]
    ws.append([neutralise(m["title"])])
    ws.append(["Small area code", "Class"])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for code, cls in zip(m["codes"], m["classes"], strict=True):
        ws.append([code, "no value" if cls is None else neutralise(m["labels"][cls])])
    ws.append([neutralise(m["note"])])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 48
    for n, t in enumerate(plan["tables"], start=1):
        sheet = wb.create_sheet(f"Table {n}")
        sheet.append([neutralise(t["title"])])
        sheet["A1"].font = BOLD
        if t.get("note"):
            sheet.append([neutralise(t["note"])])
        sheet.append([neutralise(c) for c in t["columns"]])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in t["rows"]:
            sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
        for i, c in enumerate(t["columns"], start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(48, len(str(c)) + 4))
    methods = wb.create_sheet("Methods")
    for note in plan["methods"]:
        methods.append([neutralise(note)])
    methods.column_dimensions["A"].width = 120
    sources = wb.create_sheet("Sources")
    for line in attribution_lines(plan["sources"]):
        sources.append([neutralise(line)])
    sources.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
