"""Regenerate the README's indicator and settings tables from their registries.

python docs/generate.py          # rewrite README.md in place
python docs/generate.py --check  # exit 1 if README.md is out of date (a test runs this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import SETTINGS  # noqa: E402
from geodata.profile import METHOD_NOTES  # noqa: E402
from geodata.registry import GEOGRAPHY_LABELS, INDICATORS  # noqa: E402
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


SECTIONS = {"indicators": indicators_table, "settings": settings_table, "method-notes": method_notes}


def render(text: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def main() -> int:
    readme = ROOT / "README.md"
    old = readme.read_text()
    new = render(old)
    if "--check" in sys.argv:
        if new != old:
            print("README.md tables are out of date: run python docs/generate.py")
            return 1
        return 0
    readme.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
