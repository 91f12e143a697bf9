"""The payment_chain kind over a real store: this run's payments, the run's watchlist for listed ends."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import screening.kinds.payments as payments_kind
from screening.ingest import iter_batches
from screening.kinds.base import ScanContext
from screening.kinds.payments import payment_chain
from screening.lists import import_list
from screening.network.legs import payment_legs
from screening.network.slices import payment_slices
from screening.store import Store, open_store
from screening.synth.ledger import generate_ledger

RUN = "run-1"
SDN = Path(__file__).parents[2] / "screening" / "data" / "lists" / "us_ofac_sdn_russia_2021-07"


def payment(
    rid: str, payer: str, payer_bank: str, payee: str, payee_bank: str, day: int, value: float
) -> dict[str, Any]:
    """Return one stored transactions row that is a payment in USD."""
    return {
        "record_id": rid,
        "originator": payer,
        "originator_bank": payer_bank,
        "beneficiary": payee,
        "beneficiary_bank": payee_bank,
        "date": date(2023, 4, day),
        "value": value,
        "currency": "USD",
    }


def run(rows: list[dict[str, Any]], lists: Path | None = None, run_id: str = RUN, **params: Any) -> pl.DataFrame:
    """Store the rows under RUN and return the kind's hits for ``run_id``."""
    store = open_store(":memory:")
    if lists is not None:
        import_list(store, lists)
    if rows:
        frame = pl.DataFrame(rows).with_columns(
            run_id=pl.lit(RUN), source_file=pl.lit("pay.csv"), line=pl.int_range(2, len(rows) + 2)
        )
        store.append("transactions", frame)
    return payment_chain(**params).run(ScanContext(record_kind="transactions", store=store, run_id=run_id))


TO_RUSSIA = [
    payment("p1", "Nordtech GmbH", "DEUTDEFFXXX", "Alfa Trade LLC", "KICBKG22XXX", 3, 1_200_000),
    payment("p2", "Alfa Trade LLC", "KICBKG22XXX", "OOO Romashka", "SABRRUMMXXX", 10, 1_100_000),
]
TO_LISTED = [
    payment("p1", "Nordtech GmbH", "DEUTDEFFXXX", "Delta Trade LLP", "HSBKKZKXXXX", 3, 300_000),
    payment("p2", "Delta Trade LLP", "HSBKKZKXXXX", "Concern Almaz-Antey JSC", "Some Bank", 12, 290_000),
]


@pytest.mark.parametrize(
    ("rows", "lists", "score", "piece"),
    [
        (TO_RUSSIA, None, 0.8, "money reaches a Russian party through 1 intermediary in KG"),
        (TO_LISTED, None, 0.9, "money reaches a listed party (Concern Almaz-Antey JSC ~"),  # bundled sample
        (TO_LISTED, SDN, 0.9, "ALMAZ-ANTEY"),  # lists imported into the store
    ],
)
def test_chain_hits(rows: list[dict[str, Any]], lists: Path | None, score: float, piece: str) -> None:
    hits = run(rows, lists)
    assert hits["record_id"].to_list() == ["p1"]
    assert hits["score"][0] == pytest.approx(score)
    assert piece in hits["detail"][0]
    assert (hits["party"][0], hits["source_file"][0], hits["line"][0]) == (rows[0]["beneficiary"], "pay.csv", 2)


def test_two_intermediaries_score_lower() -> None:
    rows = [
        payment("p1", "Nordtech GmbH", "DEUTDEFFXXX", "Beta Components Ltd", "HSBCHKHHXXX", 1, 500_000),
        payment("p2", "Beta Components Ltd", "HSBCHKHHXXX", "Gamma FZE", "EBILAEADXXX", 5, 480_000),
        payment("p3", "Gamma FZE", "EBILAEADXXX", "ООО Ромашка", "SABRRUMMXXX", 9, 470_000),
    ]
    scores = dict(run(rows).select("record_id", "score").iter_rows())
    assert scores == {"p1": pytest.approx(0.8 * 0.85), "p2": pytest.approx(0.8)}
    assert set(run(rows, hops=1)["record_id"]) == {"p2"}


@pytest.mark.parametrize(
    ("rows", "run_id"),
    [([], RUN), (TO_RUSSIA, "another-run"), ([{k: v for k, v in TO_RUSSIA[0].items() if k != "date"}], RUN)],
)
def test_nothing_to_chain(rows: list[dict[str, Any]], run_id: str) -> None:
    hits = run(rows, run_id=run_id)
    assert hits.is_empty()
    assert {"record_id", "score", "detail", "severity", "party", "source_file", "line"} <= set(hits.columns)


@pytest.mark.parametrize(
    ("params", "message"), [({"hops": 4}, "hops"), ({"days": -1}, "days"), ({"min_ratio": 2.0}, "min_ratio")]
)
def test_bad_params_are_refused(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        payment_chain(**params)


Q1_2023 = 2023 * 4  # quarter index: year × 4 + quarter − 1


@pytest.mark.parametrize(
    ("counts", "hops", "budget", "slices"),
    [
        # everything fits: one slice, its horizon two quarters on (two hops of 30 days)
        ({Q1_2023: 5, Q1_2023 + 1: 5}, 2, 100, [("2023-01-01", "2023-06-30", "2023-12-31")]),
        # the first slice takes one quarter and reads the next two; the second fits in what is left
        (
            {Q1_2023: 5, Q1_2023 + 1: 5, Q1_2023 + 2: 5},
            2,
            14,
            [("2023-01-01", "2023-03-31", "2023-09-30"), ("2023-04-01", "2023-09-30", "2024-03-31")],
        ),
        # one hop reaches one quarter on; a quarter over budget is still a slice of its own
        (
            {Q1_2023: 50, Q1_2023 + 4: 5},
            1,
            10,
            [("2023-01-01", "2023-03-31", "2023-06-30"), ("2024-01-01", "2024-03-31", "2024-06-30")],
        ),
        ({}, 2, 10, []),
        # a payment on 9999-12-31, a common "no end" date: the horizon stops at the last date there is
        ({9999 * 4 + 3: 1}, 2, 10, [("9999-10-01", "9999-12-31", "9999-12-31")]),
    ],
)
def test_payment_slices(counts: dict[int, int], hops: int, budget: int, slices: list[tuple[str, str, str]]) -> None:
    found = payment_slices(counts, hops, 30, budget)
    assert [tuple(d.isoformat() for d in s) for s in found] == slices


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Return a store holding a synthetic ledger of few parties, whose payments chain often and across quarters."""
    folder = tmp_path_factory.mktemp("dense")
    generate_ledger(30_000, seed=3, parties=100).records.write_parquet(folder / "ledger.parquet")
    store = open_store(":memory:")
    for batch in iter_batches(folder / "ledger.parquet"):
        store.append("transactions", batch.records.with_columns(run_id=pl.lit(RUN)))
    return store


@pytest.mark.parametrize(("params", "fewest"), [({"min_share": 0.0}, 200), ({"hops": 3, "min_share": 0.2}, 150)])
def test_slices_find_the_chains_of_one_read(
    dense: Store, monkeypatch: pytest.MonkeyPatch, params: dict[str, Any], fewest: int
) -> None:
    whole = payment_chain(**params).run(ScanContext("transactions", dense, run_id=RUN))
    monkeypatch.setattr(payments_kind, "SLICE_ROWS", 1)  # one quarter of starts per slice
    sliced = payment_chain(**params).run(ScanContext("transactions", dense, run_id=RUN))
    assert whole.height >= fewest
    assert sliced.equals(whole)


MESSAGE = {**payment("m1", "D", "DB", "C", "CB", 3, 10.0), "ultimate_debtor": "UD", "ultimate_creditor": "UC"}


@pytest.mark.parametrize(
    ("payers", "payees"),
    [(["D"], ["C"]), (["C"], ["UC"]), (["UD"], ["D"]), (["D", "C", "UD"], ["C", "D", "UC"]), (["UC"], [])],
)
def test_the_payees_screened_are_those_of_the_payment_legs(payers: list[str], payees: list[str]) -> None:
    store = open_store(":memory:")
    store.append("transactions", pl.DataFrame([MESSAGE]).with_columns(run_id=pl.lit(RUN), line=pl.lit(2)))
    ctx = ScanContext(record_kind="transactions", store=store, run_id=RUN)
    legs = payment_legs(pl.DataFrame([MESSAGE]).with_columns(source_file=pl.lit("m.xml"), line=pl.lit(2)))
    assert sorted(legs.filter(pl.col("originator").is_in(payers))["beneficiary"]) == payees
    assert payments_kind.hub_payees(ctx, pl.Series(payers)).to_list() == payees
