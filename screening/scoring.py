"""Combines hits into record, party and rule summaries.

A record's risk is the noisy-or of its hits, ``1 - Π(1 - weight × score)``: one strong hit is
enough, several weak ones add up, and the value stays in [0, 1].
"""

from __future__ import annotations

import polars as pl

from screening.engine import SEVERITY_RANK
from screening.rules import RuleSet
from screening.schema import SEVERITIES


def _weighted(hits: pl.DataFrame, rules: RuleSet) -> pl.LazyFrame:
    """Attach each hit's rule weight and severity rank."""
    weights = {rule.id: rule.weight for rule in rules.rules}
    return hits.lazy().with_columns(
        (pl.col("rule_id").replace_strict(weights, default=1.0) * pl.col("score")).alias("w"),
        pl.col("severity").replace_strict(SEVERITY_RANK, default=0).alias("rank"),
    )


def _risk() -> pl.Expr:
    """Return the noisy-or of weighted scores as an aggregation."""
    return (1 - (1 - pl.col("w").clip(0, 1)).log().sum().exp()).round(4).alias("risk")


def _severity() -> pl.Expr:
    """Return the highest severity as an aggregation."""
    return pl.col("rank").max().replace_strict(dict(enumerate(SEVERITIES))).alias("severity")


def record_risk(hits: pl.DataFrame, rules: RuleSet) -> pl.DataFrame:
    """Return one row per flagged record: risk, severity, rules and reasons, riskiest first."""
    return (
        _weighted(hits, rules)
        .group_by("record_id", "source_file", "line")
        .agg(
            _risk(),
            _severity(),
            pl.col("party").drop_nulls().first(),
            pl.col("rule_id").unique(maintain_order=True).sort().str.join(", ").alias("rules"),
            pl.col("detail").sort_by("w", descending=True).first().alias("reason"),
        )
        .sort(["risk", "source_file", "line"], descending=[True, False, False], nulls_last=True)
        .collect()
    )


def party_risk(hits: pl.DataFrame, rules: RuleSet) -> pl.DataFrame:
    """Return one row per named party (records, risk, severity, rules): listed parties first, then riskiest."""
    per_record = (
        _weighted(hits, rules)
        .filter(pl.col("party").is_not_null())
        .group_by("party", "record_id")
        .agg(_risk(), pl.col("rank").max(), pl.col("rule_id").unique())
    )
    return (
        per_record.with_columns(pl.col("risk").alias("w"))
        .group_by("party")
        .agg(
            pl.len().alias("records"),
            _risk(),
            pl.col("rank").max(),
            pl.col("rule_id").explode().str.starts_with("NAME-").any().alias("listed"),
            pl.col("rule_id").explode().unique().sort().str.join(", ").alias("rules"),
        )
        # a party matching a sanctions list outranks any goods or route exposure
        .sort(["listed", "rank", "risk", "records", "party"], descending=[True, True, True, True, False])
        .with_columns(pl.col("rank").replace_strict(dict(enumerate(SEVERITIES))).alias("severity"))
        .drop("rank", "listed")
        .collect()
    )


def rule_counts(hits: pl.DataFrame) -> pl.DataFrame:
    """Return hits per rule and severity."""
    return (
        hits.group_by("rule_id", "severity").agg(pl.len().alias("hits")).sort("rule_id", "severity")
    )


def severity_counts(hits: pl.DataFrame) -> dict[str, int]:
    """Return the number of hits of each severity, every severity present."""
    counts = dict(hits.group_by("severity").len().iter_rows())
    return {name: int(counts.get(name, 0)) for name in SEVERITIES}
