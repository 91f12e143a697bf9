"""The Spark engine against the polars engine on the same files: same hits, quarantine, notes and run record.

One real ``local[2]`` session for the run (conftest); Arrow batches of 2,000 rows, so Spark's batch and
partition boundaries fall where the single-machine scan's do not (ids repeated across them too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from screening import lists, scan
from screening.errors import InputError
from screening.pipeline import ScanResult
from screening.store import Store, open_store
from screening.synth import generate_ledger, plant_cases, write_planted

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")

from pyspark.sql import SparkSession

from screening.spark import scan_spark

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"
# (ledger row, column, raw value): bad values, repeated ids (one repeat in a later Spark batch), a huge field
BAD_CELLS = [
    (4, "date", "31/31/2023"),
    (5, "value", "abc"),
    (6, "destination_country", "Narnia"),
    (7, "record_id", "TX000000003"),
    (8, "record_id", "TX000000003"),
    (2500, "record_id", "TX000000002"),
    (9, "shipper", "x" * 5000),
    (10, "value", "-5"),
    (11, "hs_code", "85A2"),
]


def _listed_names(count: int) -> list[str]:
    """Return primary names of sample-list entities, some written in another case or word order."""
    frame = lists.watchlist_from_import(lists.sample_watchlist())
    names = frame.filter(pl.col("name_type") == "primary").sort("name")["name"].gather_every(60).head(count)
    spelled: dict[int, Callable[[str], str]] = {0: str, 1: str.lower, 2: lambda n: " ".join(reversed(n.split()))}
    return [spelled[i % 3](name) for i, name in enumerate(names)]


def _ledger(rows: int) -> pl.DataFrame:
    """Return a synthetic ledger as text columns, with listed consignees planted and bad cells set."""
    ledger = generate_ledger(rows, seed=11).records.cast(pl.String)
    names = _listed_names(6)
    row = pl.int_range(pl.len())
    planted = pl.col("consignee")
    for number, name in enumerate(names):
        planted = pl.when(row == 40 + 97 * number).then(pl.lit(name)).otherwise(planted)
    ledger = ledger.with_columns(planted.alias("consignee"))
    for at, column, value in BAD_CELLS:
        ledger = ledger.with_columns(pl.when(row == at).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))
    return ledger


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Write the test inputs: a ledger, planted cases, flows and ownership, bad rows, a partitioned folder."""
    folder = tmp_path_factory.mktemp("spark_inputs")
    ledger = _ledger(3000)
    ledger.write_parquet(folder / "ledger.parquet", row_group_size=1000)
    planted = plant_cases(seed=5)
    paths = write_planted(planted, folder)
    planted.transactions.write_parquet(folder / "planted.parquet")
    dataset = folder / "dataset"
    parts = []
    for region, chunk in (("EU", ledger.slice(0, 1200)), ("AS", ledger.slice(1200, 1800))):
        (dataset / f"region={region}").mkdir(parents=True)
        chunk.write_parquet(dataset / f"region={region}" / "part-0.parquet", row_group_size=500)
        parts.append(dataset / f"region={region}" / "part-0.parquet")
    return {
        "mixed": [folder / "ledger.parquet", folder / "planted.parquet", paths["ownership"], FIXTURES / "bad_rows.csv"],
        "folder": [dataset],
        "folder_files": sorted(parts),
    }


def _assert_same_hits(polars_hits: pl.DataFrame, spark_hits: pl.DataFrame) -> None:
    """Assert the same hits in the same order: every column equal, scores within 1e-9."""
    assert spark_hits.columns == polars_hits.columns
    assert spark_hits.height == polars_hits.height
    exact = [c for c in polars_hits.columns if c != "score"]
    assert spark_hits.select(exact).equals(polars_hits.select(exact))
    gap = (spark_hits["score"] - polars_hits["score"]).abs().max()
    assert gap is not None and float(gap) <= 1e-9  # type: ignore[arg-type]


@dataclass(frozen=True)
class Runs:
    """Both engines' results on the same inputs, with the Spark run's output folder and store."""

    polars: ScanResult
    spark: ScanResult
    out: Path
    store: Store


@pytest.fixture(scope="module")
def mixed(spark: SparkSession, inputs: dict[str, list[Path]], tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Run both engines on the mixed inputs; the Spark run writes its outputs and keeps a store."""
    out, store = tmp_path_factory.mktemp("spark_out"), open_store(":memory:")
    spark_run = scan_spark(inputs["mixed"], spark=spark, out=out, store=store, partitions=3)
    return Runs(scan(inputs["mixed"]), spark_run, out, store)


def test_hits_are_identical(mixed: Runs) -> None:
    polars_run, spark_run = mixed.polars, mixed.spark
    rules = set(polars_run.hits["rule_id"])
    assert {"NAME-001", "GOODS-001", "DEST-001", "OWN-001", "PAY-001", "ROUTE-001", "ENTITY-004"} <= rules
    assert polars_run.hits.filter(pl.col("rule_id") == "NAME-001").height >= 4  # the planted listed consignees
    assert spark_run.run_id == polars_run.run_id
    _assert_same_hits(polars_run.hits, spark_run.hits)


@pytest.mark.parametrize(
    ("file", "line", "reason"),
    [
        ("ledger.parquet", 9, "duplicate record id 'TX000000003' (first on line 3)"),
        ("ledger.parquet", 2501, "duplicate record id 'TX000000002' (first on line 2)"),
        ("ledger.parquet", 10, "column shipper: field of 5000 characters exceeds 4,096"),
        ("bad_rows.csv", 8, "unterminated quote"),
        ("bad_rows.csv", 13, "duplicate record id 'T6' (first on line 9)"),
    ],
)
def test_quarantine_is_identical(mixed: Runs, file: str, line: int, reason: str) -> None:
    polars_run, spark_run = mixed.polars, mixed.spark
    assert spark_run.quarantine.equals(polars_run.quarantine)
    row = spark_run.quarantine.filter(pl.col("source_file").str.ends_with(file) & (pl.col("line") == line))
    assert row["reason"].to_list() == [reason]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (5, "date", "column date: '31/31/2023' is not a date"),
        (6, "value", "column value: 'abc' is not a number"),
        (7, "destination_country", "column destination_country: 'Narnia' is not a known country"),
        (11, "value", "column value: -5 is negative"),
        (12, "hs_code", "column hs_code: '85A2' is not an HS code"),
    ],
)
def test_notes_are_identical(mixed: Runs, line: int, column: str, reason: str) -> None:
    polars_notes, spark_notes = mixed.polars.notes_rows(), mixed.spark.notes_rows()
    assert spark_notes.equals(polars_notes)
    row = spark_notes.filter(pl.col("source_file").str.ends_with("ledger.parquet") & (pl.col("line") == line))
    assert row.select("column", "reason").rows() == [(column, reason)]


def test_file_stats_store_and_outputs(mixed: Runs) -> None:
    polars_run, spark_run, store = mixed.polars, mixed.spark, mixed.store
    assert [vars(f) for f in spark_run.files] == [vars(f) for f in polars_run.files]
    assert spark_run.quarantined == polars_run.quarantined > 5
    assert spark_run.noted == polars_run.noted > 5
    written = pl.read_parquet(mixed.out / "hits.parquet")
    assert written.equals(spark_run.hits)
    runs = store.frame("SELECT run_id, command, counts FROM runs")
    assert runs["run_id"].to_list() == [spark_run.run_id]
    assert runs["command"].to_list() == ["scan --engine spark"]
    stored = {
        table: store.frame(f"SELECT count(*) AS n FROM {table} WHERE run_id = ?", [spark_run.run_id])["n"][0]
        for table in ("transactions", "ownership_records")
    }
    # the small inputs are stored; the transactions stay in the staged Parquet (docs/spark.md)
    assert stored["transactions"] == 0 < sum(f.stored for f in spark_run.files if f.kind == "transactions")
    assert stored["ownership_records"] == sum(f.stored for f in spark_run.files if f.kind == "ownership") > 0


def test_partitioned_folder_matches_its_files(spark: SparkSession, inputs: dict[str, list[Path]]) -> None:
    polars_run = scan(inputs["folder_files"])
    spark_run = scan_spark(inputs["folder"], spark=spark)
    assert spark_run.rows_read == polars_run.rows_read == 3000
    assert spark_run.quarantine.equals(polars_run.quarantine) and spark_run.quarantined > 0
    keep = [c for c in polars_run.hits.columns if c != "run_id"]  # the folder's digest differs from its files'
    assert polars_run.hits.height > 0
    _assert_same_hits(polars_run.hits.select(keep), spark_run.hits.select(keep))


def _not_parquet(folder: Path) -> Path:
    path = folder / "garbage.parquet"
    path.write_bytes(b"PAR1 this is not a parquet file")
    return path


def _nothing_maps(folder: Path) -> Path:
    path = folder / "nothing.parquet"
    pl.DataFrame({"foo": ["1"], "bar": ["2"]}).write_parquet(path)
    return path


def _missing(folder: Path) -> Path:
    return folder / "missing.parquet"


def _parties_without_name(folder: Path) -> Path:
    path = folder / "parties.parquet"
    pl.DataFrame({"entity_schema": ["Person"], "birth_date": ["1970"]}).write_parquet(path)
    return path


def _corrupt(folder: Path) -> Path:
    return FIXTURES / "corrupt.parquet"


@pytest.mark.parametrize("make", [_not_parquet, _nothing_maps, _missing, _parties_without_name, _corrupt])
def test_bad_files_fail_with_the_same_message(
    spark: SparkSession, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    with pytest.raises(InputError) as on_one_machine:
        scan([path])
    with pytest.raises(InputError) as on_spark:
        scan_spark([path], spark=spark)
    assert str(on_spark.value) == str(on_one_machine.value)
    assert str(path) in str(on_spark.value)


def test_scan_command_runs_on_spark(spark: SparkSession, inputs: dict[str, list[Path]], tmp_path: Path) -> None:
    from screening.cli import main  # noqa: PLC0415

    ledger = inputs["mixed"][0]
    out = tmp_path / "out"
    code = main(["--db", ":memory:", "scan", str(ledger), "--engine", "spark", "--quiet", "--out", str(out)])
    assert code == 0
    spark_hits = pl.read_json(out / "hits.json")
    polars_run = scan([ledger])
    assert spark_hits.height == polars_run.hits.height
    assert sorted(spark_hits["hit_id"].to_list()) == sorted(polars_run.hits["hit_id"].to_list())
