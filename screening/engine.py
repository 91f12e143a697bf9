"""Evaluates a rule set over batches of records, then over the whole run, with hits in a stable order."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final, cast

import duckdb
import polars as pl

from screening.frames import compact
from screening.kinds.base import RunCheck, ScanContext, side_thread
from screening.rules import Rule, RuleSet
from screening.schema import HIT_COLUMNS, RUN_HIT_FRAME, SEVERITIES, RecordKind

SEVERITY_RANK: Final = {name: rank for rank, name in enumerate(SEVERITIES)}
HIT_ORDER: Final = ("source_file", "line", "record_id", "rule_id", "party", "detail")
HIT_KEY: Final = ("rule_id", "record_id", "party", "entity_id")


def evaluate(records: pl.DataFrame, kind: RecordKind, rules: RuleSet, ctx: ScanContext) -> pl.DataFrame:
    """Run every row-level rule over a batch of records of one kind; return hits with the columns of ``HIT_COLUMNS``."""
    frame, batch = records.lazy(), ctx.for_kind(kind)
    parts = [
        _labelled(rule.check(frame, batch), rule.id, rule.severity)
        for rule in rules.rules
        if not isinstance(rule.check, RunCheck)
    ]
    if records.height == 0 or not parts:
        return pl.DataFrame(schema=HIT_COLUMNS)
    hits = pl.concat(parts, how="diagonal_relaxed").collect()
    where = records.select("record_id", "source_file", "line")
    return compact(_finish(hits.join(where, on="record_id", how="left"), rules, ctx.run_id))  # a run keeps its hits


def evaluate_run(
    rules: RuleSet,
    ctx: ScanContext,
    timings: dict[str, float] | None = None,
    starting: Callable[[str], None] | None = None,
) -> pl.DataFrame:
    """Run every run-level rule once over the run's stored records and return their hits.

    ``timings`` gets each rule's seconds as ``rule <ID>`` (work cached for later rules, such as
    corridor statistics, counts for the first rule that needs it); ``starting`` hears each rule's id first.
    A rule whose check may run ``beside`` the others runs in a thread of its own while they run here
    (polars and DuckDB release the GIL); the hits are the same, in rule order.
    """
    checks = [rule for rule in rules.rules if isinstance(rule.check, RunCheck)]
    if not checks:
        return pl.DataFrame(schema=HIT_COLUMNS)
    found: dict[int, tuple[pl.LazyFrame, float]] = {}
    with side_thread(ctx) as side:
        pending = {}
        if side.ctx is not None and len(checks) > 1:
            for n, rule in enumerate(checks):
                if cast(RunCheck, rule.check).beside:
                    if starting is not None:
                        starting(rule.id)
                    pending[n] = side.submit(_run_rule, rule, side.ctx)
        for n, rule in enumerate(checks):
            if n not in pending:
                if starting is not None:
                    starting(rule.id)
                found[n] = _run_rule(rule, ctx)
        found.update({n: future.result() for n, future in pending.items()})
    if timings is not None:  # in rule order, whichever thread ended first
        timings.update({f"rule {rule.id}": found[n][1] for n, rule in enumerate(checks)})
    empty = pl.LazyFrame(schema=RUN_HIT_FRAME)
    hits = pl.concat([empty, *(found[n][0] for n in range(len(checks)))], how="diagonal_relaxed").collect()
    return _finish(hits, rules, ctx.run_id)


def _run_rule(rule: Rule, ctx: ScanContext) -> tuple[pl.LazyFrame, float]:
    """Run one run-level rule; return its labelled hits and its seconds."""
    clock = time.perf_counter()
    found = cast(RunCheck, rule.check).run(ctx)
    seconds = time.perf_counter() - clock
    # tight copies: a rule's few hits otherwise keep the frames they were cut from alive for later rules
    return _labelled(compact(found).lazy(), rule.id, rule.severity), seconds


def _labelled(hits: pl.LazyFrame, rule_id: str, severity: str) -> pl.LazyFrame:
    """Add the rule id and fill the severity a hit left to its rule."""
    return hits.with_columns(
        pl.lit(rule_id).alias("rule_id"),
        pl.coalesce(pl.col("severity"), pl.lit(severity)).alias("severity"),
    )


def _finish(hits: pl.DataFrame, rules: RuleSet, run_id: str) -> pl.DataFrame:
    """Stamp hits with their ids, the run and rule-set fingerprint, and put them in their stable order."""
    stamped = hits.with_columns(pl.lit(run_id).alias("run_id"), pl.lit(rules.fingerprint).alias("fingerprint"))
    stamped = stamped.with_columns(hit_ids(stamped).alias("hit_id"))
    return stamped.select(
        [(pl.col(c) if c in stamped.columns else pl.lit(None)).cast(t).alias(c) for c, t in HIT_COLUMNS.items()]
    ).sort(list(HIT_ORDER), nulls_last=True, maintain_order=True)


def hit_ids(hits: pl.DataFrame) -> pl.Series:
    """Return each hit's id: the md5 of rule, record, party and list entry (DuckDB's, stable across versions)."""
    keys = hits.select([pl.col(c).cast(pl.String).fill_null("") if c in hits.columns else pl.lit("") for c in HIT_KEY])
    with duckdb.connect() as con:
        con.register("hit_keys", keys.to_arrow())
        rows: pl.DataFrame = con.sql("SELECT md5(concat_ws('|', *COLUMNS(*))) AS id FROM hit_keys").pl()
    return rows["id"].str.slice(0, 16)
