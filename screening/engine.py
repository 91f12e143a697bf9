"""Evaluates a rule set over a batch of records and returns hits in a stable order."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.kinds.base import ScanContext
from screening.rules import RuleSet
from screening.schema import HIT_COLUMNS, SEVERITIES

SEVERITY_RANK: Final = {name: rank for rank, name in enumerate(SEVERITIES)}
HIT_ORDER: Final = ("source_file", "line", "record_id", "rule_id", "party", "detail")


def evaluate(
    records: pl.DataFrame, rules: RuleSet, ctx: ScanContext, run_id: str = ""
) -> pl.DataFrame:
    """Run every rule over the records and return hits with the columns of ``HIT_COLUMNS``."""
    if records.height == 0:
        return pl.DataFrame(schema=HIT_COLUMNS)
    frame = records.lazy()
    parts = [
        rule.check(frame, ctx).with_columns(
            pl.lit(rule.id).alias("rule_id"),
            pl.coalesce(pl.col("severity"), pl.lit(rule.severity)).alias("severity"),
        )
        for rule in rules.rules
    ]
    hits = pl.concat(parts, how="diagonal_relaxed").collect()
    where = records.select("record_id", "source_file", "line")
    return (
        hits.join(where, on="record_id", how="left")
        .with_columns(
            pl.lit(run_id).alias("run_id"), pl.lit(rules.fingerprint).alias("fingerprint")
        )
        .select([pl.col(c).cast(t) for c, t in HIT_COLUMNS.items()])
        .sort(list(HIT_ORDER), nulls_last=True, maintain_order=True)
    )
