"""OWN-001's and PAY-001's reads on Spark against the store's, and a Spark run whose store holds no transactions.

One real ``local[2]`` session for the run (conftest). The inputs are a synthetic ledger, the planted cases
(ownership chains, exposed parties in the ledger, payment chains), the planted flows, a small
counterparty file, and a file of awkward names: quotes and backslashes, Cyrillic and CJK text
(sort order), one name in two columns of one record, and a name only a counterparty carries.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl
import pytest

import screening.kinds.payments as payments_kind
from screening import scan
from screening.kinds import KINDS
from screening.kinds.base import RunCheck, ScanContext, run_records
from screening.kinds.parties import records_naming, run_party_names
from screening.kinds.payments import hub_payees, payment_chain, payment_records, quarter_counts, run_banks
from screening.pipeline import ScanResult
from screening.rules import RuleSet, default_rules_dir, load_rules
from screening.schema import TRANSACTION_COLUMNS
from screening.store import Store, open_store
from screening.synth import generate_ledger, plant_cases, write_planted

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")

from pyspark.sql import DataFrame, SparkSession

from screening.spark import scan_spark
from screening.spark.arrow import spark_schema
from screening.spark.tables import SparkTables

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

EXPOSED = ["Vostok Kompozit LLC", "Sever Promtekh TOO"]
QUOTED = "O'Brien \\ Söhne"
# Awkward names as transactions: originator/beneficiary/date make payments of them.
ODD_COLUMNS = ("record_id", "date", "shipper", "consignee", "originator", "beneficiary", "beneficiary_bank", "value")
ODD = [
    ("Q1", "2023-02-01", QUOTED, "ООО Ромашка", QUOTED, "ООО Ромашка", "SABRRUMM", "100"),
    ("Q2", "2023-02-02", "深圳电子公司", "Sever Promtekh TOO", "深圳电子公司", "Ąžuolas UAB", "KICBKG22", "250.5"),
    ("Q3", "", "Sever Promtekh TOO", "Sever Promtekh TOO", "Sever Promtekh TOO", "", "", "10"),
]  # fmt: skip
FIRST_QUARTER = "date >= DATE '2023-01-01' AND date <= DATE '2023-03-31'"
COUNTERPARTIES = [("C1", "Sever Promtekh TOO", "KZ"), ("C2", "Only Counterparty AG", "CH"), ("C3", QUOTED, "IE")]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Write the inputs: ledger, planted transactions, ownership and flows, counterparties, awkward names."""
    folder = tmp_path_factory.mktemp("network_inputs")
    generate_ledger(2000, seed=11).records.cast(pl.String).write_parquet(folder / "ledger.parquet")
    planted = write_planted(plant_cases(seed=5), folder)
    pl.DataFrame(ODD, schema=list(ODD_COLUMNS), orient="row").write_csv(folder / "odd.csv")
    pl.DataFrame(COUNTERPARTIES, schema=["id", "name", "country"], orient="row").write_csv(folder / "parties.csv")
    return [
        folder / "ledger.parquet",
        planted["transactions"],
        planted["ownership"],
        planted["flows"],
        folder / "odd.csv",
        folder / "parties.csv",
    ]


@dataclass(frozen=True)
class Stored:
    """One polars scan of the inputs, and what Spark reads instead: the transactions and a store without them."""

    store: Store
    run: ScanResult
    records: DataFrame  # the run's stored transactions, as a Spark frame
    small: Store  # the run's parties alone, as a Spark run's store holds them


@pytest.fixture(scope="module")
def stored(spark: SparkSession, inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Stored:
    """Scan the inputs on one machine into a store; give Spark the stored transactions, a second store the parties."""
    store = open_store(":memory:")
    run = scan(inputs, store=store, rules=_network_rules(tmp_path_factory.mktemp("network_rules")))
    ctx = ScanContext("transactions", store, run_id=run.run_id)
    path = tmp_path_factory.mktemp("records") / "records.parquet"
    run_records(ctx, "transactions").write_parquet(path)
    small = open_store(":memory:")
    small.append("parties", run_records(ctx, "parties").with_columns(pl.lit(run.run_id).alias("run_id")))
    return Stored(store, run, spark.read.schema(spark_schema(TRANSACTION_COLUMNS)).parquet(str(path)), small)


def _network_rules(folder: Path) -> RuleSet:
    """Return the rule set of OWN-001 and PAY-001 only."""
    for name in ("OWN-001-fifty-percent-rule.yaml", "PAY-001-payment-chain.yaml"):
        shutil.copy(default_rules_dir() / name, folder / name)
    return load_rules(folder)


def _names(ctx: ScanContext) -> pl.DataFrame:
    """Return the run's distinct party names as a frame."""
    return run_party_names(ctx).to_frame()


def _naming(names: list[str]) -> Callable[[ScanContext], pl.DataFrame]:
    """Return a read of the records naming ``names``."""
    return lambda ctx: records_naming(ctx, pl.Series(names, dtype=pl.String))


Read = Callable[[ScanContext], pl.DataFrame]
# (name, read, fewest rows the answer must have)
READS: list[tuple[str, Read, int]] = [
    ("distinct names", _names, 500),
    ("records naming the exposed", _naming(EXPOSED), 8),
    ("records naming a quoted name", _naming([QUOTED, QUOTED]), 2),
    ("records naming a counterparty only", _naming(["Only Counterparty AG"]), 1),
    ("records naming no one", _naming(["Nobody Known GmbH"]), 0),
    ("records naming nothing", _naming([]), 0),
    ("records naming every name", lambda c: records_naming(c, run_party_names(c)), 10_000),
    ("payments", payment_records, 500),
    (
        "payments of a quarter",
        lambda c: payment_records(c, "date >= DATE '2023-01-01' AND date <= DATE '2023-03-31'"),
        5,
    ),
    ("party banks", run_banks, 50),
    ("payees of a few payers", lambda c: hub_payees(c, pl.Series([QUOTED, "深圳电子公司"])).to_frame(), 2),
    ("payments per quarter", lambda c: pl.DataFrame(sorted(quarter_counts(c).items()), orient="row"), 12),
]


def _contexts(spark: SparkSession, stored: Stored) -> tuple[ScanContext, ScanContext]:
    """Return a context reading the store, and one reading the transactions on Spark and the parties alone."""
    duck = ScanContext("transactions", stored.store, run_id=stored.run.run_id)
    tables = SparkTables(spark, stored.records)
    return duck, ScanContext("transactions", stored.small, run_id=stored.run.run_id, tables=tables)


@pytest.mark.parametrize(("name", "read", "fewest"), READS, ids=[r[0] for r in READS])
def test_spark_read_equals_store_read(spark: SparkSession, stored: Stored, name: str, read: Read, fewest: int) -> None:
    duck, on_spark = _contexts(spark, stored)
    expected, got = read(duck), read(on_spark)
    assert expected.height >= fewest, name
    assert got.schema == expected.schema, name
    assert got.equals(expected), name


@pytest.mark.parametrize(
    ("names", "places"),
    [
        (["Sever Promtekh TOO"], {("Q2", "consignee"), ("Q3", "shipper"), ("C1", "name")}),
        ([QUOTED], {("Q1", "shipper"), ("C3", "name")}),
    ],
)
def test_records_naming_finds_each_record_once(
    spark: SparkSession, stored: Stored, names: list[str], places: set[tuple[str, str]]
) -> None:
    # a record naming a party in several columns is one row; counterparties come from the store
    for ctx in _contexts(spark, stored):
        found = records_naming(ctx, pl.Series(names))
        odd = found.filter(pl.col("source_file").str.contains(r"/(odd|parties)\.csv$"))
        assert set(odd["record_id"]) == {r for r, _ in places}
        assert odd.height == len(places)


@pytest.mark.parametrize("slice_rows", [payments_kind.SLICE_ROWS, 1])
def test_spark_searches_payment_slices_as_the_store_does(
    spark: SparkSession, stored: Stored, monkeypatch: pytest.MonkeyPatch, slice_rows: int
) -> None:
    # one slice, or one quarter of starts per slice: each slice is searched on a worker
    monkeypatch.setattr(payments_kind, "SLICE_ROWS", slice_rows)
    duck, on_spark = _contexts(spark, stored)
    expected = payment_chain(min_share=0.0).run(duck)
    assert expected.height >= 3
    assert payment_chain(min_share=0.0).run(on_spark).equals(expected)


def test_every_run_level_kind_reads_through_spark() -> None:
    kinds = {rule.kind for rule in load_rules().rules if isinstance(rule.check, RunCheck)}
    assert {"ownership_exposure", "payment_chain"} <= kinds
    assert all("transactions" in KINDS[kind].engine_reads for kind in kinds)


def _count(store: Store, table: str, run_id: str) -> int:
    """Return the rows of a table stored for a run."""
    return int(store.frame(f"SELECT count(*) AS n FROM {table} WHERE run_id = ?", [run_id])["n"][0])


def _stored_by_kind(run: ScanResult) -> dict[str, int]:
    """Return the rows the run's inputs stored, by record kind (from the staging counts)."""
    totals: dict[str, int] = {}
    for stats in run.files:
        totals[stats.kind] = totals.get(stats.kind, 0) + stats.stored
    return totals


@pytest.mark.parametrize(
    ("kind", "stores_transactions"),
    [
        (None, False),  # the bundled kinds: every read of the transactions runs on Spark
        ("custom_payment_chain", True),  # a run-level kind Spark does not know reads the store: loaded for it
    ],
)
def test_spark_run_gives_the_network_hits(
    spark: SparkSession,
    inputs: list[Path],
    stored: Stored,
    tmp_path_factory: pytest.TempPathFactory,
    kind: str | None,
    stores_transactions: bool,
) -> None:
    rules = _network_rules(tmp_path_factory.mktemp("network_rules_spark"))
    if kind is not None:
        rules = replace(rules, rules=tuple(replace(r, kind=kind) if r.id == "PAY-001" else r for r in rules.rules))
    store = open_store(":memory:")
    got = scan_spark(inputs, spark=spark, rules=rules, store=store)
    expected = stored.run.hits
    assert {"OWN-001", "PAY-001"} <= set(expected["rule_id"])
    assert got.hits.drop("score").equals(expected.drop("score"))
    gap = (got.hits["score"] - expected["score"]).abs().max()
    assert gap is not None and float(gap) <= 1e-9  # type: ignore[arg-type]
    assert [vars(f) for f in got.files] == [vars(f) for f in stored.run.files]
    stored_rows = _stored_by_kind(got)
    assert stored_rows["transactions"] > 2000 and stored_rows["parties"] == 3
    tables = {"transactions": "transactions", "parties": "parties", "ownership": "ownership_records", "flows": "flows"}
    expect = {k: (n if k != "transactions" or stores_transactions else 0) for k, n in stored_rows.items()}
    assert {k: _count(store, tables[k], got.run_id) for k in stored_rows} == expect
    assert not spark.catalog.tableExists("screening_transactions")
