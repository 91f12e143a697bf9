"""Parquet reading in batches with polars' own reader, only the mapped columns, row numbers as lines.

pyarrow's record batches and their conversion to polars took three times the CPU of polars' reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from screening.errors import InputError, located
from screening.ingest.raw import LINE, RawBatch, Source, nested_as_json, no_rejects

_UNREADABLE = (pl.exceptions.PolarsError, OSError)  # what a corrupt, cut or encrypted file raises


def open_parquet(path: Path, batch_rows: int) -> Source:
    """Open a Parquet file; raise InputError when it is corrupt or encrypted."""
    try:
        columns = pl.scan_parquet(path, glob=False).collect_schema().names()  # "data[1].parquet" is a name
    except _UNREADABLE as exc:
        raise InputError(_corrupt(path, exc)) from exc

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of the wanted columns, numbered from row 1."""
        return _batches(path, wanted, batch_rows)

    return Source(columns=columns, read=read)


def _batches(path: Path, wanted: list[str], batch_rows: int) -> Iterator[RawBatch]:
    """Yield the file's rows in frames of at most ``batch_rows`` rows with row numbers."""
    rows = pl.scan_parquet(path, glob=False).select(wanted).with_row_index(LINE, offset=1)
    try:
        for frame in rows.collect_batches(chunk_size=batch_rows):
            numbered = frame.with_columns(pl.col(LINE).cast(pl.Int64))
            yield RawBatch(nested_as_json(numbered.rechunk()), no_rejects())
    except _UNREADABLE as exc:
        raise InputError(_corrupt(path, exc)) from exc


def _corrupt(path: Path, exc: Exception) -> str:
    """Return the message for an unreadable Parquet file."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return located(str(path), None, f"corrupt or encrypted Parquet file: {detail}")
