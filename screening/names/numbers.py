"""The numbers of a name, which the penalties compare: digit runs and a closing roman numeral.

Two listed parties often differ by nothing but a number: aircraft registrations (YV2964 ~ YV2966),
units (77TH ~ 99TH LIGHT INFANTRY DIVISION) and a fleet's ships (BICENTENARIO XIV ~ BICENTENARIO
XV). A digit run counts inside a word too; a roman numeral (I … XXXIX) counts where it closes a
name after a word, but not in a person's name nor one written family name first, whose closing
single letters are initials (SMITH, John V). Ordinal words (FIRST, ELEVENTH) are left words: a
typo in one (ELVCENTH) would read as a number on one side only, which costs a true match.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

from screening.names import titles
from screening.names.align import FAMILY_COMMAS


def _roman(n: int) -> str:
    """Return a number below 40 as a roman numeral."""
    units = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    return "X" * (n // 10) + units[n % 10]


ROMAN: Final[dict[str, str]] = {_roman(n): str(n) for n in range(1, 40)}
DIGITS: Final = r"\d+"
ROMAN_END: Final = r"\S\S ([IVX]+)$"  # the closing word, after a word of two letters or more
# a name holding any of them (most names hold none: only those are read)
ANY: Final = r"\d| [IVX]+$"
_DIGITS, _ROMAN, _ANY = map(re.compile, (DIGITS, ROMAN_END, ANY))


def numbers(core: pl.Expr, kind: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """Return the sorted distinct numbers of names: cores, their rows' kinds (:func:`.titles.kind`) and raw names."""
    roman = (kind != titles.PERSON) & ~raw.str.contains(f"[{FAMILY_COMMAS}]")
    numeral = pl.when(roman).then(core.str.extract(ROMAN_END, 1).replace_strict(ROMAN, default=None))
    found = pl.concat_list(core.str.extract_all(DIGITS), numeral).list.drop_nulls()
    return (
        pl.when(core.str.contains(ANY)).then(found.list.unique().list.sort()).otherwise(pl.lit([], pl.List(pl.String)))
    )


def numbers_of(core: str, kind: str, raw: str) -> list[str]:
    """Return the sorted distinct numbers of one name, as :func:`numbers`."""
    if not _ANY.search(core):
        return []
    found = _DIGITS.findall(core)
    closing = _ROMAN.search(core)
    if closing and kind != titles.PERSON and not any(c in raw for c in FAMILY_COMMAS):
        found += [ROMAN[closing.group(1)]] if closing.group(1) in ROMAN else []
    return sorted(set(found))
