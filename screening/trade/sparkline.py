"""Text pieces of corridor details as polars expressions: money, percentages, month spans, sparklines.

Details are written only for hits (a few rows), but still as expressions so that one code path
formats every hit the same way:

- ``money`` and ``thousands`` come from :mod:`screening.formatting`, the one place money and counts
  are written (``$41 M``, ``$1.6 M``, ``$850 k``; ``2,492``);
- :func:`span` — the months of a window: ``2023`` for a whole year, ``Jan–Jun 2024`` for part of one;
- :func:`sparkline` — one block character per year (``▁▂▃▄▅▆▇█``) scaled to the series' maximum,
  joined in year order per key, so a reader sees the shape of a corridor at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from screening.formatting import thousands
from screening.frames import fmt

BLOCKS: Final = "▁▂▃▄▅▆▇█"
MONTHS: Final = "JanFebMarAprMayJunJulAugSepOctNovDec"


def times(ratio: pl.Expr) -> pl.Expr:
    """Return a growth ratio as ``×25.9`` (one decimal; whole numbers from ×100).

    The ratio is first rounded to 9 places (sums over threads differ in the last bit from run to
    run), then half away from zero as people round: 1.05 prints as ×1.1 in every run.
    """
    steady = ratio.round(9)
    shown = steady.round(1, mode="half_away_from_zero")
    return pl.when(steady >= 100).then(fmt("×{}", thousands(steady))).otherwise(fmt("×{}", shown))


def month_name(month: pl.Expr) -> pl.Expr:
    """Return the English three-letter name of a month number 1–12."""
    return pl.lit(MONTHS).str.slice((month.cast(pl.Int64) - 1) * 3, 3)


def span(year: pl.Expr, first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """Return ``2023`` for a whole year, else ``Jan–Jun 2024`` (or ``Mar 2024`` for one month)."""
    return (
        pl.when((first == 1) & (last == 12))
        .then(year.cast(pl.String))
        .when(first == last)
        .then(fmt("{} {}", month_name(first), year))
        .otherwise(fmt("{}–{} {}", month_name(first), month_name(last), year))
    )


def years_label(first: int, last: int) -> str:
    """Return a span of years the short way: ``2019–21``, or ``2019`` for one year."""
    return str(first) if first == last else f"{first}–{last % 100:02d}"


def sparkline(series: pl.DataFrame, keys: Sequence[str], order: str = "year", value: str = "value") -> pl.DataFrame:
    """Return ``keys`` + ``spark``: one block per row of each key, in ``order``, scaled to the key's maximum."""
    top = pl.col(value).max().over(keys)
    level = pl.when(top > 0).then((pl.col(value) / top * (len(BLOCKS) - 1)).round(0)).otherwise(0).cast(pl.Int64)
    return (
        series.sort([*keys, order])
        .with_columns(pl.lit(BLOCKS).str.slice(level, 1).alias("_block"))
        .group_by(keys, maintain_order=True)
        .agg(pl.col("_block").str.join("").alias("spark"))
    )
