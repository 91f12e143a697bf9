"""What changed between two runs: hits that are new, gone or changed, matched by hit id."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.errors import ConfigError
from screening.store import Store

COMPARED: Final = ("severity", "score", "detail", "review")
SHOWN: Final = ("hit_id", "rule_id", "record_id", "party", "severity", "score", "detail")


def require_run(store: Store, run_id: str) -> None:
    """Refuse a run id the store has not recorded, naming the latest runs it has."""
    if not store.scalar("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]):
        known = store.frame("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 5")["run_id"].to_list()
        raise ConfigError(f"no run {run_id} in {store.path}; latest runs: {', '.join(known) or 'none'}")


def run_hits(store: Store, run_id: str) -> pl.DataFrame:
    """Return every hit of a recorded run, refusing an unknown run id."""
    require_run(store, run_id)
    return store.frame("SELECT * FROM hits WHERE run_id = ? ORDER BY hit_id", [run_id])


def diff_runs(store: Store, before: str, after: str) -> pl.DataFrame:
    """Return one row per hit that is new, gone or changed from run ``before`` to run ``after``."""
    old, new = run_hits(store, before), run_hits(store, after)
    joined = old.join(new, on="hit_id", how="full", suffix="_after", coalesce=True)
    changed = pl.any_horizontal(~pl.col(c).eq_missing(pl.col(f"{c}_after")) for c in COMPARED)
    status = (
        pl.when(pl.col("run_id").is_null())
        .then(pl.lit("new"))
        .when(pl.col("run_id_after").is_null())
        .then(pl.lit("gone"))
        .when(changed)
        .then(pl.lit("changed"))
    )
    marked = joined.with_columns(status.alias("change")).filter(pl.col("change").is_not_null())
    side = [pl.coalesce(f"{c}_after", c).alias(c) if c != "hit_id" else pl.col(c) for c in SHOWN]
    return marked.select(
        "change",
        *side,
        pl.col("score").alias("score_before"),
        pl.col("detail").alias("detail_before"),
    ).sort("change", "rule_id", "record_id", "hit_id")
