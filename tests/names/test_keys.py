"""Table tests of blocking keys: which pairs of names share a key, and which a watchlist then proposes."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import blocking, build_index, normalize_names
from screening.names import keys as k


def _set_keys(name: str) -> set[int]:
    """Return the consonant-set keys of one name."""
    norm = normalize_names(pl.Series([name])).with_row_index("nid")
    return set(k.consonant_set_keys(k.phonetic_tokens(k.token_frame(norm)))["key"].to_list())


CONSONANT_SETS = [
    ("محمد يونس أحمد", "MUHAMMAD YUNIS AHMAD", True),  # an abjad writes no short vowels: MHMD YWNS 'HMD
    ("AL-TIKRITI, Bashir Sab'awi Ibrahim Al-Hasan", "BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI", True),  # AL twice
    ("PAVLIUCHENKO, Dzmitry Vasilyevich", "PAULICHENKA, Dmitri Vasilyevich", True),  # one word respelt of three
    ("AHMAD YUNIS KARIM", "AHMAD YUNIS KARIM SALEH", False),  # a word more: a whole set meets only a whole set
    ("AL-SHAMMARI, Muhammad", "AL-HAMATI, Muhammad", False),  # two common words left, the third's head differs
    ("MUHAMMAD AHMAD", "MUHAMMAD AHMED", False),  # two words: their leave-one-out keys keep head and length
    ("MUHAMMAD YUNIS AHMAD", "MUHAMMAD KARIM SALEH", False),  # two words apart
    ("AHMAD YUNIS", "AHMAD YUNIS SALEH KARIM", False),  # two words more
]


@pytest.mark.parametrize(("a", "b", "shared"), CONSONANT_SETS)
def test_consonant_set_keys(a: str, b: str, shared: bool) -> None:
    assert bool(_set_keys(a) & _set_keys(b)) == shared


def _token_keys(token: str) -> set[int]:
    """Return the token keys of one skeleton token, spelt as it is."""
    return set(k.token_keys(pl.DataFrame({"tok": [token], "spelt": [token]}))["key"].to_list())


LONG_TOKENS = [
    ("CATARAPRAPAPORN", "CANTARAPRAPAPORN", True),  # fifteen letters, one more
    ("ABCDEFGHIKLMNOPRSTU", "ABCDEFGHIKLMNOPRSTV", True),  # nineteen letters, the last respelt
    ("CATARAPRAPAPORN", "CANTRAPRAPAPORM", False),  # three edits apart
]


@pytest.mark.parametrize(("a", "b", "shared"), LONG_TOKENS)
def test_long_tokens_keep_deletion_keys(a: str, b: str, shared: bool) -> None:
    assert bool(_token_keys(a) & _token_keys(b)) == shared


FOREIGN = [
    ("BVTIN", "PUTIN", True),  # Arabic writes P with its B and the vowel U with its W (بوتين: BWTYN)
    ("FIKTVR", "VIKTOR", True),  # and V with its F (فيكتور)
    ("BVBVF", "POPOV", True),  # both, anywhere in the word (بوبوف)
    ("LAFRVF", "LAVROV", True),  # a W after the first letter is a vowel, an F a V (لافروف)
    ("VLID", "VALID", True),  # a W opening a word is a consonant (وليد)
    ("FARID", "VALID", False),  # another consonant
    ("BVTN", "BUTCHER", False),
]


@pytest.mark.parametrize(("query", "listed", "shared"), FOREIGN)
def test_abjad_tokens_look_with_their_foreign_spelling(query: str, listed: str, shared: bool) -> None:
    looked = set(k.abjad_keys(pl.DataFrame({"tok": [query]}))["key"].to_list()) | _token_keys(query)
    assert bool(looked & _token_keys(listed)) == shared


def _coined(i: int, tail: str) -> str:
    """Return a distinct made-up word for filler list names."""
    return "".join(chr(ord("B") + int(d)) for d in f"{i:03d}") + tail


# fillers make MUHAMMAD, AHMAD and YUNIS too common to post: only name-level evidence is left
ABJAD_WATCH = pl.DataFrame(
    {
        "name": [f"MUHAMMAD {_coined(i, 'OV')}" for i in range(60)]
        + [f"AHMAD {_coined(i, 'EV')}" for i in range(60)]
        + [f"YUNIS {_coined(i, 'IN')}" for i in range(60)]
        + ["MUHAMMAD YUNIS AHMAD"],
    }
).with_row_index("entity_id")

ABJAD = [
    ("محمد يونس أحمد", True),  # the whole set of consonant skeletons
    ("محمد يونس", False),  # a word less (two common words)
    ("محمد كريم", False),  # one word of two apart
]


@pytest.mark.parametrize(("query", "blocked"), ABJAD)
def test_blocking_meets_abjad_names_of_common_words(query: str, blocked: bool) -> None:
    index = build_index(ABJAD_WATCH.with_columns(pl.col("entity_id").cast(pl.String)))
    qnorm = normalize_names(pl.Series([query])).with_row_index("nid")
    pairs = blocking.candidates(qnorm, index.keys, 40)
    named = pairs.join(index.names.select("wid", w="raw"), on="wid")
    assert ("MUHAMMAD YUNIS AHMAD" in named["w"].to_list()) == blocked
