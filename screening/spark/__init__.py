"""Screening on Apache Spark: the same rules, with results identical to the polars engine.

``scan_spark(inputs, rules=..., spark=..., out=..., partitions=..., store=...)`` has the meaning of
:func:`screening.scan` and returns the same :class:`screening.pipeline.ScanResult`. Ingestion and the
row-level rules run in ``mapInArrow`` with the project's own polars code; the corridor legs and the
entity red flags' party aggregations run as Spark SQL over a view of the staged transactions; the
other run-level rules run on the driver over a DuckDB store loaded from the staged Parquet.
``python -m screening.spark`` (or
:func:`main`) is the entry point for ``spark-submit``. Needs the ``spark`` extra (PySpark 4, Java 17).
"""

from __future__ import annotations

from screening.spark.cli import main
from screening.spark.engine import scan_spark
from screening.spark.session import configure, spark_session

__all__ = ["configure", "main", "scan_spark", "spark_session"]
