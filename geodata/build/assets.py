"""Nearby strengths: sports sites, open libraries, warm spaces and schools."""

from __future__ import annotations

import pandas as pd

from .indicators import sports_facilities, sports_sites
from .raw import Raw, check, require_columns

# The Active Places snapshot has no site names (sites.csv is not in it) and operator_name is
# mostly blank, so a sports site is named by what it has: its facility types in plain words,
# in this order (the big indoor facilities first). Golf and cycling name the facility by its
# subtype, since "golf" alone could be a driving range and "cycling" a BMX track or a velodrome.
# An operator, where given, goes in the detail ("run by Kore Wellness"), not the name: one
# operator runs several sites (Coventry Sports Foundation 5, Kore Wellness 4), so it names none.
FACILITY_WORDS = {
    "Swimming Pool": "swimming pool",
    "Sports Hall": "sports hall",
    "Health and Fitness Gym": "gym",
    "Studio": "exercise studio",
    "Artificial Grass Pitch": "artificial grass pitch",
    "Outdoor Tennis Courts": "outdoor tennis courts",
    "Indoor Tennis Centre": "indoor tennis centre",
    "Squash Courts": "squash courts",
    "Athletics": "athletics track",
    "Golf": "golf",
    "Cycling": "cycling",
    "Indoor Bowls": "indoor bowls",
    "Ice Rinks": "ice rink",
    "Ski Slopes": "ski slope",
}
SUBTYPE_WORDS = {
    ("Golf", "Standard"): "golf course",
    ("Golf", "Par 3"): "par 3 golf course",
    ("Golf", "Driving Range"): "golf driving range",
    ("Cycling", "Cycle Speedway - Track"): "cycle speedway track",
    ("Cycling", "BMX - Pump Track"): "BMX pump track",
    ("Cycling", "BMX - Race Track"): "BMX race track",
    ("Cycling", "Mountain Bike - Trails"): "mountain bike trails",
    ("Cycling", "Track - Outdoor Velodrome"): "outdoor velodrome",
    ("Cycling", "Road - Closed Road Cycling Circuit"): "closed road cycling circuit",
}
# The detail lists the kinds of each facility type ("pools: main, learner") in the source's
# words, shortened where they are a slash list or repeat the type, in this order; a subtype
# that merely repeats the type (gym, tennis courts, ice rinks, indoor bowls) is left out.
DETAIL_NOUN = {
    "Swimming Pool": "pools",
    "Sports Hall": "halls",
    "Studio": "studios",
    "Artificial Grass Pitch": "pitches",
    "Indoor Tennis Centre": "indoor tennis",
    "Squash Courts": "squash",
    "Athletics": "athletics",
    "Ski Slopes": "ski slope",
}
SUBTYPE_SHORT = {
    "Main/General": "main",
    "Learner/Teaching/Training": "learner",
    "Leisure Pool": "leisure",
    "Diving": "diving",
    "Lido": "lido",
    "Main": "main",
    "Activity Hall": "activity",
    "Fitness Studio": "fitness",
    "Cycle Studio": "cycle",
    "Long Pile Carpet": "long pile carpet",
    "Sand Filled": "sand filled",
    "Sand Dressed": "sand dressed",
    "Water Based": "water based",
    "Standard Oval Outdoor": "standard outdoor oval",
    "Compact Outdoor": "compact outdoor",
    "Mini Outdoor": "mini outdoor",
}
# access_type in the source's own words, in this order.
ACCESS_ORDER = [
    "Free Public Access",
    "Pay and Play",
    "Registered Membership use",
    "Sports Club / Community Association",
]
# management_type as who runs the site; "Other" says nothing.
RUN_BY = {
    "Local Authority (in house)": "the council",
    "School/College/University (in house)": "a school, college or university",
    "Commercial Management": "a commercial operator",
    "Trust": "a trust",
    "Sport Club": "a sports club",
    "Industry Sports Club": "an industry sports club",
    "Community Organisation": "a community organisation",
    "Private Contractor (PPP/PFI)": "a private contractor (PPP/PFI)",
}
DETAIL_MAX = 160


Facility = dict[str, object]  # one row of the source, as a plain dict (grouping 600 frames is slow)


def _distinct(values) -> list[str]:
    """Distinct non-blank values in first-seen order."""
    return list(dict.fromkeys(str(v).strip() for v in values if pd.notna(v) and str(v).strip()))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _subtypes(rows: list[Facility], facility_type: str) -> list[str]:
    return _distinct(r["facility_subtype"] for r in rows if r["facility_type"] == facility_type)


def site_name(rows: list[Facility]) -> str:
    """'Swimming pool, sports hall and gym': the site's facility types in plain words."""
    types = {r["facility_type"] for r in rows}
    words: list[str] = []
    for t, word in FACILITY_WORDS.items():
        if t in types:
            sub = [SUBTYPE_WORDS.get((t, s)) for s in _subtypes(rows, t)]
            words += [w for w in sub if w] or [word]
    name = _and(_distinct(words))
    return name[0].upper() + name[1:]


def site_detail(rows: list[Facility]) -> str:
    """'Access: Pay and Play · run by the council · pools: main, learner': who may use it, who
    runs it and, as far as DETAIL_MAX allows, the kinds of its facilities."""
    access = sorted(
        _distinct(r["access_type"] for r in rows),
        key=lambda a: (ACCESS_ORDER.index(a) if a in ACCESS_ORDER else len(ACCESS_ORDER), a),
    )
    parts = ["Access: " + ", ".join(access)]
    operator = _distinct(r["operator_name"] for r in rows)
    run_by = [RUN_BY[m] for m in _distinct(r["management_type"] for r in rows) if m in RUN_BY]
    if operator:
        parts.append(f"run by {' and '.join(operator)}" + (f" ({' and '.join(run_by)})" if run_by else ""))
    elif run_by:
        parts.append("run by " + " and ".join(run_by))
    order = list(SUBTYPE_SHORT)
    detail = " · ".join(parts)
    for t, noun in DETAIL_NOUN.items():
        found = sorted(_subtypes(rows, t), key=lambda s: (order.index(s) if s in order else len(order), s))
        if not found:
            continue
        kinds = f"{noun}: {', '.join(SUBTYPE_SHORT.get(s, s.lower()) for s in found)}"
        if len(detail) + 3 + len(kinds) > DETAIL_MAX:  # whole kinds only, last, so access and running always show
            break
        detail += " · " + kinds
    return detail


def sports_site_names(raw: Raw) -> pd.DataFrame:
    """Each sports site's name and detail from its facilities, by site_id."""
    f = sports_facilities(raw)
    require_columns(f, ["facility_subtype", "access_type", "management_type", "operator_name"], "Active Places")
    unknown = sorted(set(f.facility_type) - set(FACILITY_WORDS))
    check(not unknown, f"Active Places: facility types without plain words: {unknown}")
    by_site: dict[int, list[Facility]] = {}
    for r in f.sort_values(["site_id", "facility_id"]).to_dict("records"):
        by_site.setdefault(r["site_id"], []).append(r)
    rows = [(site, site_name(fs), site_detail(fs)) for site, fs in by_site.items()]
    return pd.DataFrame(rows, columns=["site_id", "name", "detail"])


def school_fsm(pct: float) -> str:
    """A school's share of pupils eligible for free school meals, as GIAS holds it (May 2025)."""
    if pd.isna(pct):
        return "free school meals share not held in GIAS"
    return f"{pct:.1f}% of pupils eligible for free school meals (GIAS)"


def build_assets(raw: Raw) -> pd.DataFrame:
    """Nearby strengths: sports sites, open libraries, warm spaces and schools."""
    sports = sports_sites(raw).merge(sports_site_names(raw), on="site_id", how="left", validate="one_to_one")
    libs = raw.csv("protective/public_libraries_wm.csv")
    libs = libs[libs.is_open == 1]
    warm = raw.csv("protective/warm_spaces_wm.csv")
    schools = raw.csv("schools/gias_open_establishments_wm.csv")
    schools = schools[schools.coords_in_bbox == 1]
    frames = [
        pd.DataFrame(
            {
                "kind": "sport",
                "name": sports.name,
                "detail": sports.detail,
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
                "detail": schools.education_phase.fillna("")
                + " · "
                + schools.establishment_type.fillna("")
                + " · "
                + schools.percentage_fsm.map(school_fsm),
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
