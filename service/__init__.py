"""The one cached service layer between the web (callbacks, API) and the pure data layer.

Every function takes primitive arguments and returns plain dicts and lists, memoised in
the shared cache (:mod:`service.cache`), so callbacks and API views never touch pandas
and a repeated view is instant. ``areas``: places and profiles; ``measures``: what can be
mapped and weighted; ``maps``: what the map paints; ``planning``: the delivery team's tools.
"""

from __future__ import annotations

from .areas import (
    area_profile,
    borough_name,
    borough_of_ward,
    canonical_postcode,
    is_area,
    lookup,
    lsoa_codes,
    nearby,
    postcode_profile,
    ward_code,
    ward_codes,
    ward_label,
)
from .cache import RETRY_AFTER_S, TIMEOUT, GuardedBackend, SafeCache, cache, redis_client_options
from .maps import (
    BAND_COLOURS,
    BAND_LABELS,
    BANDS,
    QUADRANT_COLOURS,
    QUADRANT_ORDER,
    VIEW_LABELS,
    VIEWS,
    borough_counts,
    clean,
    map_layer,
)
from .measures import DEFAULT_WEIGHTS, is_measure, measure_label, measure_options, weighted_values, weights_map
from .planning import (
    BIVARIATE_PAIRS,
    PRIORITY_SORTS,
    SORTS,
    TABLE_ROWS,
    bivariate_clusters,
    borough_series,
    compare_areas,
    high_risk_low_protection,
    hotspot_layer,
    iod_change,
    iod_domains,
    monthly_trend,
    police_status,
    quadrant_points,
    ranked_csv,
    ranked_rows,
    series_indicators,
)
from .plans import PLAN_FORMATS, plan_document, plan_file
from .priorities import priority_counts, priority_view

__all__ = [
    "BANDS",
    "BAND_COLOURS",
    "BAND_LABELS",
    "BIVARIATE_PAIRS",
    "DEFAULT_WEIGHTS",
    "PLAN_FORMATS",
    "PRIORITY_SORTS",
    "QUADRANT_COLOURS",
    "QUADRANT_ORDER",
    "RETRY_AFTER_S",
    "SORTS",
    "TABLE_ROWS",
    "TIMEOUT",
    "VIEWS",
    "VIEW_LABELS",
    "GuardedBackend",
    "SafeCache",
    "area_profile",
    "bivariate_clusters",
    "borough_counts",
    "borough_name",
    "borough_of_ward",
    "borough_series",
    "cache",
    "canonical_postcode",
    "clean",
    "compare_areas",
    "high_risk_low_protection",
    "hotspot_layer",
    "iod_change",
    "iod_domains",
    "is_area",
    "is_measure",
    "lookup",
    "lsoa_codes",
    "map_layer",
    "measure_label",
    "measure_options",
    "monthly_trend",
    "nearby",
    "plan_document",
    "plan_file",
    "police_status",
    "postcode_profile",
    "priority_counts",
    "priority_view",
    "quadrant_points",
    "ranked_csv",
    "ranked_rows",
    "redis_client_options",
    "series_indicators",
    "ward_code",
    "ward_codes",
    "ward_label",
    "weighted_values",
    "weights_map",
]
