"""Screening on Apache Spark: the same rules, with results identical to the polars engine.

``scan_spark(inputs, rules=..., spark=..., out=..., partitions=..., store=...)`` has the meaning of
:func:`screening.scan` and returns the same :class:`screening.pipeline.ScanResult`. Ingestion and the
row-level rules run in ``mapInArrow`` with the project's own polars code; the corridor legs and the
entity red flags' party aggregations run as Spark SQL over a view of the staged transactions; the
other run-level rules run on the driver over a DuckDB store loaded from the staged Parquet.
``python -m screening.spark`` (or
:func:`main`) is the entry point for ``spark-submit``. Needs the ``spark`` extra (PySpark 4, Java 17).

The names below load on first use: a worker unpickling :mod:`screening.spark.executor` imports the
package, and must not pay for the driver, its command line or the reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from screening.spark.cli import main
    from screening.spark.engine import scan_spark
    from screening.spark.session import configure, spark_session

__all__ = ["configure", "main", "scan_spark", "spark_session"]
_HOMES: Final = {"configure": "session", "main": "cli", "scan_spark": "engine", "spark_session": "session"}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module 'screening.spark' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"screening.spark.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
