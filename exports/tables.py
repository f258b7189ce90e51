"""Flat rows and attribution shared by every export format.

One function, :func:`profile_rows`, turns a profile dict (from :mod:`geodata.profile`,
never recomputed here) into one row per indicator. The CSV writes the rows, the XLSX
writes the same rows, and the PDF lays out the same rows as tables, so the three can
never disagree about a value.

Spreadsheet formula injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets.
:func:`neutralise` prefixes such text with an apostrophe (the convention spreadsheets
themselves use for "this is text"); numbers stay numbers, so ``-0.08`` is still a number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from geodata.registry import LEVEL_LABELS, LEVELS
from geodata.sources import SOURCES, Source

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The geography source is always cited: every export names areas drawn from its boundaries
# and lookups. A postcode profile also rests on the postcode directories.
ALWAYS_CITED = ("ons_geography",)
POSTCODE_SOURCES = ("postcodes", "ons_postcode_lookup")

OUTCOME_SECTION = "Violence and crime (outcomes)"
ROLE_LABELS = {"risk": "Risk factor", "protective": "Protective factor", "outcome": "Outcome"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14  # characters, for the spreadsheet


# Order of the CSV columns and of the XLSX profile table. Keys are stable for partners' scripts.
COLUMNS: tuple[Column, ...] = (
    Column("area_kind", "Area kind", 10),
    Column("area_code", "Area code", 12),
    Column("area_name", "Area name", 30),
    Column("section", "Section", 22),
    Column("level", "Level", 14),
    Column("role", "Role", 11),
    Column("indicator_id", "Indicator id", 26),
    Column("indicator", "Indicator", 34),
    Column("description", "What it measures", 50),
    Column("value", "Value", 10),
    Column("unit", "Unit", 22),
    Column("unit_plain", "Unit in words", 40),
    Column("decimals", "Decimal places shown", 8),
    Column("value_note", "Value note", 30),
    Column("wm_standing", "West Midlands standing", 40),
    Column("wm_percentile", "West Midlands percentile (better share, ties half; 100 = worst)", 14),
    Column("wm_rank", "West Midlands rank (1 = worst)", 12),
    Column("wm_count", "Ranked among", 10),
    Column("wm_rank_of", "Ranked among (kind)", 14),
    Column("ward_label", "Ward", 20),
    Column("ward_value", "Ward value", 10),
    Column("borough_label", "Borough", 16),
    Column("borough_value", "Borough value", 10),
    Column("west_midlands_label", "West Midlands comparator", 24),
    Column("west_midlands_value", "West Midlands value", 10),
    Column("england_value", "England value", 10),
    Column("england_note", "England note", 30),
    Column("geography", "Geography", 30),
    Column("period", "Period", 24),
    Column("publisher", "Publisher", 30),
    Column("dataset", "Dataset", 30),
    Column("source_url", "Source URL", 30),
    Column("licence", "Licence", 30),
    Column("licence_confirmed", "Licence confirmed", 10),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


def neutralise(value: object) -> object:
    """Make a text cell safe to open in a spreadsheet; leave every other value alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _number(v: object) -> float | int | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    return float(v)  # type: ignore[arg-type]  # numpy scalars become plain floats


def _slot(code: str | None) -> str:
    """Which comparator column a comparator belongs in, from its GSS code."""
    code = code or ""
    if code.startswith("E05"):
        return "ward"
    if code[:3] in ("E06", "E07", "E08", "E09"):
        return "borough"
    if code.startswith("E92"):
        return "england"
    return "west_midlands"  # the seven boroughs (no code) or the region (E12)


def section_of(entry: dict) -> str:
    return OUTCOME_SECTION if entry["role"] == "outcome" else LEVEL_LABELS[entry["level"]]


def sections(profile: dict) -> list[tuple[str, str | None, list[dict]]]:
    """(title, role, entries) in reading order: violence first, then each level's risks and strengths."""
    entries = profile.get("indicators") or []
    out: list[tuple[str, str | None, list[dict]]] = [
        (OUTCOME_SECTION, "outcome", [e for e in entries if e["role"] == "outcome"])
    ]
    for level in LEVELS:
        for role in ("risk", "protective"):
            out.append((LEVEL_LABELS[level], role, [e for e in entries if e["level"] == level and e["role"] == role]))
    return out


def profile_rows(profile: dict) -> list[dict]:
    """One flat row per indicator of the profile, keyed by :data:`COLUMN_KEYS`, in reading order."""
    area = profile.get("area") or {}
    rows = []
    for _title, _role, entries in sections(profile):
        for e in entries:
            row = dict.fromkeys(COLUMN_KEYS)
            row.update(
                area_kind=area.get("kind"),
                area_code=area.get("code"),
                area_name=area.get("name"),
                section=section_of(e),
                level=LEVEL_LABELS[e["level"]],
                role=ROLE_LABELS[e["role"]],
                indicator_id=e["id"],
                indicator=e["label"],
                description=e["description"],
                value=_number(e["value"]),
                unit=e["unit"],
                unit_plain=e["unit_plain"],
                decimals=e["decimals"],
                value_note=e.get("value_note") or None,
                wm_standing=e.get("wm_standing") or None,
                wm_percentile=_number(e.get("wm_percentile")),
                wm_rank=_number(e.get("wm_rank")),
                wm_count=_number(e.get("wm_count")),
                wm_rank_of=e.get("wm_rank_of"),
                geography=e["geography_label"],
                period=e["period"],
                publisher=e["publisher"],
                dataset=e["dataset"],
                source_url=e["source_url"],
                licence=e["licence"],
                licence_confirmed="yes" if e["licence_confirmed"] else "no",
            )
            for c in e.get("comparators") or []:
                slot = _slot(c.get("code"))
                if slot == "england":
                    row["england_value"] = _number(c.get("value"))
                    row["england_note"] = c.get("note") or None
                else:
                    row[f"{slot}_label"] = c["label"]
                    row[f"{slot}_value"] = _number(c.get("value"))
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------- wording


def format_value(value: float | None, decimals: int) -> str:
    """A value as shown to people: thousands separated, ``decimals`` places, never "-0.00"."""
    if value is None:
        return "no data"
    text = f"{value:,.{max(decimals, 0)}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def position_text(row: dict) -> str:
    """Where a row's value stands in the West Midlands: the profile's own words (``wm_standing``)."""
    return row.get("wm_standing") or "Not ranked"


def comparators_text(row: dict) -> str:
    """The row's comparators that have a value, as "label value; ..."."""
    parts = [
        f"{row[f'{slot}_label']} {format_value(row[f'{slot}_value'], row['decimals'])}"
        for slot in ("ward", "borough", "west_midlands")
        if row.get(f"{slot}_value") is not None
    ]
    if row.get("england_value") is not None:
        parts.append(f"England {format_value(row['england_value'], row['decimals'])}")
    return "; ".join(parts) if parts else "None published"


def area_title(profile: dict) -> str:
    area = profile.get("area") or {}
    name = area.get("name") or ""
    if area.get("kind") == "postcode":
        return f"The area {name}"
    if area.get("kind") == "lsoa":
        return f"Small area {name}"
    return name


def area_facts(profile: dict) -> list[tuple[str, str]]:
    """Label/value pairs that identify the area, for the headers of every format."""
    area = profile.get("area") or {}
    kind = {
        "postcode": "Surroundings of a postcode",
        "lsoa": "Small area (LSOA 2021)",
        "ward": "Ward",
        "borough": "Borough",
    }.get(str(area.get("kind")), "")
    facts = [("Area", area.get("name") or ""), ("Kind", kind), ("Code", area.get("code") or "")]
    place = profile.get("place")
    if place:
        facts.append(("Postcode", f"{place.get('postcode')} ({place.get('status')}): {place.get('message')}"))
        if area.get("radius_km") is not None:
            facts.append(("Radius", f"{area['radius_km']:g} km"))
    if area.get("ward_name") and area.get("kind") != "ward":
        facts.append(("Ward", f"{area['ward_name']} ({area['ward_code']})"))
    if area.get("lad_name") and area.get("kind") != "borough":
        facts.append(("Borough", f"{area['lad_name']} ({area['lad_code']})"))
    n = len(area.get("lsoa21_codes") or [])
    facts.append(("Small areas", f"{n:,} LSOA 2021"))
    facts.append(("Residents", f"about {area.get('population', 0):,} (Census 2021)"))
    facts.append(("Data version", str(profile.get("data_version", ""))))
    return facts


def today() -> str:
    return dt.date.today().isoformat()


def slug(profile: dict) -> str:
    """A file-name stem such as ``wm-profile-ward-E05011151`` or ``wm-profile-B1-1AA-1km``."""
    area = profile.get("area") or {}
    stem = str(area.get("code") or "area")
    stem = f"{stem}-{area.get('radius_km'):g}km" if area.get("kind") == "postcode" else f"{area.get('kind')}-{stem}"
    return "wm-profile-" + re.sub(r"[^A-Za-z0-9.]+", "-", stem).strip("-")


# ---------------------------------------------------------------------------- attribution


def sources_used(profile: dict) -> list[Source]:
    """The sources behind this profile's numbers and areas, each once, in a stable order."""
    keys: list[str] = list(ALWAYS_CITED)
    if profile.get("place"):
        keys.extend(POSTCODE_SOURCES)
    keys.extend(e["source"] for e in profile.get("indicators") or [])
    seen: dict[str, Source] = {}
    for k in keys:
        if k not in seen:
            seen[k] = SOURCES[k]
    return list(seen.values())


def licence_text(src: Source) -> str:
    """The licence as the registry states it, flagged when it has not been confirmed."""
    if src.licence_confirmed or "not confirmed" in src.licence.lower():
        return src.licence
    return f"{src.licence} (licence not confirmed)"


def attribution_lines(sources: Iterable[Source]) -> list[str]:
    """One self-contained statement per source: publisher, dataset, vintage, licence, attribution, URL."""
    return [
        f"{s.publisher}: {s.dataset} ({s.vintage}). Licence: {licence_text(s)}. {s.attribution} {s.url}"
        for s in sources
    ]


def source_rows(sources: Iterable[Source]) -> list[dict]:
    return [
        {
            "source": s.key,
            "publisher": s.publisher,
            "dataset": s.dataset,
            "vintage": s.vintage,
            "licence": licence_text(s),
            "licence_confirmed": "yes" if s.licence_confirmed else "no",
            "source_url": s.url,
            "attribution": s.attribution,
        }
        for s in sources
    ]
