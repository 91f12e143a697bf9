"""Names that differ by a number inside a word or a closing roman numeral name other parties, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import normalize_names, titles
from screening.names.index import NameIndex, build_index
from screening.names.numbers import numbers_of
from tests.names.conftest import both_paths_in

# name, its row's kind, its numbers
NUMBERS = [
    ("YV2964", titles.OTHER, ["2964"]),  # a registration: digits inside a word
    ("88TH RIFLE REGIMENT", titles.OTHER, ["88"]),
    ("BRIGADE 12 AND 7", titles.UNTYPED, ["12", "7"]),
    ("ATLANTIC STAR XIV", titles.OTHER, ["14"]),  # a fleet's ship
    ("ATLANTIC STAR IX", titles.UNTYPED, ["9"]),
    ("NORTHERN LIGHT I", titles.OTHER, ["1"]),
    ("HENDRIK MAAS II", titles.PERSON, []),  # a person's closing letters stay letters
    ("MAAS, Hendrik V", titles.UNTYPED, []),  # family name first: V is an initial
    ("TRADING X", titles.OTHER, ["10"]),
    ("RIGEL X", titles.OTHER, ["10"]),
    ("A X", titles.OTHER, []),  # after a single letter: letters of an abbreviation
    ("IV", titles.OTHER, []),  # a name of one word is a word
    ("ATLANTIC STAR XL", titles.OTHER, []),  # beyond XXXIX: a word
    ("ATLANTIC STAR IIII", titles.OTHER, []),  # no numeral
    ("FIRST DIVISION", titles.OTHER, []),  # ordinal words stay words
]


@pytest.mark.parametrize(("name", "kind", "expected"), NUMBERS)
def test_numbers_of_a_name_in_both_paths(name: str, kind: str, expected: list[str]) -> None:
    batch = normalize_names(pl.Series([name]), pl.Series([kind]))
    assert batch["numbers"].to_list() == [expected]
    assert numbers_of(batch["core"][0], kind, name) == expected


LISTED = [
    ("reg", "YV2964", "Aircraft"),
    ("ship", "ATLANTIC STAR XIV", "Vessel"),
    ("ship_first", "ATLANTIC STAR", "Vessel"),
    ("unit", "88TH RIFLE REGIMENT", "Organization"),
    ("person", "HENDRIK MAAS II", "Person"),
]
# query, its entity type, the entities it matches at the default threshold (best first)
CASES = [
    ("YV2966", "Aircraft", []),  # another registration: a digit apart was 0.88
    ("YV2964", "Aircraft", ["reg"]),
    ("ATLANTIC STAR XV", "Vessel", []),  # another ship of the fleet: 0.95 before
    ("ATLANTIC STAR XIV", "Vessel", ["ship"]),  # the fleet's first ship, named without a number, too far
    ("ATLANTIC STAR XIV", None, ["ship"]),
    ("89TH RIFLE REGIMENT", "Organization", []),  # another unit
    ("88TH RIFEL REGIMENT", "Organization", ["unit"]),  # a typo in a word still matches
    ("HENDRIK MAAS III", "Person", ["person"]),  # a person's closing letters are no number
]


def _index() -> NameIndex:
    """Return the index of the listed names."""
    return build_index(pl.DataFrame(LISTED, schema=["entity_id", "name", "entity_schema"], orient="row"))


@pytest.mark.parametrize(("query", "schema", "expected"), CASES)
def test_numbers_tell_parties_apart_in_both_paths(query: str, schema: str | None, expected: list[str]) -> None:
    assert both_paths_in(_index(), query, schema)["entity_id"].to_list() == expected
