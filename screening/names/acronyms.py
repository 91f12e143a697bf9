"""Acronyms: a query naming an organisation by its initials, which no token, n-gram or phonetic key proposes.

An acronym (IRISL, S.M.G.) shares no word and no 4-gram with the name it shortens (ISLAMIC REPUBLIC
OF IRAN SHIPPING LINES), so blocking never meets the two. A list name of an organisation of at
least ``MIN_LETTERS`` words is keyed by its initials, with and without its small words (OF, THE,
AND, DE …) and with and without its legal form (NATIONAL IRANIAN OIL COMPANY: NIO and NIOC); a
query of one word of ``MIN_LETTERS`` to ``MAX_LETTERS`` letters, or of single letters only, meets
them by its letters, and the pair scores at least ``ACRONYM_BASE``. Acronyms are ambiguous: a key
that more than ``MAX_NAMES`` list names hold says nothing and is dropped; people, vessels and
aircraft have no acronyms. The other way round (a query's initials meeting a listed short name)
found 2 fit queries for 32 false alerts, and is not done.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

from screening.names import titles
from screening.names.words import SPELT_ORDINALS

ACRONYM_BASE: Final = 0.9
MIN_LETTERS: Final = 3
MIN_WORD_LETTERS: Final = 4  # a one-word query: three letters are a common word or surname too often (OIL, SEA, KIM)
MAX_LETTERS: Final = 8
MAX_NAMES: Final = 1
SMALL_WORDS: Final = frozenset({"OF", "THE", "AND", "FOR", "DE", "DU", "DES", "DEL", "DELLA", "LA", "LE", "ET", "Y"})
# entity types (lower case) whose names are never acronyms; a name of no known type (BIS's Unknown,
# untyped rows, a LegalEntity: a person or a company) only where it holds a legal form (SCOTT DOUGLAS
# BROWNING is no SDB)
NOT_ORGANISATION: Final = frozenset({*titles.PERSON_TYPES, "vessel", "aircraft"})
ORGANISATION: Final = frozenset(titles.ORGANISATION_TYPES)
_LETTERS: Final = re.compile(r"^[A-Z]+$")


def _initials(words: pl.Expr) -> pl.Expr:
    """Return the first letters of a list of words (an ordinal's word's), joined."""
    return words.list.eval(
        pl.element()
        .replace(SPELT_ORDINALS)  # an ordinal in digits by its word: FIIB is FIRST ISLAMIC …
        .str.slice(0, 1)
    ).list.join("")


def _without_small(words: pl.Expr) -> pl.Expr:
    """Return a list of words without the small words an acronym leaves out."""
    return words.list.eval(pl.element().filter(~pl.element().is_in(sorted(SMALL_WORDS))))


def _long_keys(words: pl.Expr) -> list[pl.Expr]:
    """Return the initials of a name's words, small words kept and left out (null below ``MIN_LETTERS``)."""
    return [pl.when(w.list.len() >= MIN_LETTERS).then(_initials(w)) for w in (words, _without_small(words))]


def _short_key(spelt: pl.Expr) -> pl.Expr:
    """Return a name's letters where it is one word of a few letters or single letters only (S M G), else null."""
    glued = spelt.list.join("")
    one_word = spelt.list.len() == 1
    letters = (spelt.list.len() >= MIN_LETTERS) & (spelt.list.eval(pl.element().str.len_bytes() == 1).list.all())
    size = glued.str.len_bytes()
    least = pl.when(letters).then(MIN_LETTERS).otherwise(MIN_WORD_LETTERS)
    fits = (one_word | letters) & (size >= least) & (size <= MAX_LETTERS) & glued.str.contains(r"^[A-Z]+$")
    return pl.when(fits & ~glued.is_in(sorted(SMALL_WORDS))).then(glued)


def _words(ascii_name: pl.Expr) -> pl.Expr:
    """Return the words of a name as written, its legal form kept (upper case, ``&`` read AND)."""
    clean = ascii_name.str.to_uppercase().str.replace_all(r"['’]", "").str.replace_all("&", " AND ")
    return clean.str.replace_all(r"[^A-Z0-9]+", " ").str.strip_chars().str.split(" ")


def _stacked(frame: pl.DataFrame, key: str, columns: list[pl.Expr]) -> pl.DataFrame:
    """Return (acronym, ``key``) rows of the non-null keys ``columns`` of each row of ``frame``."""
    parts = [frame.select(acronym=c, **{key: pl.col(key)}) for c in columns]
    return pl.concat(parts).drop_nulls("acronym").unique()


def list_keys(names: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """Return the (acronym, wid) initials of the organisations' list names, held by ``MAX_NAMES`` at most.

    ``names``: the normal forms (``wid``, ``raw``, ``ascii``, ``spelt``); ``entities``: ``name``, ``entity_schema``.
    """
    typed = pl.col("entity_schema").fill_null("").str.strip_chars().str.to_lowercase()
    kinds = entities.select("name", "entity_id", kind=typed)
    barred = kinds.filter(pl.col("kind").is_in(sorted(NOT_ORGANISATION)))
    orgs = names.join(barred, left_on="raw", right_on="name", how="anti")
    known = kinds.filter(pl.col("kind").is_in(sorted(ORGANISATION)))["name"]
    orgs = orgs.filter(pl.col("raw").is_in(known.implode()) | (pl.col("legal").list.len() > 0))
    # the key that keeps a legal form needs three words besides it (OYSTER INVESTMENTS LLC is no OIL)
    long = pl.when(pl.col("spelt").list.len() >= MIN_LETTERS).then(_words(pl.col("ascii")))
    keys = _stacked(orgs, "wid", _long_keys(pl.col("spelt")) + _long_keys(long))
    held = keys.join(orgs.select("wid", "raw"), on="wid").join(kinds.select("entity_id", raw="name"), on="raw")
    return _rare(held)


def _rare(keys: pl.DataFrame) -> pl.DataFrame:
    """Return the (acronym, wid) keys of ``MAX_NAMES`` list entities at most, sorted by key and wid.

    Counted by entity: one entity's names spelt two ways, or listed twice, hold one key.
    """
    held = pl.col("entity_id").n_unique().over("acronym")
    kept = keys.filter(held <= MAX_NAMES).select("acronym", pl.col("wid").cast(pl.UInt32)).unique()
    return kept.sort("acronym", "wid")


def pairs(forms: pl.DataFrame, long: pl.DataFrame) -> pl.DataFrame:
    """Return the (nid, wid) pairs of query names (``nid``, ``spelt``) that are an acronym of a list name."""
    found = query_keys(forms).join(long, on="acronym")
    return found.select("nid", "wid").unique().sort("nid", "wid")


def query_keys(forms: pl.DataFrame) -> pl.DataFrame:
    """Return (acronym, nid) of the query names (``nid``, ``spelt``, ``abjad``, ``kind``) that may be an acronym.

    Not a person's name, nor one in an abjad (its consonants, MHMD for محمد, are no initials).
    """
    asked = ~pl.col("abjad") & (pl.col("kind") != titles.PERSON)
    mine = forms.select(acronym=pl.when(asked).then(_short_key(pl.col("spelt"))), nid=pl.col("nid").cast(pl.UInt32))
    return mine.drop_nulls("acronym")


def query_key(spelt: list[str], *, abjad: bool, kind: str) -> str | None:
    """Return one query name's acronym key as :func:`query_keys` gives it, or none."""
    if abjad or kind == titles.PERSON:
        return None
    glued = "".join(spelt)
    letters = len(spelt) >= MIN_LETTERS and all(len(t.encode()) == 1 for t in spelt)
    least = MIN_LETTERS if letters else MIN_WORD_LETTERS
    fits = (len(spelt) == 1 or letters) and least <= len(glued.encode()) <= MAX_LETTERS and glued not in SMALL_WORDS
    return glued if fits and _LETTERS.match(glued) else None
