"""Write the committed Gi* fixture in tests/data/hotspots: Coventry's 203 small areas, cut
from the committed data (values of three measures and their queen contiguity), and the classes
an independent esda ``G_Local`` run gives for them.

    python tests/data/make_hotspot_fixture.py

The values and neighbours are copied from ``data/processed`` (real numbers, none edited);
the classes come from esda alone (``G_Local(star=True, transform="R")``, 9,999 permutations,
the app's seed, Benjamini-Hochberg at 0.05 by ``esda.fdr``), never from this repository's Gi*.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import numpy as np
import pandas as pd
from esda import fdr
from esda.getisord import G_Local
from libpysal.weights import W

from geodata import analysis as A
from geodata.store import load

OUT = HERE / "hotspots"
BOROUGH = "E08000026"  # Coventry
MEASURES = ("violence_with_injury_rate", "risk_index", "idaci_decile")
PERMUTATIONS = 9_999


def esda_classes(y: np.ndarray, w: W, seed: int) -> tuple[np.ndarray, np.ndarray]:
    g = G_Local(y, w, transform="R", star=True, permutations=PERMUTATIONS, seed=seed, n_jobs=1)
    p = np.asarray(g.p_sim, dtype=float)
    sig = p <= fdr(p, 0.05)
    return np.where(sig & (g.z_sim > 0), "hot", np.where(sig & (g.z_sim < 0), "cold", "none")), p


def fixture_weights(edges: pd.DataFrame, codes: list[str]) -> W:
    nb = {c: sorted(edges.neighbour[edges.lsoa21_code == c]) for c in codes}
    w = W(nb, id_order=codes, silence_warnings=True)
    w.transform = "B"  # binary, as the app's queen weights
    return w


def main() -> int:
    data = load()
    keep = (data.areas.lad_code == BOROUGH).to_numpy()
    codes = data.areas.lsoa21_code[keep].tolist()
    values = pd.DataFrame({"lsoa21_code": codes, **{m: A.measure(m, data).values[keep] for m in MEASURES}})
    full = A.queen_weights(data).w
    inside = set(codes)
    edges = pd.DataFrame(
        [(c, n) for c in codes for n in sorted(full.neighbors[c]) if n in inside], columns=["lsoa21_code", "neighbour"]
    )
    w = fixture_weights(edges, codes)
    assert not w.islands, w.islands
    classes = pd.DataFrame({"lsoa21_code": codes})
    for m in MEASURES:
        classes[m], classes[f"{m}_p"] = esda_classes(values[m].to_numpy(), w, A.SEED)
    OUT.mkdir(exist_ok=True)
    values.to_csv(OUT / "coventry_values.csv", index=False, lineterminator="\n")  # full precision: round-trips
    edges.to_csv(OUT / "coventry_queen.csv", index=False, lineterminator="\n")
    classes.to_csv(OUT / "coventry_esda_classes.csv", index=False, float_format="%.6g", lineterminator="\n")
    print(f"{len(codes)} areas, {len(edges)} neighbour pairs -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
