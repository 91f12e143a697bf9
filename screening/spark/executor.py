"""What runs inside Spark's Python workers: ingestion, record-id counting and row-level screening.

Each function takes an iterator of Arrow batches (``mapInArrow``) and a frozen spec the driver
built, and runs the project's own polars code on every batch: :func:`screening.ingest.records.convert`
for coercion, quarantine and notes, :func:`screening.engine.evaluate` for the row-level rules.

Per worker process, two module-level caches keep what is costly to build: the rule set, loaded
once per rule-set fingerprint from the rule files' text the driver shipped (so a rules directory
that exists only on the driver works), and the run's resources (the name index a row-level kind
declares in ``KindSpec.shares``), unpickled once per run from a broadcast. Worker contexts have no
store: a row-level kind reaches the store only through the resources it declares, which the driver
builds before the job (see :mod:`screening.spark.resources`).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlparse

import polars as pl
import pyarrow as pa

from screening.engine import evaluate
from screening.ingest.coerce import coerce_column
from screening.ingest.raw import LINE, RawBatch, nested_as_json, no_rejects
from screening.ingest.records import Plan, convert
from screening.kinds.base import Resources, ScanContext
from screening.rules import RuleSet, load_rules
from screening.schema import HIT_COLUMNS, RecordKind, columns_for, conform
from screening.spark.arrow import from_arrow, to_batches

FILE: Final = "__screening_file__"  # the Parquet file a row came from (Spark's _metadata.file_path)
ROW: Final = "__screening_row__"  # its 0-based row index in that file (Spark's _metadata.row_index)
ID_COLUMNS: Final[dict[str, pl.DataType]] = {"file": pl.String(), "record_id": pl.String(), "line": pl.Int64()}

_RULES: dict[str, RuleSet] = {}
_RESOURCES: dict[str, Resources] = {}


def staged_columns(kind: RecordKind) -> dict[str, pl.DataType]:
    """Return the columns of a staged ingest file: canonical ones, quarantine reason, raw text, a note's column.

    A record has no reason; a quarantine row has a reason and no note column; a data-quality
    note (a field nulled in a record) has both, its value in ``raw``.
    """
    return {**columns_for(kind), "reason": pl.String(), "raw": pl.String(), "note_column": pl.String()}


def staged_notes(notes: pl.DataFrame) -> pl.DataFrame:
    """Return data-quality notes as staged rows."""
    raw, column = pl.col("value").alias("raw"), pl.col("column").alias("note_column")
    return notes.select("source_file", "line", "reason", raw, column)


def file_key(uri: str) -> str:
    """Return a file's path with ``file:`` URIs and percent-escapes undone, so driver and workers agree."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme in ("", "file") else uri


@dataclass(frozen=True)
class IngestSpec:
    """How a worker turns one input's raw rows into staged records and quarantine rows."""

    kind: RecordKind
    targets: dict[str, str]  # source column -> canonical column
    files: dict[str, tuple[str, str]]  # file key -> (source_file as reported, name used in FILE:LINE ids)
    repeated: pl.DataFrame  # file, record_id, first: ids on more than one row, with their first line

    def plan(self, key: str) -> Plan:
        """Return a fresh plan for one file, knowing where its repeated ids first appear."""
        where, name = self.files[key]
        seen = self.repeated.filter(pl.col("file") == key).select("record_id", pl.col("line").alias("first"))
        return Plan(where, name, self.kind, dict(self.targets), ",", seen=seen)


@dataclass(frozen=True)
class ScreenSpec:
    """What a worker needs to screen canonical records with the row-level rules."""

    kind: RecordKind
    run_id: str
    fingerprint: str
    rule_texts: dict[str, str]  # rule file name -> YAML text
    token: str  # names the run's resources in the worker cache
    resources: Any  # pyspark Broadcast[bytes]: the pickled resources the driver built (by name)


def raw_parts(batch: pa.RecordBatch, sources: list[str]) -> Iterator[tuple[str, pl.DataFrame]]:
    """Yield (file key, raw rows with LINE) for each file a batch holds rows of."""
    frame = from_arrow(batch)
    for (uri,), part in frame.partition_by(FILE, as_dict=True, maintain_order=True).items():
        rows = nested_as_json(part.select(sources)).with_columns((part[ROW] + 1).cast(pl.Int64).alias(LINE))
        yield file_key(str(uri)), rows


def record_ids(batches: Iterator[pa.RecordBatch], source: str) -> Iterator[pa.RecordBatch]:
    """Yield (file, coerced record id, line) for rows with an id, coerced exactly as ingestion does."""
    for batch in batches:
        for key, rows in raw_parts(batch, [source]):
            values, _ = coerce_column("record_id", pl.col(source), rows.schema[source])
            ids = rows.select(
                pl.lit(key).alias("file"), values["record_id"].alias("record_id"), pl.col(LINE).alias("line")
            )
            yield from to_batches(ids.drop_nulls("record_id"), ID_COLUMNS)


def ingest(batches: Iterator[pa.RecordBatch], spec: IngestSpec) -> Iterator[pa.RecordBatch]:
    """Yield staged rows: canonical records (reason null) and quarantine rows, per raw batch."""
    staged = staged_columns(spec.kind)
    for batch in batches:
        for key, rows in raw_parts(batch, list(spec.targets)):
            done = convert(RawBatch(rows, no_rejects()), spec.plan(key))
            parts = [done.records, done.quarantine, staged_notes(done.notes)]
            yield from to_batches(pl.concat(parts, how="diagonal_relaxed"), staged)


def screen(batches: Iterator[pa.RecordBatch], spec: ScreenSpec) -> Iterator[pa.RecordBatch]:
    """Yield the row-level hits of each batch of canonical records."""
    rules = worker_rules(spec.fingerprint, spec.rule_texts)
    ctx = ScanContext(spec.kind, run_id=spec.run_id, resources=worker_resources(spec.token, spec.resources))
    canonical = columns_for(spec.kind)
    for batch in batches:
        records = conform(from_arrow(batch), canonical)
        yield from to_batches(evaluate(records, spec.kind, rules, ctx), HIT_COLUMNS)


def worker_rules(fingerprint: str, texts: dict[str, str]) -> RuleSet:
    """Return the rule set, loaded once per worker process from the shipped rule files."""
    if fingerprint not in _RULES:
        folder = Path(tempfile.mkdtemp(prefix="screening-rules-"))
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        rules = load_rules(folder)
        if rules.fingerprint != fingerprint:
            raise RuntimeError(f"rules on the worker have fingerprint {rules.fingerprint}, the driver's {fingerprint}")
        _RULES[fingerprint] = rules
    return _RULES[fingerprint]


def worker_resources(token: str, payload: Any) -> Resources:
    """Return the run's resources, seeded from the broadcast once per worker process."""
    if token not in _RESOURCES:
        _RESOURCES.clear()  # one run's resources at a time: a name index can be large
        _RESOURCES[token] = Resources(pickle.loads(payload.value))  # the driver of this job pickled it
    return _RESOURCES[token]
