"""Words written more than one way in names: numbers and ordinals spelt out and common abbreviations.

Applied to the cleaned name (upper case, words of letters and digits) before legal forms are
separated, the same on both sides: number words become digits (FORTY FOUR → 44 but a unit alone stays a word, so BRIGADE
FORTY-FOUR meets BRIGADE 44 and numbers are compared as numbers), ordinal words digits with their
ending (FIRST → 1ST, TWENTY-FIRST → 21ST, so that 1ST ~ FIRST and 3RD ~ 3 line up token by token),
a misspelt ordinal too outside a person's name (ELVCENTH → 11TH: a typo must not read as a number
on one side only) and abbreviations their word (INT'L → INTERNATIONAL). A tens word glued to an
ordinal is one ordinal (TWENTYFIRST → 21ST); any other word an ordinal opens stays as written
(1STOP, FIRSTBANK, FIRSTENBERG): a name holding an ordinal as a word of its own is also glued with it
spelt out (:func:`spelt_glued`: 1ST BANK also glues as FIRSTBANK), and an ordinal's word opening a
word counts as its number where numbers are compared (``OPENING``: FIRSTPOINT holds 1). Only names
holding such a word are rewritten.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import cdist

from screening.names import phonetic

_UNITS: Final = ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")
_TEENS: Final = "TEN ELEVEN TWELVE THIRTEEN FOURTEEN FIFTEEN SIXTEEN SEVENTEEN EIGHTEEN NINETEEN".split()  # noqa: SIM905
_TENS: Final = ("TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY")
# a unit alone stays a word (ALFA ONE, ONE BELT ONE ROAD are names); after a tens word it is a digit
NUMBERS: Final[dict[str, str]] = {
    **{word: str(10 + i) for i, word in enumerate(_TEENS)},
    **{word: str(20 + 10 * i) for i, word in enumerate(_TENS)},
}
# ordinals spelt out (a unit's after a tens word: TWENTY-FIRST is 20 FIRST) and their numbers
_UNIT_ORDINALS: Final = ("FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH")
_TEEN_ORDINALS: Final = (
    "TENTH ELEVENTH TWELFTH THIRTEENTH FOURTEENTH FIFTEENTH SIXTEENTH SEVENTEENTH EIGHTEENTH NINETEENTH".split()  # noqa: SIM905
)
_TENS_ORDINALS: Final = "TWENTIETH THIRTIETH FORTIETH FIFTIETH SIXTIETH SEVENTIETH EIGHTIETH NINETIETH".split()  # noqa: SIM905
ORDINALS: Final[dict[str, str]] = {
    **{word: str(i) for i, word in enumerate(_UNIT_ORDINALS, start=1)},
    **{word: str(10 + i) for i, word in enumerate(_TEEN_ORDINALS)},
    **{word: str(20 + 10 * i) for i, word in enumerate(_TENS_ORDINALS)},
}


def _digits(n: int) -> str:
    """Return an ordinal in digits with its suffix (21ST, 12TH)."""
    suffix = "TH" if n % 100 in (11, 12, 13) else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")
    return f"{n}{suffix}"


# an ordinal word in digits (FIRST → 1ST): in digits, it lines up with the number (3RD BATTALION ~ BATTALION 3)
DIGIT_ORDINALS: Final[dict[str, str]] = {word: _digits(int(number)) for word, number in ORDINALS.items()}
# a tens word and a unit's ordinal (TWENTY FIRST) are first joined as one token no cleaned name holds (2_FIRST),
# so that 20 FIRST, written so, stays two numbers
TENS_ORDINALS: Final[list[tuple[str, str]]] = [
    (rf"\b{word} ({'|'.join(_UNIT_ORDINALS)})\b", str(digit)) for digit, word in enumerate(_TENS, start=2)
]
_COMPOUNDS: Final[dict[str, str]] = {
    f"{tens}_{unit}": _digits(10 * tens + units)
    for tens in range(2, 10)
    for units, unit in enumerate(_UNIT_ORDINALS, start=1)
}
# a tens word glued to a unit's ordinal is that ordinal too (TWENTYFIRST: 21ST, as TWENTY-FIRST)
GLUED_COMPOUNDS: Final[dict[str, str]] = {
    _TENS[int(glued[0]) - 2] + glued[2:]: digits for glued, digits in _COMPOUNDS.items()
}
_FAR: Final = 99
# an ordinal in digits as spelt out (21ST: TWENTY FIRST)
SPELT_ORDINALS: Final[dict[str, str]] = {digits: word for word, digits in DIGIT_ORDINALS.items()} | {
    digits: f"{_TENS[int(glued[0]) - 2]} {glued[2:]}" for glued, digits in _COMPOUNDS.items()
}
# an ordinal's word opening a glued word, read as its number where numbers are compared (FIRSTPOINT: 1)
OPENING_ORDINALS: Final[dict[str, str]] = ORDINALS | {word: d[:-2] for word, d in GLUED_COMPOUNDS.items()}
_OPENERS: Final = "|".join(sorted(OPENING_ORDINALS, key=lambda w: (-len(w), w)))
OPENING: Final = rf"\b(?:{_OPENERS})[A-Z]+"  # the whole glued word
OPENING_ORDINAL: Final = rf"^({_OPENERS})"
# endings that make an ordinal another word, not an ordinal glued to one (SECONDARY, FIRSTLY, SECONDS)
NOT_GLUED: Final = frozenset({"ARY", "ARIES", "ARILY", "LY", "S", "ER", "ERS"})


@cache
def glued_ordinals() -> dict[str, str]:
    """Return the skeleton of each ordinal in digits with its words' glued (1ST: FIRST, 21ST: TVENTIFIRST).

    A name holding an ordinal as a word of its own is also glued with it spelt out: FIRSTBANK, glued as
    written, meets 1ST BANK (and FIRSTENERGY meets FIRST ENERGY, as before ordinal words were digits).
    """
    digits = sorted(SPELT_ORDINALS, key=lambda d: (-len(d), d))
    spelt = pl.DataFrame({"d": digits, "w": [SPELT_ORDINALS[d].replace(" ", "") for d in digits]})
    skeletons = spelt.select(phonetic.skeleton(pl.col("d")), phonetic.skeleton(pl.col("w")))
    return dict(zip(skeletons["d"], skeletons["w"], strict=True))


# an ordinal in digits opening a written word of three letters more (1STBANK, 3RDSPACE; not 5TECH, 10TRADE, 1STOP)
OPENING_DIGITS: Final = r"^(\d+(?:ST|ND|RD|TH))[A-Z]{3}"
_OPENING_DIGITS: Final = re.compile(OPENING_DIGITS)


@cache
def written_ordinals() -> dict[str, str]:
    """Return each ordinal in digits as written (5TH) with its skeleton (5T), a key of :func:`glued_ordinals`."""
    digits = sorted(SPELT_ORDINALS)
    skeletons = pl.DataFrame({"d": digits}).select(phonetic.skeleton(pl.col("d")))["d"]
    return dict(zip(digits, skeletons, strict=True))


def _spelt_token(token: pl.Expr, written: pl.Expr) -> pl.Expr:
    """Return skeleton tokens with an ordinal in digits, alone or opening the written token, spelt out."""
    head = written.str.extract(OPENING_DIGITS, 1).replace_strict(written_ordinals(), default=None)
    opened = pl.when(token.str.starts_with(head)).then(
        head.replace_strict(glued_ordinals(), default=None) + token.str.slice(head.str.len_bytes())
    )
    return pl.when(opened.is_not_null()).then(opened).otherwise(token.replace(glued_ordinals()))


def spelt_token(token: str, written: str) -> str:
    """Return one skeleton token with its ordinal in digits spelt out, as :func:`spelt_glued` reads it."""
    found = _OPENING_DIGITS.match(written)
    head = written_ordinals()[found.group(1)] if found and found.group(1) in written_ordinals() else None
    if head is not None and token.startswith(head):
        return glued_ordinals()[head] + token[len(head) :]
    return glued_ordinals().get(token, token)


def spelt_glued(tokens: pl.Series, written: pl.Series, glued: pl.Series) -> pl.Series:
    """Return the glued skeletons of token lists with their ordinals in digits spelt out (:func:`glued_ordinals`).

    A token that is an ordinal (1ST, 21ST) is spelt out, and one whose written word an ordinal opens (1STBANK
    reads FIRSTBANK, as FIRSTBANK meets 1ST BANK); the ordinal is found as written, where TH is no T (5TECH).
    """
    todo = np.flatnonzero(glued.str.contains(r"\d").fill_null(value=False).to_numpy())
    if not todo.size:
        return glued
    rows = pl.DataFrame({"row": todo, "t": tokens.gather(todo), "w": written.gather(todo)}).explode("t", "w")
    spelt = _spelt_token(pl.col("t"), pl.col("w")).str.join("").alias("s")
    return glued.scatter(todo, rows.group_by("row", maintain_order=True).agg(spelt)["s"])


# a word that may be a misspelt ordinal: five letters or more, an ordinal's first letter and ending
NEAR: Final = r"\b[EFNST][A-Z]{2,12}(?:ST|ND|RD|TH)\b"
_ORDINAL_LIST: Final = list(ORDINALS)
_SHORT: Final = np.array([len(o) <= 6 for o in _ORDINAL_LIST])  # six letters or fewer
_LENGTHS: Final = np.array([len(o) for o in _ORDINAL_LIST])
_HEADS, _ENDS = (np.array([o[:1] for o in _ORDINAL_LIST]), np.array([o[-2:] for o in _ORDINAL_LIST]))


def near_ordinals(found: pl.Series) -> dict[str, str]:
    """Return the distinct words that are misspelt ordinals, each with its ordinal (the nearest, if only one).

    Near: of five letters or more, with the ordinal's first letter and ending (ST, ND, RD, TH), two
    neighbours swapped or a letter added in one of six letters or fewer (FRIST, FUORTH, NINETH; one
    with a letter changed or dropped is most often a word: FIRTH, FURST, TEETH, FORTH) or two letters
    off a longer one (ELVCENTH).
    """
    found = found.filter(found.str.contains(f"^{NEAR[2:-2]}$") & ~found.is_in(_ORDINAL_LIST)).unique().sort()
    if found.is_empty():
        return {}
    listed = found.to_list()
    osa = cdist(listed, _ORDINAL_LIST, scorer=OSA.distance, dtype=np.int32, workers=1)
    lev = cdist(listed, _ORDINAL_LIST, scorer=Levenshtein.distance, dtype=np.int32, workers=1)
    same = (found.str.slice(0, 1).to_numpy()[:, None] == _HEADS) & (found.str.slice(-2).to_numpy()[:, None] == _ENDS)
    longer = found.str.len_chars().to_numpy()[:, None] - _LENGTHS
    swapped_or_added = (osa == 1) & (((longer == 0) & (lev == 2)) | (longer == 1))
    near = same & np.where(_SHORT, swapped_or_added, osa <= 2)
    off = np.where(near, osa, _FAR)
    best = off.min(axis=1)
    single = (off == best[:, None]).sum(axis=1) == 1
    rows = np.flatnonzero((best < _FAR) & single)
    return dict(zip(found.gather(rows).to_list(), [_ORDINAL_LIST[i] for i in off[rows].argmin(axis=1)], strict=True))


def respelt(names: pl.Series, where: pl.Series) -> pl.Series:
    """Return cleaned names with their misspelt ordinals (:func:`near_ordinals`) spelt right, where ``where`` holds."""
    todo = np.flatnonzero((names.str.contains(NEAR).fill_null(value=False) & where).to_numpy())
    if not todo.size:
        return names
    table = near_ordinals(names.gather(todo).str.extract_all(NEAR).explode().drop_nulls())
    if not table:
        return names
    part = names.gather(todo).str.split(" ").list.eval(pl.element().replace(table)).list.join(" ")
    return names.scatter(todo, part)


ABBREVIATIONS: Final[dict[str, str]] = {
    "INTL": "INTERNATIONAL",
    "INTERNATL": "INTERNATIONAL",
    "NATL": "NATIONAL",
    "ASSN": "ASSOCIATION",
    "ASSOC": "ASSOCIATION",
    "DEPT": "DEPARTMENT",
    "MFG": "MANUFACTURING",
    "GOVT": "GOVERNMENT",
    "BROS": "BROTHERS",
    "SVCS": "SERVICES",
    "TECHNOL": "TECHNOLOGY",
    "IMP": "IMPORT",
    "EXP": "EXPORT",
    "INDS": "INDUSTRIES",
    "HLDG": "HOLDING",
    "HLDGS": "HOLDINGS",
    "MGMT": "MANAGEMENT",
    "ENGG": "ENGINEERING",
    "TRDG": "TRADING",
    "MOHD": "MOHAMMED",  # as written in Malaysian and Gulf names
    "MUHD": "MUHAMMAD",
    "MHD": "MOHAMMED",
}
WORDS: Final[dict[str, str]] = NUMBERS | DIGIT_ORDINALS | _COMPOUNDS | GLUED_COMPOUNDS | ABBREVIATIONS
_ANY: Final = (
    r"\b(?:" + "|".join(sorted(NUMBERS | ORDINALS | GLUED_COMPOUNDS | ABBREVIATIONS, key=len, reverse=True)) + r")\b"
)


def expand(names: pl.Series, latin: pl.Series | None = None, near: pl.Series | None = None) -> pl.Series:
    """Return cleaned names with number words and ordinals as digits, abbreviations as words (where ``latin`` holds).

    ``near``: where a misspelt ordinal is read as its own (:func:`near_ordinals`; not in a person's name).
    """
    if near is not None:
        names = respelt(names, near if latin is None else near & latin)
    found = names.str.contains(_ANY).fill_null(value=False)
    todo = np.flatnonzero((found if latin is None else found & latin).to_numpy())
    if not todo.size:
        return names
    joined = names.gather(todo)
    for pattern, tens in TENS_ORDINALS:  # TWENTY FIRST: 2_FIRST, one token, then 21ST
        joined = joined.str.replace_all(pattern, f"{tens}_${{1}}")
    joined = joined.str.split(" ").list.eval(pl.element().replace(WORDS)).list.join(" ")
    # tens and a unit side by side are one number (FORTY FOUR: 40 FOUR → 44)
    for digit, unit in enumerate(_UNITS, start=1):
        joined = joined.str.replace_all(rf"\b([2-9])0 {unit}\b", f"${{1}}{digit}")
    return names.scatter(todo, joined)
