"""Regenerate the generated tables of README.md and docs/methods.md from their registries.

python docs/generate.py          # rewrite them in place
python docs/generate.py --check  # exit 1 if either is out of date (a test runs this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import SETTINGS  # noqa: E402
from geodata.profile import METHOD_NOTES  # noqa: E402
from geodata.registry import FRAME, GEOGRAPHY_LABELS, INDICATORS, INDICES, LEVEL_LABELS, NO_OPEN_DATA, get  # noqa: E402
from geodata.sources import SOURCES  # noqa: E402


def indicators_table() -> str:
    rows = [
        "| id | label | level | role | geography | period | publisher | licence |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i in INDICATORS:
        s = SOURCES[i.source]
        lic = s.licence if s.licence_confirmed else f"{s.licence} ⚠"
        geo = GEOGRAPHY_LABELS[i.geography].split(" (")[0] if i.geography != "borough" else "borough"
        rows.append(f"| `{i.id}` | {i.label} | {i.level} | {i.role} | {geo} | {i.period} | {s.publisher} | {lic} |")
    return "\n".join(rows)


def method_notes() -> str:
    return "\n".join(f"- {note}" for note in METHOD_NOTES)


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)


def index_factors() -> str:
    """The factors of each composite index and which way each counts (docs/methods.md)."""
    tables = []
    for role, more in (("risk", "risk"), ("protective", "protection")):
        ix = next(i for i in INDICES if i.role == role and i.level is None)
        rows = [f"| Level | Indicator | id | Counts as more {more} when |", "|---|---|---|---|"]
        for f in ix.factors:
            higher = (role == "risk") == f.higher_is_worse
            rows.append(f"| {LEVEL_LABELS[f.level]} | {f.label} | `{f.id}` | {'higher' if higher else 'lower'} |")
        tables.append("\n".join(rows))
    return "\n\n".join(tables)


def frame_table() -> str:
    """Every factor of the socio-ecological frame with what measures it, or why nothing does."""
    rows = ["| Level | Risk or protective | Factor | Measured by (or why not) |", "|---|---|---|---|"]
    for f in FRAME:
        what = ", ".join(f"{get(i).label} (`{i}`)" for i in f.indicators) or f"**No open data:** {f.no_open_data}"
        rows.append(f"| {LEVEL_LABELS[f.level]} | {f.role} | {f.factor} | {what} |")
    return "\n".join(rows)


def no_open_data() -> str:
    return "\n".join(f"- {LEVEL_LABELS[f.level]} {f.role}: {f.factor} ({f.no_open_data})" for f in NO_OPEN_DATA)


SECTIONS = {
    "indicators": indicators_table,
    "settings": settings_table,
    "method-notes": method_notes,
    "index-factors": index_factors,
    "frame": frame_table,
    "no-open-data": no_open_data,
}
FILES = ("README.md", "docs/methods.md")


def render(text: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main() -> int:
    stale = []
    for name in FILES:
        path = ROOT / name
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            stale.append(name)
            if "--check" not in sys.argv:
                path.write_text(new, encoding="utf-8")
    if stale and "--check" in sys.argv:
        print(f"{', '.join(stale)}: generated tables are out of date: run python docs/generate.py")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
