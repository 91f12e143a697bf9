"""The Spark tests' shared session: one real ``local[2]`` session for the whole run, started once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """Yield a local Spark session with Arrow batches of 2,000 rows, so batch boundaries fall inside the ledgers."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")
    from screening.spark import spark_session  # noqa: PLC0415 - only with the extra

    session = spark_session("local[2]", {"spark.sql.execution.arrow.maxRecordsPerBatch": "2000"})
    yield session
    session.stop()
