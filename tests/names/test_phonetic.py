"""Abjad consonants read one-sided: only a Latin-script side is read as an abjad writes it, never the abjad side."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.names import build_index, match_index
from screening.names.phonetic import foreign_consonants
from screening.names.single import text
from screening.names.single.serve import match_one
from tests.names.conftest import by_scorer, scoring

# a Latin-script word as spelt, its consonants as an abjad writes them
READINGS = [
    ("VLADIMIR", "FLDMR"),  # V as F (فلاديمير)
    ("PUTIN", "BTN"),  # P as B (بوتين)
    ("JOSEPH", "SF"),  # PH is F, J a vowel as the skeleton has it
    ("WALID", "LD"),  # a W stays a W, written as a vowel (وليد), never as F
    ("ISSA", "S"),
    ("PAVEL", "BFL"),
]


@pytest.mark.parametrize(("spelt", "read"), READINGS)
def test_latin_words_read_as_an_abjad_writes_them(spelt: str, read: str) -> None:
    batch = pl.select(foreign_consonants(pl.lit(spelt))).item()
    assert (batch, text.foreign_consonants(spelt)) == (read, read)


# query written in an abjad, listed Latin-script name, whether they match at the default threshold
PAIRS = [
    ("فلاديمير بوتين", "Vladimir PUTIN", True),  # the Latin side's V and P read as the F and B Arabic writes
    ("فيكتور بوت", "Viktor BOUT", True),
    ("بافل بوبوف", "Pavel POPOV", True),
    ("وليد محمد", "WALID MOHAMMED", True),
    ("نواف", "NAWAF", True),
    ("پرویز", "PARVIZ", True),  # Persian writes P
    # the abjad side's F is an F: another person's name lacking it, or with a W, stays below the threshold
    ("سيف علي حسن", "ISSA, Ali Hassan", False),
    ("عارف محمد", "ARI MOHAMMED", False),
    ("فارس خالد", "ARIS KHALID", False),
    ("رؤوف حسن", "RAO HASSAN", False),
    ("فريد", "WARID", False),
    ("خليفة حمد", "KHALIL HAMAD", False),  # skeletons one consonant apart
    ("محمد سالم", "MOHAMMED SALEH", False),
    # a Latin name of one word is not read as a foreign name written in Arabic: no other word agrees
    ("فارس", "VERES", False),  # FARIS
    ("بدر", "PEDRO", False),  # BADR
    ("بوتين", "PUTIN", False),
    ("بوتين", "BUTIN", True),  # as written
    # Hebrew writes P and F with one letter (פ, folded P) and V with ו or ב: no Arabic reading of P as B
    ("בדר חסן", "PEDRO HASAN", False),
    ("ולדימיר פוטין", "Vladimir PUTIN", True),  # its P is written P
]


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(PAIRS))
def test_abjad_pairs_batch_and_one_query(query: str, listed: str, matched: bool, scorer: str) -> None:
    index = build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": ["Person"]}))
    row: dict[str, str | None] = {"id": "q", "name": query, "schema": "Person", "country": None}
    row |= {"birth_date": None, "identifier": None}
    model, threshold = scoring(scorer, matched)
    batch = match_index(pl.DataFrame([row], schema=dict.fromkeys(row, pl.String())), index, threshold, 1, model)
    plain = match_one(row, index, threshold, 1, model)
    assert plain is not None
    assert_frame_equal(plain, batch)
    assert (batch.height == 1) == matched, batch["detail"].to_list()
