"""Words written more than one way in names: numbers spelt out and common abbreviations.

Applied to the cleaned name (upper case, words of letters and digits) before legal forms are
separated, the same on both sides: number words become digits (FORTY FOUR → 44, so BRIGADE
FORTY-FOUR meets BRIGADE 44 and numbers are compared as numbers) and abbreviations their word
(INT'L → INTERNATIONAL). Only names holding such a word are rewritten.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

_UNITS: Final = ("ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN FIFTEEN "
                  "SIXTEEN SEVENTEEN EIGHTEEN NINETEEN")  # fmt: skip
_TENS: Final = ("TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY")
NUMBERS: Final[dict[str, str]] = {
    **{word: str(i) for i, word in enumerate(_UNITS.split())},
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
}
WORDS: Final[dict[str, str]] = NUMBERS | ABBREVIATIONS
_ANY: Final = r"\b(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b"


def expand(names: pl.Series) -> pl.Series:
    """Return cleaned names with number words as digits and abbreviations as words."""
    todo = np.flatnonzero(names.str.contains(_ANY).fill_null(value=False).to_numpy())
    if not todo.size:
        return names
    tokens = names.gather(todo).str.split(" ").list.eval(pl.element().replace(WORDS))
    # tens and a unit side by side are one number (FORTY FOUR: 40 4 → 44)
    joined = tokens.list.join(" ").str.replace_all(r"\b([2-9])0 ([1-9])\b", "${1}${2}")
    return names.scatter(todo, joined)
