"""Coercion of mapped columns to canonical types, with one error text per bad value.

Each canonical column has a coercer returning the value expression and an error expression
(null when fine). Empty cells and placeholders (:data:`PLACEHOLDERS`: ``NULL``, ``N/A``, ``-``,
``UNDEFINED``, ``OTHER COUNTRY`` …) are null, never errors. What an error costs is decided by
:mod:`screening.ingest.records`: the row in a key column, else only the field (nulled and
noted). Errors read e.g. ``column date: '31/31/2023' is not a date``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

from screening.frames import fmt
from screening.goods.hs import normalize_hs
from screening.ingest.countries import normalize_country
from screening.ingest.dates import coerce_date, coerce_period
from screening.ingest.messages.iban import coerce_account
from screening.ingest.numbers import coerce_amount, normalize_currency

MAX_FIELD: Final = 4096
STRUCT: Final = "__staged__"  # the column :func:`staging` computes
MAX_AMOUNT: Final = 1e15  # values and quantities at or above are errors; sums of amounts stay exact (frames.EXACT)
Coerced = tuple[dict[str, pl.Expr], pl.Expr | None]  # canonical values, error (null when fine)
# Columns whose values repeat a lot: coerced once per distinct value and joined back.
COUNTRY_COLUMNS: Final = frozenset(
    {"shipper_country", "consignee_country", "origin_country", "transit_country",
     "destination_country", "country", "reporter_country", "partner_country", "owner_country",
     "owned_country"}
)  # fmt: skip
LOOKUP_COLUMNS: Final = COUNTRY_COLUMNS | {"hs_code", "date", "currency", "period", "flow"}
# Of those, the columns whose reading of a value never depends on the other values of its batch
# (dates do: day-first or month-first is read from the whole column): kept from batch to batch.
VALUE_LOCAL_COLUMNS: Final = COUNTRY_COLUMNS | {"hs_code", "currency", "flow"}
_SCHEMAS: Final = {"person": "Person", "individual": "Person", "organization": "Organization",
                   "organisation": "Organization", "company": "Organization",
                   "entity": "Organization", "legalentity": "Organization", "vessel": "Vessel",
                   "ship": "Vessel", "aircraft": "Aircraft"}  # fmt: skip
_FLOWS: Final = {"import": "import", "imports": "import", "m": "import", "i": "import", "1": "import",
                 "reimport": "import", "reimports": "import", "импорт": "import", "ввоз": "import",
                 "export": "export", "exports": "export", "x": "export", "e": "export", "2": "export",
                 "reexport": "export", "reexports": "export", "экспорт": "export", "вывоз": "export",
                 "importation": "import", "exportation": "export", "1import": "import",
                 "2export": "export"}  # fmt: skip


# Values that say "no value", compared as written in upper, lower or title case (trimming every
# field first cost 6 % of a 10M-row scan); "NA" is Namibia, so not one of them.
PLACEHOLDERS: Final = (
    "NULL", "N/A", "#N/A", "N.A.", "-", "--", "---", "?", "NONE", "NIL", "UNDEFINED", "UNKNOWN",
    "NOT DEFINED", "NOT SPECIFIED", "UNSPECIFIED", "OTHER COUNTRY", "OTHER COUNTRIES", "OTHER",
    "НЕ ОПРЕДЕЛЕНО", "НЕИЗВЕСТНО", "НЕ УКАЗАНО", "Н/Д", "БЕЗ НАЗВАНИЯ",
    "-0-", "-0- ",  # OFAC's legacy CSV files, with the space they write after it
)  # fmt: skip
NAME_WORDS: Final = frozenset({"OTHER"})  # a placeholder in a side field, a word a party name may be
_PLACEHOLDER_FORMS: Final = sorted({f(p) for p in PLACEHOLDERS for f in (str.upper, str.lower, str.title)})
_NAME_FORMS: Final = sorted({f for f in _PLACEHOLDER_FORMS if f.upper() not in NAME_WORDS})


def blank_placeholders(rows: pl.DataFrame, columns: list[str], names: frozenset[str] = frozenset()) -> pl.DataFrame:
    """Return the rows with placeholder values of the given text columns (``names``: party names) replaced by null."""
    texts = [c for c in columns if rows.schema[c] == pl.String]
    return rows.with_columns(
        pl.when(pl.col(c).is_in(_NAME_FORMS if c in names else _PLACEHOLDER_FORMS))
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c in texts
    )


def out(name: str) -> pl.Expr:
    """Return the column a coerced value is written to; errors read it instead of recomputing."""
    return pl.col(f"__{name}")


def text(column: pl.Expr) -> pl.Expr:
    """Return trimmed text, null when empty."""
    value = column.cast(pl.String).str.strip_chars()
    return pl.when(value != "").then(value)


def _failed(name: str, raw: pl.Expr, problem: str) -> pl.Expr:
    """Return the error for a present raw value that did not coerce."""
    shown = text(pl.when(out(name).is_null()).then(raw))  # only the values that did not coerce are written out
    return pl.when(shown.is_not_null()).then(fmt(f"column {name}: '{{}}' {problem}", shown))


def coerce_column(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Return the canonical value(s) of one mapped column and its error expression."""
    coercer = _COERCERS.get(name)
    if coercer is not None:
        return coercer(name, column, dtype)
    if name in COUNTRY_COLUMNS:
        return {name: normalize_country(column)}, _failed(name, column, "is not a known country")
    return {name: text(column)}, None


def staging(name: str, column: pl.Expr, dtype: pl.DataType) -> dict[str, pl.Expr]:
    """Return the struct columns a coercer's values read, to be computed once before them.

    The HS code's and the period's readings are large expressions: planned once as a column,
    not once per field taken from them (which cost about a second per small file).
    """
    if name == "hs_code":
        return {STRUCT: normalize_hs(text(column))}
    if name == "period":
        return {STRUCT: coerce_period(column, dtype)}
    return {}


def _hs(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Normalise an HS code with the goods module (read from the STRUCT column :func:`staging` adds)."""
    fields = {f: pl.col(STRUCT).struct.field(f) for f in ("hs_code", "hs6", "hs_note", "hs_error")}
    return fields, fmt(f"column {name}: {{}}", out("hs_error"))


def _date(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Parse a date."""
    return {name: coerce_date(column, dtype)}, _failed(name, column, "is not a date")


def _amount(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Parse an amount; negative, infinite and implausibly large values are errors."""
    shown = text(pl.when(out(name) < 0).then(column))
    negative = pl.when(shown.is_not_null()).then(fmt(f"column {name}: {{}} is negative", shown))
    wild = text(pl.when(~(out(name).abs() < MAX_AMOUNT)).then(column))  # NaN and infinity compare false
    too_large = pl.when(wild.is_not_null()).then(fmt(f"column {name}: '{{}}' is not an amount below 10^15", wild))
    error = pl.coalesce(_failed(name, column, "is not a number"), negative, too_large)
    return {name: coerce_amount(column, dtype)}, error


def _period(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Read a statistics period (year, quarter, month or a date in it) as its first day and length."""
    period = pl.col(STRUCT)
    values = {name: period.struct.field("start"), "period_months": period.struct.field("months")}
    return values, _failed(name, column, "is not a period (e.g. 2023, 2023Q2, 2023-04, 202304, Apr 2023)")


def _flow(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Read a trade flow as import or export (Comtrade M/X, Comext 1/2, re-exports as exports)."""
    key = text(column).str.to_lowercase().str.replace_all(r"[\s_\-]", "")
    value = key.replace_strict(_FLOWS, default=None, return_dtype=pl.String)
    return {name: value}, _failed(name, column, "is not a trade flow (import or export)")


def _share(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Read an ownership share as a fraction: '40 %' and 40 are percent, 0.4 is a fraction.

    A number without a percent sign is a percentage when any such number in the column (within
    its batch) exceeds 1, else a fraction; registers write one or the other throughout a file.
    """
    raw = text(column)
    percent_sign = raw.str.contains("%")
    number = raw.str.replace_all(r"[%\s]", "").str.replace(",", ".").cast(pl.Float64, strict=False)
    percent_column = (number.filter(~percent_sign.fill_null(False)) > 1).any()
    fraction = pl.when(percent_sign | percent_column).then(number / 100).otherwise(number)
    over = pl.when(out(name) > 1).then(fmt(f"column {name}: '{{}}' is over 100 %", raw))
    negative = pl.when(out(name) < 0).then(fmt(f"column {name}: '{{}}' is negative", raw))
    error = pl.coalesce(_failed(name, column, "is not a share (40 %, 40 or 0.4)"), over, negative)
    return {name: fraction}, error


def _currency(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Upper-case an ISO 4217 currency code (symbols like $ and € are read too)."""
    error = _failed(name, column, "is not an ISO 4217 currency code")
    return {name: normalize_currency(column)}, error


def _birth_date(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Keep a birth year as is and write a full birth date as an ISO date."""
    raw = text(column)
    year = pl.when(raw.str.contains(r"^\d{4}$")).then(raw)
    value = pl.coalesce(year, coerce_date(column, dtype).cast(pl.String))
    return {name: value}, _failed(name, column, "is not a date or a year")


def _schema(name: str, column: pl.Expr, dtype: pl.DataType) -> Coerced:
    """Spell common entity types the followthemoney way (Person, Organization, Vessel)."""
    raw = text(column)
    key = raw.str.to_lowercase().str.replace_all(r"[\s_\-]", "")
    return {name: key.replace_strict(_SCHEMAS, default=raw, return_dtype=pl.String)}, None


_COERCERS: Final[dict[str, Callable[[str, pl.Expr, pl.DataType], Coerced]]] = {
    "hs_code": _hs,
    "date": _date,
    "value": _amount,
    "quantity": _amount,
    "currency": _currency,
    "birth_date": _birth_date,
    "incorporated": _date,
    "period": _period,
    "flow": _flow,
    "share": _share,
    "entity_schema": _schema,
    "originator_account": coerce_account,  # payment messages: an IBAN is checked (screening.ingest.messages)
    "beneficiary_account": coerce_account,
}


def huge_fields(rows: pl.DataFrame) -> list[pl.Expr]:
    """Return the errors for fields longer than MAX_FIELD characters, for the text columns that may hold one."""
    text_columns = [c for c, t in rows.schema.items() if t == pl.String]
    # a field of more than MAX_FIELD characters has more bytes: most batches need no character count
    widest = rows.select(pl.col(c).str.len_bytes().max() for c in text_columns).row(0) if text_columns else ()
    wide = [c for c, size in zip(text_columns, widest, strict=True) if size is not None and size > MAX_FIELD]
    return [_too_long(source) for source in wide]


def _too_long(source: str) -> pl.Expr:
    """Return the error for a field of this column longer than MAX_FIELD characters."""
    size = pl.col(source).str.len_chars()
    return pl.when(size > MAX_FIELD).then(fmt(f"column {source}: field of {{}} characters exceeds {MAX_FIELD:,}", size))
