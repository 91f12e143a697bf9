"""Names that differ by a number inside a word or a closing roman numeral name other parties, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import normalize_names, titles
from screening.names.index import NameIndex, build_index
from screening.names.numbers import numbers_of, numeral_of, opening_of
from tests.names.conftest import HAND_ONLY, both_paths_in, by_scorer

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
    ("FIRST DIVISION", titles.OTHER, ["1"]),  # an ordinal is its number, spelt out or in digits
    ("1ST DIVISION", titles.UNTYPED, ["1"]),
    ("TWENTY-FIRST BRIGADE", titles.OTHER, ["21"]),
    ("21ST BRIGADE", titles.OTHER, ["21"]),
    ("FORTY FOURTH BRIGADE", titles.PERSON, ["44"]),
    ("183RD REGIMENT", titles.OTHER, ["183"]),  # beyond 99: its digits
    ("ELVCENTH OCEAN GMBH", titles.OTHER, ["11"]),  # a misspelt ordinal: two letters off a long one
    ("FUORTH DIVISION", titles.OTHER, ["4"]),  # one off a short one (a swap of neighbours is one)
    ("FIRTS DIVISION", titles.OTHER, []),  # its last letter changed: a word
    ("ELEMENT SEVEN", titles.OTHER, []),  # near ordinals, not ending as they do
    ("FIRSTLINE", titles.OTHER, ["1"]),  # an ordinal's word opening a word reads as its number (not misspelt)
    ("FIRSTBANK", titles.OTHER, ["1"]),  # an ordinal's word opening a word: its number, compared as FIRST BANK's
    ("FIRSTPOINT TRADING", titles.OTHER, ["1"]),
    ("FIRST OCEAN 2", titles.OTHER, ["1", "2"]),
    ("SEVENTHWAVE", titles.OTHER, ["7"]),
    ("SEVENTEENTHWAVE", titles.OTHER, ["17"]),  # the longest ordinal
    ("TWENTYFIRSTBANK", titles.OTHER, ["21"]),
    ("FIRSTENBERG", titles.OTHER, ["1"]),
    ("FIRSTENBERG", titles.PERSON, []),  # not in a person's name: a surname
    ("JOHN FIRSTENBERG", titles.PERSON, []),
    ("TENTHOUSAND", titles.OTHER, ["10"]),
    ("SECONDO", titles.OTHER, ["2"]),
    ("BANKFIRST", titles.OTHER, []),  # an ordinal closing a word: no number
    ("SECONDARY SCHOOL", titles.OTHER, []),  # an ending that makes another word: no number
    ("FIRSTLY SECONDS", titles.OTHER, []),
    ("SECONDARY SCHOOL 5", titles.OTHER, ["5"]),
    ("SECONDARYPOINT FIRSTLINE", titles.OTHER, ["1", "2"]),
    ("1STBANK", titles.OTHER, ["1"]),  # an ordinal in digits opening a word: its digits
    ("TWENTYFIRST CENTURY", titles.OTHER, ["21"]),  # a tens word glued to an ordinal: one ordinal
    ("4STAR TRADING", titles.OTHER, ["4"]),  # no ordinal's ending: a word with digits
    ("CHEN XI", titles.UNTYPED, []),  # no type, two words: most often a person's
    ("CHEN XI", titles.OTHER, ["11"]),
    ("SEA STAR III", titles.UNTYPED, ["3"]),  # no type, three words
    ("30 FIRST AVE", titles.UNTYPED, ["1", "30"]),  # written so: two numbers, not 31
    ("ROUTE 20 FIRST AVENUE", titles.UNTYPED, ["1", "20"]),
    ("TWENTY FIRST AVE", titles.UNTYPED, ["21"]),
    ("FRIST CREDIT BANK", titles.OTHER, ["1"]),  # two neighbours swapped in a short ordinal
    ("FIRJST DIVISION", titles.OTHER, ["1"]),  # a letter added to a short ordinal
    ("NINETH DIVISION", titles.OTHER, ["9"]),
    ("FRIST CREDIT BANK", titles.PERSON, []),  # not in a person's name
    ("FORST HOLDINGS", titles.OTHER, []),  # a short ordinal a letter off: a word
    ("FURST ALEXANDER", titles.UNTYPED, []),
    ("FIRTH TRADING", titles.OTHER, []),
    ("SIETH GROUP", titles.OTHER, []),
    ("TEETH GROUP", titles.OTHER, []),
    ("FORTH FLEET", titles.OTHER, []),
    ("FIST GROUP", titles.OTHER, []),  # four letters: a word
    ("NINH BINH", titles.OTHER, []),
    ("QUANG NINH SHIPPING", titles.UNTYPED, []),
]


@pytest.mark.parametrize(("name", "kind", "expected"), NUMBERS)
def test_numbers_of_a_name_in_both_paths(name: str, kind: str, expected: list[str]) -> None:
    # the numbers a name holds against a numbered name: its own and the ordinals opening its glued words
    batch = normalize_names(pl.Series([name]), pl.Series([kind]))
    assert sorted({*batch["numbers"][0], *batch["opening"][0]}) == expected
    core = batch["core"][0]
    assert sorted({*numbers_of(core, kind, name), *opening_of(core, kind)}) == expected


def test_numbers_of_a_batch_stay_in_their_rows() -> None:
    # only the names holding a number are read (:func:`.numbers.read`): each row's lists go back to it
    batch = normalize_names(pl.Series([n for n, _, _ in NUMBERS]), pl.Series([k for _, k, _ in NUMBERS]))
    found = [sorted({*a, *b}) for a, b in zip(batch["numbers"], batch["opening"], strict=True)]
    assert found == [expected for _, _, expected in NUMBERS]


# name, its row's kind, the closing numeral held apart (a name of no type and two words)
NUMERALS = [
    ("CHEN XI", titles.UNTYPED, "11"),
    ("HAPPINESS II", titles.UNTYPED, "2"),
    ("CHEN XI", titles.OTHER, None),  # read among its numbers
    ("SEA STAR III", titles.UNTYPED, None),
    ("CHEN, Xi", titles.UNTYPED, None),  # family name first: an initial
    ("HAPPINESS", titles.UNTYPED, None),
]


@pytest.mark.parametrize(("name", "kind", "expected"), NUMERALS)
def test_numeral_held_apart_in_both_paths(name: str, kind: str, expected: str | None) -> None:
    batch = normalize_names(pl.Series([name]), pl.Series([kind]))
    assert batch["numeral"].to_list() == [expected]
    assert numeral_of(batch["core"][0], kind, name) == expected


LISTED = [
    ("reg", "YV2964", "Aircraft"),
    ("ship", "ATLANTIC STAR XIV", "Vessel"),
    ("ship_first", "ATLANTIC STAR", "Vessel"),
    ("unit", "88TH RIFLE REGIMENT", "Organization"),
    ("person", "HENDRIK MAAS II", "Person"),
    ("first", "FIRST OCEAN GMBH", "Organization"),
    ("second", "2ND ACADEMY OF NATURAL SCIENCES", "Organization"),
    ("twenty_first", "TWENTY-FIRST BRIGADE", "Organization"),
    ("eleventh", "ELEVENTH OCEAN GMBH", "Organization"),
    ("chen", "CHEN, Xi", "Person"),
    ("bank", "FIRST ISLAMIC INVESTMENT BANK LIMITED", "Organization"),
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
    ("1ST OCEAN GMBH", None, ["first"]),  # an ordinal in digits is the ordinal spelt out
    ("FOURTH OCEAN GMBH", None, []),  # another ordinal: another party
    ("Second Academy of Natural Sciences", None, ["second"]),
    ("21ST BRIGADE", "Organization", ["twenty_first"]),
    ("22ND BRIGADE", "Organization", []),
    ("ELVCENTH OCEAN GMBH", None, ["eleventh"]),  # a misspelt ordinal is still its number
    ("TWELFTH OCEAN GMBH", None, []),
    ("Chen Xi", None, ["chen"]),  # no type, two words: XI is a name, not 11
    ("FIIB", None, ["bank"]),  # an acronym writes the ordinal by its letter
]


def _index() -> NameIndex:
    """Return the index of the listed names."""
    return build_index(pl.DataFrame(LISTED, schema=["entity_id", "name", "entity_schema"], orient="row"))


@pytest.mark.parametrize(("query", "schema", "expected", "scorer"), by_scorer(CASES))
def test_numbers_tell_parties_apart_in_both_paths(
    query: str, schema: str | None, expected: list[str], scorer: str
) -> None:
    assert both_paths_in(_index(), query, schema, scorer=scorer)["entity_id"].to_list() == expected


# query, its entity type, listed name, its entity type, whether they match at the default threshold
PAIRS = [
    ("3RD BATTALION", None, "BATTALION 3", "Organization", True),  # an ordinal lines up with its number
    ("1ST BANK", None, "BANK 1", "Organization", True),
    ("FIRST BANK", None, "BANK 1", "Organization", True),
    ("44TH INFANTRY DIVISION", None, "44 INFANTRY DIVISION", "Organization", True),
    ("3RD BATTALION", None, "THIRD BATTALION", "Organization", True),
    ("21ST CENTURY FOX", None, "TWENTY-FIRST CENTURY FOX", None, True),
    ("Brigade Forty-Four", None, "Brigade 44", None, True),
    ("1ST BRIGADE", None, "2ND BRIGADE", "Organization", False),
    ("FIRST ACADEMY", None, "SECOND ACADEMY", "Organization", False),
    ("30 FIRST AVE", None, "31ST AVE", None, False),  # 30 and 1, not 31
    ("ROUTE 20 FIRST AVENUE", None, "ROUTE 21 AVENUE", None, False),
    ("HAPPINESS II", None, "HAPPINESS I", "Vessel", False),  # a sister ship
    ("DIAMOND III", None, "DIAMOND II", "Vessel", False),
    ("FRIST CREDIT BANK", None, "FIRST CREDIT BANK", "Organization", True),
    ("FIRTH TRADING", None, "FIRTH TRADING 4", None, True),  # no ordinal: a number on one side only
    ("NINH BINH", None, "NINH BINH 2", "Organization", True),
]


def _one(listed: str, schema: str | None) -> NameIndex:
    """Return the index of one listed name."""
    return build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]}))


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "NINH BINH-None-NINH BINH 2-Organization-True": "0.432 under its 0.63 (hand 0.894)",
    "FIRTH TRADING-None-FIRTH TRADING 4-None-True": "0.695 under NAME-001's 0.73 (hand 0.908)",
}


@pytest.mark.parametrize(
    ("query", "qschema", "listed", "lschema", "matched", "scorer"), by_scorer(PAIRS, lost=MODEL_LOSES)
)
def test_ordinals_and_numerals_in_pairs_in_both_paths(
    query: str, qschema: str | None, listed: str, lschema: str | None, matched: bool, scorer: str
) -> None:
    assert (both_paths_in(_one(listed, lschema), query, qschema, scorer=scorer).height > 0) == matched


# the same name both sides, whose numeral one side holds apart: no penalty
SAME = [
    ("ARGO I", None, "ARGO I", "Vessel"),
    ("CHEN XI", None, "CHEN, Xi", "Person"),
    ("Chen Xi", None, "CHEN XI", None),
    ("FIRST OCEAN", None, "1ST OCEAN", None),
    # an ordinal opening a glued word counts only against a name holding a number (FIRSTENBERG is no number)
    ("FIRSTENBERG, Hans", None, "FIRSTENBERG, Hans", "Person"),
    ("SECONDO PIA", None, "SECONDO PIA", "Person"),
    ("JOHN FIRSTENBERG", "Person", "JOHN FIRSTENBERG", None),
    ("FIRSTENBERG BAU GMBH", "Organization", "FIRSTENBERG BAU GMBH", "Organization"),
]


# a glued ordinal's number met by a name holding none: no penalty (reviewed: each took 0.05 on the merge)
UNPENALISED = [
    ("FIRSTENBERG, Hans", None, "FIRSTENBERG, Hanz", "Person", 0.863),
    ("SECONDARYPOINT", "Organization", "SECONDARY POINT", "Organization", 0.98),
    ("Firstenberg Bau GmbH", "Organization", "Fürstenberg Bau GmbH", "Organization", 0.945),
    ("FIRSTBANK", None, "FIRST BANK", None, 0.98),
]


@pytest.mark.parametrize(
    ("query", "qschema", "listed", "lschema", "score", "scorer"), by_scorer(UNPENALISED, scorers=HAND_ONLY)
)
def test_a_glued_ordinal_counts_only_against_a_numbered_name_in_both_paths(
    query: str, qschema: str | None, listed: str, lschema: str | None, score: float, scorer: str
) -> None:
    assert both_paths_in(_one(listed, lschema), query, qschema, scorer=scorer)["score"].to_list() == [
        pytest.approx(score, abs=1e-3)
    ]


@pytest.mark.parametrize(("query", "qschema", "listed", "lschema", "scorer"), by_scorer(SAME, scorers=HAND_ONLY))
def test_same_name_scores_whole_in_both_paths(
    query: str, qschema: str | None, listed: str, lschema: str | None, scorer: str
) -> None:
    assert both_paths_in(_one(listed, lschema), query, qschema, scorer=scorer)["score"].to_list() == [1.0]
