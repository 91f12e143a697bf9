"""The corridor legs of a run's transactions: one query for every engine, values summed in US dollars."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from screening.ingest.rates import USD_PER_UNIT, usd_rates
from screening.kinds.base import ScanContext
from screening.kinds.corridors import corridor_legs, corridor_surge, mirror_gap
from screening.schema import TRANSACTION_COLUMNS
from screening.store import Store, open_store
from screening.trade.corridors import LEG_KEYS, LEGS, legs_from_transactions

RUN = "run-legs"
# currency, date, value as declared, value expected in the legs (None: left out of the sums)
CURRENCIES: list[tuple[str | None, date, float, float | None]] = [
    ("USD", date(2023, 3, 1), 1000.0, 1000.0),
    (None, date(2023, 3, 1), 500.0, 500.0),  # no currency: taken as declared, in dollars
    ("EUR", date(2023, 3, 1), 1000.0, 1000.0 * USD_PER_UNIT["EUR"][2023]),
    ("EUR", date(2030, 3, 1), 1000.0, 1000.0 * USD_PER_UNIT["EUR"][2024]),  # past the table: the nearest year
    ("CNY", date(2019, 6, 1), 7000.0, 7000.0 * USD_PER_UNIT["CNY"][2019]),
    ("RUB", date(2021, 6, 1), 73000.0, 73000.0 * USD_PER_UNIT["RUB"][2021]),
    ("RUB", date(2023, 6, 1), 73000.0, None),  # no ECB quote after March 2022
    ("AED", date(2023, 3, 1), 3672.5, 3672.5 / 3.6725),
    ("KZT", date(2023, 3, 1), 450000.0, None),  # no rate at all
]


def ledger() -> pl.DataFrame:
    """Return one record per currency case, each on a route of its own (origin = the case's number)."""
    rows = [
        {"record_id": f"T{i}", "source_file": "tx.csv", "line": i + 2, "date": day, "currency": currency,
         "value": value, "shipper_country": "CN", "consignee_country": f"{chr(65 + i)}Z", "hs_code": "854231",
         "hs6": "854231"}
        for i, (currency, day, value, _) in enumerate(CURRENCIES)
    ]  # fmt: skip
    frame = pl.DataFrame(rows)
    return frame.select([pl.col(c).cast(TRANSACTION_COLUMNS[c]) for c in frame.columns])


def expected() -> dict[str, float]:
    """Return the value each priced case's leg must have, by destination."""
    return {f"{chr(65 + i)}Z": usd for i, (*_, usd) in enumerate(CURRENCIES) if usd is not None}


@pytest.fixture(scope="module")
def store() -> Store:
    """Return a store holding the ledger under the run."""
    db = open_store(":memory:")
    db.append("transactions", ledger().with_columns(pl.lit(RUN).alias("run_id")))
    return db


def in_order(legs: pl.DataFrame) -> pl.DataFrame:
    """Return legs with the LEGS types in key order."""
    return legs.select([pl.col(c).cast(t) for c, t in LEGS.items()]).sort(list(LEG_KEYS))


def test_legs_in_the_store_are_summed_in_dollars(store: Store) -> None:
    legs = corridor_legs(ScanContext("transactions", store, run_id=RUN)).collect()
    assert dict(zip(legs["destination"], legs["value"], strict=True)) == pytest.approx(expected(), rel=1e-9)


def test_the_polars_twin_gives_the_stores_legs(store: Store) -> None:
    duck = in_order(corridor_legs(ScanContext("transactions", store, run_id=RUN)).collect())
    twin = in_order(legs_from_transactions(ledger().lazy(), usd_rates().lazy()).collect())
    assert twin.drop("value").equals(duck.drop("value"))
    assert twin["value"].to_list() == pytest.approx(duck["value"].to_list(), rel=1e-9)


def test_records_without_a_rate_are_noted_once_per_file_and_currency() -> None:
    store = open_store(":memory:")
    store.append("transactions", ledger().with_columns(pl.lit(RUN).alias("run_id")))
    ctx = ScanContext("transactions", store, run_id=RUN)
    corridor_legs(ctx)  # a report's read of the legs writes no note
    for rule in (corridor_surge(), mirror_gap()):  # the run's corridor rules note once
        rule.run(ctx)
    notes = store.frame("SELECT value, line, reason FROM notes WHERE run_id = ? ORDER BY value", [RUN])
    assert notes["value"].to_list() == ["KZT", "RUB"]
    assert notes["line"].to_list() == [10, 8]
    assert all("1 records left out of corridor sums" in r for r in notes["reason"])
