"""The words of a name naming part of another: each held by a word of the other, in bulk and for one pair alike."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from screening.names.marks import FORM, WORD
from screening.names.part_words import Words, held, held_one


def _words(names: list[list[str]], forms: set[str]) -> Words:
    """Return the words of token lists, the tokens in ``forms`` marked as legal-form words."""
    marks = [[FORM if t in forms else WORD for t in name] for name in names]
    frame = pl.DataFrame(
        {"k": list(range(len(names))), "tokens": names, "marks": marks}, schema_overrides={"marks": pl.List(pl.Int8)}
    )
    return Words.of(frame, "k")


@pytest.mark.parametrize(
    ("fewer", "longer", "expected"),
    [
        (["SUSKO", "ANDREI"], ["SUSKO", "ANDRI", "VOLODIMIROVIC"], True),  # a patronymic and a given name more
        (["VLADIMIR", "POETIN"], ["PUTIN", "VLADIMIR", "VLADIMIROVIC"], True),  # POETIN holds 4 of 6 in PUTIN
        (["KARAN", "NAVARO"], ["NAVARO", "KERANO", "VIKTOR", "RAMON"], True),
        (["MARIA", "LOPEZ"], ["LOPEZ", "GARCIA", "FERNANDO"], True),  # MARIA: 4 of 6 in GARCIA, on mean 0.83
        (["MARIA", "LOPEZ"], ["LOPEZ", "GONZALEZ", "FERNANDO"], False),  # MARIA: 2 of 8 at best
        (["DAVID", "KOWALSKI"], ["KOWALSKI", "ANNA", "MARIA"], False),  # DAVID: 2 of 5 at best
        (["J", "SMITH"], ["SMITH", "JOHN", "PAUL"], True),  # an initial heading a word holds INITIAL_SIM
        (["ACME", "LLC"], ["ACME", "TRADING", "COMPANY"], True),  # a legal-form word is left out
        (["ACME", "LLC"], ["ACMA", "TRADING", "COMPANY"], False),  # 3 of 4 letters alone: under the mean
        (["Ω", "SMITH"], ["SMITH", "JOHN", "PAUL"], True),  # a word of other characters is not bounded
    ],
)
def test_words_held_in_bulk_and_for_one_pair(fewer: list[str], longer: list[str], expected: bool) -> None:
    forms = {"LLC"}
    bulk = held(
        _words([fewer], forms), np.zeros(1, dtype=np.int64), _words([longer], forms), np.zeros(1, dtype=np.int64)
    )
    one = held_one([(t, t in forms) for t in fewer], longer)
    assert (bool(bulk[0]), one) == (expected, expected)


def test_words_held_of_many_pairs_follow_their_names() -> None:
    fewer = _words([["DAVID", "KOWALSKI"], ["SUSKO", "ANDREI"]], set())
    longer = _words([["SUSKO", "ANDRI", "VOLODIMIROVIC"], ["KOWALSKI", "ANNA", "MARIA"]], set())
    got = held(fewer, np.array([1, 0, 1]), longer, np.array([0, 1, 1]))
    assert got.tolist() == [True, False, False]
