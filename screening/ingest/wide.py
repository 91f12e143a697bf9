"""Wide statistics tables (one value column per year or quarter) read as one flow row per period.

National statistics offices publish trade as ``Reporter, Partner, Flow, HS code, 2019, 2020, …``.
Such a table is reshaped only where that is unambiguous: at least two period columns, every one a
year or a quarter (``2019``, ``Y2019``, ``2023Q2``, optionally with one currency, ``2019 (EUR)``, of
those flow values can be converted from), and
no column that already maps to a value, a period, a date or a record id. Each source line becomes one
row per period with a value (an empty cell, a placeholder or a not-published mark such as ``..``,
``:`` or ``x`` is no value); its records keep the source line and get the id ``FILE:LINE/PERIOD``. A
line with no value in any period keeps one row, so that it is stored or quarantined like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from screening.frames import fmt
from screening.ingest.coerce import PLACEHOLDERS
from screening.ingest.mapping import column_key, currency_in_name, resolve
from screening.ingest.raw import LINE, RawBatch, Source

_PERIOD: Final = re.compile(r"^\s*Y?((?:19|20)\d{2}(?:\s*-?\s*Q[1-4])?)(?!\d)")
# The columns a reshaped table gets; a source column of one of these names rules the reshape out.
PERIOD, VALUE, RECORD_ID = "period", "value", "record_id"
_TAKEN: Final = frozenset({"value", "period", "date", "record_id"})
# Statistics tables' marks for a value not published in a period cell (not available, confidential).
NOT_AVAILABLE: Final = ("..", "...", ":", "x", "X", "c", "C")
# The value column of a reshaped table, named so that the mapping reads its currency (flow values need a rate).
_VALUES: Final = {"USD": "value", "EUR": "VALUE_IN_EUR"}


@dataclass(frozen=True)
class Wide:
    """The period columns of a wide table: source column name → the period it holds."""

    periods: dict[str, str]
    value: str  # the reshaped value column's name, stating the currency the period columns state

    def describe(self) -> str:
        """Return a one-line account of the reshape for the run's messages."""
        first, last = next(iter(self.periods.values())), list(self.periods.values())[-1]
        return f"a wide table: {len(self.periods)} period columns ({first} to {last}) read as one row per period"


def as_long(source: Source, mapping: Mapping[str, str] | None, where: str) -> Source:
    """Return a wide table's source reshaped to one row per period, any other source as it is."""
    wide = find_wide(source.columns, mapping)
    return widened(source, wide, where) if wide else source


def find_wide(columns: list[str], mapping: Mapping[str, str] | None) -> Wide | None:
    """Return the period columns of a wide table, or None when the table is not unambiguously wide."""
    periods = {c: _period(c) for c in columns}
    found = {c: p for c, p in periods.items() if p is not None}
    if len(found) < 2:
        return None
    others = [c for c in columns if c not in found]
    if _TAKEN & {t for t in resolve(others, mapping).values() if t}:
        return None
    if {column_key(c) for c in found} & {column_key(c) for c in mapping or {}}:
        return None  # the user mapped a period column: the table is read as the mapping says
    currencies = {currency_in_name(c) for c in found} - {None}
    if len(currencies) > 1:
        return None  # the periods' values in different currencies: not one value column
    currency = currencies.pop() if currencies else "USD"
    return Wide(found, _VALUES[currency]) if currency in _VALUES else None


def _period(column: str) -> str | None:
    """Return the year or quarter a column header names (a currency may follow it), or None."""
    matched = _PERIOD.match(column)
    if matched is None:
        return None
    rest = re.sub(r"[\s_()\-]", "", column[matched.end() :]).upper()
    if rest and currency_in_name(f"VALUE_{rest}") is None:
        return None  # "2019 thousand USD", "2019-2020": not one period's value as it stands
    return re.sub(r"[\s-]", "", matched.group(1)).upper()


def widened(source: Source, wide: Wide, where: str) -> Source:
    """Return a source whose batches are the wide table's rows, one per line and period with a value."""
    kept = [c for c in source.columns if c not in wide.periods]
    said = (f"{where}: {wide.describe()}",)

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        index = [c for c in wanted if c in kept]
        for number, batch in enumerate(source.read([*index, *wide.periods])):
            rows = _unpivot(batch.rows, index, wide, Path(where).name)
            yield RawBatch(rows, batch.rejects, (said if number == 0 else ()) + batch.messages)

    return Source([*kept, PERIOD, wide.value, RECORD_ID], read, source.separator)


def _unpivot(rows: pl.DataFrame, index: list[str], wide: Wide, file_name: str) -> pl.DataFrame:
    """Return one row per line and period with a value (a line with none keeps its first period)."""
    long = rows.select(LINE, *index, *(pl.col(c).cast(pl.String) for c in wide.periods)).unpivot(
        index=[LINE, *index], on=list(wide.periods), variable_name=PERIOD, value_name=wide.value
    )
    value = pl.col(wide.value).str.strip_chars()
    filled = (
        value.is_not_null()
        & (value != "")
        & ~value.is_in(NOT_AVAILABLE)
        & ~value.str.to_uppercase().is_in(PLACEHOLDERS)
    )
    first = pl.col(PERIOD) == next(iter(wide.periods))
    keep = filled | (first & ~filled.any().over(LINE))
    named = pl.col(PERIOD).replace_strict(wide.periods, return_dtype=pl.String)
    return (
        long.filter(keep)
        .with_columns(named.alias(PERIOD))
        .with_columns(fmt("{}:{}/{}", pl.lit(file_name), pl.col(LINE), pl.col(PERIOD)).alias(RECORD_ID))
        .sort(LINE, maintain_order=True)
    )
