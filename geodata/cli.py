"""Command-line interface: ``python -m geodata {build,lookup,profile}``.

lookup and profile print JSON (one object per line for lookup) and exit 0 even when a
postcode is not found; a usage error exits 2. Their keys are stable for partners' scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geodata", description="West Midlands postcode risk-factor data")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the processed artifacts from the raw files")
    b.add_argument("--raw", help="raw data folder (default ../shared/data/raw)")
    b.add_argument("--out", help="output folder (default data/processed)")
    b.add_argument("--no-england", action="store_true", help="skip the England lookup (tests only)")
    lk = sub.add_parser("lookup", help="resolve postcodes; one JSON object per line")
    lk.add_argument("postcodes", nargs="*", help="postcodes (default: one a line on stdin)")
    pr = sub.add_parser("profile", help="profile of a postcode's surrounding area, as JSON")
    pr.add_argument("postcode")
    pr.add_argument("--radius-km", type=float, default=1.0, help="surrounding area radius (default 1)")
    return p


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
        return main_build(args.raw, args.out, england=not args.no_england)

    from .store import DataError
    try:
        if args.command == "lookup":
            from .places import lookup_postcode
            for q in _lines(args.postcodes):
                print(json.dumps(lookup_postcode(q).public_dict(), ensure_ascii=False), flush=True)
            return 0
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
