"""Skeleton and phonetic keys that make romanisation variants of one name equal.

The skeleton first undoes Latin digraphs spelt letter by letter in Cyrillic (ДЖ → DZH → J,
ТХ → TKH → TH), then rewrites digraphs that romanisations of one Cyrillic letter disagree on
(SHCH/SCH → S, KH → H, TS/TZ/CH → C, ZH → Z, J/Y → I, IE/YE/JE → E, IA/YA → A, IU/YU → U,
PH → F, W → V, Q → K, X → KS, a C left over → K as Cyrillic К is written), then folds doubled
letters. The phonetic key of a token keeps its first letter and the consonants of the rest, so
vowel typos (PETROV/PETRIV) share a key.
"""

from __future__ import annotations

from typing import Final

import polars as pl

_DIGRAPHS: Final[dict[str, str]] = {
    "SHCH": "S",
    "TSCH": "C",
    "SCH": "S",
    "TCH": "C",
    "DZH": "DZ",
    "SH": "S",
    "ZH": "Z",
    "CH": "C",
    "TS": "C",
    "TZ": "C",
    "CZ": "C",
    "KH": "H",
    "PH": "F",
    "CK": "K",
    "GH": "G",
    "TH": "T",
    "DH": "D",
    "YE": "E",
    "JE": "E",
    "IE": "E",
    "YA": "A",
    "JA": "A",
    "IA": "A",
    "YU": "U",
    "JU": "U",
    "IU": "U",
    "YO": "O",
    "JO": "O",
    "IO": "O",
    "OU": "U",
    "Q": "K",
    "W": "V",
    "X": "KS",
    "J": "I",
    "Y": "I",
    "C": "K",
}
# Latin digraphs spelt letter by letter in Cyrillic and back (J as ДЖ, TH as ТХ, GH as ГХ, DH as ДХ)
_LETTER_BY_LETTER: Final[dict[str, str]] = {"DZH": "J", "TKH": "TH", "GKH": "GH", "PKH": "PH", "DKH": "DH"}
# the letters an abjad writes a Latin-script name's letters with, where it has none of its own
FOREIGN_READING: Final[dict[str, str]] = {"PH": "F", "P": "B", "V": "F"}
_DOUBLES: Final[dict[str, str]] = {ch * 2: ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def skeleton(expr: pl.Expr) -> pl.Expr:
    """Return the skeleton of an upper-case ASCII name."""
    spelled = expr.str.replace_many(_LETTER_BY_LETTER, leftmost=True)
    return spelled.str.replace_many(_DIGRAPHS, leftmost=True).str.replace_many(_DOUBLES, leftmost=True)


def phonetic(token: pl.Expr) -> pl.Expr:
    """Return the phonetic key of a skeleton token: first letter plus later consonants."""
    return token.str.slice(0, 1) + token.str.slice(1).str.replace_all("[AEIOU]", "")


def consonants(token: pl.Expr) -> pl.Expr:
    """Return the consonants of a skeleton token, as an abjad (Arabic, Hebrew) writes a name.

    Vowels go, and V too, the skeleton of W: in a transliterated abjad W and Y mostly write long
    vowels (YUSUF is يوسف, YWSF), and Y is already I in the skeleton.
    """
    return token.str.replace_all("[AEIOUV]", "")


def foreign_consonants(spelt: pl.Expr) -> pl.Expr:
    """Return the consonants of a Latin-script word, from its spelling, as an abjad writes them: P as B, V as F.

    Arabic writes the V of a foreign name with the letter of F and its P with the letter of B
    (فيكتور: FIKTUR for VIKTOR, بوتين: BUTIN for PUTIN). Only the Latin side of a pair is read so, from
    its spelling (a W stays a W, which an abjad writes as a vowel: WALID is وليد, never فليد), and as a
    second reading beside :func:`consonants`; the abjad side's letters stay as written (سيف: SF, never S).
    """
    return consonants(skeleton(spelt.str.replace_many(FOREIGN_READING, leftmost=True)))


def abjad_reading(token: pl.Expr, spelt: pl.Expr, latin: pl.Expr) -> pl.Expr:
    """Return the consonants of a token of a pair with an abjad side: :func:`foreign_consonants` where ``latin``."""
    return pl.when(latin).then(foreign_consonants(spelt)).otherwise(consonants(token))
