"""Token alignment in both paths: words joined (a word spelling two others), brothers' chains, initials swapped."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import DEFAULT_THRESHOLD, align, build_index, normalize_names, penalties, titles
from screening.names.match import name_pairs
from screening.names.penalties import SHIFTED_NOTE
from tests.names.conftest import both_paths, both_paths_in

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


# query, listed name, whether the chain reads as another family member's (a brother: given names unlike)
BROTHERS = [
    ("ABDULAZIZ ALI HASSAN AL-ZAWI", "ABD AL-AZIZ ALI HASSAN AL-ZAWI", False),  # the list's given name spelt apart
    ("ABD AL-AZIZ ALI HASSAN AL-ZAWI", "ABDULAZIZ ALI HASSAN AL-ZAWI", False),  # the query's
    ("ABDELRAHMAN ALI HASSAN AL-ZAWI", "ABDUL RAHMAN ALI HASSAN AL-ZAWI", False),  # RAHMAN unlike, ABDULRAHMAN alike
    ("ABDUL RAHMAN ALI HASSAN AL-ZAWI", "ABDELRAHMAN ALI HASSAN AL-ZAWI", False),
    ("YOUSSEF ALI HASSAN AL-ZAWI", "YUSUF ALI HASSAN AL-ZAWI", False),  # a given name spelt another way
    ("ZIAD ALI HASSAN AL-ZAWI", "ZIYAD ALI HASSAN AL-ZAWI", False),
    ("ذياب علي حسن الزاوي", "THIAB ALI HASSAN AL-ZAWI", False),  # 0.475 alike: it bounds BROTHER_SIM
    ("UDAY SADDAM HUSSEIN AL-TIKRITI", "QUSAY SADDAM HUSSEIN AL-TIKRITI", False),  # brothers 0.72 alike: a known trade
    ("BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI", "UMAR SABAWI IBRAHIM HASAN AL-TIKRITI", True),  # 0.40 alike
    ("HALA SADDAM HUSSEIN AL-TIKRITI", "RAGHAD SADDAM HUSSEIN AL-TIKRITI", True),  # sisters
    ("KHALID ALI HASSAN AL-ZAWI", "ABD AL-AZIZ ALI HASSAN AL-ZAWI", True),  # unlike the words joined too
    ("ABDUL KARIM ALI HASSAN AL-ZAWI", "ABDULRAHMAN ALI HASSAN AL-ZAWI", True),  # ABDULKARIM 0.55: another ABD- name
]


@pytest.mark.parametrize(("query", "listed", "shifted"), BROTHERS)
def test_brothers(query: str, listed: str, shifted: bool) -> None:
    detail = both_paths(query, listed, threshold=0.5)["detail"].item()
    assert (SHIFTED_NOTE in detail) == shifted, detail


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


# query, listed name, the listed entity's type, whether each name holds initials the other lacks
SWAPS = [
    ("D.E.S. INTERNATIONAL", "SES INTERNATIONAL CORP", "Organization", True),  # letters of a run against a word
    ("IAC INTERNATIONAL", "NPC INTERNATIONAL", "Organization", True),
    ("I A C INTERNATIONAL INC.", "N P C INTERNATIONAL LTD", "Organization", True),
    ("U.I. INTERNATIONAL", "N P C INTERNATIONAL LTD", "Organization", False),  # two letters are no run (J. R.)
    ("D.E.S. INTERNATIONAL", "DES INTERNATIONAL CO., LTD.", "Organization", False),  # the same initials
    ("SSA MARINE INDUSTRIAL", "SADRA MARINE INDUSTRIAL", "Organization", False),  # SADRA: a word, not initials
    ("JAISH UL-ADL", "JAYSH AL-ADL", "Organization", False),  # articles
    ("SAAB CERTAIN Y COMPANIA", "SAAB CERTAIN AND COMPANIA", "Organization", False),  # link words
    ("IRGC", "ISLAMIC REVOLUTIONARY GUARD CORPS", "Organization", False),  # an acronym of the name
    ("Ali DES SMITH", "Ali SES SMITH", "Person", False),  # people's names are left to the chain rules
]


@pytest.mark.parametrize(("query", "listed", "schema", "swapped"), SWAPS)
def test_initials_swapped(query: str, listed: str, schema: str, swapped: bool) -> None:
    index = build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [schema]}))
    pairs = name_pairs(normalize_names(pl.Series([query]), pl.Series([titles.OTHER])), index, 0.0)
    assert pairs.select(penalties.word_swapped()).to_series().to_list() == [swapped]
    both_paths_in(index, query, threshold=0.3)  # the one-query path scores it alike


def test_initials_swapped_fall_below_threshold() -> None:
    index = build_index(
        pl.DataFrame({"entity_id": ["e"], "name": ["SES INTERNATIONAL CORP"], "entity_schema": ["Organization"]})
    )
    low = both_paths_in(index, "D.E.S. INTERNATIONAL", threshold=0.3)["score"].item()
    assert low < DEFAULT_THRESHOLD <= low + penalties.SWAPPED_PENALTY


# parents and their branch listed as parties (organisations), and two people's names one part of the other's
PARTIES = pl.DataFrame(
    {
        "entity_id": ["bank", "branch", "petro", "petro-uk", "ali", "abid-ali"],
        "name": [
            "BANK SEPAH",
            "BANK SEPAH INTERNATIONAL PLC",
            "PETROCHEMICAL COMMERCIAL COMPANY",
            "PETROCHEMICAL COMMERCIAL COMPANY (U.K.) LIMITED",
            "Abid KHAN",
            "Abid Ali KHAN",
        ],
        "entity_schema": ["Organization"] * 4 + ["Person"] * 2,
    }
)
# query, its type, another listed party, whether it scores lower than for the query untyped (read as before)
IN_FULL = [
    ("BANK SEPAH", "Organization", "branch", True),  # names the parent in full: not a part of the branch's name
    ("BANK SEPAH LTD", "Organization", "branch", True),  # a legal form aside
    ("PETROCHEMICAL COMMERCIAL COMPANY UK", "Organization", "petro", True),  # names the branch: not its parent
    ("SEPAH INTERNATIONAL", "Organization", "branch", False),  # names no listed party in full
    ("Abid KHAN", "Person", "abid-ali", False),  # people: a name part of another's is still theirs
]


@pytest.mark.parametrize(("query", "schema", "other", "lowered"), IN_FULL)
def test_organisation_named_in_full(query: str, schema: str, other: str, lowered: bool) -> None:
    index = build_index(PARTIES)
    typed, untyped = (both_paths_in(index, query, schema=s, threshold=0.3) for s in (schema, None))
    score, before = (hits.filter(pl.col("entity_id") == other)["score"].item() for hits in (typed, untyped))
    assert (score < before) == lowered, (score, before)
