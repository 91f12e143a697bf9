"""One screening run: ingest files into the store batch by batch, apply the rules, record provenance."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from itertools import chain
from pathlib import Path
from typing import Any, Final, TypeVar

import duckdb
import polars as pl

from screening import __version__
from screening.engine import SEVERITY_RANK, evaluate, evaluate_run
from screening.errors import ConfigError, InputError
from screening.failpoints import failpoint
from screening.ingest import IngestBatch, iter_batches
from screening.ingest.folders import Expanded, Skipped, expand_inputs
from screening.kinds.base import ScanContext
from screening.review import review_run
from screening.rules import RuleSet, load_rules
from screening.runstate import COMPLETE, RUNNING, abandon, reserve_run
from screening.schema import NOTE_COLUMNS, QUARANTINE_COLUMNS, RECORD_TABLES, conform, empty_frame
from screening.scoring import RANK
from screening.store import Store, open_store
from screening.stored_hits import StoredHits, shaped

Progress = Callable[[str, int], None]  # (file, or 'rule <ID>' once all are read; rows done so far)
T = TypeVar("T")
BATCH_ROWS = 1_000_000  # two batches are in memory at once (one screened and stored, one read ahead)
# Record kinds the row-level rules screen; flow statistics and ownership links are context that
# the run-level rules (corridors, ownership) read from the store once everything is loaded.
ROW_SCREENED: Final = frozenset({"transactions", "parties"})
# While batches are stored DuckDB checkpoints less often than its default (16 MB of changes): small
# batches (20,000 rows) each set off a checkpoint that grew dearer with the table (20 of them: 9.6 CPU s,
# 1.3 at 64 MB); far higher (256 MB), one checkpoint compresses everything at once (3.5 s at 550k rows).
INGEST_CHECKPOINT: Final = "64MB"


@dataclass
class FileStats:
    """Row counts of one input file."""

    path: str
    sha256: str
    kind: str = ""
    rows_read: int = 0
    stored: int = 0
    quarantined: int = 0
    noted: int = 0  # fields nulled and noted in stored rows
    ignored: list[str] = field(default_factory=list)  # source columns that map to nothing used
    columns: dict[str, str] = field(default_factory=dict)  # source column -> the canonical column it went to
    messages: list[str] = field(default_factory=list)  # the reader's notes on data not read (workbook cells)


@dataclass
class ScanResult:
    """Everything a report needs about one run; its hits stay in the store (:class:`StoredHits`)."""

    run_id: str
    rules: RuleSet
    store: Store
    files: list[FileStats]
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)  # inputs not read: unsupported, unmapped, identical

    @property
    def reported(self) -> StoredHits:
        """Return the run's hits that analysts see: all but those cleared by review."""
        return StoredHits(self.store, self.run_id)

    @property
    def cleared(self) -> StoredHits:
        """Return the run's hits that review cleared: stored, but not reported."""
        return StoredHits(self.store, self.run_id, cleared=True)

    def exit_code(self, fail_on: str | None) -> int:
        """Return the run's exit code: 1 when a reported hit is at or above ``fail_on``, else 0."""
        if fail_on is None:
            return 0
        return 1 if self.reported.count(f"({RANK}) >= {SEVERITY_RANK[fail_on]}") else 0

    @property
    def hits(self) -> pl.DataFrame:
        """Return the reported hits as one frame, in stored order (small runs; reports use ``reported``)."""
        return self.reported.frame()

    @property
    def suppressed(self) -> pl.DataFrame:
        """Return the hits cleared by review as one frame."""
        return self.cleared.frame()

    @property
    def quarantine(self) -> pl.DataFrame:
        """Return the run's quarantined rows by file and line, as one frame (small runs; reports read fewer)."""
        return self.quarantine_rows()

    def quarantine_rows(self, limit: int | None = None) -> pl.DataFrame:
        """Return the run's quarantined rows by file and line, the first ``limit`` only if given."""
        return pl.concat(shaped(QUARANTINE_COLUMNS, self.quarantine_batches(limit)), rechunk=False)

    def quarantine_batches(self, limit: int | None = None) -> Iterator[pl.DataFrame]:
        """Yield the run's quarantined rows by file and line in frames, read as they are needed."""
        columns = ", ".join(f'"{c}"' for c in QUARANTINE_COLUMNS)
        clause = f" LIMIT {int(limit)}" if limit is not None else ""
        sql = f"SELECT {columns} FROM quarantine WHERE run_id = ? ORDER BY source_file, line{clause}"
        for batch in self.store.batches(sql, [self.run_id]):
            yield conform(batch, QUARANTINE_COLUMNS)

    @property
    def noted(self) -> int:
        """Return the fields nulled and noted over all files."""
        return sum(f.noted for f in self.files)

    def notes_rows(self, limit: int | None = None) -> pl.DataFrame:
        """Return the run's data-quality notes by file and line, the first ``limit`` only if given."""
        return pl.concat([empty_frame(NOTE_COLUMNS), *self.notes_batches(limit)])

    def notes_batches(self, limit: int | None = None) -> Iterator[pl.DataFrame]:
        """Yield the run's data-quality notes by file and line in batches, the first ``limit`` only if given."""
        columns = ", ".join(f'"{c}"' for c in NOTE_COLUMNS)
        clause = f" LIMIT {int(limit)}" if limit is not None else ""
        sql = f'SELECT {columns} FROM notes WHERE run_id = ? ORDER BY source_file, line, "column"{clause}'
        for batch in self.store.batches(sql, [self.run_id]):
            yield conform(batch, NOTE_COLUMNS)

    @property
    def rows_read(self) -> int:
        """Return the rows read over all files."""
        return sum(f.rows_read for f in self.files)

    @property
    def stored(self) -> int:
        """Return the rows stored over all files."""
        return sum(f.stored for f in self.files)

    @property
    def quarantined(self) -> int:
        """Return the rows quarantined over all files."""
        return sum(f.quarantined for f in self.files)


def scan(
    inputs: Sequence[str | Path],
    *,
    rules: RuleSet | None = None,
    store: Store | str | Path = ":memory:",
    mapping: Mapping[str, str] | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
    command: str = "scan",
    complete: bool = True,
    sheets: Sequence[str] | None = None,
) -> ScanResult:
    """Screen files: every row is stored or quarantined, every rule runs over every stored row.

    The run is recorded complete when it ends, unless ``complete`` is false: then the caller marks
    it (:func:`screening.runstate.mark_run`) once its own work (the exports) is done. ``sheets``
    names the sheets to read of every workbook (default: each sheet with a header row). A run that
    stops early (a signal, an error) is marked interrupted or failed and never reported.
    """
    if batch_rows < 1:
        raise ConfigError(f"--batch-rows: {batch_rows} rows per batch; it must be at least 1")
    started = datetime.now(UTC)
    rule_set = rules or load_rules()
    db = store if isinstance(store, Store) else open_store(store)
    clock = time.perf_counter()
    expanded = expand_inputs(inputs)
    files = [FileStats(path=path, sha256=digest) for path, digest in expanded.files]
    run_id = run_id_for(db, files, rule_set)
    timings = {"hash": time.perf_counter() - clock}
    try:
        ctx = ScanContext(record_kind="transactions", store=db, run_id=run_id)
        _ingest(db, files, Ingest(rule_set, ctx, mapping, batch_rows, progress, expanded, sheets), timings)
        failpoint("analyse")
        run_hits = timed(timings, "analyse", evaluate_run, rule_set, ctx, timings, _rule_progress(progress, files))
        ctx.resources.clear()  # the rules' shared reads (CHPL records, name keys, the name index) are done with
        parts = RunParts(rules=rule_set, run_id=run_id, files=files, timings=timings, started=started, command=command)
        result = finish_scan(db, parts, [run_hits], complete=complete)
        result.skipped = expanded.skipped
        return result
    except BaseException as exc:
        abandon(db, run_id, exc)
        raise


@dataclass
class Ingest:
    """What the ingest loop needs besides the store and the files."""

    rules: RuleSet
    ctx: ScanContext
    mapping: Mapping[str, str] | None
    batch_rows: int
    progress: Progress | None
    expanded: Expanded  # the inputs: a folder's file that nothing maps is skipped, not an error
    sheets: Sequence[str] | None = None  # the workbooks' sheets to read; None: every sheet with a header


def _ingest(db: Store, files: list[FileStats], job: Ingest, timings: dict[str, float]) -> None:
    """Read every file batch by batch, store each batch and screen it with the row-level rules."""
    # a batch's records go into the store on a connection of their own while the rules screen them
    writer = Store(con=db.con.cursor(), path=db.path)
    run_id = job.ctx.run_id
    try:
        with _fewer_checkpoints(db), ThreadPoolExecutor(max_workers=1) as pool:
            for stats in list(files):
                batches = _open_batches(stats, job)
                if batches is None:
                    files.remove(stats)
                    continue
                while (batch := timed(timings, "read", next, batches, None)) is not None:
                    storing = pool.submit(timed, timings, "store", _store_batch, writer, batch, stats, run_id)
                    found = None
                    if batch.kind in ROW_SCREENED:
                        found = timed(timings, "screen", evaluate, batch.records, batch.kind, job.rules, job.ctx)
                    storing.result()  # also before "store" is timed again below: one thread adds to it at a time
                    if found is not None:  # a batch's hits wait in the store, not in memory
                        timed(timings, "store", db.append, "hits", found)
                    failpoint("ingest")
                    if job.progress:
                        job.progress(stats.path, stats.rows_read)
    finally:
        writer.close()


@contextmanager
def _fewer_checkpoints(db: Store) -> Iterator[None]:
    """Raise DuckDB's default checkpoint threshold while the batches are stored, then reset it; a user's own stays."""
    setting = "SELECT current_setting('checkpoint_threshold')"
    if db.scalar(setting) != duckdb.connect().execute(setting).fetchone()[0]:  # type: ignore[index]
        yield  # set by the user (read back rounded, so it is not set again)
        return
    db.con.execute(f"SET checkpoint_threshold = '{INGEST_CHECKPOINT}'")
    try:
        yield
    finally:
        db.con.execute("RESET checkpoint_threshold")


def _rule_progress(progress: Progress | None, files: list[FileStats]) -> Callable[[str], None]:
    """Return the callback told of each run-level rule as it starts (it reports progress, if asked)."""

    def starting(rule: str) -> None:
        failpoint("rule")
        if progress:
            progress(f"rule {rule}", sum(f.rows_read for f in files))

    return starting


def _open_batches(stats: FileStats, job: Ingest) -> Iterator[IngestBatch] | None:
    """Return a file's batches, read ahead; None for a folder's file that nothing maps (added to the skipped)."""
    expanded = job.expanded
    batches = iter_batches(Path(stats.path), mapping=job.mapping, batch_rows=job.batch_rows, sheets=job.sheets)
    try:
        first = next(batches)
    except InputError as exc:
        if stats.path not in expanded.in_folders:
            raise
        expanded.skipped.append(Skipped(stats.path, str(exc).removeprefix(f"{stats.path}: ")))
        return None
    return prefetch(chain([first], batches))


@dataclass
class RunParts:
    """What a run is about, gathered before its hits are final."""

    rules: RuleSet
    run_id: str
    files: list[FileStats]
    timings: dict[str, float]
    started: datetime
    command: str


def finish_scan(db: Store, parts: RunParts, hits: list[pl.DataFrame], *, complete: bool = True) -> ScanResult:
    """Store the hits not stored yet, apply the review decisions, record the run and return its result.

    Every engine ends here; the result's hits are the run's stored hits in the order they were stored.
    The run is recorded complete, or still running when ``complete`` is false (its caller finishes it).
    """
    for frame in hits:
        timed(parts.timings, "store", db.append, "hits", frame)
    _count_notes(db, parts)
    timed(parts.timings, "review", review_run, db, parts.run_id)
    result = ScanResult(
        run_id=parts.run_id,
        rules=parts.rules,
        store=db,
        files=parts.files,
        timings=parts.timings,
    )
    failpoint("record")
    _record_run(db, result, parts.started, parts.command, COMPLETE if complete else RUNNING)
    return result


def _count_notes(db: Store, parts: RunParts) -> None:
    """Count each file's stored notes into its stats, those the run-level rules wrote too (a currency with no rate)."""
    rows = db.frame("SELECT source_file, count(*) AS n FROM notes WHERE run_id = ? GROUP BY ALL", [parts.run_id])
    counted = dict(zip(rows["source_file"].to_list(), rows["n"].to_list(), strict=True))
    for stats in parts.files:
        stats.noted = int(counted.get(stats.path, stats.noted))


def prefetch(items: Iterator[T]) -> Iterator[T]:
    """Yield the items of an iterator while a worker thread already produces the next one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, items, None)
        while (item := pending.result()) is not None:
            pending = pool.submit(next, items, None)  # polars and DuckDB release the GIL
            yield item


def timed(timings: dict[str, float], stage: str, work: Callable[..., T], *args: Any) -> T:
    """Run ``work(*args)`` and add its wall time to a stage."""
    clock = time.perf_counter()
    value = work(*args)
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - clock
    return value


def _store_batch(db: Store, batch: IngestBatch, stats: FileStats, run_id: str) -> None:
    """Append a batch's records and quarantine rows to the store and count them."""
    stats.kind = batch.kind
    stats.ignored = [source for source, target in batch.mapping.items() if target is None]
    stats.columns.update({source: target for source, target in batch.mapping.items() if target})  # every sheet
    stats.messages.extend(batch.messages)
    table = RECORD_TABLES[batch.kind]
    stats.stored += db.append(table, batch.records.with_columns(pl.lit(run_id).alias("run_id")))
    stats.quarantined += db.append("quarantine", batch.quarantine.with_columns(pl.lit(run_id).alias("run_id")))
    stats.noted += _store_notes(db, batch, run_id)
    stats.rows_read = stats.stored + stats.quarantined


def _store_notes(db: Store, batch: IngestBatch, run_id: str) -> int:
    """Append a batch's data-quality notes to the store; return how many."""
    if not batch.notes.height:
        return 0
    return db.append("notes", batch.notes.with_columns(pl.lit(run_id).alias("run_id")))


def run_id_for(db: Store, files: list[FileStats], rules: RuleSet) -> str:
    """Reserve and return a run id derived from what was screened (see :func:`screening.runstate.reserve_run`).

    A complete run with the same inputs makes it ``<id>-N``; an unfinished one is cleaned and its id reused.
    """
    basis = json.dumps([[f.sha256 for f in files], rules.fingerprint, __version__])
    return reserve_run(db, f"run-{sha256(basis.encode()).hexdigest()[:12]}")


def _record_run(db: Store, result: ScanResult, started: datetime, command: str, status: str) -> None:
    """Write the run's provenance: inputs with hashes, rule-set fingerprint, counts, timings."""
    inputs: list[dict[str, Any]] = [vars(f) for f in result.files]
    counts = {
        "rows_read": result.rows_read,
        "stored": result.stored,
        "quarantined": result.quarantined,
        "noted": result.noted,
        "hits": result.reported.count(),
        "suppressed": result.cleared.count(),
    }
    row = {
        "run_id": result.run_id,
        "started_at": started.replace(tzinfo=None),
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "command": command,
        "engine_version": __version__,
        "fingerprint": result.rules.fingerprint,
        "inputs": json.dumps(inputs),
        "lists": json.dumps(_list_versions(db)),
        "params": json.dumps(
            {"rules": result.rules.directory, "rule_params": {r.id: r.params for r in result.rules.rules}},
            default=str,
        ),
        "counts": json.dumps(counts),
        "timings": json.dumps({k: round(v, 3) for k, v in result.timings.items()}),
        "status": status,
    }
    db.con.execute("DELETE FROM runs WHERE run_id = ?", [result.run_id])  # the row reserve_run wrote
    db.append("runs", pl.DataFrame([row]))


def _list_versions(db: Store) -> list[dict[str, Any]]:
    """Return the lists the run screened with their versions and hashes: the store's, else the bundled sample's."""
    from screening import lists  # noqa: PLC0415 - the lists import the store

    if not lists.has_lists(db):
        return lists.sample_versions()
    frame = db.frame("SELECT source, list_version, sha256 FROM list_sources ORDER BY source")
    return frame.to_dicts()
