"""A query naming part of a list name in common words only is not raised by the subset rule, in both paths."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from screening.names.common_words import ADDED_NOTE
from screening.names.common_words import NOTE as COMMON_NOTE
from screening.names.index import NameIndex, build_index
from screening.names.token_sims import COMMON_ENTITIES
from tests.names.conftest import HAND_ONLY, both_paths_in, by_scorer

# short family names of one listed person each (so ALI and HASSAN weigh enough to be raised before);
# every person is called Ali Hassan, so ALI and HASSAN are common words
FAMILIES = ["".join(p) for p in itertools.product("BDKLMNT", "AIU", "RZ")]
PEOPLE = [(f"p{n}", f"{family}, Ali Hassan", "Person") for n, family in enumerate(["ZUK", *FAMILIES])]
# units of one movement: ISLAMIC and GROUP are common words, ARMED is not
UNITS = [(f"o{n}", f"ISLAMIC {family}A GROUP", "Organization") for n, family in enumerate(FAMILIES)]
LISTED = [*PEOPLE, *UNITS, ("armed", "ARMED ISLAMIC GROUP", "Organization")]
# people called Omar, and two listed people of three words: one in common words only
OMARS = [(f"m{n}", f"{family}, Omar", "Person") for n, family in enumerate(FAMILIES)]
TRIPLES = [("aho", "ALI, Hassan Omar", "Person"), ("zho", "ZUK, Hassan Omar", "Person")]
BORN = {
    "p1": "1974-03-14",
    "p2": "1980",
    "p3": "1943-08-17;1943;1944;1944-06-21",  # as the SDN writes BAHAZIQ, Mahmoud Mohammad Ahmed's
    "aho": "1966-05-02",
}  # birth dates of two listed people (as the list writes them)
# one bank's many aliases (VTB BANK PAO, VTB BANK MOSKVA, ...): VTB and BANK are held by one entity
BANK = [("vtb", f"VTB BANK {family}", "Organization") for family in FAMILIES]
# query, its type, the entities it matches at the default threshold
CASES = [
    ("ALI, Hassan", "Person", []),  # part of every listed name, in common words: a hit on each before
    ("ZUK, Ali", "Person", ["p0"]),  # a part holding a rare word keeps the subset rule
    ("ISLAMIC GROUP", "Organization", []),  # a hit on every unit before
    ("ARMED ISLAMIC", "Organization", ["armed"]),
]


def _index(listed: list[tuple[str, str, str]]) -> NameIndex:
    """Return the index of the listed names, with the birth dates of ``BORN``."""
    frame = pl.DataFrame(listed, schema=["entity_id", "name", "entity_schema"], orient="row")
    return build_index(frame.with_columns(birth_dates=pl.col("entity_id").replace_strict(BORN, default=None)))


def test_the_common_words_are_held_by_enough_names() -> None:
    assert len(PEOPLE) >= COMMON_ENTITIES
    assert len(UNITS) + 1 >= COMMON_ENTITIES


# a positive the model loses at NAME-001's 0.73 (what a scan by the model alerts at), found at its own 0.63
MODEL_LOSES_AT_SCAN = {
    "ZUK, Ali": "0.692 under NAME-001's 0.73 (hand 0.909)",
    "1974": "0.644 under NAME-001's 0.73 (hand 0.896)",
    "1980-06-01": "0.644 under NAME-001's 0.73 (hand 0.896)",
}


@pytest.mark.parametrize(("query", "schema", "expected", "scorer"), by_scorer(CASES, lost=MODEL_LOSES_AT_SCAN))
def test_common_part_in_both_paths(query: str, schema: str, expected: list[str], scorer: str) -> None:
    hits = both_paths_in(_index(LISTED), query, schema, top=len(LISTED), scorer=scorer)
    assert sorted(hits["entity_id"].to_list()) == expected


@pytest.mark.parametrize(
    ("query", "note", "scorer"),
    by_scorer(
        [
            ("ALI, Hassan", True),  # scored by its coverage, and said so
            ("ZUK, Ali", False),
        ],
        scorers=HAND_ONLY,
    ),
)
def test_common_part_is_noted(query: str, scorer: str, *, note: bool) -> None:
    hits = both_paths_in(_index(LISTED), query, "Person", top=len(LISTED), threshold=0.6, scorer=scorer)
    people = hits.filter(pl.col("entity_id").str.starts_with("p"))
    assert people.height > 0
    assert [COMMON_NOTE in detail for detail in people["detail"]] == [note] * people.height


def test_a_word_few_names_hold_is_not_common() -> None:
    # on a short list ALI and HASSAN are held by one name: the subset rule raises the part as before
    hits = both_paths_in(_index(PEOPLE[:2]), "ALI, Hassan", "Person", top=2)
    assert sorted(hits["entity_id"].to_list()) == ["p0", "p1"]


@pytest.mark.parametrize(
    ("born", "expected", "scorer"),
    by_scorer(
        [
            ("1974-03-14", ["p1"]),  # the listed person's date: found as without the rule
            ("1974", ["p1"]),  # the year agrees
            ("1980-06-01", ["p2"]),  # the year of a list giving a year only
            ("1975-03-14", []),  # a year apart: no agreement, no lift
            ("1974-04-14", []),  # the same year, another day: the lift kept, the day graded apart (0.03 under)
            (None, []),
        ],
        lost=MODEL_LOSES_AT_SCAN,
    ),
)
def test_an_agreeing_birth_date_keeps_the_lift(born: str | None, expected: list[str], scorer: str) -> None:
    hits = both_paths_in(_index(LISTED), "ALI, Hassan", "Person", top=len(LISTED), facts=(None, born), scorer=scorer)
    assert sorted(hits["entity_id"].to_list()) == expected


@pytest.mark.parametrize(
    ("born", "entity", "noted", "scorer"),
    by_scorer(
        [
            ("1974-04-14", "p1", False),  # a year the list gives, another day: the lift kept
            ("1943-06-15", "p3", False),  # a year the list gives alone and with another day
            ("1944", "p3", False),
            ("1975-03-14", "p1", True),  # a year apart: no lift
            ("1942-06-15", "p3", True),
            (None, "p1", True),
        ],
        scorers=HAND_ONLY,
    ),
)
def test_the_birth_year_decides_the_lift(born: str | None, entity: str, scorer: str, *, noted: bool) -> None:
    hits = both_paths_in(
        _index(LISTED), "ALI, Hassan", "Person", top=len(LISTED), threshold=0.6, facts=(None, born), scorer=scorer
    )
    row = hits.filter(pl.col("entity_id") == entity)
    assert [COMMON_NOTE in detail for detail in row["detail"]] == [noted]


@pytest.mark.parametrize(
    ("query", "listed", "expected", "scorer"),
    by_scorer(
        [
            (
                "ISLAMIC GROUP",
                ("isg", "ISLAMIC GROUP", "Organization"),
                "ISLAMIC GROUP ~ ISLAMIC GROUP (1.00): same name",
            ),
            ("HASSAN, Ali", ("ah", "HASAN, Ali", "Person"), "HASSAN, Ali ~ HASAN, Ali (1.00): romanisation variant"),
        ],
        scorers=HAND_ONLY,
    ),
)
def test_a_name_in_full_is_no_part(query: str, listed: tuple[str, str, str], expected: str, scorer: str) -> None:
    hits = both_paths_in(_index([*LISTED, listed]), query, listed[2], top=len(LISTED) + 1, scorer=scorer)
    assert hits.filter(pl.col("entity_id") == listed[0])["detail"].to_list() == [expected]


def test_the_words_of_one_entity_are_not_common() -> None:
    # VTB and BANK are in more names than the count, all of one bank: the part keeps the subset rule
    assert len(BANK) >= COMMON_ENTITIES
    hits = both_paths_in(_index([*LISTED, *BANK]), "VTB BANK", "Organization", top=len(LISTED), scorer="hand")
    assert hits["entity_id"].to_list() == ["vtb"]


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "ALI, Hassan Omar ZUBA-None-[]": "0.727 over its 0.63 without the birth date (hand 0.840)",
}


@pytest.mark.parametrize(
    ("query", "born", "expected", "scorer"),
    by_scorer(
        [
            ("ALI, Hassan Omar ZUBA", None, []),  # adds a word to a listed name in common words only: no lift
            ("ALI, Hassan Omar ZUBA", "1966", ["aho"]),  # unless the birth date agrees
            ("ALI, Hassan Omar ZUBA", "1969", []),
            ("ZUK, Hassan Omar ZUBA", None, ["zho"]),  # a listed name holding a rare word keeps it
        ],
        lost=MODEL_LOSES,
    ),
)
def test_words_added_to_a_name_in_common_words(query: str, born: str | None, expected: list[str], scorer: str) -> None:
    listed = [*LISTED, *OMARS, *TRIPLES]
    hits = both_paths_in(_index(listed), query, "Person", top=len(listed), facts=(None, born), scorer=scorer)
    assert sorted(hits["entity_id"].to_list()) == expected


def test_words_added_are_noted() -> None:
    hits = both_paths_in(_index([*LISTED, *OMARS, *TRIPLES]), "ALI, Hassan Omar ZUBA", "Person", threshold=0.6)
    assert ADDED_NOTE in hits.filter(pl.col("entity_id") == "aho")["detail"].item()
