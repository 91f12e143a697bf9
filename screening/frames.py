"""Frame helpers the scan path shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

# Amounts are summed as decimals: float sums over threads come out different in the last bit from
# run to run, and a run must give the same hits each time. Ingestion refuses amounts of 10^15 and
# more, so sums of up to 10^18 records fit.
EXACT: Final = pl.Decimal(38, 4)
EXACT_SQL: Final = "DECIMAL(38, 4)"  # the same type in DuckDB and Spark SQL


def exact_sum(column: str) -> pl.Expr:
    """Return the sum of a Float64 column, the same whatever the order its values are added in."""
    return pl.col(column).cast(EXACT).sum().cast(pl.Float64)


def ordered_sum(column: pl.Expr) -> pl.Expr:
    """Return the sum of fractions added smallest first, so that it is the same on every run (ownership shares)."""
    return column.sort().sum()


def exact_sum_sql(column: str) -> str:
    """Return the SQL (DuckDB or Spark) of :func:`exact_sum`."""
    return f"CAST(sum(CAST({column} AS {EXACT_SQL})) AS DOUBLE)"


def fmt(template: str, *args: str | pl.Expr | pl.Series) -> pl.Expr:
    """Return ``pl.format(template, *args)`` built with ``concat_str``: null where any argument is null.

    polars 2.1's native ``pl.format`` now and then panics on string columns cut into chunks
    (``assertion failed: i < self.len()``, pola-rs/polars#25339 and #25525): one run in two of the
    1M-row goods benchmark stopped in ENTITY-001's detail. ``concat_str`` does not.
    """
    pieces = template.split("{}")
    if len(pieces) != len(args) + 1:
        raise ValueError(f"template {template!r} has {len(pieces) - 1} placeholders for {len(args)} arguments")
    parts: list[pl.Expr] = []
    for text, arg in zip(pieces, [*args, None], strict=True):
        if text:
            parts.append(pl.lit(text))
        if arg is not None:
            parts.append(pl.col(arg) if isinstance(arg, str) else pl.lit(arg) if isinstance(arg, pl.Series) else arg)
    return pl.concat_str(parts) if parts else pl.lit("")


def compact(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with its own tight string buffers, so that it no longer keeps the frame it was cut from alive.

    polars filters and joins of string columns copy only 16-byte views into the source's buffers:
    a hit frame of a few thousand rows kept from a 500,000-row batch held the whole batch's party
    names, which made a 100M-row run grow past 18 GiB. A round trip through Arrow (large_string)
    copies just the strings the frame uses.
    """
    result = pl.from_arrow(frame.to_arrow())
    assert isinstance(result, pl.DataFrame)  # from_arrow of a table is a frame
    return result


def per_value(frame: pl.DataFrame, column: str, expr: Callable[[pl.Expr], pl.Expr], alias: str) -> pl.DataFrame:
    """Return ``frame`` with ``alias``: ``expr`` of ``column`` (null for null) worked out once per distinct value.

    For columns whose values repeat (banks' BICs, parties' accounts): a regex over a million rows
    costs far more than one over their few thousand values and a join back.
    """
    values = frame.select(pl.col(column).unique()).drop_nulls()
    table = values.with_columns(expr(pl.col(column)).alias(alias))
    return frame.join(table, on=column, how="left", maintain_order="left")
