"""Delivery-team analysis, one module a method: ``hotspot`` (Gi*), ``indices`` (composite
risk and protective indices), ``quadrant`` (risk versus violence), ``ranking`` (ranked
tables), ``comparison`` (areas side by side); ``measures`` resolves ids, ``weights`` builds
the spatial weights.

Pure functions over the loaded :class:`~geodata.store.Data` (pandas, numpy, libpysal,
esda; never a web framework). Statistics come from PySAL: queen contiguity from
``libpysal.weights``, Getis-Ord Gi* and the false discovery rate from ``esda``. The method
is written out for people in ``docs/methods.md``.

Measures
--------
Every function that takes a *measure id* accepts:

* a small-area indicator id from the registry (borough-wide figures are refused: they
  are not measured for small areas and never colour the map);
* an index id: ``risk_index``, ``protective_index``, or one per socio-ecological level,
  e.g. ``risk_index_community`` (see :func:`index_ids`);
* a police.uk rate id such as ``police_all_crime`` when monthly police files were built
  (see :mod:`geodata.police`).

Ranks
-----
One convention everywhere: rank 1 is the small area of most concern among the 1,719 in
the West Midlands — the highest value where higher is worse (risk, violence, the risk
index), the lowest where higher is better (deciles, the protective index). Ties share the
best rank, as in the area profile.
"""

from __future__ import annotations

from ._common import SEED, wm_rank
from .comparison import MAX_COMPARE, compare
from .hotspot import (
    BUILD_PERMUTATIONS,
    CONFIDENCE_BANDS,
    DEFAULT_ALPHA,
    PERMUTATIONS,
    class_counts_by_borough,
    confidence,
    fdr_significant,
    gi_star,
    gi_star_permutations,
    hotspot_counts_by_borough,
    hotspots,
)
from .indices import (
    EXP_CONSTANT,
    INDEX_ROLES,
    SENSITIVITY_DRAWS,
    compose,
    composite_index,
    direction,
    exp_transform,
    index_factors,
    index_id,
    index_ids,
    index_label,
    index_sensitivity,
    parse_index_id,
    rank_normalise,
    resolve_weights,
    weights_by_level,
)
from .measures import Measure, MeasureError, measure, measure_ids
from .quadrant import QUADRANT_LABELS, QUADRANTS, SPLITS, Quadrants, assign_quadrants, quadrants, split_value
from .ranking import TABLE_COLUMNS, provenance, ranked_table
from .weights import QueenWeights, queen_weights

__all__ = [
    "BUILD_PERMUTATIONS",
    "CONFIDENCE_BANDS",
    "DEFAULT_ALPHA",
    "EXP_CONSTANT",
    "INDEX_ROLES",
    "MAX_COMPARE",
    "PERMUTATIONS",
    "QUADRANTS",
    "QUADRANT_LABELS",
    "SEED",
    "SENSITIVITY_DRAWS",
    "SPLITS",
    "TABLE_COLUMNS",
    "Measure",
    "MeasureError",
    "Quadrants",
    "QueenWeights",
    "assign_quadrants",
    "class_counts_by_borough",
    "compare",
    "compose",
    "composite_index",
    "confidence",
    "direction",
    "exp_transform",
    "fdr_significant",
    "gi_star",
    "gi_star_permutations",
    "hotspot_counts_by_borough",
    "hotspots",
    "index_factors",
    "index_id",
    "index_ids",
    "index_label",
    "index_sensitivity",
    "measure",
    "measure_ids",
    "parse_index_id",
    "provenance",
    "quadrants",
    "queen_weights",
    "rank_normalise",
    "ranked_table",
    "resolve_weights",
    "split_value",
    "weights_by_level",
    "wm_rank",
]
