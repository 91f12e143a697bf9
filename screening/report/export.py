"""Machine-readable outputs: hits as JSON, CSV or Parquet, the run summary and the quarantine.

CSV cells that a spreadsheet would read as a formula (starting with ``= + - @``, tab or carriage
return) are prefixed with an apostrophe, so an exported list entry cannot run code.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, TextIO

import polars as pl
import pyarrow.parquet as pq

from screening.errors import ConfigError
from screening.failpoints import failpoint
from screening.pipeline import ScanResult
from screening.report.atomic import atomic_path, write_text
from screening.report.message_refs import REF_COLUMNS, has_messages, with_refs
from screening.report.summary import run_summary
from screening.schema import HIT_COLUMNS, NOTE_COLUMNS, QUARANTINE_COLUMNS
from screening.stored_hits import shaped

FORMATS: Final = ("json", "csv", "parquet")
_FORMULA_START: Final = r"^[=+\-@\t\r]"


def neutralize_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that start like a spreadsheet formula with an apostrophe."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_START)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )


def write_table(frames: pl.DataFrame | Iterable[pl.DataFrame], path: Path) -> None:
    """Write a frame, or frames of one schema one after another, in the format the path's suffix names."""
    fmt = path.suffix.lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(f"{path}: unknown output format '{fmt}'; valid: {', '.join(FORMATS)}")
    batches = iter([frames] if isinstance(frames, pl.DataFrame) else frames)
    with atomic_path(path) as temporary:
        if fmt == "parquet":
            _write_parquet(batches, temporary)
            return
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            (write_csv if fmt == "csv" else write_json)(batches, handle)


def write_csv(batches: Iterator[pl.DataFrame], handle: TextIO) -> None:
    """Write frames as one CSV table with one header, formulas neutralised."""
    for n, frame in enumerate(batches):
        handle.write(neutralize_formulas(frame).write_csv(include_header=n == 0))
        failpoint("export")


def write_json(batches: Iterator[pl.DataFrame], handle: TextIO) -> None:
    """Write frames as one JSON array of row objects, each frame serialised by polars (no Python object per row)."""
    handle.write("[")
    first = True
    for frame in batches:
        if frame.height:
            handle.write(("" if first else ",") + frame.write_json()[1:-1])
            first = False
            failpoint("export")
    handle.write("]")


def _write_parquet(batches: Iterator[pl.DataFrame], path: Path) -> None:
    """Write frames as the row groups of one Parquet file."""
    first = next(batches)
    with pq.ParquetWriter(path, first.to_arrow().schema) as writer:
        for frame in itertools.chain([first], batches):
            writer.write_table(frame.to_arrow())


def write_outputs(result: ScanResult, directory: Path, fmt: str) -> list[Path]:
    """Write hits.<fmt>, quarantine.<fmt>, notes.<fmt> and summary.json into a directory; return the paths.

    The hits are read from the store in batches, so a run with tens of millions of hits is written
    without holding them in memory.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt}: valid formats are {', '.join(FORMATS)}, rich")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{directory}: cannot create the output directory ({exc.strerror})") from exc
    paths = [directory / f"{name}.{fmt}" for name in ("hits", "quarantine", "notes")] + [directory / "summary.json"]
    # an empty frame first: the header and the Parquet schema, also when there are no rows
    write_table(_hit_batches(result), paths[0])
    write_table(shaped(QUARANTINE_COLUMNS, result.quarantine_batches()), paths[1])
    write_table(shaped(NOTE_COLUMNS, result.notes_batches()), paths[2])
    summary = json.dumps(run_summary(result), ensure_ascii=False, indent=1, default=str)
    write_text(paths[3], summary + "\n")
    return paths


def _hit_batches(result: ScanResult) -> Iterator[pl.DataFrame]:
    """Yield the shape, then the run's hits; a run that read payment messages adds where each hit is in its message."""
    if not has_messages(result.store, result.run_id):
        return shaped(HIT_COLUMNS, result.reported.batches())
    refs = (with_refs(result.store, result.run_id, batch) for batch in result.reported.batches())
    return shaped({**HIT_COLUMNS, **REF_COLUMNS}, refs)
