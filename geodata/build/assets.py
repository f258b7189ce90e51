"""Nearby strengths: sports sites, open libraries, warm spaces and schools."""

from __future__ import annotations

import pandas as pd

from .indicators import sports_sites
from .raw import Raw, check


def build_assets(raw: Raw) -> pd.DataFrame:
    """Nearby strengths: sports sites, open libraries, warm spaces and schools."""
    sports = sports_sites(raw)
    libs = raw.csv("protective/public_libraries_wm.csv")
    libs = libs[libs.is_open == 1]
    warm = raw.csv("protective/warm_spaces_wm.csv")
    schools = raw.csv("schools/gias_open_establishments_wm.csv")
    schools = schools[schools.coords_in_bbox == 1]
    frames = [
        pd.DataFrame(
            {
                "kind": "sport",
                "name": "Sports site: " + sports.facilities,
                "detail": "Sport England Active Places",
                "lon": sports.lon,
                "lat": sports.lat,
                "source": "sport_england",
            }
        ),
        pd.DataFrame(
            {
                "kind": "library",
                "name": libs.library_name,
                "detail": libs.local_authority,
                "lon": libs.lon,
                "lat": libs.lat,
                "source": "libraries",
            }
        ),
        pd.DataFrame(
            {
                "kind": "warm_space",
                "name": warm.title,
                "detail": warm.hours_text.fillna(""),
                "lon": warm.lon,
                "lat": warm.lat,
                "source": "warm_spaces",
            }
        ),
        pd.DataFrame(
            {
                "kind": "school",
                "name": schools.establishment_name,
                "detail": schools.education_phase.fillna("") + " · " + schools.establishment_type.fillna(""),
                "lon": schools.longitude,
                "lat": schools.latitude,
                "source": "gias",
            }
        ),
    ]
    out = pd.concat(frames, ignore_index=True)
    out["name"] = out.name.astype(str).str.strip()
    out["detail"] = out.detail.astype(str).str.slice(0, 160)
    check(
        bool(out.lat.between(52.2, 52.8).all() and out.lon.between(-2.4, -1.3).all()),
        "an asset lies outside the West Midlands bounding box",
    )
    return out.sort_values(["kind", "name", "lon", "lat"]).reset_index(drop=True)
