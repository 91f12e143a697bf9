"""Parquet reading in record batches with pyarrow, only the mapped columns, row numbers as lines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from screening.errors import InputError, located
from screening.ingest.raw import LINE, RawBatch, Source, nested_as_json, no_rejects


def open_parquet(path: Path, batch_rows: int) -> Source:
    """Open a Parquet file; raise InputError when it is corrupt or encrypted."""
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(_corrupt(path, exc)) from exc
    columns = list(parquet.schema_arrow.names)

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of the wanted columns, numbered from row 1."""
        return _batches(path, parquet, wanted, batch_rows)

    return Source(columns=columns, read=read)


def _batches(
    path: Path, parquet: pq.ParquetFile, wanted: list[str], batch_rows: int
) -> Iterator[RawBatch]:
    """Yield the row groups' record batches as polars frames with row numbers."""
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=wanted):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            numbers = pl.int_range(row + 1, row + 1 + frame.height, dtype=pl.Int64).alias(LINE)
            yield RawBatch(nested_as_json(frame).with_columns(numbers), no_rejects())
            row += frame.height
    except (pa.ArrowException, OSError) as exc:
        raise InputError(_corrupt(path, exc)) from exc


def _corrupt(path: Path, exc: Exception) -> str:
    """Return the message for an unreadable Parquet file."""
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return located(str(path), None, f"corrupt or encrypted Parquet file: {detail}")
