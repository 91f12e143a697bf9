"""JSON-lines reading in blocks: one object per line; other lines are quarantined with their line.

Validity is checked for the whole block at once by DuckDB's ``json_valid``/``json_type``; the
valid objects are parsed by polars. Nested values (objects, arrays) are kept as JSON text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import duckdb
import polars as pl

from screening.errors import InputError, located
from screening.frames import fmt
from screening.ingest.csv_parse import fix_utf8
from screening.ingest.raw import LINE, RawBatch, Source, nested_as_json, quarantine_frame

_BLOCK: Final = 1 << 25


def open_jsonl(path: Path, batch_rows: int) -> Source:
    """Open a JSON-lines file; the columns are the keys of the first block's objects."""
    with path.open("rb") as handle:
        head = handle.read(_BLOCK)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise InputError(located(str(path), 1, "a JSON array; only JSON lines (one object per line) are supported"))
    first = next(_blocks(path, _BLOCK), None)
    columns = [c for c in _objects(first[0]).columns if c != LINE] if first else []

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of the wanted keys with their line numbers."""
        for lines, rejects in _blocks(path, batch_rows, str(path)):
            yield RawBatch(_select(_objects(lines), wanted), rejects)

    return Source(columns=columns, read=read)


def _blocks(path: Path, batch_rows: int, where: str = "") -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yield (valid object lines, quarantine rows) per block of at most batch_rows lines."""
    base, carry = 0, b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_BLOCK)
            data = carry + chunk
            cut = len(data) if not chunk else data.rfind(b"\n") + 1
            body, carry = fix_utf8(data[:cut]), data[cut:]
            frame = _lines(body.decode("utf-8").removeprefix("\ufeff"), base)
            base += body.count(b"\n")
            for start in range(0, max(frame.height, 1), batch_rows):
                yield _check(frame.slice(start, batch_rows), where)
            if not chunk:
                return


def _lines(text: str, base: int) -> pl.DataFrame:
    """Return the non-blank lines of a text with their 1-based line numbers."""
    lines = pl.Series("text", [text]).str.split("\n").explode()
    frame = pl.DataFrame({"text": lines}).with_row_index(LINE, offset=base + 1)
    frame = frame.with_columns(pl.col(LINE).cast(pl.Int64), pl.col("text").str.strip_suffix("\r"))
    return frame.filter(pl.col("text").str.strip_chars() != "")


def _check(frame: pl.DataFrame, where: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split lines into JSON objects and quarantine rows with the reason."""
    with duckdb.connect() as con:
        con.register("lines", frame.select("text"))
        kinds = con.sql("SELECT CASE WHEN json_valid(text) THEN json_type(text) END AS t FROM lines").pl()
    frame = frame.with_columns(kinds["t"].alias("json_type"))
    reason = (
        pl.when(pl.col("text").str.contains("\ufffd", literal=True))
        .then(pl.lit("undecodable bytes (not valid UTF-8)"))
        .when(pl.col("json_type").is_null())
        .then(pl.lit("not valid JSON"))
        .when(pl.col("json_type") != "OBJECT")
        .then(fmt("a JSON {}, expected an object", pl.col("json_type").str.to_lowercase()))
    )
    frame = frame.with_columns(reason.alias("reason"))
    bad = frame.filter(pl.col("reason").is_not_null())
    rejects = quarantine_frame(where, bad[LINE], bad["reason"], bad["text"])
    return frame.filter(pl.col("reason").is_null()).select(LINE, "text"), rejects


def _objects(lines: pl.DataFrame) -> pl.DataFrame:
    """Parse object lines into columns; nested values become JSON text."""
    if lines.height == 0:
        return pl.DataFrame({LINE: lines[LINE]})
    payload = lines["text"].str.join("\n").item().encode("utf-8")
    frame = pl.read_ndjson(io.BytesIO(payload), infer_schema_length=None)
    return nested_as_json(frame).with_columns(lines[LINE])


def _select(frame: pl.DataFrame, wanted: list[str]) -> pl.DataFrame:
    """Return the wanted columns (null where a block lacks a key) and the line numbers."""
    return frame.select(
        *[pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in wanted],
        LINE,
    )
