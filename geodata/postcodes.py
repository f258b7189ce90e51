"""Postcode parsing and the compact postcode index.

Parsing is pure string work. The index keeps postcodes as sorted 64-bit integers (each
character a base-37 digit), so a lookup is one binary search whatever the size: the same
code serves the 87 thousand West Midlands postcodes and the 2.2 million English ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

MAX_INPUT_CHARS = 32  # longer input is not a postcode; stops huge strings early

_UNIT = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$")
_SPACES = re.compile(r"\s+")

Kind = Literal["unit", "sector", "district", "invalid", "empty"]


@dataclass(frozen=True)
class ParsedPostcode:
    query: str
    kind: Kind
    normalised: str | None  # "B1 1AA", "CV1 2", "B15"; None when invalid


def parse(text: object) -> ParsedPostcode:
    """Classify what a person typed.

    Case and spacing are forgiven (``b11aa``, `` B1  1AA ``). A sector needs its space
    ("CV1 2"), because without it "CV12" is a district.
    """
    query = text if isinstance(text, str) else ""
    if len(query) > MAX_INPUT_CHARS:
        return ParsedPostcode(query[:MAX_INPUT_CHARS], "invalid", None)
    cleaned = _SPACES.sub(" ", query).strip().upper()
    if not cleaned:
        return ParsedPostcode(query, "empty", None)
    compact = cleaned.replace(" ", "")
    m = _UNIT.match(compact)
    if m:
        return ParsedPostcode(query, "unit", f"{m.group(1)} {m.group(2)}")
    m = _SECTOR.match(cleaned)
    if m:
        return ParsedPostcode(query, "sector", cleaned)
    if " " not in cleaned and _OUTWARD.match(cleaned):
        return ParsedPostcode(query, "district", cleaned)
    return ParsedPostcode(query, "invalid", None)


# --- integer keys -------------------------------------------------------------------

_WIDTH = 7
_DIGITS = np.zeros(256, dtype=np.int64)
for _i, _c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", start=1):
    _DIGITS[ord(_c)] = _i
_POWERS = 37 ** np.arange(_WIDTH - 1, -1, -1, dtype=np.int64)


def encode(postcode: str) -> int:
    """Integer key of a normalised unit postcode ("B1 1AA")."""
    compact = postcode.replace(" ", "")
    key = 0
    for ch in compact.ljust(_WIDTH, "\0"):
        key = key * 37 + int(_DIGITS[ord(ch)])
    return key


def encode_many(postcodes: np.ndarray | list[str]) -> np.ndarray:
    """Vectorised :func:`encode` for a build-sized array of normalised postcodes."""
    compact = [p.replace(" ", "") for p in postcodes]
    raw = np.array(compact, dtype=f"S{_WIDTH}").view(np.uint8).reshape(-1, _WIDTH)
    return _DIGITS[raw] @ _POWERS


class PostcodeIndex:
    """Sorted integer keys with a row number for each; read-only."""

    def __init__(self, keys: np.ndarray):
        order = np.argsort(keys, kind="stable")
        self._keys = np.ascontiguousarray(keys[order])
        self._rows = order
        if len(self._keys) > 1 and (np.diff(self._keys) == 0).any():
            raise ValueError("duplicate postcodes in index")
        self._keys.flags.writeable = False
        self._rows.flags.writeable = False

    def __len__(self) -> int:
        return len(self._keys)

    def row(self, postcode: str) -> int | None:
        key = encode(postcode)
        i = int(np.searchsorted(self._keys, key))
        if i < len(self._keys) and self._keys[i] == key:
            return int(self._rows[i])
        return None

    @property
    def nbytes(self) -> int:
        return self._keys.nbytes + self._rows.nbytes
