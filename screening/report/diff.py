"""What changed between two runs: hits that are new, gone or changed, matched by hit id."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.runstate import require_complete
from screening.store import Store

COMPARED: Final = ("severity", "score", "detail", "review")
SHOWN: Final = ("hit_id", "rule_id", "record_id", "party", "severity", "score", "detail", "review")


def require_run(store: Store, run_id: str) -> None:
    """Refuse a run id the store has not recorded as complete, naming the latest complete runs."""
    require_complete(store, run_id)


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
