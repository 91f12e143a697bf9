"""Yearly US-dollar rates: the table the corridor sums convert declared values with."""

from __future__ import annotations

import polars as pl
import pytest

from screening.ingest.rates import USD_PER_UNIT, usd_rates


@pytest.mark.parametrize(
    ("currency", "year", "rate"),
    [
        ("EUR", 2023, USD_PER_UNIT["EUR"][2023]),
        ("EUR", 1995, USD_PER_UNIT["EUR"][2010]),  # before the table: the first year's rate
        ("CNY", 2022, USD_PER_UNIT["CNY"][2022]),
        ("RUB", 2021, USD_PER_UNIT["RUB"][2021]),
        ("RUB", 2022, None),  # the ECB stopped quoting the rouble in March 2022
        ("AED", 2024, 1 / 3.6725),
        ("TRY", 2024, USD_PER_UNIT["TRY"][2024]),
        ("KZT", 2023, None),  # no rate: left out of corridor sums
        ("USD", 2023, None),  # dollars need none
    ],
)
def test_a_currencys_rate_for_a_year(currency: str, year: int, rate: float | None) -> None:
    rates = usd_rates().filter(currency=currency, year=year)["usd_per_unit"].to_list()
    assert rates == ([] if rate is None else [pytest.approx(rate)])


@pytest.mark.parametrize(("currency", "low", "high"), [("CNY", 0.13, 0.17), ("RUB", 0.013, 0.035), ("GBP", 1.2, 1.7)])
def test_rates_are_dollars_per_unit(currency: str, low: float, high: float) -> None:
    values = usd_rates().filter(pl.col("currency") == currency, pl.col("year").is_between(2010, 2024))["usd_per_unit"]
    assert low <= values.min() <= values.max() <= high  # type: ignore[operator]
