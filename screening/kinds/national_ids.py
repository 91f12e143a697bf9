"""Registration and tax numbers that only one country issues, told by their shape and check digits.

Kyrgyzstan, Uzbekistan, Tajikistan and Ukraine call their tax numbers INN too, so the scheme's name
alone does not make a party Russian: a Russian INN has 10 digits (a company) or 12 (a person) with
the Federal Tax Service's check digits, an OGRN 13 digits (OGRNIP 15) whose last digit is the rest
of the others modulo 11 (13), a KPP four digits, two digits or capitals and three digits; a
Belarusian UNP is nine digits (or two capitals and seven digits for a sole trader). A Ukrainian
10-digit number has its own check digit and still passes the INN one about one time in ten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

_INN10: Final = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11: Final = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12: Final = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check(number: pl.Expr, weights: tuple[int, ...]) -> pl.Expr:
    """Return the FTS check digit of the digits before position ``len(weights)`` of a number."""
    total = pl.sum_horizontal(number.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(weights))
    return total % 11 % 10


def _digit(number: pl.Expr, at: int) -> pl.Expr:
    """Return the digit at a position of a number."""
    return number.str.slice(at, 1).cast(pl.Int64, strict=False)


def russian_inn(number: pl.Expr) -> pl.Expr:
    """Tell whether a value is a Russian INN: 10 or 12 digits whose check digits agree."""
    ten = number.str.contains(r"^\d{10}$") & (_check(number, _INN10) == _digit(number, 9))
    twelve = (
        number.str.contains(r"^\d{12}$")
        & (_check(number, _INN11) == _digit(number, 10))
        & (_check(number, _INN12) == _digit(number, 11))
    )
    return pl.when(number.str.len_chars() == 10).then(ten).otherwise(twelve).fill_null(False)


def russian_ogrn(number: pl.Expr) -> pl.Expr:
    """Tell whether a value is a Russian OGRN (13 digits) or OGRNIP (15) whose last digit agrees."""
    head = number.str.slice(0, number.str.len_chars() - 1)
    last = number.str.slice(-1).cast(pl.Int64, strict=False)
    body = head.cast(pl.Int64, strict=False)
    ogrn = number.str.contains(r"^\d{13}$") & (body % 11 % 10 == last)
    ogrnip = number.str.contains(r"^\d{15}$") & (body % 13 % 10 == last)
    return (ogrn | ogrnip).fill_null(False)


# scheme -> (country, whether a value of that scheme is that country's)
NATIONAL_IDS: Final[dict[str, tuple[str, Callable[[pl.Expr], pl.Expr]]]] = {
    "INN": ("RU", russian_inn),
    "OGRN": ("RU", russian_ogrn),
    "OGRNIP": ("RU", russian_ogrn),
    "KPP": ("RU", lambda v: v.str.contains(r"^\d{4}[\dA-Z]{2}\d{3}$").fill_null(False)),
    "UNP": ("BY", lambda v: v.str.contains(r"^(?:\d{9}|[A-Z]{2}\d{7})$").fill_null(False)),
}


def national_country(scheme: pl.Expr, value: pl.Expr) -> pl.Expr:
    """Return the country that issued a ``scheme`` number ``value``, null when no scheme's shape fits."""
    return pl.coalesce(
        pl.when((scheme == name) & valid(value.str.strip_chars())).then(pl.lit(country))
        for name, (country, valid) in NATIONAL_IDS.items()
    )
