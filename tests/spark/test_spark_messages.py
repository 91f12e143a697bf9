"""The Spark engine on a folder of payment messages (pacs.008, MT103/MT202 COV): the same hits as one machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.pipeline import ScanResult
from screening.report.message_refs import REF_COLUMNS, with_refs
from screening.synth.messages import write_ledger_messages

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")

from pyspark.sql import SparkSession

from screening.spark import scan_spark

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

MESSAGES = Path(__file__).parents[2] / "fixtures" / "messages"
# owns the ultimate debtor of the fixture's first pacs.008 payment, so OWN-001 reads a message role on Spark too
OWNERS = "owner,owned,share\nGennady Timchenko,Nordtech Holding AG,60 %\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Return a folder of message files (hand-written and synthetic, both formats) and an ownership file."""
    root = tmp_path_factory.mktemp("messages")
    folder = root / "payments"
    folder.mkdir()
    for name in ("pacs008.xml", "mt103.fin"):
        shutil.copy(MESSAGES / name, folder / name)
    for file_format in ("pacs008", "mt103"):
        written, _ = write_ledger_messages(1_000, 7, root / file_format, file_format)
        shutil.move(written, folder / f"synth_{written.name}")
    (folder / "README.txt").write_text("not a message", encoding="utf-8")  # skipped on both engines
    owners = root / "owners.csv"
    owners.write_text(OWNERS, encoding="utf-8")
    return [folder, owners]


@pytest.fixture(scope="module")
def runs(spark: SparkSession, inputs: list[Path]) -> tuple[ScanResult, ScanResult]:
    """Return one machine's and Spark's runs over the inputs."""
    return scan(inputs), scan_spark(inputs, spark=spark, partitions=2)


def test_spark_reads_a_folder_of_messages_with_the_same_hits(runs: tuple[ScanResult, ScanResult]) -> None:
    one, on_spark = runs
    assert [vars(f) for f in on_spark.files] == [vars(f) for f in one.files]
    assert [s.path for s in on_spark.skipped] == [s.path for s in one.skipped]
    expected, found = one.hits, on_spark.hits
    assert {"NAME-001", "OWN-001", "PAY-001", "PAY-002", "PAY-003"} <= set(expected["rule_id"])
    exact = [c for c in expected.columns if c != "score"]
    assert found.select(exact).equals(expected.select(exact))
    assert (found["score"] - expected["score"]).abs().max() <= 1e-9  # type: ignore[operator]
    owned = found.filter(pl.col("rule_id") == "OWN-001")["detail"].to_list()
    assert any(d.startswith("ultimate_debtor: Nordtech Holding AG") for d in owned)


def test_spark_hits_point_at_their_messages(runs: tuple[ScanResult, ScanResult]) -> None:
    refs = [with_refs(r.store, r.run_id, r.hits).select(*REF_COLUMNS) for r in runs]
    assert refs[1].equals(refs[0])
    assert refs[0]["message_id"].drop_nulls().len() > 0
