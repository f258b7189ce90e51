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
    canonical_postcode,
    is_area,
    lookup,
    nearby,
    postcode_profile,
    ward_code,
    ward_label,
)
from .cache import RETRY_AFTER_S, TIMEOUT, GuardedBackend, SafeCache, cache, redis_client_options
from .maps import (
    BAND_COLOURS,
    BAND_LABELS,
    BANDS,
    QUADRANT_COLOURS,
    QUADRANT_ORDER,
    VIEWS,
    borough_counts,
    clean,
    map_layer,
)
from .measures import DEFAULT_WEIGHTS, is_measure, measure_label, measure_options, weighted_values, weights_map
from .planning import (
    SORTS,
    TABLE_ROWS,
    compare_areas,
    monthly_trend,
    police_status,
    quadrant_points,
    ranked_csv,
    ranked_rows,
)

__all__ = [
    "BANDS",
    "BAND_COLOURS",
    "BAND_LABELS",
    "DEFAULT_WEIGHTS",
    "QUADRANT_COLOURS",
    "QUADRANT_ORDER",
    "RETRY_AFTER_S",
    "SORTS",
    "TABLE_ROWS",
    "TIMEOUT",
    "VIEWS",
    "GuardedBackend",
    "SafeCache",
    "area_profile",
    "borough_counts",
    "borough_name",
    "cache",
    "canonical_postcode",
    "clean",
    "compare_areas",
    "is_area",
    "is_measure",
    "lookup",
    "map_layer",
    "measure_label",
    "measure_options",
    "monthly_trend",
    "nearby",
    "police_status",
    "postcode_profile",
    "quadrant_points",
    "ranked_csv",
    "ranked_rows",
    "redis_client_options",
    "ward_code",
    "ward_label",
    "weighted_values",
    "weights_map",
]
