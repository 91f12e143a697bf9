"""The corridor legs on Spark: the one legs query rendered in Spark SQL gives the store's legs, in US dollars."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
import pytest

from screening.kinds.base import ScanContext
from screening.kinds.corridors import corridor_legs
from screening.schema import TRANSACTION_COLUMNS
from screening.store import open_store
from tests.kinds.test_corridor_legs import RUN, expected, in_order, ledger

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def test_spark_legs_equal_the_stores(spark: SparkSession) -> None:
    from screening.spark.arrow import spark_schema  # noqa: PLC0415 - only with the extra
    from screening.spark.tables import SparkTables  # noqa: PLC0415

    records = ledger()
    full = records.select([pl.col(c) if c in records.columns else pl.lit(None, t).alias(c)
                           for c, t in TRANSACTION_COLUMNS.items()])  # fmt: skip
    frame = spark.createDataFrame(full.to_arrow(), spark_schema(TRANSACTION_COLUMNS))
    on_spark = in_order(corridor_legs(ScanContext("transactions", None, tables=SparkTables(spark, frame))).collect())
    store = open_store(":memory:")
    store.append("transactions", records.with_columns(pl.lit(RUN).alias("run_id")))
    in_store = in_order(corridor_legs(ScanContext("transactions", store, run_id=RUN)).collect())
    assert on_spark.drop("value").equals(in_store.drop("value"))
    assert on_spark["value"].to_list() == pytest.approx(in_store["value"].to_list(), rel=1e-9)
    assert dict(zip(on_spark["destination"], on_spark["value"], strict=True)) == pytest.approx(expected(), rel=1e-9)
