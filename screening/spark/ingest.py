"""Ingestion on the cluster: each input becomes a staged Parquet folder of records and quarantine rows.

Parquet inputs (a file, or a folder of Parquet files such as a ``key=value`` partitioned dataset)
are read by Spark with only the mapped columns; each Arrow batch goes through the project's own
coercion (:func:`screening.ingest.records.to_records`) inside ``mapInArrow``, so values, record
ids and quarantine reasons are those of a single-machine scan.

Line numbers: a Parquet row's line is its 1-based row number in its file (Spark's
``_metadata.row_index`` + 1), as on one machine. A file given by name keeps the name as given in
``source_file``; each file of a folder input reports as ``FOLDER/relative/path.parquet``, numbered
from 1 within that file, and its rows without an id get ``FOLDERNAME/relative/path.parquet:LINE``.

Repeated record ids: one machine quarantines every row whose id appeared on an earlier line of the
same file. On Spark a first pass counts the coerced ids per file, and the ids seen on more than
one row go to the workers with their first line, which gives the same verdict row for row.

CSV, XLSX and JSON-lines inputs are read on the driver with :func:`screening.ingest.iter_batches`
(physical line numbers need one sequential reader) and staged the same way; screening them still
runs on the cluster. File-level problems (missing file, no mapped column, corrupt Parquet) raise
the same :class:`screening.errors.InputError` with the same message as on one machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from pathlib import Path

import polars as pl
from pyspark.errors import AnalysisException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as sf

from screening.errors import InputError, located
from screening.ingest import file_sha256, iter_batches
from screening.ingest.batches import plan_mapping
from screening.ingest.files import check_file
from screening.ingest.mapping import ColumnMapping, check_mapping
from screening.ingest.parquet_reader import open_parquet
from screening.pipeline import FileStats
from screening.schema import NOTE_COLUMNS, QUARANTINE_COLUMNS, RecordKind
from screening.spark.arrow import aligned, from_arrow, spark_schema
from screening.spark.executor import (
    FILE,
    ID_COLUMNS,
    ROW,
    IngestSpec,
    file_key,
    ingest,
    record_ids,
    staged_columns,
    staged_notes,
)


@dataclass(frozen=True)
class Staged:
    """One input after ingestion: its position among the inputs, kind, folder of staged rows and stats."""

    index: int
    kind: RecordKind
    folder: str
    stats: FileStats

    def rows(self, spark: SparkSession) -> DataFrame:
        """Return the staged rows (records and quarantine rows) as a Spark frame."""
        return spark.read.schema(spark_schema(staged_columns(self.kind))).parquet(self.folder)


def remote(given: str) -> bool:
    """Tell whether an input names an object-store or HDFS URI rather than a local path."""
    return "://" in given and not given.startswith("file:")


def input_digest(spark: SparkSession, given: str) -> str:
    """Return the SHA-256 of a file, or of a folder's (relative path, SHA-256) manifest; remote: of path, size, time."""
    if remote(given):
        listing = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(given)
        rows = listing.select("path", "length", sf.col("modificationTime").cast("string")).orderBy("path").collect()
        manifest: list[list[object]] = [list(row) for row in rows]
    else:
        path = Path(given)
        if not path.is_dir():
            return file_sha256(path)
        manifest = [[str(p.relative_to(path)), file_sha256(p)] for p in sorted(path.rglob("*.parquet"))]
    return sha256(json.dumps(manifest).encode()).hexdigest()


def stage(
    spark: SparkSession,
    stats: FileStats,
    *,
    index: int,
    folder: str,
    mapping: Mapping[str, str] | None,
    partitions: int | None,
) -> Staged:
    """Ingest one input into a staged folder (Parquet on the cluster, other formats on the driver)."""
    given = stats.path
    if mapping:
        check_mapping(mapping)
    if Path(given).is_dir() and not any(Path(given).rglob("*.parquet")):
        raise InputError(located(given, None, "folder holds no Parquet files (*.parquet)"))
    if not remote(given) and not Path(given).is_dir():
        fmt = check_file(Path(given))  # the single-machine messages for missing, empty, unsupported files
        if fmt != "parquet":
            return _stage_on_driver(stats, index, folder, mapping)
        open_parquet(Path(given), 1)  # corrupt or encrypted Parquet: the single-machine message
    raw = _read(spark, given)
    used, kind = plan_mapping(Path(given), raw.columns, mapping, None)
    targets = {s: t for s, t in used.items() if t}
    frame = raw.select(
        *[_column(s) for s in targets],
        sf.col("_metadata.file_path").alias(FILE),
        sf.col("_metadata.row_index").alias(ROW),
    )
    spec = IngestSpec(kind, targets, _file_names(given, raw.inputFiles()), _repeated(frame, targets))
    if partitions:
        frame = frame.repartition(partitions)
    frame.mapInArrow(partial(ingest, spec=spec), spark_schema(staged_columns(kind))).write.mode("overwrite").parquet(
        folder
    )
    stats.kind, stats.ignored, stats.columns = kind, _ignored(used), {s: t for s, t in used.items() if t}
    return Staged(index, kind, folder, stats)


def count(spark: SparkSession, staged: Staged) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return an input's quarantine rows and notes, counting its stored, quarantined and noted rows into its stats."""
    rows = staged.rows(spark)
    flagged = rows.filter(sf.col("reason").isNotNull())
    quarantine = from_arrow(flagged.filter(sf.col("note_column").isNull()).select(*QUARANTINE_COLUMNS).toArrow())
    noted = flagged.filter(sf.col("note_column").isNotNull()).orderBy("line", "note_column")
    names = dict(zip(_NOTE_SOURCES, NOTE_COLUMNS, strict=True))
    notes = from_arrow(noted.select(*_NOTE_SOURCES).toArrow()).rename(names)
    staged.stats.stored = rows.filter(sf.col("reason").isNull()).count()
    staged.stats.quarantined = quarantine.height
    staged.stats.noted = notes.height
    staged.stats.rows_read = staged.stats.stored + staged.stats.quarantined
    return quarantine.cast(QUARANTINE_COLUMNS), notes.cast(NOTE_COLUMNS)  # type: ignore[arg-type]


_NOTE_SOURCES = ("source_file", "line", "note_column", "raw", "reason")  # staged columns in NOTE_COLUMNS order


def _read(spark: SparkSession, given: str) -> DataFrame:
    """Open a Parquet file or folder with Spark; raise InputError when Spark cannot."""
    try:
        return spark.read.parquet(given)
    except AnalysisException as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(located(given, None, f"cannot read as Parquet: {detail}")) from exc


def _column(name: str) -> Column:
    """Return a source column by its literal name (dots and spaces included)."""
    return sf.col("`" + name.replace("`", "``") + "`")


def _file_names(given: str, uris: list[str]) -> dict[str, tuple[str, str]]:
    """Map each file Spark reads to its source_file and the name its FILE:LINE ids use."""
    shown = given.rstrip("/") if remote(given) else str(Path(given))  # one machine reports str(Path(given))
    base = shown if remote(given) else os.path.abspath(file_key(given))
    names = {}
    for uri in uris:
        key = file_key(uri)
        relative = key[len(base) :].lstrip("/") if key.startswith(base) else key
        folder = shown.rsplit("/", 1)[-1]
        names[key] = (shown, folder) if not relative else (f"{shown}/{relative}", f"{folder}/{relative}")
    return names


def _repeated(frame: DataFrame, targets: dict[str, str]) -> pl.DataFrame:
    """Return (file, record_id, line) of ids on more than one row of a file, with their first line."""
    source = next((s for s, t in targets.items() if t == "record_id"), None)
    if source is None:
        return pl.DataFrame(schema=ID_COLUMNS)
    pairs = frame.select(_column(source), FILE, ROW)
    ids = pairs.mapInArrow(partial(record_ids, source=source), spark_schema(ID_COLUMNS))
    repeated = ids.groupBy("file", "record_id").agg(sf.min("line").alias("line"), sf.count("*").alias("n"))
    return from_arrow(repeated.filter(sf.col("n") > 1).select(*ID_COLUMNS).toArrow()).cast(ID_COLUMNS)  # type: ignore[arg-type]


def _stage_on_driver(stats: FileStats, index: int, folder: str, mapping: Mapping[str, str] | None) -> Staged:
    """Ingest a CSV, XLSX or JSON-lines file on the driver, exactly as one machine does, into a staged folder."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    for number, batch in enumerate(iter_batches(Path(stats.path), mapping=mapping)):
        staged = pl.concat([batch.records, batch.quarantine, staged_notes(batch.notes)], how="diagonal_relaxed")
        aligned(staged, staged_columns(batch.kind)).write_parquet(Path(folder) / f"part-{number:05d}.parquet")
        stats.kind, stats.ignored = batch.kind, _ignored(batch.mapping)
        stats.columns.update({s: t for s, t in batch.mapping.items() if t})  # every sheet's columns
        stats.messages.extend(batch.messages)  # the workbook reader's notes, as one machine keeps them
    return Staged(index, stats.kind, folder, stats)  # type: ignore[arg-type]


def _ignored(used: ColumnMapping) -> list[str]:
    """Return the source columns that map to nothing used, as the run record lists them."""
    return [source for source, target in used.items() if target is None]
