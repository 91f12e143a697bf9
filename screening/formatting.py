"""Money and counts as a reader scans them: the one place that decides how amounts and counts are written.

Money is written at a scale (``k``, ``M``, ``B``) by a table of steps — from a size on, divide, round
and add the suffix — so every style below is a declared table, not its own chain of conditions:

- :func:`money` — corridor details: ``$41 M`` (≥ $10 M, whole millions with separators), ``$1.6 M``,
  ``$850 k``, ``$120``;
- :func:`amount` — payment details: one decimal at every scale (``.0`` dropped) and the currency:
  ``$1.2 M``, ``350 k EUR``, ``900``, ``amount unknown``;
- :func:`money_tick` — chart axes, in Python: ``$1.2M``, ``$350k``, ``$90``;
- :func:`thousands` — a count with comma separators as an expression (``2,492``), as Python's
  ``f"{n:,}"`` writes one number.

The expressions run only on hits (few rows), still as expressions so that one code path writes
every hit the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from screening.frames import fmt

# The scales money is written at, largest first (the chart ticks use them as they are).
SCALES: Final[tuple[tuple[float, str], ...]] = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


@dataclass(frozen=True)
class Step:
    """From ``size`` on: divide by ``unit``, round to ``decimals`` (None: whole, with separators), add ``suffix``."""

    size: float
    unit: float
    suffix: str
    decimals: int | None

    def text(self, value: pl.Expr) -> pl.Expr:
        """Return the value written at this step's scale."""
        scaled = value / self.unit
        if self.decimals is None:
            return fmt(f"{{}}{self.suffix}", thousands(scaled))
        shown = scaled.round(self.decimals)
        return fmt(f"{{}}{self.suffix}", shown if self.decimals else shown.cast(pl.Int64))


CORRIDOR_STEPS: Final = (Step(10e6, 1e6, " M", None), Step(1e6, 1e6, " M", 1), Step(1e3, 1e3, " k", 0))
PAYMENT_STEPS: Final = tuple(Step(size, size, f" {suffix}", 1) for size, suffix in SCALES)


def scaled(value: pl.Expr, steps: tuple[Step, ...], size: pl.Expr | None = None) -> pl.Expr:
    """Return a value written at the first step its size reaches, else as a whole number."""
    size = value if size is None else size
    written = value.round(0).cast(pl.Int64).cast(pl.String)
    for step in reversed(steps):
        written = pl.when(size >= step.size).then(step.text(value)).otherwise(written)
    return written


def money(value: pl.Expr) -> pl.Expr:
    """Return a dollar amount in words a reader scans: ``$41 M``, ``$1.6 M``, ``$850 k``."""
    return pl.lit("$") + scaled(value, CORRIDOR_STEPS)


def amount(value: pl.Expr, currency: pl.Expr) -> pl.Expr:
    """Return a payment amount as short text: '$1.2 M', '350 k EUR', '900'."""
    short = scaled(value, PAYMENT_STEPS, value.abs()).str.replace(r"\.0 ", " ")
    return (
        pl.when(value.is_null())
        .then(pl.lit("amount unknown"))
        .when(currency == "USD")
        .then(pl.lit("$") + short)
        .when(currency.is_null())
        .then(short)
        .otherwise(fmt("{} {}", short, currency))
    )


def money_tick(value: float, _: object = None) -> str:
    """Return an axis value as $1.2M, $350k or $90."""
    for size, suffix in SCALES:
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"${value:,.0f}"


def thousands(number: pl.Expr) -> pl.Expr:
    """Return a number rounded to an integer as text with comma thousands separators (below 10^12)."""
    n = number.round(0).cast(pl.Int64)
    groups = [(n // 10**e) % 1000 for e in (9, 6, 3, 0)]
    padded = [g.cast(pl.String).str.zfill(3) for g in groups]
    plain = [g.cast(pl.String) for g in groups]
    return (
        pl.when(n >= 10**9)
        .then(pl.concat_str([plain[0], padded[1], padded[2], padded[3]], separator=","))
        .when(n >= 10**6)
        .then(pl.concat_str([plain[1], padded[2], padded[3]], separator=","))
        .when(n >= 10**3)
        .then(pl.concat_str([plain[2], padded[3]], separator=","))
        .otherwise(plain[3])
    )
