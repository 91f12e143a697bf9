"""A run's life in the store: which id an attempt gets, what an unfinished attempt leaves, which runs count."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from screening.errors import ConfigError, Terminated
from screening.runstate import abandon, mark_run, require_complete, reserve_run
from screening.store import Store, open_store

BASE = "run-abc"


def _store(runs: dict[str, str | None]) -> Store:
    """Return a store holding runs with the given statuses, each with one record and one hit."""
    store = open_store(":memory:")
    for run_id, status in runs.items():
        store.append("runs", pl.DataFrame({"run_id": [run_id], "status": [status]}))
        store.append("transactions", pl.DataFrame({"run_id": [run_id], "record_id": ["T1"]}))
        store.append("hits", pl.DataFrame({"run_id": [run_id], "hit_id": ["h1"]}))
    return store


@pytest.mark.parametrize(
    ("runs", "expected", "left"),
    [
        ({}, BASE, {}),
        ({BASE: "complete"}, f"{BASE}-2", {BASE: 1}),
        ({BASE: None}, f"{BASE}-2", {BASE: 1}),  # a run recorded before statuses existed was complete
        ({BASE: "running"}, BASE, {}),  # killed: its leftovers go, its id is taken over
        ({BASE: "complete", f"{BASE}-2": "interrupted"}, f"{BASE}-2", {BASE: 1}),
        ({BASE: "complete", f"{BASE}-2": "failed", f"{BASE}-3": "complete"}, f"{BASE}-2", {BASE: 1, f"{BASE}-3": 1}),
    ],
)
def test_an_attempt_takes_over_an_unfinished_id_and_its_leftovers_go(
    runs: dict[str, str | None], expected: str, left: dict[str, int]
) -> None:
    store = _store(runs)
    assert reserve_run(store, BASE) == expected
    for table in ("transactions", "hits"):
        counts = store.frame(f"SELECT run_id, count(*) AS n FROM {table} GROUP BY run_id ORDER BY run_id")
        assert dict(counts.rows()) == left
    assert store.scalar("SELECT status FROM runs WHERE run_id = ?", [expected]) == "running"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("complete", None),
        ("running", "is running, so its hits are not reported"),
        ("interrupted", "is interrupted, so its hits are not reported"),
        (None, "no run run-zzz in :memory:; latest runs: none"),
    ],
)
def test_only_complete_runs_are_reported(status: str | None, message: str | None) -> None:
    store = _store({BASE: "running"} if status else {})
    run_id = BASE if status else "run-zzz"
    if status:
        mark_run(store, BASE, status)
    if message is None:
        require_complete(store, run_id)
        return
    with pytest.raises(ConfigError, match=message):
        require_complete(store, run_id)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (KeyboardInterrupt(), "interrupted"),
        (Terminated(), "interrupted"),
        (duckdb.InterruptException("Query interrupted"), "interrupted"),  # Ctrl-C that DuckDB caught in a query
        (RuntimeError("boom"), "failed"),
    ],
)
def test_abandoned_run_is_interrupted_or_failed(exc: BaseException, status: str) -> None:
    store = _store({BASE: "running"})
    abandon(store, BASE, exc)
    assert store.scalar("SELECT status FROM runs WHERE run_id = ?", [BASE]) == status
