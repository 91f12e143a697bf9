"""The life of a run in the store: reserved as running, then complete, interrupted or failed.

A run's records, quarantine rows and hits count only once its row says ``complete``. An attempt
that was killed, interrupted or failed leaves its row in another state; a rerun of the same inputs
deletes what that attempt left behind and takes over its id, so the rerun's hits are the same as
an uninterrupted run's. Runs recorded before the status existed (null) were complete.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Final

import duckdb
import polars as pl

from screening.errors import ConfigError, interrupted
from screening.schema import RECORD_TABLES
from screening.store import Store

RUNNING: Final = "running"
COMPLETE: Final = "complete"
INTERRUPTED: Final = "interrupted"
FAILED: Final = "failed"
STATUS: Final = f"coalesce(status, '{COMPLETE}')"
RUN_SCOPED: Final = (*RECORD_TABLES.values(), "quarantine", "hits")


def reserve_run(db: Store, base: str) -> str:
    """Record a new attempt as running and return its id: an unfinished attempt's id, cleaned, else a fresh one."""
    known = db.frame(
        f"SELECT run_id, {STATUS} AS status FROM runs WHERE run_id = ? OR run_id LIKE ? "
        "ORDER BY length(run_id), run_id",
        [base, f"{base}-%"],
    )
    unfinished = known.filter(pl.col("status") != COMPLETE)["run_id"].to_list()
    if unfinished:
        run_id: str = unfinished[0]
        discard(db, run_id)
    else:
        run_id = _fresh(base, set(known["run_id"].to_list()))
    started = datetime.now(UTC).replace(tzinfo=None)
    db.append("runs", pl.DataFrame([{"run_id": run_id, "started_at": started, "status": RUNNING}]))
    return run_id


def _fresh(base: str, taken: set[str]) -> str:
    """Return ``base``, or ``base-N`` with the smallest N above the taken count that is free."""
    if base not in taken:
        return base
    n = len(taken) + 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def discard(db: Store, run_id: str) -> None:
    """Delete a run's records, quarantine rows, hits and run row."""
    for table in (*RUN_SCOPED, "runs"):
        db.con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])


def mark_run(db: Store, run_id: str, status: str) -> None:
    """Set a run's status."""
    db.con.execute("UPDATE runs SET status = ? WHERE run_id = ?", [status, run_id])


def abandon(db: Store, run_id: str, exc: BaseException) -> None:
    """Mark a run that stopped early as interrupted (a signal) or failed, if the store still answers."""
    status = INTERRUPTED if interrupted(exc) else FAILED
    with contextlib.suppress(duckdb.Error):
        mark_run(db, run_id, status)


def require_complete(db: Store, run_id: str) -> None:
    """Refuse a run that is not recorded as complete, naming the latest complete runs."""
    status = db.scalar(f"SELECT {STATUS} FROM runs WHERE run_id = ?", [run_id])
    if status == COMPLETE:
        return
    known = db.frame(f"SELECT run_id FROM runs WHERE {STATUS} = ? ORDER BY started_at DESC LIMIT 5", [COMPLETE])
    latest = ", ".join(known["run_id"].to_list()) or "none"
    if status is None:
        raise ConfigError(f"no run {run_id} in {db.path}; latest runs: {latest}")
    raise ConfigError(
        f"run {run_id} in {db.path} is {status}, so its hits are not reported; "
        f"rerun the scan (latest complete runs: {latest})"
    )
