"""Identifiers written into a name: tax numbers glued to it, IMO numbers, and the like.

``7722476458 772201001 OOO YATASH RUS`` carries an INN (10 or 12 digits) and a KPP (9 digits);
they are lifted out of the name as ``TYPE:VALUE`` strings and the name is screened without them.
Identifier equality is exact and outranks any name score.
"""

from __future__ import annotations

from typing import Final

import polars as pl

# Types whose equality is proof of identity (list identifiers of other types are ignored).
STRONG_TYPES: Final[frozenset[str]] = frozenset(
    {"IMO", "INN", "OGRN", "LEI", "BIC", "PASSPORT", "NATIONAL_ID", "TAX", "KPP", "OGRNIP"}
)
# Run on the upper-case, punctuation-free name: prefixed numbers, then bare long digit runs.
ID_PATTERN: Final = (
    r"\b(?:IMO \d{7}|LEI [A-Z0-9]{20}|(?:BIC|SWIFT) [A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?"
    r"|(?:(?:INN|KPP|OGRN|OGRNIP|TIN|TAX ID) )?\d{9,15})\b"
)
_BY_LENGTH: Final[dict[int, str]] = {9: "KPP", 10: "INN", 12: "INN", 13: "OGRN", 15: "OGRNIP"}


def _typed(found: pl.Expr) -> pl.Expr:
    """Return ``TYPE:VALUE`` for one found identifier string."""
    value = found.str.replace(r"^(?:IMO|LEI|BIC|SWIFT|INN|KPP|OGRN|OGRNIP|TIN|TAX ID) ", "")
    prefix = found.str.extract(r"^(IMO|LEI|BIC|SWIFT) ", 1).replace({"SWIFT": "BIC"})
    by_length = value.str.len_chars().replace_strict(_BY_LENGTH, default="TAX")
    return pl.coalesce(prefix, by_length) + pl.lit(":") + value


def identifiers_expr(column: str) -> pl.Expr:
    """Return the list of ``TYPE:VALUE`` identifiers found in a cleaned name column."""
    return pl.col(column).str.extract_all(ID_PATTERN).list.eval(_typed(pl.element()))


def strip_identifiers(column: str) -> pl.Expr:
    """Return the cleaned name column without its identifiers."""
    return pl.col(column).str.replace_all(ID_PATTERN, " ")


def id_value(typed: pl.Expr) -> pl.Expr:
    """Return the value part of a ``TYPE:VALUE`` identifier."""
    return typed.str.replace(r"^[A-Z_]+:", "")
