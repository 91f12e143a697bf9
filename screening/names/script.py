"""Scripts, look-alike letters and transliteration of one distinct name at a time.

The only per-value Python step of normalisation: it runs once per distinct non-ASCII name of a
batch (``map_batches`` over unique values). Look-alike repair comes first: inside a word that
mixes Latin and Cyrillic (or Greek) letters, the minority script's look-alikes take the shape of
the majority script (``ООО ROMАSHKA`` with a Cyrillic ``А`` reads ``ROMASHKA``). Transliteration
to ASCII follows, by ``anyascii`` (ISC licence: Cyrillic, Greek, Arabic, Chinese pinyin, Korean
Revised Romanization, diacritics); each Han or Hangul character is set apart first, so a
syllable reads as a word (王小明 → WANG XIAO MING), as list romanisations split or glue them; a
run of kana stays one word (すずき: SUZUKI). :mod:`.romanise` folds the other romanisations. Titles
opening an Arabic-script person's name go first (see :mod:`.titles`); a name of no type loses them
by the rule of Latin titles: only without a legal form and where two words or more remain.
"""

from __future__ import annotations

import re
from functools import cache, partial
from typing import Final

import numpy as np
import polars as pl
from anyascii import anyascii

from screening.lookalike import LATIN_TO_CYRILLIC as TO_CYRILLIC
from screening.lookalike import TO_LATIN as _TO_LATIN
from screening.names import legal_forms, titles

_WORD: Final = re.compile(r"\w+")
_LATIN: Final = re.compile(r"[A-Za-z]")
_OTHER: Final = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_APOSTROPHE: Final = re.compile(r"['`’]")  # as the normaliser cleans names
_NOT_WORD: Final = re.compile(r"[^A-Z0-9]+")

# Script name -> character class, checked in this order; a name is labelled by the first found.
SCRIPTS: Final[dict[str, str]] = {
    "Cyrillic": r"[\u0400-\u04ff]",
    "Greek": r"[\u0370-\u03ff]",
    "Arabic": r"[\u0600-\u06ff]",
    "Hebrew": r"[\u0590-\u05ff]",
    "Chinese": r"[\u4e00-\u9fff]",
    "Japanese": r"[\u3040-\u30ff]",
    "Korean": r"[\uac00-\ud7af]",
    "Georgian": r"[\u10a0-\u10ff]",
    "Armenian": r"[\u0530-\u058f]",
}
# Han and Hangul: anyascii glues their syllables (WangXiaoMing); a space around each keeps them apart. A run of
# kana is one word (すずき: SUZUKI, as lists write it), kept whole: kana write sounds, not syllables of names
_SYLLABIC: Final = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")
# scripts that write no short vowels (Persian is written in the Arabic script)
ARABIC: Final = "Arabic"
ABJADS: Final = frozenset({ARABIC, "Hebrew"})
# anyascii reads Ё as E (ёлка); names romanise it YO (Фёдор: FYODOR, Пётр: PYOTR), as unidecode did. Arabic
# short vowel, case-ending and doubling marks and the tatweel go: Latin lists write none of them, and a
# vocalised name (عبدُ اللهِ) must fold as its plain spelling (عبد الله: ABDALLAH), not BDU AL LHI
_BEFORE_FOLD: Final = str.maketrans(
    {"Ё": "Yo", "ё": "yo"} | dict.fromkeys([*map(chr, range(0x064B, 0x0660)), "\u0670", "\u0640"])
)
# the Arabic article joined to its word: anyascii writes no alif (الدوري: LDWRY), Latin lists write AL-DURI
_ARTICLE: Final = re.compile(r"(?<![\u0600-\u06ff])\u0627\u0644(?=[\u0600-\u06ff]{2})")
# الله (Allah) is a word, not the article and LH: lists glue it to the word before (عبد الله: ABDALLAH,
# خير الله: KHAYRALLAH), so it is written out, glued to an Arabic word before it
_ALLAH_GLUED: Final = re.compile(r"(?<=[\u0600-\u06ff])\s+(?=\u0627\u0644\u0644\u0647(?![\u0600-\u06ff]))")
_ALLAH: Final = re.compile(r"\u0627\u0644\u0644\u0647(?![\u0600-\u06ff])")
# letters whose reading depends on their place, written out before anyascii reads them all alike: a Hebrew
# pe or bet opening a word is P or B (פוטין: PUTIN, בוט: BOUT; anyascii reads every pe F and every bet V);
# Armenian ու is one vowel, U (Պուտին: PUTIN; anyascii: POWTIN). An Arabic waw stays W: it writes the vowel
# of بوتين (PUTIN) and the consonant of جواد (JAVAD) and نواف (NAWAF) alike (see :func:`.keys.foreign`)
_PLACED: Final = (
    (re.compile(r"(?<![\u05d0-\u05ea])\u05e4"), "p"),
    (re.compile(r"(?<![\u05d0-\u05ea])\u05d1"), "b"),
    (re.compile(r"[\u0548\u0578][\u0552\u0582]"), "u"),
    # Greek (ELOT 743, as lists romanise it): ου is U, αυ and ευ are AV and EV (anyascii: OY, AY, EY); μπ, ντ
    # and γκ opening a word are B, D and G, γγ is NG (Πούτιν: POUTIN, Ευάγγελος: EVANGELOS, Ντόρα: DORA)
    (re.compile(r"[\u039f\u03bf\u038c\u03cc][\u03a5\u03c5\u038e\u03cd]"), "ou"),
    (re.compile(r"[\u0391\u03b1\u0386\u03ac][\u03a5\u03c5\u038e\u03cd]"), "av"),
    (re.compile(r"[\u0395\u03b5\u0388\u03ad][\u03a5\u03c5\u038e\u03cd]"), "ev"),
    (re.compile(r"(?<![\u0370-\u03ff\u1f00-\u1fff])[\u039c\u03bc][\u03a0\u03c0]"), "b"),
    (re.compile(r"(?<![\u0370-\u03ff\u1f00-\u1fff])[\u039d\u03bd][\u03a4\u03c4]"), "d"),
    (re.compile(r"(?<![\u0370-\u03ff\u1f00-\u1fff])[\u0393\u03b3][\u039a\u03ba]"), "g"),
    (re.compile(r"[\u0393\u03b3][\u0393\u03b3]"), "ng"),
)
MIXED_WORD: Final = r"[A-Za-z][\u0370-\u04ff]|[\u0370-\u04ff][A-Za-z]"


def _repair_word(word: str, latin_name: bool) -> str:
    """Return a word with look-alikes turned to the script of the word (or of a Latin name)."""
    latin = len(_LATIN.findall(word))
    other = len(_OTHER.findall(word))
    if not other:
        return word
    # a word only of Cyrillic look-alikes inside a mostly Latin name (НО, Chun Ting) is Latin too
    if not latin and not (latin_name and all(ch in _TO_LATIN for ch in word)):
        return word
    table = _TO_LATIN if latin >= other or latin_name else TO_CYRILLIC
    return "".join(table.get(ch, ch) for ch in word)


def _placed(value: str) -> str:
    """Return a name with the letters read by their place (:data:`_PLACED`) written out."""
    for pattern, letters in _PLACED:
        value = pattern.sub(letters, value)
    return value


def _transliterated(unmarked: str) -> str:
    """Return a repaired name transliterated to ASCII."""
    theophoric = _ALLAH.sub("allah", _ALLAH_GLUED.sub("", unmarked))
    spaced = _SYLLABIC.sub(r" \1 ", _placed(_ARTICLE.sub("al-", theophoric)))
    return anyascii(spaced)


@cache
def _edges() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the compiled runs of legal forms opening and closing a cleaned name."""
    lead, trail = legal_forms.edge_patterns()
    return re.compile(lead), re.compile(trail)


def clean(folded: str) -> str:
    """Return a transliterated name in upper-case words, as the normaliser cleans it (its ``clean`` step)."""
    return _NOT_WORD.sub(" ", _APOSTROPHE.sub("", folded.upper().replace("&", " AND "))).strip()


def _untitled(unmarked: str, kind: str) -> str:
    """Return a folded name without the Arabic-script titles opening it, as its row's ``kind`` reads titles.

    A Person's name loses them; a name of no type (maybe a company's) only where no legal form and
    two words or more remain, the rule of Latin titles (see :mod:`.titles`); another keeps them.
    """
    rest = titles.drop_arabic(unmarked) if kind != titles.OTHER else unmarked
    if kind != titles.UNTYPED or rest == unmarked:
        return _transliterated(rest)
    whole, shorter = _transliterated(unmarked), _transliterated(rest)
    lead, trail, cleaned = *_edges(), clean(whole)
    formless = lead.search(cleaned) is None and trail.search(cleaned) is None
    return shorter if formless and " " in clean(shorter) else whole


def fold(value: str, *, kind: str = titles.OTHER) -> str:
    """Return a name with look-alikes repaired and transliterated to ASCII (a person's without opening titles).

    ``kind`` is the name's row's (:func:`.titles.kind`): a Person's name or one of no type may lose titles.
    """
    latin_name = len(_LATIN.findall(value)) > 2 * len(_OTHER.findall(value))
    repaired = _WORD.sub(lambda m: _repair_word(m.group(0), latin_name), value)
    return _untitled(repaired.translate(_BEFORE_FOLD), kind)


def fold_series(values: pl.Series, kinds: pl.Series | None = None) -> pl.Series:
    """Return the ASCII fold of each (distinct) value as its row's kind (``kinds``, OTHER where not given) reads it."""
    if kinds is None or (kinds == titles.OTHER).all():
        return values.map_elements(fold, return_dtype=pl.String, skip_nulls=True)
    out = pl.Series(values.name, [None] * values.len(), dtype=pl.String)
    for kind in (titles.OTHER, titles.UNTYPED, titles.PERSON):
        todo = np.flatnonzero((kinds == kind).to_numpy())
        part = values.gather(todo).map_elements(partial(fold, kind=kind), return_dtype=pl.String, skip_nulls=True)
        out = out.scatter(todo, part)
    return out


def script_expr(column: str) -> pl.Expr:
    """Return the script a name is written in: a non-Latin script, else Latin, else ASCII."""
    expr: pl.Expr = (
        pl.when(pl.col(column).str.contains(r"^[\x00-\x7f]*$")).then(pl.lit("ASCII")).otherwise(pl.lit("Latin"))
    )
    for name, pattern in reversed(SCRIPTS.items()):
        expr = pl.when(pl.col(column).str.contains(pattern)).then(pl.lit(name)).otherwise(expr)
    return expr
