"""The printable A4 area profile, laid out with Matplotlib (no browser, no LaTeX).

Text is set in the PDF core font Helvetica (``pdf.use14corefonts``): every PDF reader has
it, the file stays small, text extraction is exact, and it is several times faster than
embedding a TrueType font. Its encoding is Windows-1252, so the few characters outside it
are spelt out by :data:`_CP1252_FALLBACKS`. The map is rendered by Agg and placed as an image.

The tables come from :func:`exports.tables.profile_rows`, the same rows as the CSV and XLSX.
"""

from __future__ import annotations

import io
import itertools
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from geodata.profile import METHOD_NOTES
from geodata.store import Data

from . import mapping
from .tables import (
    area_facts,
    area_title,
    attribution_lines,
    comparators_text,
    format_value,
    position_text,
    profile_rows,
    sources_used,
    today,
)

# A4 portrait, inches.
PAGE_W, PAGE_H = 8.27, 11.69
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.6, 0.75
TEXT_W = PAGE_W - 2 * MARGIN_X
INK, MUTED, RULE, SHADE = "#1a1a1a", "#555555", "#bbbbbb", "#eeeeee"
LINE_SPACING = 1.25
ASCENT = 0.9  # of the font size: Helvetica's ascender plus a little air
TOOL_NAME = "West Midlands postcode risk-factor explorer"
MAP_SIZE_IN = (TEXT_W, 4.3)
MAP_DPI = 150

# Table columns: (heading, width in inches). Widths add up to TEXT_W.
TABLE_COLUMNS = (
    ("Indicator", 1.75),
    ("Value", 1.6),
    ("West Midlands position", 1.25),
    ("Comparators", 1.3),
    ("Source", TEXT_W - 5.9),
)

_CP1252_FALLBACKS = str.maketrans({"≥": ">=", "≤": "<=", "−": "-", "→": "->", "\u2009": " ", "\u00a0": " "})
_RC = {"pdf.use14corefonts": True, "font.family": "sans-serif", "font.sans-serif": ["Helvetica"], "pdf.compression": 6}
# rcParams are process-global; one PDF at a time (threaded servers) keeps them consistent.
_LOCK = threading.Lock()
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "using medium for normal" noise


@lru_cache(maxsize=2)
def _afm_widths(bold: bool) -> dict[int, int]:
    """Advance widths (1/1000 em) of the core font, read from the AFM file Matplotlib ships."""
    name = "Helvetica-Bold.afm" if bold else "Helvetica.afm"
    path = Path(matplotlib.get_data_path()) / "fonts" / "pdfcorefonts" / name
    widths = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("C "):
            fields = dict(f.strip().split(" ", 1) for f in line.split(";") if f.strip())
            code = int(fields["C"])
            if code >= 0:
                widths[code] = int(fields["WX"])
    return widths


def text_width(s: str, size: float, bold: bool = False) -> float:
    """Width of ``s`` in inches at ``size`` points (non-ASCII characters at an average width)."""
    w = _afm_widths(bold)
    return sum(w.get(ord(ch), 556) for ch in s) * size / 1000 / 72


def wrap(s: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to a width in inches; a word longer than the line is broken."""
    lines: list[str] = []
    for para in str(s).translate(_CP1252_FALLBACKS).split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if text_width(trial, size, bold) <= width_in:
                line = trial
                continue
            if line:
                lines.append(line)
            rest = word
            while text_width(rest, size, bold) > width_in and len(rest) > 1:
                cut = max(1, int(len(rest) * width_in / text_width(rest, size, bold)) - 1)
                lines.append(rest[:cut])
                rest = rest[cut:]
            line = rest
        lines.append(line)
    return lines


def _wrap_cell(cell: str | tuple[str, str], width_in: float, size: float) -> list[tuple[str, bool]]:
    if isinstance(cell, tuple):
        title, body = cell
        return [(line, True) for line in wrap(title, width_in, size, bold=True)] + [
            (line, False) for line in wrap(body, width_in, size)
        ]
    return [(line, False) for line in wrap(cell, width_in, size)]


class _Layout:
    """A cursor down A4 pages of Matplotlib figures; ``y`` is inches from the top."""

    def __init__(self) -> None:
        self.pages: list[Figure] = []
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.pages.append(self.fig)
        self.y = MARGIN_TOP

    def _fits(self, h: float) -> bool:
        return self.y + h <= PAGE_H - MARGIN_BOTTOM

    def ensure(self, h: float) -> None:
        if not self._fits(h):
            self._new_page()

    def _put(
        self, x: float, y: float, s: str, size: float, bold: bool = False, color: str = INK, ha: str = "left"
    ) -> None:
        """Set one line whose top is ``y``; aligned on its baseline, so every line sits at the same height."""
        baseline = y + size * ASCENT / 72
        self.fig.text(
            x / PAGE_W,
            1 - baseline / PAGE_H,
            s,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=color,
            va="baseline",
            ha=ha,
        )

    def _rule(self, y: float, x0: float = MARGIN_X, x1: float = PAGE_W - MARGIN_X, color: str = RULE) -> None:
        self.fig.add_artist(
            Line2D(
                [x0 / PAGE_W, x1 / PAGE_W],
                [1 - y / PAGE_H] * 2,
                transform=self.fig.transFigure,
                color=color,
                linewidth=0.5,
            )
        )

    def _shade(self, y: float, h: float) -> None:
        self.fig.add_artist(
            Rectangle(
                (MARGIN_X / PAGE_W, 1 - (y + h) / PAGE_H),
                TEXT_W / PAGE_W,
                h / PAGE_H,
                transform=self.fig.transFigure,
                facecolor=SHADE,
                edgecolor="none",
            )
        )

    def text(
        self, s: str, size: float = 9, bold: bool = False, color: str = INK, indent: float = 0.0, after: float = 0.06
    ) -> None:
        lh = size * LINE_SPACING / 72
        for line in wrap(s, TEXT_W - indent, size, bold):
            self.ensure(lh)
            self._put(MARGIN_X + indent, self.y, line, size, bold, color)
            self.y += lh
        self.y += after

    def heading(self, s: str, size: float = 12, keep: float = 0.8) -> None:
        """A heading kept on the same page as at least ``keep`` inches of what follows."""
        self.ensure(size * LINE_SPACING / 72 + keep)
        self.y += 0.08
        self.text(s, size, bold=True, after=0.04)

    def facts(self, pairs: list[tuple[str, str]], size: float = 8.5) -> None:
        lh, label_w = size * LINE_SPACING / 72, 1.1
        for label, value in pairs:
            lines = wrap(value, TEXT_W - label_w, size)
            self.ensure(lh * len(lines))
            self._put(MARGIN_X, self.y, label, size, bold=True, color=MUTED)
            for line in lines:
                self._put(MARGIN_X + label_w, self.y, line, size)
                self.y += lh
        self.y += 0.06

    def table(
        self,
        rows: list[list[str | tuple[str, str]]],
        size: float = 7.5,
        pad: float = 0.04,
        columns: tuple[tuple[str, float], ...] = TABLE_COLUMNS,
    ) -> None:
        """Rows of cells under ``columns`` ((heading, width in inches), adding up to TEXT_W); a cell
        is text, or (bold title, text) set as a bold line or two and then plain text."""
        lh = size * LINE_SPACING / 72

        def header() -> None:
            h = lh + 2 * pad
            self._shade(self.y, h)
            x = MARGIN_X
            for title, w in columns:
                self._put(x + pad, self.y + pad, title, size, bold=True)
                x += w
            self.y += h

        self.ensure(2 * lh + 4 * pad + lh * 3)
        header()
        for cells in rows:
            wrapped = [_wrap_cell(c, w - 2 * pad, size) for c, (_t, w) in zip(cells, columns, strict=True)]
            h = max(len(c) for c in wrapped) * lh + 2 * pad
            if not self._fits(h):
                self._new_page()
                header()
            x = MARGIN_X
            for lines, (_t, w) in zip(wrapped, columns, strict=True):
                for k, (line, bold) in enumerate(lines):
                    self._put(x + pad, self.y + pad + k * lh, line, size, bold=bold)
                x += w
            self.y += h
            self._rule(self.y)
        self.y += 0.1

    def image(self, rgba, w: float, h: float) -> None:
        self.ensure(h)
        ax = self.fig.add_axes((MARGIN_X / PAGE_W, 1 - (self.y + h) / PAGE_H, w / PAGE_W, h / PAGE_H))
        ax.imshow(rgba, interpolation="antialiased")
        ax.set_axis_off()
        self.y += h + 0.05

    def swatches(self, entries: list[tuple[str, str]], size: float = 7.5) -> None:
        lh = size * LINE_SPACING / 72
        col_w = TEXT_W / 3
        self.ensure(lh * 2 + 0.05)
        for i, (colour, label) in enumerate(entries):
            row, col = divmod(i, 3)
            x, y = MARGIN_X + col * col_w, self.y + row * (lh + 0.02)
            self.fig.add_artist(
                Rectangle(
                    (x / PAGE_W, 1 - (y + lh * 0.85) / PAGE_H),
                    0.22 / PAGE_W,
                    lh * 0.8 / PAGE_H,
                    transform=self.fig.transFigure,
                    facecolor=colour,
                    edgecolor="#888888",
                    linewidth=0.4,
                )
            )
            self._put(x + 0.28, y, label, size)
        self.y += ((len(entries) + 2) // 3) * (lh + 0.02) + 0.06

    def footers(self, left: str, right: str) -> None:
        """``left`` (shortened to fit) and ``right`` on every page, with "Page i of n"."""
        n = len(self.pages)
        for i, fig in enumerate(self.pages, start=1):
            self.fig = fig
            y = PAGE_H - MARGIN_BOTTOM + 0.25
            self._rule(y - 0.06)
            tail = f"{right} | page {i} of {n}"
            room = TEXT_W - text_width(tail, 7) - 0.2
            head = left
            while head and text_width(head, 7) > room:
                head = head[:-2].rstrip() + "…"
            self._put(MARGIN_X, y, head, 7, color=MUTED)
            self._put(PAGE_W - MARGIN_X, y, tail, 7, color=MUTED, ha="right")


def _cells(row: dict) -> list[str | tuple[str, str]]:
    value = format_value(row["value"], row["decimals"])
    value = f"{value} {row['unit']}\n({row['unit_plain']})" if row["value"] is not None else value
    if row.get("value_note"):
        value += f". {row['value_note']}"
    flag = "" if row["licence_confirmed"] == "yes" else " Licence not confirmed."
    return [
        (row["indicator"], row["description"]),
        value,
        position_text(row),
        comparators_text(row),
        f"{row['publisher']}, {row['period']}.{flag}",
    ]


def render_pdf(profile: dict, data: Data | None = None) -> bytes:
    """The profile as a printable A4 PDF."""
    title = area_title(profile)
    generated = today()
    sources = sources_used(profile)
    map_rgba = mapping.render_map_image(profile, data, size_in=MAP_SIZE_IN, dpi=MAP_DPI)
    legend = mapping.legend_entries(data)

    with _LOCK, matplotlib.rc_context(cast(Any, _RC)):
        doc = _Layout()
        doc.text(f"{TOOL_NAME}: area profile", 9, color=MUTED, after=0.02)
        doc.text(title, 17, bold=True, after=0.08)
        doc.facts([*area_facts(profile), ("Generated", generated)])
        doc.text(profile.get("summary", ""), 10, after=0.12)
        doc.image(map_rgba, *MAP_SIZE_IN)
        doc.text(
            "Map: recorded violence with injury per 1,000 of the at-risk population, coloured by fifths of the 1,719 "
            "West Midlands small areas. Black outline: the area profiled. Grey lines: wards; dashed lines: "
            "boroughs."
            + (" Blue point and dashed circle: the postcode and the radius around it." if profile.get("place") else ""),
            7.5,
            color=MUTED,
            after=0.04,
        )
        doc.swatches(legend)
        doc.text(mapping.MAP_ATTRIBUTION, 6.5, color=MUTED, after=0.1)
        doc.heading("What this does and does not mean", 11, keep=0.5)
        doc.text(profile.get("caveat", ""), 9)
        doc.text(
            "Borough-wide figures (schools, children's services, some health measures) are the borough's "
            "own and are never presented as if measured for a small area.",
            9,
        )

        doc._new_page()
        rows = profile_rows(profile)
        current = None
        for (section, role), group in itertools.groupby(rows, key=lambda r: (r["section"], r["role"])):
            if section != current:
                doc.heading(section, 13, keep=1.2)
                current = section
            if role != "Outcome":
                doc.text(
                    "Risk factors" if role == "Risk factor" else "Protective factors (strengths)",
                    10,
                    bold=True,
                    after=0.03,
                )
            doc.table([_cells(r) for r in group])

        doc.heading("Method notes", 13)
        for note in METHOD_NOTES:
            doc.text(note, 8.5)
        doc.heading("Sources and licences", 13)
        doc.text(
            "Every number in this profile comes from the open datasets below. Licences the source has not "
            "confirmed are marked as such.",
            8.5,
        )
        for line in attribution_lines(sources):
            doc.text(line, 8, indent=0.1)
        doc.footers(title, f"generated {generated} | data version {profile.get('data_version')}")

        buf = io.BytesIO()
        meta = {
            "Title": f"Area profile: {title}",
            "Author": TOOL_NAME,
            "Subject": "Risk and protective factors for violence, by the socio-ecological model",
        }
        with PdfPages(buf, metadata=meta) as pdf:
            for fig in doc.pages:
                pdf.savefig(fig)
    return buf.getvalue()
