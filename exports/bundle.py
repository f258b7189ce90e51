"""The partner bundle: the PDF, XLSX, CSV and GeoJSON of one profile in a zip, with a README."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from geodata.profile import METHOD_NOTES

from .tables import area_facts, area_title, attribution_lines, sources_used, today

FILE_NOTES = {
    "pdf": "printable A4 profile: map, the four levels with risk and protective factors, violence, comparators",
    "xlsx": "spreadsheet: Profile (one row per indicator), Metadata (every indicator's definition), Sources",
    "csv": "the profile table as CSV (UTF-8 with BOM; text that could run as a formula starts with ')",
    "geojson": "the area's small areas (LSOA 2021, WGS 84) with every small-area indicator value",
}


def readme(profile: dict, files: Mapping[str, str]) -> str:
    lines = [
        f"# Area profile: {area_title(profile)}",
        "",
        (
            f"West Midlands postcode risk-factor explorer. Generated {today()}, data version "
            f"{profile.get('data_version')}."
        ),
        "",
    ]
    lines += [f"- {label}: {value}" for label, value in area_facts(profile)]
    lines += ["", "## Files", ""]
    lines += [f"- `{name}`: {FILE_NOTES[fmt]}" for fmt, name in files.items()]
    lines += ["", "## What this does and does not mean", "", str(profile.get("caveat", "")), "", "## Methods", ""]
    lines += [f"- {note}" for note in METHOD_NOTES]
    lines += [
        "",
        "## Sources and licences",
        "",
        (
            "Reuse must keep these attributions. Licences marked 'not confirmed' have not been confirmed "
            "by their publisher; check before republishing."
        ),
        "",
    ]
    lines += [f"- {line}" for line in attribution_lines(sources_used(profile))]
    return "\n".join(lines) + "\n"


def render_zip(profile: dict, parts: Mapping[str, bytes], stem: str) -> bytes:
    """Zip the rendered ``parts`` (format -> bytes) as ``{stem}.{format}`` with README.md."""
    files = {fmt: f"{stem}.{fmt}" for fmt in parts}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}/README.md", readme(profile, files))
        for fmt, body in parts.items():
            z.writestr(f"{stem}/{files[fmt]}", body)
    return buf.getvalue()
