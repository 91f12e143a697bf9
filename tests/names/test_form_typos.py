"""A query word its pair's list name's legal form misspelt is read as that form, in both paths; real words are not."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names.form_typos import CLASSES, class_bits, legal_bits, names_bits, word_bits
from tests.names.conftest import both_paths

CO_LTD, JSC, LLC = (1 << CLASSES.index(c) for c in ("CO LTD", "JSC", "LLC"))

# a spelt word, the classes of the legal forms it may be a word of misspelt (0: none)
WORDS = [
    ("LIMTIDE", CO_LTD | LLC),  # LIMITED: two swaps
    ("COPMNY", CO_LTD | JSC | LLC),  # COMPANY: a swap and a letter dropped
    ("LKIMIETD", CO_LTD | LLC),  # a letter added, one swapped
    ("CORMORTAION", CO_LTD),  # CORPORATION
    ("PIVATE", CO_LTD),  # PRIVATE
    ("COMPASS", 0),  # two S's COMPANY lacks: a word
    ("COMPACT", 0),
    ("LIMITS", 0),  # a real word near LIMITED
    ("COOPERATION", 0),  # near CORPORATION
    ("UNLIMITED", 0),
    ("POINT", 0),  # one letter from JOINT, a short form word: none added
    ("CLOSET", 0),  # CLOSED
    ("CORPS", 0),  # CORP is too short a form word to be misspelt
    ("INCOME", 0),
    ("TRADIGN", 0),  # TRADING: no form word
]


@pytest.mark.parametrize(("word", "bits"), WORDS)
def test_class_bits(word: str, bits: int) -> None:
    """A word is a form word misspelt only a typo away from it, holding no letters it lacks (one, a long word)."""
    assert class_bits(pl.Series([word]))[0] == bits
    assert word_bits(word) == bits


def test_legal_bits() -> None:
    """A name's legal classes give their bits, in both paths; classes no own spelling has give none."""
    legal = [["CO LTD"], ["JSC", "CO LTD"], [], ["LP"]]
    got = pl.DataFrame({"legal": legal}).select(legal_bits(pl.col("legal"))).to_series().to_list()
    assert got == [CO_LTD, JSC | CO_LTD, 0, 0]
    assert [names_bits(x) for x in legal] == got


# query, listed name, whether a hit at the default threshold
PAIRS = [
    ("KALA LIMTIDE", "KALA LIMITED", True),  # 0.66 before
    ("HEMMAT PETROCHEMICAL COPMNY", "HEMMAT PETROCHEMICAL COMPANY", True),  # 0.83 before
    ("HARA COPNAY", "HARA COMPANY", True),  # 0.68 before
    ("CASPIAN MARITIME LKIMIETD", "CASPIAN MARITIME LIMITED", True),
    ("KALA LIMTIDE", "KALA CORPORATION", True),  # one class: LIMITED and CORPORATION agree
    ("KALA LIMTIDE", "KALA OOO", True),  # OOO is a LIMITED LIABILITY COMPANY
    ("KALA LIMTIDE", "KALA", False),  # no legal form to be misspelt: a word the list name lacks
    ("KALA LIMTIDE", "KALA JSC", False),  # no JSC spelling holds a word like LIMTIDE
    ("ATLAS COMPASS", "ATLAS COMPANY", False),  # a real word near the form's: another party
    ("COMPASS TRADING", "TRADING COMPANY", False),
    ("KALA LIMITS", "KALA LIMITED", False),
    ("ACME POINT", "ACME JOINT STOCK COMPANY", False),
    ("GULF COOPERATION", "GULF CORPORATION", False),
    ("BRAVO CLOSET", "BRAVO CJSC", False),
]


@pytest.mark.parametrize(("query", "listed", "hit"), PAIRS)
def test_misspelt_forms(query: str, listed: str, hit: bool) -> None:
    """A query word the list name's form misspelt weighs as that form; a real word near one stays a word."""
    assert both_paths(query, listed).height == int(hit)
