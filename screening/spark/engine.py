"""``scan_spark``: the single-machine scan's meaning, with ingestion and row-level rules on Spark.

Stages, each timed under the name in brackets:

1. [hash] every input's SHA-256 (a folder: of its files' hashes), then the run id, as one machine does;
2. [ingest] each input to a staged Parquet folder of canonical records and quarantine rows
   (:mod:`screening.spark.ingest`), quarantine rows collected and stored;
3. [screen] the driver warms the row-level kinds' per-run cache (the name index) with the store's
   lists and broadcasts it once; ``mapInArrow`` runs :func:`screening.engine.evaluate` on every Arrow
   batch of staged records; the hits come back to the driver and are put in the single-machine order
   (input by input, then ``HIT_ORDER``);
4. [store] when the rule set has run-level rules (corridors, ownership, payment chains, red flags),
   DuckDB loads the staged records of the small inputs (parties, flows, ownership) straight from
   Parquet into the store; [corridor legs] the corridor rules' monthly legs are summed by Spark SQL
   over the view ``screening_transactions`` of the staged transactions (:mod:`screening.spark.tables`);
   [analyse] :func:`screening.engine.evaluate_run` then runs on the driver as on one machine, except
   that every read of the transactions runs as a Spark query over that view (``ctx.tables``) and
   only its result reaches the rules: the red flags' aggregations, OWN-001's distinct party names
   and the records naming the matched ones, PAY-001's payments (whose chain search, global, then
   runs in polars on the driver);
5. hits and the run record go to the store (``pipeline.finish_scan``), and to ``out`` as Parquet.

What the store holds after a Spark run: the run record (with each input's counts from staging,
the same as on one machine), the hits, the quarantine rows and this run's parties, flows and
ownership records; not its transactions, which stay in the staged Parquet (``work``) or the
input lake. So a report that reads transaction records back from the store (the HTML report's
record charts) finds none for a Spark run. A run-level kind outside ``TABLE_KINDS``, which reads
the store only, brings back the old way: the transactions are loaded into the store for it.

The staging folder (``work``) must be readable under the same name by Spark and by the driver's
DuckDB: any folder in local mode, a shared mount (NFS, ``/dbfs``, a Unity Catalog volume) on a cluster.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import partial, reduce
from pathlib import Path
from typing import Final

import polars as pl
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as sf

from screening.engine import HIT_ORDER, evaluate_run
from screening.frames import exact_sum_sql
from screening.kinds.base import RunCheck, ScanContext
from screening.kinds.corridors import corridor_legs
from screening.kinds.redflag_reads import VIEW
from screening.pipeline import ROW_SCREENED, FileStats, RunParts, ScanResult, finish_scan, run_id_for, timed
from screening.report.export import write_outputs
from screening.rules import RuleSet, load_rules
from screening.schema import HIT_COLUMNS, RECORD_TABLES, RecordKind, columns_for
from screening.spark.arrow import from_arrow, spark_schema
from screening.spark.executor import ScreenSpec, screen
from screening.spark.ingest import Staged, count, input_digest, stage
from screening.spark.resources import Shared, rule_texts, share, warm
from screening.spark.session import configure, spark_session
from screening.spark.tables import SparkTables, transaction_records
from screening.store import Store, open_store
from screening.trade.corridors import LEGS

INPUT: Final = "__screening_input__"


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
        files = [FileStats(path=str(p), sha256=timed(timings, "hash", input_digest, session, str(p))) for p in inputs]
        run_id = run_id_for(db, files, rule_set)
        staged = _ingest(session, files, folder, mapping=mapping, partitions=partitions, timings=timings)
        for s in staged:
            timed(timings, "ingest", _quarantine, session, db, s, run_id)
        hits = _apply_rules(session, staged, rule_set, ScanContext(_last_screened(staged), db, run_id=run_id), timings)
    finally:
        session.catalog.dropTempView(VIEW)  # it reads the staged files, which may go now
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)
    parts = RunParts(rules=rule_set, run_id=run_id, files=files, timings=timings, started=started, command=command)
    result = finish_scan(db, parts, hits)
    if out is not None:
        write_outputs(result, Path(out), "parquet")
    return result


def _ingest(
    spark: SparkSession,
    files: list[FileStats],
    folder: str,
    *,
    mapping: Mapping[str, str] | None,
    partitions: int | None,
    timings: dict[str, float],
) -> list[Staged]:
    """Stage every input in its own folder, in input order."""
    return [
        timed(
            timings,
            "ingest",
            partial(stage, index=i, folder=f"{folder}/input-{i}", mapping=mapping, partitions=partitions),
            spark,
            stats,
        )
        for i, stats in enumerate(files)
    ]


def _apply_rules(
    spark: SparkSession, staged: list[Staged], rules: RuleSet, ctx: ScanContext, timings: dict[str, float]
) -> list[pl.DataFrame]:
    """Run the row-level rules on Spark, then the run-level rules on the driver.

    The run-level rules read the transactions through ``ctx.tables`` (Spark SQL over a view of the
    staged records), so only the other inputs (parties, flows, ownership) are loaded into the store;
    the transactions are loaded as well only for a run-level kind that reads them from the store alone.
    """
    hits = [timed(timings, "screen", _screen, spark, staged, rules, ctx)]
    kinds = {rule.kind for rule in rules.rules if isinstance(rule.check, RunCheck)}
    for s in staged:
        if kinds and (s.kind != "transactions" or kinds - TABLE_KINDS):
            timed(timings, "store", _load_records, ctx.store, s, ctx.run_id)
    if kinds & TABLE_KINDS:
        tables = SparkTables(spark, transaction_records(spark, staged))
        if kinds & CORRIDOR_KINDS:
            corridor_legs(ctx, timed(timings, "corridor legs", _transaction_legs, tables))
        ctx.tables = tables  # the other reads run as Spark SQL, timed with their rules under analyse
    hits.append(timed(timings, "analyse", evaluate_run, rules, ctx, timings))
    return hits


def _transaction_legs(tables: SparkTables) -> pl.DataFrame:
    """Return the monthly corridor legs of every transactions input, aggregated on Spark."""
    return tables.frame(SPARK_TX_LEGS).select(list(LEGS)).cast(LEGS)  # type: ignore[arg-type]


CORRIDOR_KINDS: Final = frozenset({"corridor_surge", "corridor_triangle", "mirror_gap"})
# The entity red flags, whose reads of the transactions are screening.kinds.redflag_reads.
REDFLAG_KINDS: Final = frozenset(
    {
        "entity_new_party", "entity_chpl_without_history", "entity_russian_links", "entity_shared_contacts",
        "entity_forwarder_end_user", "entity_settlement", "entity_late_change",
    }
)  # fmt: skip
# The run-level kinds whose every read of the transactions ctx.tables answers (the corridor legs are
# passed in; OWN-001 reads through screening.kinds.parties, PAY-001 through screening.kinds.payments). A
# run-level kind outside this set reads the store, so the transactions are loaded for it.
TABLE_KINDS: Final = CORRIDOR_KINDS | REDFLAG_KINDS | frozenset({"ownership_exposure", "payment_chain"})
# The legs the corridor rules read, as screening.kinds.corridors.TX_LEGS computes them in DuckDB.
SPARK_TX_LEGS: Final = f"""
WITH routes AS (
    SELECT coalesce(origin_country, shipper_country) AS o, transit_country AS t,
           coalesce(destination_country, consignee_country) AS d, coalesce(hs6, left(hs_code, 6)) AS hs_code,
           hs6, CAST(date_trunc('MONTH', `date`) AS DATE) AS period, value
    FROM {VIEW}
    WHERE value >= 0 AND `date` IS NOT NULL AND hs_code IS NOT NULL
), legs AS (
    SELECT o AS origin, CASE WHEN t <> o AND t <> d THEN t ELSE d END AS destination, hs_code, hs6, period, value
    FROM routes
    UNION ALL
    SELECT t AS origin, d AS destination, hs_code, hs6, period, value FROM routes WHERE t <> o AND t <> d
)
SELECT origin, destination, hs_code, hs6, period, CAST(1 AS BIGINT) AS period_months, {exact_sum_sql("value")} AS value,
       'records' AS reporter
FROM legs WHERE origin IS NOT NULL AND destination IS NOT NULL AND origin <> destination
GROUP BY origin, destination, hs_code, hs6, period
"""


def _last_screened(staged: list[Staged]) -> RecordKind:
    """Return the record kind the run-level stage sees: the last row-screened input's, as on one machine."""
    kinds = [s.kind for s in staged if s.kind in ROW_SCREENED]
    return kinds[-1] if kinds else "transactions"


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
    shared = share(spark, warm(ctx, rules, dict.fromkeys(s.kind for s in screened)))
    frames = [_hits(spark, s, rules, shared, ctx.run_id) for s in screened]
    hits = from_arrow(reduce(DataFrame.unionByName, frames).toArrow())
    ordered = hits.sort([INPUT, *HIT_ORDER], nulls_last=True, maintain_order=True)
    return ordered.drop(INPUT).cast(HIT_COLUMNS)  # type: ignore[arg-type]


def _hits(spark: SparkSession, staged: Staged, rules: RuleSet, shared: Shared, run_id: str) -> DataFrame:
    """Return the Spark frame of one input's row-level hits, tagged with the input's position."""
    spec = ScreenSpec(staged.kind, run_id, rules.fingerprint, rule_texts(rules), shared.token, shared.broadcast)
    records = staged.rows(spark).filter(sf.col("reason").isNull()).select(*columns_for(staged.kind))
    hits = records.mapInArrow(partial(screen, spec=spec), spark_schema(HIT_COLUMNS))
    return hits.withColumn(INPUT, sf.lit(staged.index))


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
