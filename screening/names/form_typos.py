"""Misspelt legal-form words, read pair by pair: a query word a list name's legal form misspelt.

A list name's legal form is cut off for alignment, so a query writing that form misspelt (KALA
LIMTIDE ~ KALA LIMITED, HEMMAT PETROCHEMICAL COPMNY ~ … COMPANY) keeps a word the list name lacks.
Such a word, left unmatched in a pair whose list name has a legal form of a class (``legal``) one of
whose spellings holds a word it is a typo of, is read as a legal-form word of that pair. A typo is at
least ``FORM_TYPO`` alike (optimal string alignment, a transposition one edit: two edits in seven
letters), with at most ``EXTRA_LETTERS`` letters the form word lacks (COMPASS holds two S's COMPANY
lacks: a word, not a typo of it), none against a form word under ``FORM_LONG`` letters (POINT ~
JOINT, CLOSET ~ CLOSED), of ``FORM_TYPO_MIN`` letters or more, beginning with the form word's letter and
as long within one letter (AISHA is no KAISHA, OPERATION no CORPORATION), not the form word spelt right
and no English word near a form word (``NOT_MISSPELT`` and ``REAL_WORDS_FILE``: PIRATE, PRIMATE, CLOSE,
TICKET). Whether a word may be such a typo is the word's (its class bits); whether it is read so is
the query's (its first or last word, not a person's name, no legal form of its own or one of the class:
:func:`read_bits`) and the pair's (the list name's classes, the word unmatched). Only the project's own table's
spellings lend their words (the derived ones hold BANK, CAPITAL: name words).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Final, NamedTuple

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import LEGAL_FORMS, NOT_EDGE_FORMS, OTHER_WORDS
from screening.names.parallel import workers
from screening.names.part_words import letter_counts
from screening.names.titles import PERSON

FORM_TYPO: Final = 0.7
EXTRA_LETTERS: Final = 1
FORM_TYPO_MIN: Final = 5
FORM_LONG: Final = 7
CLASSES: Final = tuple(LEGAL_FORMS)  # the classes whose spellings lend their words, one bit each in this order
READ: Final = "form_typos_read"  # a query core's column: the classes its edge words may be read as (:func:`read_bits`)
# English words a typo away from a form word (SCOWL's list, written by ``benchmarks/names/form_typo_words.py``)
REAL_WORDS_FILE: Final = "form_typo_words.txt"
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


class Vocab(NamedTuple):
    """The form words a typo may be of: spellings, class bits, letter counts, lengths and first bytes."""

    words: list[str]
    bits: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray
    heads: np.ndarray


@cache
def vocab() -> Vocab:
    """Return the words of ``FORM_TYPO_MIN`` letters or more of the own table's spellings, with what typos compare."""
    bits: dict[str, int] = {}
    for n, cls in enumerate(CLASSES):
        for spelling in LEGAL_FORMS[cls]:
            for word in spelling.split():
                if len(word) >= FORM_TYPO_MIN:
                    bits[word] = bits.get(word, 0) | 1 << n
    words = sorted(bits)
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    counts, heads = letter_counts(pl.Series(words), lengths, np.uint8)
    return Vocab(words, np.array([bits[w] for w in words], dtype=np.int64), counts.astype(np.int16), lengths, heads)


@cache
def real_words() -> frozenset[str]:
    """Return the words never read as a form word misspelt: ``NOT_MISSPELT`` and the shipped English ones."""
    text = resources.files("screening.data").joinpath(REAL_WORDS_FILE).read_text(encoding="utf-8")
    return NOT_MISSPELT | {w for w in text.split("\n") if w and not w.startswith("#")}


def alike_shape(word: str, form: str) -> bool:
    """Return whether a word begins with a form word's letter and is as long within one letter."""
    return word[:1] == form[:1] and abs(len(word) - len(form)) <= 1


def class_bits(spelt: pl.Series) -> np.ndarray:
    """Return per spelt word the bits of the classes (``CLASSES``) it may be a form word of misspelt (0: none)."""
    out = np.zeros(spelt.len(), dtype=np.int64)
    distinct = spelt.drop_nulls().unique()
    distinct = distinct.filter((distinct.str.len_bytes() >= FORM_TYPO_MIN) & ~distinct.is_in(sorted(real_words())))
    if distinct.len() == 0:
        return out
    v = vocab()
    work = workers(distinct.len() * len(v.words))
    alike = process.cdist(distinct.to_list(), v.words, scorer=OSA.normalized_similarity, workers=work, dtype=np.float32)
    row, col = np.nonzero((alike >= FORM_TYPO - 1e-6) & (alike < 1.0))  # a form word spelt right is no typo
    if row.size == 0:
        return out
    lengths = distinct.str.len_bytes().to_numpy().astype(np.int64)
    counts, heads = letter_counts(distinct, lengths, np.uint8)
    extra = np.maximum(counts[row].astype(np.int16) - v.counts[col], 0).sum(axis=1)
    allowed = np.where(v.lengths[col] >= FORM_LONG, EXTRA_LETTERS, 0)
    shaped = (heads[row] == v.heads[col]) & (np.abs(lengths[row] - v.lengths[col]) <= 1)
    keep = (extra <= allowed) & shaped
    found = np.zeros(distinct.len(), dtype=np.int64)
    np.bitwise_or.at(found, row[keep], v.bits[col[keep]])
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


ALL: Final = (1 << len(CLASSES)) - 1


def read_column(columns: list[str]) -> pl.Expr:
    """Return a query frame's :data:`READ` column, or every class where the frame has none."""
    return pl.col(READ) if READ in columns else pl.lit(ALL, pl.Int64)


def read_bits(kind: pl.Expr, legal: pl.Expr) -> pl.Expr:
    """Return the classes a query name's words may be read as a form misspelt of: its own forms' where it has one.

    A person's name holds none (0); a name without a legal form any (``ALL``); one with a form only that
    form's classes (FFRIENDS TRAVEL INN PRIVAITE LIMITED; not KALA LIMTIDE JSC ~ KALA LIMITED).
    """
    own = pl.when(legal.list.len().fill_null(0) == 0).then(pl.lit(ALL, pl.Int64)).otherwise(legal_bits(legal))
    return pl.when(kind == PERSON).then(pl.lit(0, pl.Int64)).otherwise(own)


def form_read_bits(kind: str, legal: list[str]) -> int:
    """Return one query name's :func:`read_bits` (the one-query path's)."""
    if kind == PERSON:
        return 0
    if not legal:
        return ALL
    return sum(1 << n for n, cls in enumerate(CLASSES) if cls in legal)
