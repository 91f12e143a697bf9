"""Token alignment in both paths: words joined (a word spelling two others), brothers' chains, names in full."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import align, build_index
from screening.names.align import IN_FULL_NOTE
from screening.names.penalties import SHIFTED_NOTE
from tests.names.conftest import HAND_ONLY, both_paths, both_paths_in, by_scorer

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


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(JOINS))
def test_joined_words(query: str, listed: str, matched: bool, scorer: str) -> None:
    assert (both_paths(query, listed, scorer=scorer).height > 0) == matched


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


@pytest.mark.parametrize(("query", "listed", "shifted", "scorer"), by_scorer(BROTHERS, scorers=HAND_ONLY))
def test_brothers(query: str, listed: str, shifted: bool, scorer: str) -> None:
    detail = both_paths(query, listed, threshold=0.5, scorer=scorer)["detail"].item()
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


# parents and their branch listed as parties (organisations), two people's names one part of the other's,
# a vessel and an untyped entity bearing names other organisations' names hold in full
PARTIES = pl.DataFrame(
    [
        ("bank", "BANK SEPAH", "Organization"),
        ("branch", "BANK SEPAH INTERNATIONAL PLC", "Organization"),
        ("petro", "PETROCHEMICAL COMMERCIAL COMPANY", "Organization"),
        ("petro-uk", "PETROCHEMICAL COMMERCIAL COMPANY (U.K.) LIMITED", "Organization"),
        ("ali", "Abid KHAN", "Person"),
        ("abid-ali", "Abid Ali KHAN", "Person"),
        ("kunlun", "BANK OF KUNLUN", "Company"),
        ("ship", "CHONG CHON GANG", "Vessel"),
        ("shipping", "CHONG CHON GANG SHIPPING CO. LTD", "Company"),
        ("un", "SEA STAR", "Unknown"),
        ("unco", "SEA STAR TRADING LLC", "Company"),
        ("huawei-group", "HUA WEI TECHNOLOGIES GROUP", "Company"),
        ("huawei", "HUAWEI TECHNOLOGIES", "Company"),
    ],
    schema=["entity_id", "name", "entity_schema"],
    orient="row",
)
# query, its type, the type it is compared with, another listed party, whether it scores lower than there
IN_FULL = [
    ("BANK SEPAH", "Organization", None, "branch", True),  # names the parent in full: not a part of the branch's
    ("BANK SEPAH LTD", "Organization", None, "branch", True),  # a legal form aside
    ("BANK SEPAH", "Company", None, "branch", True),
    ("PETROCHEMICAL COMMERCIAL COMPANY UK", "Organization", None, "petro", True),  # names the branch, not its parent
    ("SEPAH INTERNATIONAL", "Organization", None, "branch", False),  # names no listed party in full
    ("HUA WEI TECHNOLOGIES GROUP", "Organization", None, "huawei", False),  # words added, spaced another way: glue
    ("BANK OF KUN LUN", "Organization", None, "kunlun", False),  # the pair naming it in full scores as it did
    ("CHONG CHON GANG", "Organization", None, "shipping", False),  # a vessel's name, not an organisation's
    ("SEA STAR", "Organization", None, "unco", False),  # an untyped entity's (a list of those holds people too)
    ("Abid KHAN", "Person", None, "abid-ali", False),  # people: a name part of another's is still theirs
    ("BANK SEPAH", "Individual", "Person", "branch", False),  # a person, as a Person
]


@pytest.mark.parametrize(
    ("query", "schema", "compared", "other", "lowered", "scorer"), by_scorer(IN_FULL, scorers=HAND_ONLY)
)
def test_organisation_named_in_full(
    query: str, schema: str, compared: str | None, other: str, lowered: bool, scorer: str
) -> None:
    index = build_index(PARTIES)
    typed, untyped = (both_paths_in(index, query, schema=s, threshold=0.3, scorer=scorer) for s in (schema, compared))
    hit, before = (hits.filter(pl.col("entity_id") == other) for hits in (typed, untyped))
    assert (hit["score"].item() < before["score"].item()) == lowered, (hit, before)
    assert (IN_FULL_NOTE in hit["detail"].item()) == lowered  # the detail says why, in both paths
