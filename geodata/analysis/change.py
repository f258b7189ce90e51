"""Change over time: the Indices of Deprivation 2019 (LSOA 2011) carried onto LSOA 2021 and
set against 2025, in national terms; and the borough series of the LAIT measures."""

from __future__ import annotations

import numpy as np
import pandas as pd

# England's LSOAs ranked in each edition (rank 1 = most deprived).
ENGLAND_LSOAS_2019 = 32_844
ENGLAND_LSOAS_2025 = 33_755

# Rank columns in the 2019 file that are not an index, domain or sub-domain.
_NOT_DOMAINS = {"imd_rank_from_derived_score"}

CHANGE_CAVEAT = (
    "Ranks are national (England; 1 = most deprived): 2019 out of 32,844 LSOAs (2011 boundaries), "
    "2025 out of 33,755 (2021 boundaries). The methods changed between editions (new and "
    "redefined indicators, new data years), so a change in rank is a change in standing among "
    "England's areas under each edition's method, not a measured change in the area. The 2019 "
    "rank is put on the 2025 scale (× 33,755 / 32,844) before subtracting. An LSOA 2021 made "
    "by splitting a 2011 one carries its parent's 2019 rank (flag S); one made by merging "
    "carries the rank of the 2011 LSOA that covers most of it (flag M)."
)

CHANGE_FLAGS = {
    "U": "Boundary unchanged since 2011",
    "S": "Split from a larger 2011 area: the 2019 rank is the parent area's",
    "M": "Merged from 2011 areas: the 2019 rank is the one covering most of it",
}


def shared_domains(iod19: pd.DataFrame, iod25: pd.DataFrame) -> tuple[str, ...]:
    """Every index, domain and sub-domain with a rank and a decile in both editions (2019 file order)."""
    out = []
    for c in iod19.columns:
        if c.endswith("_rank") and c not in _NOT_DOMAINS:
            d = c[: -len("_rank")]
            if {f"{d}_rank", f"{d}_decile"} <= set(iod25.columns) and f"{d}_decile" in iod19.columns:
                out.append(d)
    return tuple(out)


def carry_lsoa11_to_lsoa21(lookup: pd.DataFrame) -> pd.DataFrame:
    """One LSOA 2011 parent per LSOA 2021 from the ONS lookup (``lsoa11_code, change_code,
    lsoa21_code, share_of_lsoa21_area``): the only parent, or for a merge the one covering
    the largest share of the 2021 area. Returns ``lsoa21_code, lsoa11_code, change_code,
    lsoa11_codes`` (every parent, ``;``-separated)."""
    lk = lookup.sort_values(["lsoa21_code", "share_of_lsoa21_area", "lsoa11_code"], ascending=[True, False, True])
    parents = lk.groupby("lsoa21_code", sort=True).lsoa11_code.agg(lambda s: ";".join(sorted(s)))
    first = lk.drop_duplicates("lsoa21_code").set_index("lsoa21_code")
    return pd.DataFrame(
        {
            "lsoa21_code": first.index.to_numpy(),
            "lsoa11_code": first.lsoa11_code.to_numpy(),
            "change_code": first.change_code.to_numpy(),
            "lsoa11_codes": parents.reindex(first.index).to_numpy(),
        }
    )


def iod_change(iod19: pd.DataFrame, iod25: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """IoD 2019 → 2025 for every LSOA 2021 and every domain both editions share (long form).

    Columns: ``lsoa21_code, domain, rank_2019, rank_2025, rank_change`` (2025 rank minus
    the 2019 rank put on the 2025 scale, × 33,755 / 32,844: positive = less deprived relative
    to England than in 2019), ``decile_2019, decile_2025, decile_change`` (national deciles),
    ``change_code`` (U, S or M) and ``lsoa11_codes`` (``;``-separated). Sorted by domain (file
    order) then code. Percentiles follow as rank / England's LSOAs × 100.
    """
    domains = shared_domains(iod19, iod25)
    carry = carry_lsoa11_to_lsoa21(lookup)
    carry = carry[carry.lsoa21_code.isin(iod25.lsoa21_code)].reset_index(drop=True)
    i19 = iod19.set_index("lsoa11_code")
    i25 = iod25.set_index("lsoa21_code")
    codes = carry.lsoa21_code.to_numpy()
    missing = sorted(set(iod25.lsoa21_code) - set(codes)) + sorted(set(carry.lsoa11_code) - set(i19.index))
    if missing:
        raise ValueError(f"LSOAs the lookup cannot carry from 2011 to 2021: {missing[:5]}")
    frames = []
    for d in domains:
        r19 = i19[f"{d}_rank"].reindex(carry.lsoa11_code).to_numpy(dtype=float)
        r25 = i25[f"{d}_rank"].reindex(codes).to_numpy(dtype=float)
        scaled = r19 * ENGLAND_LSOAS_2025 / ENGLAND_LSOAS_2019
        d19 = i19[f"{d}_decile"].reindex(carry.lsoa11_code).to_numpy(dtype=float)
        d25 = i25[f"{d}_decile"].reindex(codes).to_numpy(dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "lsoa21_code": codes,
                    "domain": d,
                    "rank_2019": pd.array(r19, dtype="Int32"),
                    "rank_2025": pd.array(r25, dtype="Int32"),
                    "rank_change": np.round(r25 - scaled, 1).astype("float32"),
                    "decile_2019": pd.array(d19, dtype="Int8"),
                    "decile_2025": pd.array(d25, dtype="Int8"),
                    "decile_change": pd.array(d25 - d19, dtype="Int8"),
                    "change_code": carry.change_code.to_numpy(),
                    "lsoa11_codes": carry.lsoa11_codes.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def lait_series(long: pd.DataFrame, measure_short: str) -> pd.DataFrame:
    """Every period the LAIT long file holds for one measure, for each area in it (the seven
    boroughs, the West Midlands region and England): ``period, period_order, year_type,
    area_code, area_name, area_type, value`` (NaN where LAIT shows "-"), periods in order."""
    m = long[long.measure_short == measure_short].drop_duplicates(["area_code", "period"])
    if m.empty:
        raise ValueError(f"LAIT measure {measure_short!r} not found.")
    periods = sorted(m.period.astype(str).unique())
    order = {p: k for k, p in enumerate(periods)}
    out = pd.DataFrame(
        {
            "period": m.period.astype(str).to_numpy(),
            "period_order": m.period.astype(str).map(order).astype("int16").to_numpy(),
            "year_type": m.year_type.astype(str).to_numpy(),
            "area_code": m.area_code.astype(str).to_numpy(),
            "area_name": m.area_name.astype(str).to_numpy(),
            "area_type": m.area_type.astype(str).to_numpy(),
            "value": pd.to_numeric(m.value, errors="coerce").to_numpy(dtype=float),
        }
    )
    return out.sort_values(["period_order", "area_code"]).reset_index(drop=True)
