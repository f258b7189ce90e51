"""Command-line interface: ``python -m geodata {build,lookup,profile,hotspots,fetch-police}``.

lookup and profile print JSON (one object per line for lookup) and exit 0 even when a
postcode is not found; a usage error exits 2. Their keys are stable for partners' scripts.
hotspots prints one JSON object per LSOA 2021: lsoa21_code, value, z, p (permutation
p-value, uncorrected), significant (after false discovery rate control unless --no-fdr)
and class (hot, cold or none). fetch-police downloads monthly police.uk files (needs
internet; nothing else does).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geodata", description="West Midlands postcode risk-factor data")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the processed artifacts from the raw files")
    b.add_argument("--raw", help="raw data folder (default ../shared/data/raw)")
    b.add_argument("--out", help="output folder (default data/processed)")
    b.add_argument("--no-england", action="store_true", help="skip the England lookup (tests only)")
    b.add_argument("--police", help="folder of monthly police.uk street-level CSVs (default: RAW/police if present)")
    b.add_argument("--update-lock", action="store_true", help="accept changed raw inputs and rewrite the sources lock")
    b.add_argument(
        "--allow-shrink", action="store_true", help="with --update-lock: accept counts that fell beyond the tolerance"
    )
    b.add_argument("--lock", help="sources lock file (default geodata/sources.lock.json)")
    lk = sub.add_parser("lookup", help="resolve postcodes; one JSON object per line")
    lk.add_argument("postcodes", nargs="*", help="postcodes (default: one a line on stdin)")
    pr = sub.add_parser("profile", help="profile of a postcode's surrounding area, as JSON")
    pr.add_argument("postcode")
    pr.add_argument("--radius-km", type=float, default=1.0, help="surrounding area radius (default 1)")
    hs = sub.add_parser("hotspots", help="Getis-Ord Gi* hot and cold spots; one JSON object per LSOA")
    hs.add_argument("indicator_id", help="indicator, index (e.g. risk_index) or police.uk rate id")
    hs.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    hs.add_argument("--no-fdr", action="store_true", help="no false discovery rate control (uncorrected view)")
    hs.add_argument("--permutations", type=int, default=None, help="permutations (default 9,999, as the app on demand)")
    hs.add_argument("--seed", type=int, default=None, help="random seed (default: the app's fixed seed)")
    fp = sub.add_parser("fetch-police", help="download monthly police.uk street-level files (needs internet)")
    fp.add_argument("--months", nargs="+", required=True, metavar="YYYY-MM", help="months to fetch")
    fp.add_argument("--out", required=True, help="folder to write YYYY-MM-<force>-street.csv files into")
    fp.add_argument("--force", default="west-midlands", help="police force file name part (default west-midlands)")
    return p


def commands() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each command's name, what it does and its options, for the Download and API page."""
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help or "" for c in sub._choices_actions}
    return [
        (
            name,
            helps.get(name, ""),
            [(", ".join(a.option_strings) or a.dest, a.help or "") for a in p._actions if a.dest != "help"],
        )
        for name, p in sub.choices.items()
    ]


def _lines(args: list[str]) -> Iterable[str]:
    if args:
        yield from args
    else:
        for line in sys.stdin:
            if line.strip():
                yield line.rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from .build import main_build

        return main_build(
            args.raw,
            args.out,
            england=not args.no_england,
            police_dir=args.police,
            lock_path=args.lock,
            update_lock=args.update_lock,
            allow_shrink=args.allow_shrink,
        )
    if args.command == "fetch-police":
        return _fetch_police(args)

    from .store import DataError

    try:
        if args.command == "lookup":
            from .places import lookup_postcode

            for q in _lines(args.postcodes):
                print(json.dumps(lookup_postcode(q).public_dict(), ensure_ascii=False), flush=True)
            return 0
        if args.command == "hotspots":
            return _hotspots(args)
        from .profile import check_radius, profile_for_postcode

        try:
            radius = check_radius(args.radius_km)
        except ValueError as exc:
            print(f"python -m geodata profile: error: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(profile_for_postcode(args.postcode, radius), ensure_ascii=False, indent=1))
        return 0
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _json_number(x: float, digits: int) -> float | None:
    return None if math.isnan(x) else round(float(x), digits)


def _hotspots(args: argparse.Namespace) -> int:
    from .analysis import PERMUTATIONS, SEED, MeasureError, hotspots

    try:
        hs = hotspots(
            args.indicator_id,
            alpha=args.alpha,
            permutations=args.permutations or PERMUTATIONS,
            seed=SEED if args.seed is None else args.seed,
            fdr=not args.no_fdr,
        )
    except (MeasureError, ValueError) as exc:
        print(f"python -m geodata hotspots: error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout
    for r in hs.itertuples(index=False):
        out.write(
            json.dumps(
                {
                    "lsoa21_code": r.lsoa21_code,
                    "value": _json_number(r.value, 6),
                    "z": _json_number(r.z, 4),
                    "p": _json_number(r.p, 4),
                    "significant": bool(r.significant),
                    "class": r[hs.columns.get_loc("class")],
                }
            )
            + "\n"
        )
    out.flush()
    return 0


def _fetch_police(args: argparse.Namespace) -> int:
    from .police import FetchError, check_month, fetch_months

    try:
        months = [check_month(m) for m in args.months]
    except ValueError as exc:
        print(f"python -m geodata fetch-police: error: {exc}", file=sys.stderr)
        return 2
    try:
        written = fetch_months(months, args.out, force=args.force, echo=lambda m: print(m, file=sys.stderr))
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} file(s) to {args.out}; build with `python -m geodata build --police {args.out}`")
    return 0
