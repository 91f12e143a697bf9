"""Abbreviated words of company names read as the words they stand for, in both paths."""

from __future__ import annotations

import pytest

from tests.names.conftest import HAND_ONLY, both_paths, by_scorer

# query, listed name, whether they match at the default threshold
ABBREVIATIONS = [
    ("TEHRAN IMP. & EXP. CO.", "TEHRAN IMPORT AND EXPORT COMPANY", True),
    ("ARIA IND'S GROUP", "ARIA INDUSTRIES GROUP", True),
    ("NOVIN HLDG CO", "NOVIN HOLDING COMPANY", True),
    ("NOVIN HLDGS LTD", "NOVIN HOLDINGS LIMITED", True),
    ("ZAGROS ENGG SERVICES", "ZAGROS ENGINEERING SERVICES", True),
    ("ATLAS MGMT LLC", "ATLAS MANAGEMENT LLC", True),
    ("DELTA TRDG FZE", "DELTA TRADING FZE", True),
    ("Mohd Faisal bin Ismail", "Mohammed Faisal bin Ismail", True),
    ("MHD Ayman KHATIB", "AL-KHATIB, Muhammad Ayman", True),
    ("ATLAS MGMT LLC", "ATLAS MINING LLC", False),  # an abbreviation stands for its own word only
]


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "MHD Ayman KHATIB-AL-KHATIB, Muhammad Ayman-True": "0.481 under its 0.63 (hand 0.864)",
}


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(ABBREVIATIONS, lost=MODEL_LOSES))
def test_abbreviations(query: str, listed: str, matched: bool, scorer: str) -> None:
    assert (both_paths(query, listed, scorer=scorer).height > 0) == matched


# query, listed name, score in both paths: before (this stop's start, FIRST read 1ST) -> now
GLUED_ORDINALS = [
    ("FIRST BANK", "FIRSTBANK", 0.98),  # 0.685: an ordinal glued to its word meets it spaced and in digits
    ("1ST BANK", "FIRSTBANK", 0.98),  # 0.685
    ("FIRST-BANK", "FIRSTBANK", 0.98),  # 0.685
    ("1STBANK", "FIRST BANK", 0.98),  # 0.98: glued as written, FIRST BANK is 1STBANK
    ("FIRST-BANK", "1STBANK", 0.98),  # 0.98
    ("FIRSTCITIZENS BANK", "1ST CITIZENS BANK", 0.98),  # 0.807
    ("FIFTH AVENUE", "FIFTHAVENUE", 0.98),  # 0.712
    # a word an ordinal in digits opens stays as written (splitting it cost 0.3: 1STOP read 1ST OP)
    ("1STOP SHOP LLC", "1 STOP SHOP LLC", 0.98),  # 0.98
    ("1STEP SOLUTIONS LTD", "1 STEP SOLUTIONS LTD", 0.98),  # 0.98
    ("21STREET TRADING", "21 STREET TRADING", 0.98),  # 0.98
    ("1STAR HOTEL", "1 STAR HOTEL", 0.98),  # 0.98
    ("4THOUGHT LTD", "4 THOUGHT LTD", 0.98),  # 0.98
    ("1STE NEDERLANDSE BANK", "1 STE NEDERLANDSE BANK", 0.98),  # 0.98
    ("JOHN 1STONE", "JOHN 1 STONE", 0.98),  # 0.98
    ("1STOP TRADING", "FIRST OP TRADING", 0.98),  # 0.98
    ("TWENTYFIRST CENTURY FOX", "21ST CENTURY FOX", 1.0),  # 0.514: a tens word glued to an ordinal is one
    # an ordinal in digits opening a glued word is spelt out too: the names are one glued and spelt alike
    ("1STBANK", "FIRSTBANK", 0.98),  # 0.767
    ("FIRSTBANK", "1STBANK", 0.98),  # 0.767
    ("3RDSPACE LTD", "THIRDSPACE LTD", 0.98),  # 0.844
    ("21STCENTURY FOX", "TWENTYFIRSTCENTURY FOX", 0.98),  # 0.566
    ("5THAVENUE", "FIFTH AVENUE", 0.98),  # TH written, found before the skeleton makes it T
    # words that begin with an ordinal's letters are not numbers, and glue as they did before ordinals were digits
    ("FIRSTENERGY", "FIRST ENERGY", 0.98),  # 0.734
    ("FIRSTENBERG", "FIRST ENBERG", 0.98),  # 0.734
    ("SECONDO", "SECOND O", 0.98),  # not proposed
    ("TENTHOUSAND", "TENTH OUSAND", 0.98),  # 0.642
    ("FIRSTENBERG", "FIRSTENBURG", 0.936),  # 0.936
    ("FIRSTENBERG", "FURSTENBERG", 0.936),  # a glued ordinal holds no number against a name holding none
]


@pytest.mark.parametrize(("query", "listed", "score", "scorer"), by_scorer(GLUED_ORDINALS, scorers=HAND_ONLY))
def test_glued_ordinals_in_both_paths(query: str, listed: str, score: float, scorer: str) -> None:
    assert both_paths(query, listed, threshold=0.5, scorer=scorer)["score"].round(3).to_list() == [score]


# query, listed name, the note: the explanation says an ordinal was spelt out, not that the spacing differs
SPELT_NOTES = [
    ("1STBANK", "FIRSTBANK", "ordinal spelt out"),
    ("3RDSPACE LTD", "THIRDSPACE LTD", "ordinal spelt out"),
    ("1ST BANK", "FIRSTBANK", "ordinal spelt out"),
    ("1STOP SHOP LLC", "1 STOP SHOP LLC", "spacing differs"),
]


@pytest.mark.parametrize(("query", "listed", "note", "scorer"), by_scorer(SPELT_NOTES, scorers=HAND_ONLY))
def test_spelt_ordinals_are_explained_in_both_paths(query: str, listed: str, note: str, scorer: str) -> None:
    assert note in both_paths(query, listed, scorer=scorer)["detail"][0]


# query, listed name: another ordinal, or a number spaced as no other word, names another party
APART = [
    ("FIRSTBANK", "SECONDBANK"),
    ("1STBANK", "2NDBANK"),
    ("FIRST BANK", "SECOND BANK"),
    ("FIRSTOCEAN GMBH", "FOURTH OCEAN GMBH"),
    ("TENTHOUSAND", "TEN THOUSAND"),  # ten is a number, not the ordinal TENTH
    ("FORTHRIGHT", "FOURTH RIGHT"),
    # an ordinal's word opening a glued word compares as its number (these alerted, 0.80 to 0.88)
    ("FIRSTPOINT TRADING", "FIFTH POINT TRADING"),
    ("FIRST OCEAN 2", "FIRSTOCEAN"),
    ("FIRST BANK 2", "FIRSTBANK"),
    ("THIRD STAR 7", "THIRDSTAR"),
    ("SEVENTHWAVE", "17TH WAVE"),
    ("1STBANK", "SECONDBANK"),  # spelt out, another ordinal
    ("3RDSPACE LTD", "FOURTHSPACE LTD"),
    # a cardinal glued to a word in T or TH is no ordinal (its skeleton 5T is 5TH's): these scored 0.93 to 0.98
    ("5TECH", "FIFTECH"),
    ("10TRADE", "TENTRADE"),
    ("1STOP", "FIRSTOP"),  # an ordinal opens a word of three letters or more only: 1 STOP as likely
]


@pytest.mark.parametrize(("query", "listed", "scorer"), by_scorer(APART))
def test_other_ordinals_do_not_match_in_both_paths(query: str, listed: str, scorer: str) -> None:
    assert both_paths(query, listed, scorer=scorer).is_empty()
