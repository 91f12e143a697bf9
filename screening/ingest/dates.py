"""Date parsing, vectorized: every format a trade or payment file uses, to ``pl.Date``.

Accepted, tried in this order on the trimmed text:

* ISO ``2023-04-15`` (a time part after ``T`` or a space is dropped), ``20230415``;
* day first with dots or dashes ``15.04.2023``, ``15-04-2023``;
* slashes ``15/04/2023`` and ``04/15/2023``: a part above 12 settles the order of that value;
  an ambiguous value (both parts up to 12) is read day first, unless the column (within its
  batch) holds month-first values and no day-first ones — US exports are month first throughout;
* month only, read as the first day of the month: ``Apr 2023``, ``April 2023``, ``Apr-23``,
  ``2023-04``, ``2023/04``, ``202304``, ``2023M04``;
* Excel serial day numbers (five digits, optional fraction) counted from 1899-12-30.

Date and datetime columns (Parquet, Excel cells read as ISO) are cast directly.
"""

from __future__ import annotations

from typing import Final

import polars as pl

_EXCEL_EPOCH: Final = pl.date(1899, 12, 30)


def parse_date(raw: pl.Expr) -> pl.Expr:
    """Return the date of a text column, null where it is empty or does not parse."""
    text = raw.cast(pl.String).str.strip_chars()
    iso = text.str.replace(r"^(\d{4}-\d{2}-\d{2})[T ].*$", "${1}")
    month_only = text.str.replace(r"^(\d{4})(?:M|/|-)?(\d{2})$", "${1}-${2}-01")
    return pl.coalesce(
        _strict(iso, "%Y-%m-%d", r"^\d{4}-\d{2}-\d{2}$"),
        _strict(text, "%Y%m%d", r"^\d{8}$"),
        _strict(text.str.replace_all("-", "."), "%d.%m.%Y", r"^\d{1,2}[.\-]\d{1,2}[.\-]\d{4}$"),
        _slashed(text),
        _strict(month_only, "%Y-%m-%d", r"^\d{4}-\d{2}-01$"),
        _month_name(text),
        _excel_serial(text),
    )


def _strict(text: pl.Expr, fmt: str, shape: str) -> pl.Expr:
    """Parse values of the given shape with one format."""
    return pl.when(text.str.contains(shape)).then(text.str.strptime(pl.Date, fmt, strict=False))


def _slashed(text: pl.Expr) -> pl.Expr:
    """Parse d/m/Y or m/d/Y, deciding ambiguous values by the rest of the column."""
    parts = text.str.extract_groups(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    day_first = text.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    month_first = text.str.strptime(pl.Date, "%m/%d/%Y", strict=False)
    us_column = (second > 12).any() & ~(first > 12).any()
    return (
        pl.when(first > 12)
        .then(day_first)
        .when(second > 12)
        .then(month_first)
        .when(us_column)
        .then(month_first)
        .otherwise(day_first)
    )


def _month_name(text: pl.Expr) -> pl.Expr:
    """Parse 'Apr 2023', 'April 2023', 'Apr-23' as the first day of the month."""
    parts = text.str.extract_groups(r"^([A-Za-z]{3,9})\.?[\s\-/]*(\d{4}|\d{2})$")
    month, year = parts.struct.field("1"), parts.struct.field("2")
    year = pl.when(year.str.len_chars() == 2).then(pl.lit("20") + year).otherwise(year)
    candidate = pl.lit("01 ") + month + pl.lit(" ") + year
    return pl.coalesce(
        candidate.str.strptime(pl.Date, "%d %b %Y", strict=False),
        candidate.str.strptime(pl.Date, "%d %B %Y", strict=False),
    )


def _excel_serial(text: pl.Expr) -> pl.Expr:
    """Read a five-digit Excel serial day number as a date."""
    # a leading zero is no serial: Excel's day 0 ("00000") is no date, and day 1 is 1900-01-01
    days = pl.when(text.str.contains(r"^[1-9]\d{4}(\.\d+)?$")).then(text.cast(pl.Float64, strict=False))
    return (_EXCEL_EPOCH + pl.duration(days=days.floor().cast(pl.Int64))).cast(pl.Date)


def coerce_date(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Return a Date column from text, date or datetime values."""
    if dtype.is_temporal():
        return column.cast(pl.Date)
    return parse_date(column)


def comext_period(text: pl.Expr) -> pl.Expr:
    """Rewrite Eurostat's period labels (upper case) as plain periods.

    ``202408-AUG. 2024`` is ``202408``; the month code 52 is the whole year (``201952-JAN.-DEC.
    2019``, ``201952``); ``JAN.-DEC. 2018`` and ``Y2019`` are years.
    """
    coded = text.str.replace(r"^(\d{6})\s*-.*$", "${1}")
    year = coded.str.replace(r"^(\d{4})52$", "${1}").str.replace(r"^Y(\d{4})$", "${1}")
    return year.str.replace(r"^JAN\.?\s*-\s*DEC\.?\s*(\d{4})$", "${1}")


def coerce_period(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Return a struct ``{start: Date, months: Int64}``: a year, quarter or month, null when unreadable.

    Years (``2023``) last 12 months, quarters (``2023Q2``, ``2023-Q2``, ``Q2 2023``) 3, and every
    other readable value, including a full date, is the month it falls in. Eurostat's published
    forms are read too (:func:`comext_period`).
    """
    if dtype.is_temporal():
        month = column.cast(pl.Date).dt.truncate("1mo")
        return pl.struct(month.alias("start"), pl.lit(1, pl.Int64).alias("months"))
    text = comext_period(column.cast(pl.String).str.strip_chars().str.replace(r"\.0+$", "").str.to_uppercase())
    year = pl.when(text.str.contains(r"^\d{4}$")).then(text.cast(pl.Int32, strict=False))
    quarter = text.str.extract_groups(r"^(?:(\d{4})\s*[-/ ]?\s*Q([1-4])|Q([1-4])\s*[-/ ]?\s*(\d{4}))$")
    q_year = pl.coalesce(quarter.struct.field("1"), quarter.struct.field("4")).cast(pl.Int32)
    q_number = pl.coalesce(quarter.struct.field("2"), quarter.struct.field("3")).cast(pl.Int32)
    month = parse_date(text).dt.truncate("1mo")
    start = pl.coalesce(pl.date(year, 1, 1), pl.date(q_year, (q_number - 1) * 3 + 1, 1), month)
    months = pl.when(year.is_not_null()).then(12).when(q_year.is_not_null()).then(3).when(month.is_not_null()).then(1)
    return pl.struct(start.alias("start"), months.cast(pl.Int64).alias("months"))
