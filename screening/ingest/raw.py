"""What every reader yields: source rows as read, with their line numbers, and rejected rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

import polars as pl

from screening.schema import QUARANTINE_COLUMNS

LINE: Final = "__line__"  # the reader's line (or row) number column in a raw frame
RAW_LIMIT: Final = 1000


@dataclass(frozen=True)
class RawBatch:
    """Rows as read (source column names, plus LINE) and the rows a reader rejected."""

    rows: pl.DataFrame
    rejects: pl.DataFrame
    messages: tuple[str, ...] = ()  # notes on data the rows cannot carry (a workbook's cells), file and place first


@dataclass(frozen=True)
class Source:
    """An opened file: its header and a reader of raw batches holding the wanted columns."""

    columns: list[str]
    read: Callable[[list[str]], Iterator[RawBatch]]
    separator: str = ","  # joins field values when a quarantined row is shown as text


def nested_as_json(frame: pl.DataFrame) -> pl.DataFrame:
    """Replace list and struct columns with their JSON text, so every column reads as text."""
    nested = [c for c, t in frame.schema.items() if t.is_nested()]
    return frame.with_columns(
        pl.struct(c).struct.json_encode().str.extract(r'^\{"(?:[^"\\]|\\.)*":(.*)\}$').alias(c) for c in nested
    )


def quarantine_frame(path: str, lines: pl.Series, reasons: pl.Series, raw: pl.Series) -> pl.DataFrame:
    """Return quarantine rows for one file, the raw text cut to 1,000 characters."""
    frame = pl.DataFrame({"line": lines.cast(pl.Int64), "reason": reasons, "raw": raw})
    return frame.select(
        pl.lit(path, pl.String).alias("source_file"),
        "line",
        pl.col("reason").cast(pl.String),
        pl.col("raw").cast(pl.String).str.slice(0, RAW_LIMIT),
    )


def no_rejects() -> pl.DataFrame:
    """Return an empty quarantine frame."""
    return pl.DataFrame(schema=QUARANTINE_COLUMNS)


def unique_names(names: list[str]) -> list[str]:
    """Return header names made unique and non-empty (``column_3``, ``name_2``)."""
    seen: dict[str, int] = {}
    result = []
    for number, name in enumerate(names, start=1):
        base = name.strip() or f"column_{number}"
        seen[base] = seen.get(base, 0) + 1
        result.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return result
