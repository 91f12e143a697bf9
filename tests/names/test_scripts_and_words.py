"""Names across scripts and spellings: abjad consonants, name chains, number words, abbreviations, CJK."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import match_names
from screening.names.script import fold
from tests.names.conftest import by_scorer, scoring

# query, listed name, whether they match at the default threshold
CASES = [
    ("محمد بن سلمان", "Mohammed bin Salman", True),  # Arabic writes no short vowels: consonants compared
    ("يوسف حسين", "Yusuf Hussein", True),
    ("جوهر مجيد الدوري", "JAWHAR MAJID AL-DURI", True),  # the article joined to its word, without its alif
    ("علي حسن المجيد التكريتي", "ALI HASSAN AL-MAJID AL-TIKRITI", True),
    ("عبد الله حسن", "ABDALLAH HASSAN", True),  # الله is a word glued to the one before, not the article and LH
    ("حسن نصر الله", "Hassan NASRALLAH", True),
    ("فيكتور بوت", "Viktor BOUT", True),  # Arabic writes a foreign V with F, P with B and U with W
    ("نواف", "NAWAF", True),  # a W that is a consonant
    ("پرویز", "PARVIZ", True),
    ("ديمتري بيسكوف", "Dmitry PESKOV", True),
    ("بافل بوبوف", "Pavel POPOV", True),
    ("سيرغي لافروف", "Sergei LAVROV", True),
    ("فيكتور بوت", "Viktor BUTENKO", False),
    ("ויקטור בוט", "Viktor BOUT", True),  # Hebrew: a bet opening a word is B, a waw compared as a vowel
    ("Սերգեյ Լավրով", "Sergei LAVROV", True),  # Armenian ու is U
    ("Ευάγγελος Μπούρας", "Evangelos BOURAS", True),  # Greek as lists romanise it (ELOT 743)
    ("عبد الله حسن", "ABDUL HASSAN", False),
    ("سلمان بن محمد", "Mohammed bin Salman", False),  # the patronymic chain reversed is another person
    ("AHMAD BIN SALIM", "SALIM BIN AHMAD", False),
    ("Salim bin Ahmad", "SALIM BIN AHMAD", True),
    ("Usama bin Muhammad bin Awad bin Ladin", "BIN LADIN, Usama bin Muhammad bin Awad", True),  # surname first
    # a name chain shifted by a given name names a son or a father; the same chain changed stays found
    ("SABAWI IBRAHIM HASAN AL-TIKRITI", "SA'D SABAWI IBRAHIM HASAN AL-TIKRITI", False),  # the list names his son
    ("قصي صدام حسين التكريتي", "SADDAM HUSSEIN AL-TIKRITI", False),  # the list names his father
    ("SABAWI HASAN AL-TIKRITI", "SABAWI IBRAHIM HASAN AL-TIKRITI", True),  # a middle name dropped
    ("SABAWI IBRAHIM HASAN", "AL-TIKRITI, Sabawi Ibrahim Hassan", True),  # the family name left out
    ("SABAWY IBRAHIM HASAN AL-TIKRITI", "SABAWI IBRAHIM HASAN AL-TIKRITI", True),
    ("S. IBRAHIM HASAN AL-TIKRITI", "SABAWI IBRAHIM HASAN AL-TIKRITI", True),  # the given name cut to an initial
    ("YOUSSEF ALI HASSAN AL-ZAWI", "YUSUF ALI HASSAN AL-ZAWI", True),  # a given name spelt apart: no brother
    ("ZIAD ALI HASSAN AL-ZAWI", "ZIYAD ALI HASSAN AL-ZAWI", True),
    ("ABDULAZIZ ALI HASSAN AL-ZAWI", "ABD AL-AZIZ ALI HASSAN AL-ZAWI", True),
    ("ABDELRAHMAN ALI HASSAN AL-ZAWI", "ABDUL RAHMAN ALI HASSAN AL-ZAWI", True),
    ("ذياب علي حسن الزاوي", "THIAB ALI HASSAN AL-ZAWI", False),  # 0.85 (0.70 with the brother reading)
    ("Paul Smith", "John Paul Smith", True),  # no chain: a middle name used as the given name
    ("Paul Smith", "SMITH, John Paul", True),
    ("Brigade Forty-Four", "Brigade 44", True),
    ("Brigade Forty-Five", "Brigade 44", False),
    ("Stone Int'l Trading", "Stone International Trading", True),
    ("Vladimir Poutine", "PUTIN, Vladimir Vladimirovich", True),  # the patronymic left out, weighs little
    ("Roman Abramovich", "ABRAMOVICH, Roman Arkadyevich", True),
    ("Roman Arkadyevich", "ABRAMOVICH, Pavel Arkadyevich", False),  # a surname ending like a patronymic counts
    ("王小明", "WANG Xiaoming", True),
    ("王小明", "王小名", False),  # both read WANG XIAO MING: told apart in their own script
    ("王小明", "王小明", True),
    ("김정은", "김정운", False),  # Korean names a syllable apart
]


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "AHMAD BIN SALIM-SALIM BIN AHMAD-False": "0.692 over its 0.63 (hand 0.750)",
    "ABDULAZIZ ALI HASSAN AL-ZAWI-ABD AL-AZIZ ALI HASSAN AL-ZAWI-True": "0.396 under its 0.63 (hand 0.937)",
    "ABDELRAHMAN ALI HASSAN AL-ZAWI-ABDUL RAHMAN ALI HASSAN AL-ZAWI-True": "0.523 under its 0.63 (hand 0.941)",
    "Paul Smith-John Paul Smith-True": "0.612 under its 0.63 (hand 0.909)",
    "Paul Smith-SMITH, John Paul-True": "0.505 under its 0.63 (hand 0.909)",
    "Vladimir Poutine-PUTIN, Vladimir Vladimirovich-True": "0.588 under its 0.63 (hand 0.893)",
}


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(CASES, lost=MODEL_LOSES))
def test_match(query: str, listed: str, matched: bool, scorer: str) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed]})
    model, threshold = scoring(scorer, matched)
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), watch, threshold=threshold, model=model)
    assert (hits.height == 1) == matched, hits["detail"].to_list()


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ООО Ромашка", "OOO Romashka"),
        ("王小明", "Wang Xiao Ming"),  # each syllable a word, as unidecode wrote it
        ("김정은", "Gim Jeong Eun"),
        ("Ångström", "Angstrom"),
        ("الدوري", "al-dwry"),  # anyascii writes no alif: the article is set apart with its own
        ("لادن", "ldn"),
        ("عبد الله", "`bdallah"),  # الله written out and glued to the word before, as lists write ABDALLAH
        ("عبدالله", "`bdallah"),
        ("اللهم", "al-lhm"),  # a word only beginning with the letters of الله keeps its article
        ("عبدُ اللهِ", "`bdallah"),  # vowel marks go: a vocalised name folds as its plain spelling
        ("عبد اللّه", "`bdallah"),  # a shadda
        ("مُحَمَّد", "mhmd"),
        ("محـــمد", "mhmd"),  # a tatweel
        ("بوتين", "bwtyn"),  # a waw stays W, a vowel (PUTIN) or a consonant (جواد: JAVAD): keys look both ways
        ("פוטין", "pvtyn"),  # a pe opening a Hebrew word is P, F elsewhere
        ("יוסף", "yvsf"),
        ("בוריס", "bvrys"),  # a bet opening a word is B
        ("Պուտին", "Putin"),  # Armenian ու is U
        ("Πούτιν", "Poutin"),  # Greek ου is OU (anyascii: OY)
        ("Ευάγγελος", "evangelos"),  # ευ is EV, γγ is NG
        ("Μπάμπης", "bampis"),  # μπ opening a word is B, MP inside it
        ("Ντόρα", "dora"),
        ("Αντώνης", "Antonis"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert " ".join(fold(raw).split()) == folded


@pytest.mark.parametrize("order, scorer", by_scorer([[0, 1], [1, 0]]))
def test_a_latin_and_an_arabic_name_sharing_a_core_score_apart_in_any_order(order: list[int], scorer: str) -> None:
    names = ["MHMD BN SLMN", "محمد بن سلمان"]  # one core; only the Arabic one compares by consonants
    queries = pl.DataFrame({"id": [str(i) for i in order], "name": [names[i] for i in order]})
    watch = pl.DataFrame({"entity_id": ["e"], "name": ["Mohammed bin Salman"]})
    scores = dict(
        match_names(queries, watch, threshold=0.01, model=scoring(scorer)[0]).select("query_id", "score").iter_rows()
    )
    assert scores["1"] > scoring(scorer)[1] > scores["0"]
