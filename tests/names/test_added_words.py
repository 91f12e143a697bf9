"""A query adding words to a listed person's name scores as one naming part of it, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names.index import NameIndex, build_index
from tests.names.conftest import both_paths_in, by_scorer

LISTED = [
    ("person", "KATRANGI, Maher Adib", "Person"),
    ("short", "RAHIMI, Said", "Person"),
    ("company", "ZAGROS DELTA KAVEH", "Organization"),
    ("untyped", "NOVIN SAMAN ARAS", None),
    ("chain", "Muhammad Ali Hassan", "Person"),
]
# query, the entity it matches at the default threshold (None: no match)
CASES = [
    ("KATRANGI, Maher Adib Hachem", "person"),  # a listed person's name and a given name more (0.81 before)
    ("KATRANGI, Maher Adib", "person"),  # the name itself, as before
    ("ADIB KATRANGI MAHER HACHEM", None),  # the listed words in another order: another person as often
    ("RAHIMI, Said Hachem", None),  # a listed name of two words: another person as often
    ("ZAGROS DELTA KAVEH HACHEM", None),  # an organisation adding a word is another organisation as often
    ("NOVIN SAMAN ARAS HACHEM", None),  # an untyped entry is not known to be a person
    ("Muhammad Ali Hassan Omar", "chain"),
    ("Ahmed Muhammad Ali Hassan", None),  # a given name in front of the listed chain: a son, not lifted
]


def _index() -> NameIndex:
    """Return the index of the listed names."""
    return build_index(pl.DataFrame(LISTED, schema=["entity_id", "name", "entity_schema"], orient="row"))


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "ADIB KATRANGI MAHER HACHEM-None": "0.641 over its 0.63 (hand 0.830, under 0.86)",
    "ZAGROS DELTA KAVEH HACHEM-None": "0.677 over its 0.63 (hand 0.848)",
    "NOVIN SAMAN ARAS HACHEM-None": "0.644 over its 0.63 (hand 0.832)",
    "Ahmed Muhammad Ali Hassan-None": "0.750 over its 0.63 (hand 0.840)",
}


@pytest.mark.parametrize(("query", "expected", "scorer"), by_scorer(CASES, lost=MODEL_LOSES))
def test_added_words_in_both_paths(query: str, expected: str | None, scorer: str) -> None:
    batch = both_paths_in(_index(), query, top=1, scorer=scorer)
    assert batch["entity_id"].to_list() == ([] if expected is None else [expected])
