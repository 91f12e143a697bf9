"""Words written more than one way in names: numbers spelt out and common abbreviations.

Applied to the cleaned name (upper case, words of letters and digits) before legal forms are
separated, the same on both sides: number words become digits (FORTY FOUR → 44 but a unit alone stays a word, so BRIGADE
FORTY-FOUR meets BRIGADE 44 and numbers are compared as numbers) and abbreviations their word
(INT'L → INTERNATIONAL). Only names holding such a word are rewritten.
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
WORDS: Final[dict[str, str]] = NUMBERS | ABBREVIATIONS
_ANY: Final = r"\b(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b"


def expand(names: pl.Series, latin: pl.Series | None = None) -> pl.Series:
    """Return cleaned names with number words as digits and abbreviations as words (only where ``latin`` holds)."""
    found = names.str.contains(_ANY).fill_null(value=False)
    todo = np.flatnonzero((found if latin is None else found & latin).to_numpy())
    if not todo.size:
        return names
    joined = names.gather(todo).str.split(" ").list.eval(pl.element().replace(WORDS)).list.join(" ")
    # tens and a unit side by side are one number (FORTY FOUR: 40 FOUR → 44)
    for digit, unit in enumerate(_UNITS, start=1):
        joined = joined.str.replace_all(rf"\b([2-9])0 {unit}\b", f"${{1}}{digit}")
    return names.scatter(todo, joined)
