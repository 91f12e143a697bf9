"""``scan_spark``: the single-machine scan's meaning, with ingestion and row-level rules on Spark.

Stages, each timed under the name in brackets:

1. [hash] every input's SHA-256 (a folder of Parquet files: of its files' hashes), then the run id, as one
   machine does; a local folder without Parquet files (payment messages, CSV …) is read file by file, as
   one machine reads it (the same files, in the same order, the same ones skipped);
2. [ingest] each input to a staged Parquet folder of canonical records and quarantine rows
   (:mod:`screening.spark.ingest`), quarantine rows collected and stored;
3. [screen] the driver builds the resources the row-level kinds declare (``KindSpec.shares``: the
   name index) with the store's lists and broadcasts them once; ``mapInArrow`` runs
   :func:`screening.engine.evaluate` on every Arrow batch of staged records; the hits come back to
   the driver and are put in the single-machine order (input by input, then ``HIT_ORDER``);
4. [store] when the rule set has run-level rules (corridors, ownership, payment chains, red flags),
   DuckDB loads the staged records of the small inputs (parties, flows, ownership) straight from
   Parquet into the store; [analyse] :func:`screening.engine.evaluate_run` then runs on the driver as
   on one machine, except that every read of the transactions runs as a Spark query over the view
   ``screening_transactions`` of the staged transactions (``ctx.tables``, :mod:`screening.spark.tables`)
   and only its result reaches the rules: the corridor legs (the one legs query of
   :mod:`screening.kinds.corridors`, rendered in Spark SQL), the red flags' aggregations, OWN-001's distinct party names
   and the records naming the matched ones, PAY-001's payments (whose chain search, global, then
   runs in polars on the driver);
5. hits and the run record go to the store (``pipeline.finish_scan``), and to ``out`` as Parquet.

What the store holds after a Spark run: the run record (with each input's counts from staging,
the same as on one machine), the hits, the quarantine rows and this run's parties, flows and
ownership records; of its transactions only the payment-message records that have hits (so the
hit exports and ``screening explain`` say where each hit is in its message); the others stay in
the staged Parquet (``work``) or the input lake. So a report that reads transaction records back
from the store (the HTML report's record charts) finds none for a Spark run. A run-level kind whose
declared reads of the transactions no engine answers (``KindSpec.engine_reads``) brings back the old
way: they are loaded into the store for it.

The staging folder (``work``) must be readable under the same name by Spark and by the driver's
DuckDB: any folder in local mode, a shared mount (NFS, ``/dbfs``, a Unity Catalog volume) on a cluster.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial, reduce
from pathlib import Path
from typing import Final

import polars as pl
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as sf

from screening.engine import HIT_ORDER, evaluate_run
from screening.errors import InputError
from screening.ingest.folders import Expanded, Skipped, expand_inputs
from screening.kinds import KINDS
from screening.kinds.base import RunCheck, ScanContext
from screening.pipeline import ROW_SCREENED, FileStats, RunParts, ScanResult, finish_scan, run_id_for, timed
from screening.report.export import write_outputs
from screening.rules import RuleSet, load_rules
from screening.schema import HIT_COLUMNS, RECORD_TABLES, columns_for, conform
from screening.spark.arrow import from_arrow, spark_schema
from screening.spark.executor import ScreenSpec, screen
from screening.spark.ingest import Staged, count, input_digest, remote, stage
from screening.spark.resources import Shared, rule_texts, share, shared_resources
from screening.spark.session import configure, spark_session
from screening.spark.tables import SparkTables, transaction_records
from screening.sql import VIEW
from screening.store import Store, open_store

INPUT: Final = "__screening_input__"
_HIT_RECORDS: Final = "screening_hit_records"  # the (record_id, source_file) of a run's hits, registered for DuckDB


def scan_spark(
    inputs: Sequence[str | Path],
    *,
    rules: RuleSet | None = None,
    spark: SparkSession | None = None,
    out: str | Path | None = None,
    partitions: int | None = None,
    store: Store | str | Path = ":memory:",
    mapping: Mapping[str, str] | None = None,
    work: str | Path | None = None,
    command: str = "scan --engine spark",
) -> ScanResult:
    """Screen files or Parquet folders on Spark with the same hits, quarantine and run record as ``screening.scan``."""
    started = datetime.now(UTC)
    rule_set = rules or load_rules()
    session = configure(spark) if spark is not None else spark_session()
    db = store if isinstance(store, Store) else open_store(store)
    folder = str(work) if work is not None else tempfile.mkdtemp(prefix="screening-spark-")
    timings: dict[str, float] = {}
    try:
        expanded = _files(inputs)
        files = [
            FileStats(path=p, sha256=d or timed(timings, "hash", input_digest, session, p)) for p, d in expanded.files
        ]
        run_id = run_id_for(db, files, rule_set)
        staged = _ingest(session, files, folder, expanded, mapping=mapping, partitions=partitions, timings=timings)
        for s in staged:
            timed(timings, "ingest", _quarantine, session, db, s, run_id)
        hits = _apply_rules(session, staged, rule_set, ScanContext("transactions", db, run_id=run_id), timings)
        timed(timings, "store", _keep_message_records, db, staged, hits, run_id)
    finally:
        session.catalog.dropTempView(VIEW)  # it reads the staged files, which may go now
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)
    parts = RunParts(rules=rule_set, run_id=run_id, files=files, timings=timings, started=started, command=command)
    result = finish_scan(db, parts, hits)
    result.skipped = expanded.skipped
    if out is not None:
        write_outputs(result, Path(out), "parquet")
    return result


def _files(inputs: Sequence[str | Path]) -> Expanded:
    """Return the inputs with each local folder of other files than Parquet (payment messages, CSV …) as its files."""
    found = Expanded(files=[])
    for path in map(str, inputs):
        if remote(path) or not Path(path).is_dir() or any(Path(path).rglob("*.parquet")):
            found.files.append((path, ""))  # a file, or a Parquet dataset Spark reads as one input
            continue
        expanded = expand_inputs([path])
        found.files.extend(expanded.files)
        found.skipped.extend(expanded.skipped)
        found.in_folders.update(expanded.in_folders)
    return found


def _ingest(
    spark: SparkSession,
    files: list[FileStats],
    folder: str,
    expanded: Expanded,
    *,
    mapping: Mapping[str, str] | None,
    partitions: int | None,
    timings: dict[str, float],
) -> list[Staged]:
    """Stage each input in its own folder, in order; a folder's file that nothing maps is skipped, as on one machine."""
    staged = []
    for i, stats in enumerate(list(files)):
        ingest = partial(stage, index=i, folder=f"{folder}/input-{i}", mapping=mapping, partitions=partitions)
        try:
            staged.append(timed(timings, "ingest", ingest, spark, stats))
        except InputError as exc:
            if stats.path not in expanded.in_folders:
                raise
            expanded.skipped.append(Skipped(stats.path, str(exc).removeprefix(f"{stats.path}: ")))
            files.remove(stats)
    return staged


def _apply_rules(
    spark: SparkSession, staged: list[Staged], rules: RuleSet, ctx: ScanContext, timings: dict[str, float]
) -> list[pl.DataFrame]:
    """Run the row-level rules on Spark, then the run-level rules on the driver.

    The run-level kinds declare which stored tables they read (``KindSpec.reads``) and which of those
    reads an engine's own tables answer (``engine_reads``): the transactions are loaded into the store
    only for a kind that reads them from the store alone; the other inputs (parties, flows, ownership)
    are loaded for any run-level rule. The transactions' reads (corridor legs, red flags, names,
    payments) then run as Spark SQL over a view of the staged records (``ctx.tables``).
    """
    hits = [timed(timings, "screen", _screen, spark, staged, rules, ctx)]
    specs = [KINDS.get(rule.kind) for rule in rules.rules if isinstance(rule.check, RunCheck)]
    # a kind the registry does not know (a RuleSet built in code) declares nothing: it reads every table from the store
    from_store = set().union(*(spec.store_reads() if spec else set(RECORD_TABLES) for spec in specs))
    for s in staged:
        if specs and (s.kind != "transactions" or "transactions" in from_store):
            timed(timings, "store", _load_records, ctx.store, s, ctx.run_id)
    if any(spec and "transactions" in spec.engine_reads for spec in specs):
        ctx = replace(ctx, tables=SparkTables(spark, transaction_records(spark, staged)))
    hits.append(timed(timings, "analyse", evaluate_run, rules, ctx, timings))
    return hits


def _quarantine(spark: SparkSession, db: Store, staged: Staged, run_id: str) -> None:
    """Collect and store an input's quarantine rows and notes, counting its rows into its stats."""
    rows, notes = count(spark, staged)
    db.append("quarantine", rows.with_columns(pl.lit(run_id).alias("run_id")))
    if notes.height:
        db.append("notes", notes.with_columns(pl.lit(run_id).alias("run_id")))


def _screen(spark: SparkSession, staged: list[Staged], rules: RuleSet, ctx: ScanContext) -> pl.DataFrame:
    """Run the row-level rules over every screened input on Spark; return the hits in single-machine order."""
    screened = [s for s in staged if s.kind in ROW_SCREENED]
    if not screened:
        return pl.DataFrame(schema=HIT_COLUMNS)
    shared = share(spark, shared_resources(ctx, rules))
    frames = [_hits(spark, s, rules, shared, ctx.run_id) for s in screened]
    hits = from_arrow(reduce(DataFrame.unionByName, frames).toArrow())
    ordered = hits.sort([INPUT, *HIT_ORDER], nulls_last=True, maintain_order=True)
    return conform(ordered.drop(INPUT), HIT_COLUMNS)


def _hits(spark: SparkSession, staged: Staged, rules: RuleSet, shared: Shared, run_id: str) -> DataFrame:
    """Return the Spark frame of one input's row-level hits, tagged with the input's position."""
    spec = ScreenSpec(staged.kind, run_id, rules.fingerprint, rule_texts(rules), shared.token, shared.broadcast)
    records = staged.rows(spark).filter(sf.col("reason").isNull()).select(*columns_for(staged.kind))
    hits = records.mapInArrow(partial(screen, spec=spec), spark_schema(HIT_COLUMNS))
    return hits.withColumn(INPUT, sf.lit(staged.index))


def _keep_message_records(db: Store, staged: list[Staged], hits: list[pl.DataFrame], run_id: str) -> None:
    """Store the payment-message records that have hits, so exports and ``explain`` can point at each message."""
    if db.scalar("SELECT EXISTS (SELECT 1 FROM transactions WHERE run_id = ?)", [run_id]):
        return  # a run-level rule had every transaction loaded already
    names = ", ".join(f'"{c}"' for c in columns_for("transactions"))
    keys = pl.concat([h.select(pl.col("record_id", "source_file").cast(pl.String)) for h in hits]).unique()
    db.con.register(_HIT_RECORDS, keys.to_arrow())
    try:
        for s in staged:
            if s.kind == "transactions" and s.stats.stored:
                db.con.execute(
                    f'INSERT INTO transactions ("run_id", {names}) SELECT ?, {names} FROM read_parquet(?) '
                    "WHERE reason IS NULL AND message_type IS NOT NULL "
                    f"AND (record_id, source_file) IN (SELECT * FROM {_HIT_RECORDS}) ORDER BY source_file, line",
                    [run_id, f"{s.folder}/*.parquet"],
                )
    finally:
        db.con.unregister(_HIT_RECORDS)


def _load_records(db: Store, staged: Staged, run_id: str) -> None:
    """Load an input's staged records into the store with DuckDB, straight from Parquet."""
    if not staged.stats.stored:
        return  # an empty input may have staged no file at all
    names = ", ".join(f'"{c}"' for c in columns_for(staged.kind))
    db.con.execute(
        f'INSERT INTO {RECORD_TABLES[staged.kind]} ("run_id", {names}) SELECT ?, {names} '
        "FROM read_parquet(?) WHERE reason IS NULL ORDER BY source_file, line",
        [run_id, f"{staged.folder}/*.parquet"],
    )
