"""Misspelt legal-form words, read pair by pair: a query word a list name's legal form misspelt.

A list name's legal form is cut off for alignment, so a query writing that form misspelt (KALA
LIMTIDE ~ KALA LIMITED, HEMMAT PETROCHEMICAL COPMNY ~ … COMPANY) keeps a word the list name lacks.
Such a word, left unmatched in a pair whose list name has a legal form of a class (``legal``) one of
whose spellings holds a word it is a typo of, is read as a legal-form word of that pair. A typo is at
least ``FORM_TYPO`` alike (optimal string alignment, a transposition one edit: two edits in seven
letters), with at most ``EXTRA_LETTERS`` letters the form word lacks (COMPASS holds two S's COMPANY
lacks: a word, not a typo of it), none against a form word under ``FORM_LONG`` letters (POINT ~
JOINT, CLOSET ~ CLOSED), of ``FORM_TYPO_MIN`` letters or more, and no real word near a form word
(``NOT_MISSPELT``). Whether a word may be such a typo is the word's (its class bits); whether it is
read so is the pair's (the list name's classes, the word unmatched). Only the project's own table's
spellings lend their words (the derived ones hold BANK, CAPITAL: name words).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import LEGAL_FORMS, NOT_EDGE_FORMS, OTHER_WORDS
from screening.names.parallel import workers

FORM_TYPO: Final = 0.7
EXTRA_LETTERS: Final = 1
FORM_TYPO_MIN: Final = 5
FORM_LONG: Final = 7
CLASSES: Final = tuple(LEGAL_FORMS)  # the classes whose spellings lend their words, one bit each in this order
# real words a typo away from a form word: never read as one misspelt
NOT_MISSPELT: Final = frozenset(
    {
        "LIMITS",  # LIMITED
        "COOPERATION",  # CORPORATION: GULF COOPERATION COUNCIL
        "CORPORATE",
        "INCORPORATE",  # INCORPORATED
        "INCORPORATION",
        "COMPANIES",
        *NOT_EDGE_FORMS,  # PARTNERS: PARTNERSHIP, three letters left out
        *OTHER_WORDS,  # LIMITER, LIMITES: words the normaliser's edge cut keeps too
    }
)
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@cache
def vocab() -> tuple[list[str], np.ndarray]:
    """Return the words of ``FORM_TYPO_MIN`` letters or more of the own table's spellings, and their classes' bits."""
    bits: dict[str, int] = {}
    for n, cls in enumerate(CLASSES):
        for spelling in LEGAL_FORMS[cls]:
            for word in spelling.split():
                if len(word) >= FORM_TYPO_MIN:
                    bits[word] = bits.get(word, 0) | 1 << n
    words = sorted(bits)
    return words, np.array([bits[w] for w in words], dtype=np.int64)


def _counts(words: pl.Series) -> np.ndarray:
    """Return how often each letter A-Z occurs in each word (one row a word)."""
    frame = words.to_frame("w").select(pl.col("w").str.count_matches(c).alias(c) for c in _LETTERS)
    return frame.to_numpy().astype(np.int32)


def class_bits(spelt: pl.Series) -> np.ndarray:
    """Return per spelt word the bits of the classes (``CLASSES``) it may be a form word of misspelt (0: none)."""
    out = np.zeros(spelt.len(), dtype=np.int64)
    distinct = spelt.drop_nulls().unique()
    distinct = distinct.filter((distinct.str.len_bytes() >= FORM_TYPO_MIN) & ~distinct.is_in(sorted(NOT_MISSPELT)))
    if distinct.len() == 0:
        return out
    words, bits = vocab()
    work = workers(distinct.len() * len(words))
    alike = process.cdist(distinct.to_list(), words, scorer=OSA.normalized_similarity, workers=work, dtype=np.float32)
    row, col = np.nonzero(alike >= FORM_TYPO - 1e-6)
    if row.size == 0:
        return out
    extra = np.maximum(_counts(distinct)[row] - _counts(pl.Series(words))[col], 0).sum(axis=1)
    allowed = np.where(np.array([len(w) for w in words])[col] >= FORM_LONG, EXTRA_LETTERS, 0)
    row, col = row[extra <= allowed], col[extra <= allowed]
    found = np.zeros(distinct.len(), dtype=np.int64)
    np.bitwise_or.at(found, row, bits[col])
    table = pl.DataFrame({"s": distinct, "b": found})
    joined = spelt.to_frame("s").join(table, on="s", how="left", maintain_order="left")
    out[:] = joined["b"].fill_null(0).to_numpy()
    return out


@lru_cache(maxsize=1 << 16)  # bounded: a server meets ever new query words
def word_bits(spelt: str) -> int:
    """Return the class bits of one spelt word, as :func:`class_bits` gives them (the one-query path's)."""
    return int(class_bits(pl.Series([spelt], dtype=pl.String))[0])


def legal_bits(legal: pl.Expr) -> pl.Expr:
    """Return the bits of a name's legal-form classes (its ``legal`` column) among ``CLASSES``."""
    bit = pl.element().replace_strict({cls: 1 << n for n, cls in enumerate(CLASSES)}, default=0, return_dtype=pl.Int64)
    return legal.list.eval(bit).list.eval(pl.element().bitwise_or()).list.first().fill_null(0)


def names_bits(legal: list[str]) -> int:
    """Return the bits of one name's legal-form classes, as :func:`legal_bits` gives them."""
    out = 0
    for cls in legal:
        if cls in CLASSES:
            out |= 1 << CLASSES.index(cls)
    return out
