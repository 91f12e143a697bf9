"""A Spark session set up for screening: Arrow with large string types, UTC, the venv's Python.

The settings every screening job needs are runtime SQL settings, so :func:`configure` also applies
them to a session someone else built (a Databricks notebook's ``spark``):

- ``spark.sql.execution.arrow.useLargeVarTypes=true``: strings cross as ``large_string``, which is
  what polars ``to_arrow()`` gives (Spark rejects the ``string_view`` that ``pa.table(df)`` gives);
- ``spark.sql.execution.arrow.maxRecordsPerBatch``: rows per Arrow batch handed to polars;
- ``spark.sql.session.timeZone=UTC``: timestamps reach polars as pyarrow reads them on one machine;
- ``spark.sql.sources.partitionColumnTypeInference.enabled=false``: partition columns of a
  ``key=value`` dataset stay text and go through the same coercion as any other column.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Mapping
from typing import Final

from pyspark.sql import SparkSession

BATCH_ROWS: Final = 100_000
SETTINGS: Final[dict[str, str]] = {
    "spark.sql.execution.arrow.useLargeVarTypes": "true",
    "spark.sql.execution.arrow.maxRecordsPerBatch": str(BATCH_ROWS),
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}
LOCAL_SETTINGS: Final[dict[str, str]] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.driver.memory": "2g",
}

# PySpark imports pandas even on Arrow-only paths and warns about pandas 3, which it never uses here.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """Return a session (``master`` like ``local[2]``; None keeps what spark-submit set) configured for screening."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers use the driver's venv, not python3 on PATH
    builder = SparkSession.builder.appName("screening")
    if master is not None:
        builder = builder.master(master)
    local = master is not None and master.startswith("local")
    for key, value in {**(LOCAL_SETTINGS if local else {}), **SETTINGS, **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return configure(spark)


def configure(spark: SparkSession) -> SparkSession:
    """Apply the runtime settings screening relies on to a session and return it."""
    for key, value in SETTINGS.items():
        if key == "spark.sql.execution.arrow.maxRecordsPerBatch" and spark.conf.get(key, None) not in (None, "10000"):
            continue  # keep a batch size someone chose on purpose (10,000 is Spark's default)
        spark.conf.set(key, value)
    return spark
