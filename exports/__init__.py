"""Partner exports of an area profile: PDF, XLSX, CSV, GeoJSON and a zip bundle of all four.

Every function here is pure: it takes the profile dict that :mod:`geodata.profile` returns
(the single source of truth; nothing is recomputed) plus, for the map and the GeoJSON, the
loaded data, and returns bytes. Caching and HTTP belong to the API.
"""

from __future__ import annotations

from collections.abc import Callable

from geodata.store import Data

from .tables import slug

FORMATS = ("pdf", "xlsx", "csv", "geojson", "zip")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "zip": "application/zip",
}
BUNDLED = ("pdf", "xlsx", "csv", "geojson")


def renderer(fmt: str) -> Callable[[dict, Data | None], bytes]:
    """The function that renders one format (imported on first use: Matplotlib is slow to import)."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        def xlsx(profile: dict, data: Data | None = None) -> bytes:
            return render_xlsx(profile)

        return xlsx
    if fmt == "csv":
        from .csvfile import render_csv

        def csv(profile: dict, data: Data | None = None) -> bytes:
            return render_csv(profile)

        return csv
    if fmt == "geojson":
        from .geojson import render_geojson

        return render_geojson
    if fmt == "zip":

        def bundle(profile: dict, data: Data | None = None) -> bytes:
            return render_bundle(profile, {f: renderer(f)(profile, data) for f in BUNDLED})

        return bundle
    raise KeyError(fmt)


def render(fmt: str, profile: dict, data: Data | None = None) -> bytes:
    """The profile in one of :data:`FORMATS`; KeyError for any other."""
    return renderer(fmt)(profile, data)


def render_bundle(profile: dict, parts: dict[str, bytes]) -> bytes:
    """The zip of already rendered parts (so a server can reuse the parts it has cached)."""
    from .bundle import render_zip

    return render_zip(profile, parts, slug(profile))


def filename(profile: dict, fmt: str) -> str:
    return f"{slug(profile)}.{fmt}"


__all__ = ["BUNDLED", "FORMATS", "MEDIA_TYPES", "filename", "render", "render_bundle", "renderer"]
