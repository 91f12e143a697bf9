"""HS code normalisation, vectorized.

Pipeline for one raw column (text as read from the file):

1. trim; a float rendering of an integer (``8542310000.0``) loses its ``.0`` (but ``8548.00``
   is dotted HS notation and keeps its zeros);
2. drop separators (dots, spaces, dashes, slashes); anything left that is not a digit makes the
   value *not an HS code* (the row is quarantined by ingestion);
3. an odd length (5, 7, 9, 11 digits) is a code that lost a leading zero in a spreadsheet or a
   national code cut short: both readings are tried against the nomenclature (HS2022 and HS2017);
   exactly one known reading is taken and noted, two or none leave the subheading unknown; but
   11 digits whose first six are a known subheading are a national code, kept as declared;
4. the HS-6 subheading is kept only when the nomenclature knows it, otherwise it stays null and
   ``hs_note`` says why, so a goods rule can flag it instead of guessing.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.goods.reference import known_codes

VALID_LENGTHS: Final = (2, 4, 6, 8, 10, 12)
_SEPARATORS: Final = r"[\s.\-/_]"


def normalize_hs(raw: pl.Expr) -> pl.Expr:
    """Return a struct expression with fields hs_code, hs6, hs_note and hs_error."""
    text = raw.cast(pl.String).str.strip_chars()
    text = text.str.replace(r"^(\d+)\.0$", "${1}")  # "8548.00" is dotted HS, "8548.0" a float
    digits = text.str.replace_all(_SEPARATORS, "")
    is_digits = digits.str.contains(r"^\d+$")
    length = digits.str.len_chars()
    national = (length == 11) & _known6(digits)  # an 11-digit national code, as declared
    odd = length.is_in([5, 7, 9, 11]) & ~national
    left, right = pl.lit("0") + digits, digits + pl.lit("0")
    left_ok, right_ok = _known6(left), _known6(right)
    repaired = (
        pl.when(odd & left_ok & ~right_ok)
        .then(left)
        .when(odd & right_ok & ~left_ok)
        .then(right)
        .when(odd)
        .then(pl.lit(None, pl.String))
        .otherwise(digits)
    )
    code = pl.when(is_digits & (length.is_in(VALID_LENGTHS) | odd | national)).then(repaired)
    hs6 = pl.when(code.str.len_chars() >= 6).then(code.str.slice(0, 6))
    hs6 = pl.when(_known6(hs6)).then(hs6)
    return pl.struct(
        code.alias("hs_code"),
        hs6.alias("hs6"),
        _note(text, digits, code=code, hs6=hs6, odd=odd, both=left_ok & right_ok).alias("hs_note"),
        _error(text, is_digits, length, odd | national).alias("hs_error"),
    )


def _known6(code: pl.Expr) -> pl.Expr:
    """Tell whether the first six digits are a known HS2022 or HS2017 subheading."""
    return code.str.slice(0, 6).is_in(list(known_codes(6)))


def _note(text: pl.Expr, digits: pl.Expr, *, code: pl.Expr, hs6: pl.Expr, odd: pl.Expr, both: pl.Expr) -> pl.Expr:
    """Explain how a damaged or unknown code was read; null for a clean one."""
    n = digits.str.len_chars().cast(pl.String)
    return (
        pl.when(text.is_null() | (text == ""))
        .then(pl.lit(None, pl.String))
        .when(odd & code.is_not_null())
        .then(fmt("{} digits '{}', read as {}", n, text, code.str.slice(0, 6)))
        .when(odd & both)
        .then(fmt("{} digits '{}': ambiguous, 0{} and {}0 are both HS codes", n, text, digits, digits))
        .when(odd)
        .then(fmt("{} digits '{}': no reading is a known HS code", n, text))
        .when(code.str.len_chars() == 4)
        .then(
            pl.when(code.is_in(list(known_codes(4))))
            .then(pl.lit("heading only"))
            .otherwise(fmt("unknown HS heading {}", code))
        )
        .when(code.str.len_chars() == 2)
        .then(pl.lit("chapter only"))
        .when(code.is_not_null() & hs6.is_null())
        .then(fmt("unknown HS subheading {}", code.str.slice(0, 6)))
    )


def _error(text: pl.Expr, is_digits: pl.Expr, length: pl.Expr, odd: pl.Expr) -> pl.Expr:
    """Say why a value is not an HS code at all; null when it is one or is empty."""
    present = text.is_not_null() & (text != "")
    return (
        pl.when(present & text.str.contains(r"(?i)^\d(\.\d+)?e\+?\d+$"))
        .then(fmt("'{}' is an HS code in scientific notation; digits are lost", text))
        .when(present & ~is_digits)
        .then(fmt("'{}' is not an HS code", text))
        .when(present & ~(length.is_in(VALID_LENGTHS) | odd))
        .then(fmt("'{}' has {} digits; an HS code has 6 to 10", text, length.cast(pl.String)))
    )
