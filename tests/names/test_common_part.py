"""A query naming part of a list name in common words only is not raised by the subset rule, in both paths."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from screening.names.align import COMMON_NOTE
from screening.names.index import NameIndex, build_index
from screening.names.token_sims import COMMON_NAMES
from tests.names.conftest import both_paths_in

# short family names of one listed person each (so ALI and HASSAN weigh enough to be raised before);
# every person is called Ali Hassan, so ALI and HASSAN are common words
FAMILIES = ["".join(p) for p in itertools.product("BDKLMNT", "AIU", "RZ")]
PEOPLE = [(f"p{n}", f"{family}, Ali Hassan", "Person") for n, family in enumerate(["ZUK", *FAMILIES])]
# units of one movement: ISLAMIC and GROUP are common words, ARMED is not
UNITS = [(f"o{n}", f"ISLAMIC {family}A GROUP", "Organization") for n, family in enumerate(FAMILIES)]
LISTED = [*PEOPLE, *UNITS, ("armed", "ARMED ISLAMIC GROUP", "Organization")]
# query, its type, the entities it matches at the default threshold
CASES = [
    ("ALI, Hassan", "Person", []),  # part of every listed name, in common words: a hit on each before
    ("ZUK, Ali", "Person", ["p0"]),  # a part holding a rare word keeps the subset rule
    ("ISLAMIC GROUP", "Organization", []),  # a hit on every unit before
    ("ARMED ISLAMIC", "Organization", ["armed"]),
]


def _index(listed: list[tuple[str, str, str]]) -> NameIndex:
    """Return the index of the listed names."""
    return build_index(pl.DataFrame(listed, schema=["entity_id", "name", "entity_schema"], orient="row"))


def test_the_common_words_are_held_by_enough_names() -> None:
    assert len(PEOPLE) >= COMMON_NAMES
    assert len(UNITS) + 1 >= COMMON_NAMES


@pytest.mark.parametrize(("query", "schema", "expected"), CASES)
def test_common_part_in_both_paths(query: str, schema: str, expected: list[str]) -> None:
    hits = both_paths_in(_index(LISTED), query, schema, top=len(LISTED))
    assert sorted(hits["entity_id"].to_list()) == expected


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("ALI, Hassan", True),  # scored by its coverage, and said so
        ("ZUK, Ali", False),
    ],
)
def test_common_part_is_noted(query: str, *, note: bool) -> None:
    hits = both_paths_in(_index(LISTED), query, "Person", top=len(LISTED), threshold=0.6)
    people = hits.filter(pl.col("entity_id").str.starts_with("p"))
    assert people.height > 0
    assert [COMMON_NOTE in detail for detail in people["detail"]] == [note] * people.height


def test_a_word_few_names_hold_is_not_common() -> None:
    # on a short list ALI and HASSAN are held by one name: the subset rule raises the part as before
    hits = both_paths_in(_index(PEOPLE[:2]), "ALI, Hassan", "Person", top=2)
    assert sorted(hits["entity_id"].to_list()) == ["p0", "p1"]
