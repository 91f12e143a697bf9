from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from screening.engine import evaluate_run
from screening.kinds.base import RunCheck, ScanContext
from screening.rules import Rule, RuleSet
from screening.schema import RUN_HIT_FRAME
from screening.store import Store, open_store

Seen = dict[str, tuple[int, object]]  # rule id -> (thread id, DuckDB connection it read with)


def _check(rule_id: str, seen: Seen, beside: bool) -> RunCheck:
    """Return a run check that counts the run's stored records (if stored) and notes where it ran."""

    def run(ctx: ScanContext) -> pl.DataFrame:
        sql = "SELECT count(*) AS n FROM transactions WHERE run_id = ?"
        count = 0 if ctx.store is None else ctx.store.frame(sql, [ctx.run_id])["n"][0]
        seen[rule_id] = (threading.get_ident(), None if ctx.store is None else ctx.store.con)
        hit = {"record_id": f"r{count}", "score": 0.5, "detail": rule_id, "party": rule_id, "source_file": "f"}
        return pl.DataFrame([{**hit, "line": 1, "severity": None}]).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]

    return RunCheck(run=run, beside=beside)


def _rules(beside: tuple[bool, ...], seen: Seen) -> RuleSet:
    """Return a rule set of run-level rules R1, R2 … each beside the others or not."""
    rules = tuple(
        Rule(
            id=f"R{n}",
            title="t",
            kind="k",
            severity="low",
            weight=1.0,
            params={},
            rationale="",
            path="",
            check=_check(f"R{n}", seen, aside),
        )
        for n, aside in enumerate(beside, start=1)
    )
    return RuleSet(rules=rules, fingerprint="fp", directory="d")


@pytest.fixture
def stored(tmp_path: Path) -> Store:
    """Return a store holding two transactions of run 'run-1'."""
    store = open_store(tmp_path / "s.duckdb")
    store.append("transactions", pl.DataFrame({"record_id": ["a", "b"], "source_file": "f", "line": [1, 2]}))
    store.con.execute("UPDATE transactions SET run_id = 'run-1'")
    return store


BESIDE = [(False, False, False), (False, True, False), (True, False, True), (True, True, True), (True,)]


@pytest.mark.parametrize("beside", BESIDE)
def test_run_rules_give_the_same_hits_beside_the_others_or_not(stored: Store, beside: tuple[bool, ...]) -> None:
    seen: Seen = {}
    alone = evaluate_run(_rules(tuple(False for _ in beside), seen), ScanContext("transactions", stored, "run-1"))
    started: list[str] = []
    got = evaluate_run(_rules(beside, seen), ScanContext("transactions", stored, "run-1"), None, started.append)
    assert got.equals(alone)
    assert got["record_id"].to_list() == ["r2"] * len(beside)  # each read the run's records
    assert sorted(started) == sorted(seen)


@pytest.mark.parametrize("beside", BESIDE)
def test_a_rule_beside_the_others_runs_in_a_thread_of_its_own_on_a_connection_of_its_own(
    stored: Store, beside: tuple[bool, ...]
) -> None:
    seen: Seen = {}
    evaluate_run(_rules(beside, seen), ScanContext("transactions", stored, "run-1"))
    here = threading.get_ident()
    aside: Callable[[bool], bool] = lambda flag: flag and len(beside) > 1  # noqa: E731 - one rule runs here
    for n, flag in enumerate(beside, start=1):
        thread, con = seen[f"R{n}"]
        assert (thread != here) == aside(flag)
        assert (con is not stored.con) == aside(flag)


def test_without_a_store_every_rule_runs_here() -> None:
    seen: Seen = {}
    evaluate_run(_rules((True, True), seen), ScanContext("transactions", None, "run-1"))
    assert [thread for thread, _ in seen.values()] == [threading.get_ident()] * 2
