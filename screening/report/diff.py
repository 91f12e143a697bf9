"""What changed between two runs: hits that are new, gone or changed, matched by hit id."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.errors import ConfigError
from screening.store import Store

COMPARED: Final = ("severity", "score", "detail", "review")
SHOWN: Final = ("hit_id", "rule_id", "record_id", "party", "severity", "score", "detail", "review")


def require_run(store: Store, run_id: str) -> None:
    """Refuse a run id the store has not recorded, naming the latest runs it has."""
    if not store.scalar("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]):
        known = store.frame("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 5")["run_id"].to_list()
        raise ConfigError(f"no run {run_id} in {store.path}; latest runs: {', '.join(known) or 'none'}")


def diff_runs(store: Store, before: str, after: str) -> pl.DataFrame:
    """Return one row per hit that is new, gone or changed from run ``before`` to run ``after``."""
    require_run(store, before)
    require_run(store, after)
    changed = " OR ".join(f"a.{c} IS DISTINCT FROM b.{c}" for c in COMPARED)
    side = ", ".join(f"coalesce(b.{c}, a.{c}) AS {c}" for c in SHOWN)
    # joined in the store: two big runs' hits are compared without holding either in memory
    return store.frame(
        f"""
        WITH a AS (SELECT * FROM hits WHERE run_id = ?), b AS (SELECT * FROM hits WHERE run_id = ?)
        SELECT CASE WHEN a.hit_id IS NULL THEN 'new' WHEN b.hit_id IS NULL THEN 'gone' ELSE 'changed' END AS change,
               {side}, a.score AS score_before, a.detail AS detail_before
        FROM a FULL JOIN b ON a.hit_id = b.hit_id
        WHERE a.hit_id IS NULL OR b.hit_id IS NULL OR {changed}
        ORDER BY change, rule_id, record_id, hit_id
        """,
        [before, after],
    )
