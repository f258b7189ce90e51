"""Postcode parsing and the integer postcode index (geodata.postcodes): pure, no data needed."""

from __future__ import annotations

import numpy as np
import pytest

from geodata.postcodes import MAX_INPUT_CHARS, PostcodeIndex, encode, encode_many, parse


@pytest.mark.parametrize(
    ("text", "kind", "normalised"),
    [
        # case and spacing are forgiven
        ("B15 2TT", "unit", "B15 2TT"),
        ("b152tt", "unit", "B15 2TT"),
        (" B15  2TT ", "unit", "B15 2TT"),
        ("b15 2tt", "unit", "B15 2TT"),
        ("B15\t2TT", "unit", "B15 2TT"),
        ("\tb15\t\t2tt\n", "unit", "B15 2TT"),
        ("B15\u00a02TT", "unit", "B15 2TT"),  # a non-breaking space pasted from a web page
        ("B11AA", "unit", "B1 1AA"),  # the inward code is always digit + two letters
        ("CV34FY", "unit", "CV3 4FY"),
        ("EC1A 1BB", "unit", "EC1A 1BB"),  # a letter in the outward code
        ("WV11AA", "unit", "WV1 1AA"),
        # sectors need their space; without it "CV12" is a district
        ("CV1 2", "sector", "CV1 2"),
        ("cv1  2", "sector", "CV1 2"),
        ("B15 2", "sector", "B15 2"),
        ("B15", "district", "B15"),
        ("b15", "district", "B15"),
        (" cv12 ", "district", "CV12"),
        ("EC1A", "district", "EC1A"),
    ],
)
def test_parse_valid_shapes(text: str, kind: str, normalised: str) -> None:
    p = parse(text)
    assert (p.kind, p.normalised) == (kind, normalised)
    assert p.query == text  # what the person typed is kept for the message


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "B1 1A",  # inward code too short
        "12345",
        "B15 2TTX",
        "B15 2TT B15 2TT",
        "BB",
        "1B1 1AA",
        "B1-1AA",
        "B15 22",
        "B15 2T",
        "x" * 1000,
        " " * 990 + "B15 2TT",  # longer than any postcode, whatever it ends with
    ],
)
def test_parse_invalid_shapes(text: str) -> None:
    p = parse(text)
    assert p.kind == "invalid"
    assert p.normalised is None
    assert len(p.query) <= MAX_INPUT_CHARS  # a huge input is not echoed back whole


@pytest.mark.parametrize("text", ["", " ", "\t\n", "   \u00a0 "])
def test_parse_empty(text: str) -> None:
    assert parse(text).kind == "empty"


@pytest.mark.parametrize("value", [None, 12345, 15.2, b"B15 2TT", ["B15 2TT"], {"postcode": "B15 2TT"}])
def test_parse_non_string_is_not_a_postcode(value: object) -> None:
    p = parse(value)
    assert p.kind in ("empty", "invalid")
    assert p.normalised is None
    assert isinstance(p.query, str)


@pytest.mark.parametrize("pc", ["B1 1AA", "B15 2TT", "CV3 4FY", "EC1A 1BB", "WV1 1AA", "B99 9ZZ"])
def test_encode_many_matches_encode(pc: str) -> None:
    assert int(encode_many([pc])[0]) == encode(pc)


def test_encode_preserves_postcode_order() -> None:
    # A sorted index needs keys in the same order as the characters (digits before letters).
    pcs = sorted(
        ["B1 1AA", "B1 1AB", "B10 0AA", "B15 2TT", "B1 9ZZ", "CV1 2AA", "CV3 4FY", "WV1 1AA"],
        key=lambda s: s.replace(" ", "").ljust(7, "\0"),
    )
    keys = encode_many(pcs)
    assert list(keys) == sorted(keys)
    assert len(set(keys.tolist())) == len(pcs)


def test_index_finds_rows_and_rejects_unknowns() -> None:
    pcs = ["B15 2TT", "B1 1AA", "CV3 4FY", "WV1 1AA"]
    index = PostcodeIndex(encode_many(pcs))
    assert len(index) == 4
    for row, pc in enumerate(pcs):
        assert index.row(pc) == row
    assert index.row("B99 9ZZ") is None
    assert index.row("ZZ9 9ZZ") is None  # beyond the last key


def test_index_is_read_only_and_refuses_duplicates() -> None:
    index = PostcodeIndex(encode_many(["B15 2TT", "B1 1AA"]))
    with pytest.raises(ValueError):
        index._keys[0] = 0
    with pytest.raises(ValueError, match="duplicate"):
        PostcodeIndex(encode_many(["B15 2TT", "B1 1AA", "B15 2TT"]))
    assert PostcodeIndex(np.array([], dtype=np.int64)).row("B1 1AA") is None
