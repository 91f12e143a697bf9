"""Words written more than one way in names: numbers spelt out, ordinals in digits and common abbreviations.

Applied to the cleaned name (upper case, words of letters and digits) before legal forms are
separated, the same on both sides: number words become digits (FORTY FOUR → 44 but a unit alone stays a word, so BRIGADE
FORTY-FOUR meets BRIGADE 44 and numbers are compared as numbers), ordinals in digits below 100
their words (1ST → FIRST, 44TH → 40 FOURTH as FORTY-FOURTH reads; :mod:`.numbers` reads them back
as numbers) and abbreviations their word (INT'L → INTERNATIONAL). Ordinals go to words, not the
other way, so that a misspelt one (ELVCENTH ~ ELEVENTH) is still compared letter by letter. Only
names holding such a word are rewritten.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

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
_SUFFIXES: Final = ("ST", "ND", "RD", "TH")


def _spelt(n: int) -> str:
    """Return an ordinal below 100 as the cleaned name reads it spelt out (21: 20 FIRST, as TWENTY FIRST expands)."""
    by_number = {int(number): word for word, number in ORDINALS.items()}
    return by_number[n] if n in by_number else f"{n // 10}0 {by_number[n % 10]}"


# ordinals in digits (any of the suffixes: 2TH is written too) as spelt out
DIGIT_ORDINALS: Final[dict[str, str]] = {f"{n}{suffix}": _spelt(n) for n in range(1, 100) for suffix in _SUFFIXES}
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
WORDS: Final[dict[str, str]] = NUMBERS | DIGIT_ORDINALS | ABBREVIATIONS
_ANY: Final = (
    r"\b(?:" + "|".join(sorted(NUMBERS | ABBREVIATIONS, key=len, reverse=True)) + r"|[1-9]\d?(?:ST|ND|RD|TH))\b"
)


def expand(names: pl.Series, latin: pl.Series | None = None) -> pl.Series:
    """Return cleaned names with number words as digits, ordinals and abbreviations as words (where ``latin`` holds)."""
    found = names.str.contains(_ANY).fill_null(value=False)
    todo = np.flatnonzero((found if latin is None else found & latin).to_numpy())
    if not todo.size:
        return names
    joined = names.gather(todo).str.split(" ").list.eval(pl.element().replace(WORDS)).list.join(" ")
    # tens and a unit side by side are one number (FORTY FOUR: 40 FOUR → 44)
    for digit, unit in enumerate(_UNITS, start=1):
        joined = joined.str.replace_all(rf"\b([2-9])0 {unit}\b", f"${{1}}{digit}")
    return names.scatter(todo, joined)
