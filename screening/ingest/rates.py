"""Yearly average exchange rates, to put values published in another currency into US dollars.

Source: European Central Bank, euro foreign exchange reference rates, annual average of the
daily USD rate (ECB Statistical Data Warehouse series EXR.A.USD.EUR.SP00.A). A year outside the
table takes the nearest year's rate. Only corridor sums need this: values stay as declared, with
their currency, in transaction records; flow statistics are stored in US dollars.
"""

from __future__ import annotations

from typing import Final

import polars as pl

USD_PER_UNIT: Final[dict[str, dict[int, float]]] = {
    "EUR": {
        2010: 1.3257, 2011: 1.3920, 2012: 1.2848, 2013: 1.3281, 2014: 1.3285, 2015: 1.1095,
        2016: 1.1069, 2017: 1.1297, 2018: 1.1810, 2019: 1.1195, 2020: 1.1422, 2021: 1.1827,
        2022: 1.0530, 2023: 1.0813, 2024: 1.0824,
    },
    "USD": {2010: 1.0},
}  # fmt: skip


def to_usd(value: pl.Expr, currency: str, year: pl.Expr) -> pl.Expr:
    """Return a value in ``currency`` converted to US dollars at the yearly average rate of ``year``."""
    rates = USD_PER_UNIT[currency]
    first, last = min(rates), max(rates)
    clipped = year.clip(first, last)
    rate = clipped.replace_strict(list(rates), list(rates.values()), default=None, return_dtype=pl.Float64)
    return value * rate.fill_null(rates[last])
