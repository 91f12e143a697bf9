"""The entity red flags' reads on Spark against the store's: the same frames, and the same ENTITY hits end to end.

One real ``local[2]`` session for the run (conftest). The ledger is a synthetic one plus the planted cases
(every ENTITY rule fires) plus two small files of ties and nulls: records of one contact on the same
day, one record id in both files, undated records, bank texts that are not bare BICs, and repeats
whose values differ below a cent.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.engine import evaluate_run
from screening.kinds.base import ScanContext, run_records
from screening.kinds.redflag_reads import (
    chpl_records,
    contact_records,
    first_seen,
    hub_other_goods,
    late_candidates,
    onward_counts,
)
from screening.pipeline import ScanResult
from screening.rules import RuleSet, default_rules_dir, load_rules
from screening.schema import TRANSACTION_COLUMNS
from screening.store import Store, open_store
from screening.synth import generate_ledger, plant_cases, write_planted
from screening.trade.redflags import HUBS, ONWARD, SINCE

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")

from pyspark.sql import DataFrame, SparkSession

from screening.spark import scan_spark
from screening.spark.arrow import spark_schema
from screening.spark.tables import SparkTables

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

COLUMNS = (
    "record_id", "date", "hs_code", "shipper", "shipper_country", "consignee", "consignee_country",
    "destination_country", "beneficiary", "beneficiary_bank", "originator_bank", "address", "phone", "value",
    "quantity", "currency",
)  # fmt: skip
# Ties and nulls, in two files: the first record of a contact is T0 of odd_a.csv (same day as T1,
# same record id and day as T0 of odd_b.csv); undated records come last; " SABR RUMM" and
# "sabrrumm" are not bare BICs (kept by the bank filter), "DEUTDEFF" is German (dropped).
ODD_A = [
    ("T1", "2023-01-05", "854231", "Shenzhen Kaida Co Ltd", "CN", "Tie Trade LLC", "KG", "", "", "", "", "Same St 1",
     "", "5000", "10", "USD"),
    ("T0", "2023-01-05", "854231", "Shenzhen Kaida Co Ltd", "CN", "Tie Trade LLC", "KG", "", "", "", "", "Same St 1",
     "", "5000", "10", "USD"),
    ("T2", "", "854231", "Shenzhen Kaida Co Ltd", "CN", "Tie Trade LLC", "DE", "", "", "", "", "Same St 1", "",
     "5000", "10", "USD"),
    ("N1", "", "691110", "Shenzhen Kaida Co Ltd", "CN", "Undated Trade LLC", "", "", "", "kicbkg22", "",
     "Nowhere 2", "+996 555 000 111", "100", "", "USD"),
    ("N2", "", "691110", "Shenzhen Kaida Co Ltd", "CN", "Undated Trade LLC", "", "", "", "KICB KG22", "",
     "Nowhere 2", "+996 555 000 111", "100", "", "USD"),
    ("P1", "2022-06-01", "854231", "Berlin Teile GmbH", "DE", "", "", "", "Altyn Pay LLC", "KICBKG22", " SABR RUMM",
     "", "", "700", "", "CNY"),
    ("P2", "2019-02-01", "691110", "Berlin Teile GmbH", "DE", "", "", "", "Altyn Pay LLC", "KICBKG22", "sabrrumm",
     "", "", "700", "", "USD"),
    ("P3", "2022-05-01", "691110", "Berlin Teile GmbH", "DE", "", "", "", "Altyn Pay LLC", "KICBKG22", "DEUTDEFF",
     "", "", "700", "", "USD"),
    ("S1", "2022-07-01", "8542", "Altyn Pay", "KG", "Omsk Pribor OOO", "", "RU", "", "", "", "", "", "900", "",
     "USD"),
    ("S2", "", "8542", "Altyn Pay", "KG", "Minsk Pribor OAO", "BY", "", "", "", "", "", "", "900", "", "USD"),
    ("L1", "2023-06-01", "848210", "Repeat Lager GmbH", "DE", "Dubai Parts FZE", "AE", "", "", "", "", "", "",
     "1000.004", "", "EUR"),
]  # fmt: skip
ODD_B = [
    ("T0", "2023-01-05", "854231", "Shenzhen Kaida Co Ltd", "CN", "Tie Trade LLC", "KG", "", "", "", "", "Same St 1",
     "", "5000", "10", "USD"),
    ("L1", "2023-06-03", "848210", "Repeat Lager GmbH", "DE", "Kazan Podshipnik OOO", "RU", "", "", "", "", "", "",
     "1000.0049", "", "EUR"),
]  # fmt: skip


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Write the inputs: a synthetic ledger, the planted cases and the two files of ties and nulls."""
    folder = tmp_path_factory.mktemp("redflag_inputs")
    generate_ledger(2000, seed=11).records.cast(pl.String).write_parquet(folder / "ledger.parquet")
    planted = write_planted(plant_cases(seed=5), folder)["transactions"]
    odd = []
    for name, rows in (("odd_a.csv", ODD_A), ("odd_b.csv", ODD_B)):
        pl.DataFrame(rows, schema=list(COLUMNS), orient="row").write_csv(folder / name)
        odd.append(folder / name)
    return [folder / "ledger.parquet", planted, *odd]


@dataclass(frozen=True)
class Stored:
    """One polars scan of the inputs: its store and run, and the run's transactions as a Spark frame."""

    store: Store
    run: ScanResult
    records: DataFrame


@pytest.fixture(scope="module")
def stored(spark: SparkSession, inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Stored:
    """Scan the inputs on one machine into a store; give Spark the same stored transactions."""
    store = open_store(":memory:")
    run = scan(inputs, store=store, rules=_entity_rules(tmp_path_factory.mktemp("entity_rules")))
    records = run_records(ScanContext("transactions", store, run_id=run.run_id), "transactions")
    path = tmp_path_factory.mktemp("records") / "records.parquet"
    records.write_parquet(path)
    return Stored(store, run, spark.read.schema(spark_schema(TRANSACTION_COLUMNS)).parquet(str(path)))


def _entity_rules(folder: Path) -> RuleSet:
    """Return the rule set of the ENTITY rules only."""
    for path in default_rules_dir().glob("ENTITY-*.yaml"):
        shutil.copy(path, folder / path.name)
    return load_rules(folder)


Read = Callable[[ScanContext], pl.DataFrame]
# (name, read, fewest rows the answer must have)
READS: list[tuple[str, Read, int]] = [
    ("chpl records", chpl_records, 20),
    ("first seen", lambda c: first_seen(c)[0], 50),
    ("run start", lambda c: pl.DataFrame({"start": [first_seen(c)[1]]}, schema={"start": pl.Date()}), 1),
    ("hub other goods", lambda c: hub_other_goods(c, SINCE, list(HUBS)), 5),
    ("hub other goods KG 2020", lambda c: hub_other_goods(c, date(2020, 1, 1), ["KG"]), 2),
    ("hub other goods no hubs", lambda c: hub_other_goods(c, SINCE, []), 0),
    ("shipments", lambda c: onward_counts(c, list(ONWARD), ["RU", "BY"])[0], 2),
    ("payments", lambda c: onward_counts(c, list(ONWARD), ["RU", "BY"])[1], 2),
    ("shipments BY, quoted banks", lambda c: onward_counts(c, ["BY"], ["O'K", "A\\B"])[0], 1),
    ("payments quoted banks", lambda c: onward_counts(c, ["BY"], ["O'K", "A\\B"])[1], 2),
    ("contacts", lambda c: contact_records(c, list(HUBS)), 10),
    ("contacts no hubs", lambda c: contact_records(c, []), 10),
    ("late candidates", late_candidates, 4),
]


def _contexts(spark: SparkSession, stored: Stored) -> tuple[ScanContext, ScanContext]:
    """Return a context reading the store, and one whose reads Spark answers over the same records."""
    duck = ScanContext("transactions", stored.store, run_id=stored.run.run_id)
    on_spark = ScanContext(
        "transactions", stored.store, run_id=stored.run.run_id, tables=SparkTables(spark, stored.records)
    )
    return duck, on_spark


@pytest.mark.parametrize(("name", "read", "fewest"), READS, ids=[r[0] for r in READS])
def test_spark_read_equals_store_read(spark: SparkSession, stored: Stored, name: str, read: Read, fewest: int) -> None:
    duck, on_spark = _contexts(spark, stored)
    expected, got = read(duck), read(on_spark)
    assert expected.height >= fewest, name
    assert got.schema == expected.schema, name
    assert got.equals(expected), name


@pytest.mark.parametrize(
    ("consignee", "record_ids", "files"),
    [
        ("Tie Trade LLC", ["T0"], ["odd_a.csv"]),  # same day as T1, same id and day as odd_b.csv's T0; T2 undated
        ("Undated Trade LLC", ["N1"], ["odd_a.csv"]),  # no dates at all: the smaller record id
    ],
)
def test_first_contact_record_breaks_ties(
    spark: SparkSession, stored: Stored, consignee: str, record_ids: list[str], files: list[str]
) -> None:
    for ctx in _contexts(spark, stored):
        rows = contact_records(ctx, list(HUBS)).filter(pl.col("consignee") == consignee)
        assert sorted(set(rows["record_id"])) == record_ids
        assert sorted({Path(f).name for f in rows["source_file"]}) == files


def test_late_candidates_hold_the_repeats(spark: SparkSession, stored: Stored) -> None:
    found = late_candidates(_contexts(spark, stored)[1])
    assert sorted(found.filter(pl.col("shipper") == "Repeat Lager GmbH")["record_id"]) == ["L1", "L1"]
    assert found["value"].is_not_null().all() and found["hs6"].is_not_null().all()


def test_entity_hits_match_the_polars_engine(
    spark: SparkSession, inputs: list[Path], stored: Stored, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rules = _entity_rules(tmp_path_factory.mktemp("entity_rules_spark"))
    on_spark = scan_spark(inputs, spark=spark, rules=rules)
    expected, got = stored.run.hits, on_spark.hits
    assert {f"ENTITY-00{n}" for n in range(1, 8)} <= set(expected["rule_id"])
    assert got.columns == expected.columns and got.height == expected.height
    exact = [c for c in expected.columns if c != "score"]
    assert got.select(exact).equals(expected.select(exact))
    gap = (got["score"] - expected["score"]).abs().max()
    assert gap is not None and float(gap) <= 1e-9  # type: ignore[arg-type]
    assert not spark.catalog.tableExists("screening_transactions")  # dropped with the staged files


def test_spark_reads_alone_give_the_entity_hits(
    spark: SparkSession, stored: Stored, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # no store at all: every transaction the rules see comes through Spark (the inputs hold no party records)
    rules = _entity_rules(tmp_path_factory.mktemp("entity_rules_alone"))
    ctx = ScanContext("transactions", None, run_id=stored.run.run_id, tables=SparkTables(spark, stored.records))
    got = evaluate_run(rules, ctx).drop("score")
    expected = stored.run.hits.filter(pl.col("rule_id").str.starts_with("ENTITY-")).drop("score")
    assert expected.height >= 7
    assert got.equals(expected.select(got.columns))
