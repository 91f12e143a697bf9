"""Frames across the Spark/Arrow boundary: canonical polars dtypes as Spark and Arrow schemas.

Spark reads the Arrow batches a ``mapInArrow`` function yields against the declared schema, so
every batch is cast to exactly that schema: ``large_string`` for text (polars ``to_arrow()`` gives
it; ``pa.table(df)`` can give ``string_view``, which Spark rejects), ``int64``, ``float64``,
``date32``, ``bool``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

import polars as pl
import pyarrow as pa
from pyspark.sql import types as st

_ARROW: Final[dict[type[pl.DataType], pa.DataType]] = {
    pl.String: pa.large_string(),
    pl.Int64: pa.int64(),
    pl.Float64: pa.float64(),
    pl.Date: pa.date32(),
    pl.Boolean: pa.bool_(),
}
_SPARK: Final[dict[type[pl.DataType], st.DataType]] = {
    pl.String: st.StringType(),
    pl.Int64: st.LongType(),
    pl.Float64: st.DoubleType(),
    pl.Date: st.DateType(),
    pl.Boolean: st.BooleanType(),
}


def arrow_schema(columns: Mapping[str, pl.DataType]) -> pa.Schema:
    """Return the Arrow schema Spark expects for canonical columns."""
    return pa.schema([pa.field(name, _ARROW[type(dtype)]) for name, dtype in columns.items()])


def spark_schema(columns: Mapping[str, pl.DataType]) -> st.StructType:
    """Return the Spark schema of canonical columns."""
    return st.StructType([st.StructField(name, _SPARK[type(dtype)], nullable=True) for name, dtype in columns.items()])


def aligned(frame: pl.DataFrame, columns: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """Return the frame with exactly these columns and dtypes, missing ones null."""
    return frame.select(
        [(pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in columns.items()]
    )


def to_batches(frame: pl.DataFrame, columns: Mapping[str, pl.DataType]) -> Iterator[pa.RecordBatch]:
    """Yield a frame as Arrow record batches of exactly the schema of ``columns`` (each must be there)."""
    table = frame.select([pl.col(c).cast(t) for c, t in columns.items()]).to_arrow().cast(arrow_schema(columns))
    yield from table.to_batches()


def from_arrow(data: pa.RecordBatch | pa.Table) -> pl.DataFrame:
    """Return an Arrow batch or table as a polars frame."""
    frame = pl.from_arrow(data)
    assert isinstance(frame, pl.DataFrame)
    return frame
