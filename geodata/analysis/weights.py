"""Queen contiguity between the small areas (libpysal), islands attached to their nearest neighbour."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
from libpysal.weights import KNN, Queen, W, w_subset
from libpysal.weights.util import attach_islands

from ..constants import BNG
from ..store import Data, load


@dataclass(frozen=True, eq=False)
class QueenWeights:
    """Binary queen contiguity between LSOA 2021 polygons, ids = LSOA codes in Data order.

    An *island* (an area that shares no boundary point with another) is attached to its
    nearest neighbour by distance between inner points, so every area has at least one
    neighbour; ``islands`` names them (none in the 2021 West Midlands boundaries).
    """

    w: W
    islands: tuple[str, ...]
    seconds: float

    @property
    def n(self) -> int:
        return int(self.w.n)

    @property
    def mean_neighbours(self) -> float:
        return float(self.w.mean_neighbors)


def queen_weights(data: Data | None = None) -> QueenWeights:
    """Queen contiguity weights for all 1,719 LSOAs (cached per Data)."""
    return _queen(data or load())


def _attach_islands(w: W, points: np.ndarray, ids: list[str]) -> tuple[W, tuple[str, ...]]:
    islands = tuple(w.islands)
    if islands:
        knn = KNN.from_array(points, k=1, ids=ids, silence_warnings=True)
        w = attach_islands(w, knn, silence_warnings=True)
    w.transform = "B"
    return w, islands


@lru_cache(maxsize=4)
def _queen(data: Data) -> QueenWeights:
    t0 = time.perf_counter()
    codes = data.lsoa21.code.tolist()
    if codes != data.areas.lsoa21_code.tolist():  # pragma: no cover - the build sorts both
        raise RuntimeError("LSOA polygons and areas are not in the same order")
    w = Queen.from_dataframe(data.lsoa21, ids=codes, use_index=False, silence_warnings=True)
    w, islands = _attach_islands(w, _inner_points(data), codes)
    return QueenWeights(w, islands, time.perf_counter() - t0)


@lru_cache(maxsize=4)
def _inner_points(data: Data) -> np.ndarray:
    pts = data.lsoa21.geometry.representative_point().to_crs(BNG)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


@lru_cache(maxsize=16)
def _weights_for(data: Data, mask: bytes) -> tuple[W, tuple[str, ...]]:
    """Weights over the areas that have a value: the full queen weights, or their subset
    with any area left without neighbours attached to its nearest one."""
    keep = np.frombuffer(mask, dtype=bool)
    full = queen_weights(data)
    if keep.all():
        return full.w, full.islands
    return weights_subset(full.w, keep, _inner_points(data))


def weights_subset(w: W, keep: np.ndarray, points: np.ndarray) -> tuple[W, tuple[str, ...]]:
    """``w`` restricted to the areas in ``keep`` (a mask in ``w.id_order``), any area left
    without neighbours attached to its nearest one by ``points`` (inner points, metres)."""
    ids = [c for c, k in zip(w.id_order, keep) if k]
    sub = w_subset(w, ids, silence_warnings=True)
    return _attach_islands(sub, points[keep], ids)


def queen_from_polygons(lsoa21: gpd.GeoDataFrame) -> tuple[W, tuple[str, ...], np.ndarray]:
    """Binary queen weights straight from the polygons (``code`` column, in frame order), as
    :func:`queen_weights` builds them, for the build stage that has no loaded Data yet:
    the weights, the islands attached and the inner points used to attach them."""
    codes = lsoa21.code.tolist()
    w = Queen.from_dataframe(lsoa21, ids=codes, use_index=False, silence_warnings=True)
    pts = lsoa21.geometry.representative_point().to_crs(BNG)
    points = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
    w, islands = _attach_islands(w, points, codes)
    return w, islands, points
