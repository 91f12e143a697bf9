"""Amounts and currencies, vectorized.

Amount pipeline for one text value:

1. drop currency symbols and codes, spaces of every kind and apostrophes (``1'234.50``);
2. a value in parentheses, or with a leading or trailing minus, is negative;
3. decide the decimal separator: with both ``,`` and ``.`` the last one is decimal; a lone
   separator repeated is a thousands separator (``1.234.567``); a single ``,`` followed by
   exactly three digits is a thousands separator (``1,234``), otherwise decimal (``12,5``);
   a single ``.`` is always decimal;
4. what is left must be digits with an optional fraction, else the value is not a number.

A value that could be read more than one way is not a number (the caller reports it): a sign
between digits (``12-34``, ``1+1``: a range, a sum, a code), or separators that do not group
digits in threes (``1,5,3``; the Indian ``12,34,567`` grouping is read).
"""

from __future__ import annotations

from functools import cache

import polars as pl
import pycountry

_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₽": "RUB",
                     "РУБ": "RUB", "RUR": "RUB", "₺": "TRY", "₸": "KZT"}  # fmt: skip


def parse_amount(raw: pl.Expr) -> pl.Expr:
    """Return the Float64 amount of a text value, null where empty or not a number."""
    text = raw.cast(pl.String).str.strip_chars()
    # most amounts are plain decimals: only the others go through the separators' reading below
    plain = text.str.contains(r"^-?[0-9]+(\.[0-9]+)?$")  # ASCII: \d would take other scripts' digits too
    return pl.coalesce(
        pl.when(plain).then(text.cast(pl.Float64, strict=False)), _read_amount(pl.when(~plain).then(text))
    )


def _read_amount(text: pl.Expr) -> pl.Expr:
    """Return the Float64 amount of trimmed text with thousands separators, signs or a currency tag."""
    negative = text.str.replace_all(r"[^0-9.,()+\-]", "").str.contains(r"^\(.*\)$|^-|-$")  # after a currency tag too
    body = text.str.replace_all(r"[^0-9.,]", "")
    commas = body.str.count_matches(",", literal=True)
    dots = body.str.count_matches(".", literal=True)
    last_comma = body.str.find(r",[^,]*$")
    last_dot = body.str.find(r"\.[^.]*$")
    comma_decimal = (
        pl.when((commas > 0) & (dots > 0))
        .then(last_comma > last_dot)
        .when(commas == 1)
        .then(~body.str.contains(r",\d{3}$"))
        .otherwise(pl.lit(False))
    )
    plain = (
        pl.when(comma_decimal)
        .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(dots > 1)
        .then(body.str.replace_all(".", "", literal=True))
        .otherwise(body.str.replace_all(",", "", literal=True))
    )
    readable = plain.str.contains(r"^\d+(\.\d+)?$") & _looks_numeric(text) & _unambiguous(text, body)
    number = pl.when(readable).then(plain.cast(pl.Float64, strict=False))
    return pl.when(negative).then(-number).otherwise(number)


_GROUPINGS = (
    r"^\d+([.,]\d+)?$"  # no grouping: 1234.5, 12,5
    r"|^\d{1,3}(,\d{3})+(\.\d+)?$"  # 1,234,567.89
    r"|^\d{1,3}(\.\d{3})+(,\d+)?$"  # 1.234.567,89
    r"|^\d{1,2}(,\d{2})+,\d{3}(\.\d+)?$"  # 12,34,567.89 (lakh grouping)
)


def _unambiguous(text: pl.Expr, body: pl.Expr) -> pl.Expr:
    """Tell whether a value reads one way only: no sign between digits, separators grouping digits in threes."""
    sign_inside = text.str.contains(r"\d[^\d]*[-+][^\d]*\d")
    signs = text.str.count_matches(r"[-+]")
    return ~sign_inside & (signs <= 1) & body.str.contains(_GROUPINGS)


def _looks_numeric(text: pl.Expr) -> pl.Expr:
    """Tell whether a value is digits with separators, a sign and at most a currency tag."""
    letters = text.str.replace_all(r"[\d\s.,'()\-+\u00a0\u202f]", "")
    return letters.str.to_uppercase().is_in([*_CURRENCY_SYMBOLS, *_currency_codes(), ""])


def coerce_amount(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Return a Float64 column from text or numeric values."""
    if dtype.is_numeric():
        return column.cast(pl.Float64)
    return parse_amount(column)


def normalize_currency(raw: pl.Expr) -> pl.Expr:
    """Return the ISO 4217 code of a currency value (code or symbol), null when unknown."""
    text = raw.cast(pl.String).str.strip_chars().str.to_uppercase()
    text = text.replace(_CURRENCY_SYMBOLS)
    return pl.when(text.is_in(_currency_codes())).then(text)


@cache
def _currency_codes() -> list[str]:
    """Return the ISO 4217 alphabetic codes."""
    return sorted(c.alpha_3 for c in pycountry.currencies)
