"""Money and counts: every style written by the one formatter, as the corridor, payment and chart texts were."""

from __future__ import annotations

import polars as pl
import pytest

from screening.formatting import amount, money, money_tick, thousands

# value, corridor money, thousands, payment amount in USD / EUR / no currency, chart tick
CASES = [
    (0.4, "$0", "0", "$0", "0 EUR", "0", "$0"),
    (999.6, "$1000", "1,000", "$1000", "1000 EUR", "1000", "$1,000"),
    (1000.0, "$1 k", "1,000", "$1 k", "1 k EUR", "1 k", "$1k"),
    (12345.0, "$12 k", "12,345", "$12.3 k", "12.3 k EUR", "12.3 k", "$12.3k"),
    (999999.0, "$1000 k", "999,999", "$1000 k", "1000 k EUR", "1000 k", "$1,000k"),
    (1e6, "$1.0 M", "1,000,000", "$1 M", "1 M EUR", "1 M", "$1M"),
    (1.25e6, "$1.2 M", "1,250,000", "$1.2 M", "1.2 M EUR", "1.2 M", "$1.2M"),
    (9.96e6, "$10.0 M", "9,960,000", "$10 M", "10 M EUR", "10 M", "$10M"),
    (41.2e6, "$41 M", "41,200,000", "$41.2 M", "41.2 M EUR", "41.2 M", "$41.2M"),
    (1234567890.0, "$1,235 M", "1,234,567,890", "$1.2 B", "1.2 B EUR", "1.2 B", "$1.2B"),
    (-2.5e6, "$-2500000", "0", "$-2.5 M", "-2.5 M EUR", "-2.5 M", "$-2.5M"),
]


@pytest.mark.parametrize(("value", "corridor", "count", "usd", "eur", "bare", "tick"), CASES)
def test_styles(value: float, corridor: str, count: str, usd: str, eur: str, bare: str, tick: str) -> None:
    v = pl.col("v")
    none = pl.lit(None, pl.String)
    row = (
        pl.DataFrame({"v": [value]})
        .select(a=money(v), b=thousands(v), c=amount(v, pl.lit("USD")), d=amount(v, pl.lit("EUR")), e=amount(v, none))
        .row(0)
    )
    assert row == (corridor, count, usd, eur, bare)
    assert money_tick(value) == tick


def test_unknown_amount() -> None:
    frame = pl.DataFrame({"v": [None]}, schema={"v": pl.Float64})
    assert frame.select(a=amount(pl.col("v"), pl.lit("USD")), b=money(pl.col("v"))).row(0) == ("amount unknown", None)
