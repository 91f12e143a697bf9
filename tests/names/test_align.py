"""Token alignment: a word spelling two neighbouring words of the other name joined covers both, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import align
from tests.names.conftest import both_paths

# query, listed name, whether they match at the default threshold
JOINS = [
    ("KARIMI, Mohammadreza", "Mohammad Reza KARIMI", True),  # a Persian compound given name written as one word
    ("Mohammad Reza KARIMI NEJAD", "KARIMINEJAD, Mohammadreza", True),  # two joins, the surname first
    ("Abdul Aziz HAMAD", "HAMAD ABDULAZIZ", True),
    ("NOORSHIP MARINE SERVICES", "MARINE SERVICES NOOR SHIP", True),  # reordered: the whole name glued differs
    ("SEA STAR SHIPPING LINES", "SEASTAR LINES SHIPPING", True),
    ("Reza KARIMI Mohammad", "KARIMI, Mohammadreza", False),  # the two words are not neighbours
    ("A B KARIMI TRADING", "AB TRADING", False),  # letters joined are no word
    ("Mohammad Rezai", "Mohammadreza, Ali", False),  # REZAI is not REZA
]


@pytest.mark.parametrize(("query", "listed", "matched"), JOINS)
def test_joined_words(query: str, listed: str, matched: bool) -> None:
    assert (both_paths(query, listed).height > 0) == matched


@pytest.mark.parametrize(
    ("raw", "first"),
    [
        ("AL-FAY, Idris Ali", True),
        ("التكريتي، صدام حسين", True),  # the Arabic comma
        ("王，小明", True),  # the full-width comma
        ("Idris Ali AL-FAY", False),
    ],
)
def test_family_first_in_both_paths(raw: str, first: bool) -> None:
    batch = pl.select(align.family_first(pl.lit(raw))).item()
    assert batch == align.written_family_first(raw) == first
