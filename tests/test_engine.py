from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl
import pytest

from screening.engine import evaluate_run
from screening.errors import ConfigError, Terminated
from screening.kinds.base import RunCheck, ScanContext
from screening.pipeline import scan
from screening.rules import Rule, RuleSet
from screening.schema import RUN_HIT_FRAME
from screening.store import Store, open_store

Seen = dict[str, tuple[int, object]]  # rule id -> (thread id, DuckDB connection it read with)


def _check(rule_id: str, seen: Seen, beside: bool, line: int = 1, pause: float = 0.0) -> RunCheck:
    """Return a run check that counts the run's stored records (if stored), notes where it ran, and hits at ``line``."""

    def run(ctx: ScanContext) -> pl.DataFrame:
        time.sleep(pause)
        sql = "SELECT count(*) AS n FROM transactions WHERE run_id = ?"
        count = 0 if ctx.store is None else ctx.store.frame(sql, [ctx.run_id])["n"][0]
        seen[rule_id] = (threading.get_ident(), None if ctx.store is None else ctx.store.con)
        hit = {"record_id": f"{rule_id}-{count}", "score": 0.5, "detail": rule_id, "party": rule_id}
        return pl.DataFrame([{**hit, "source_file": "f", "line": line, "severity": None}]).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]

    return RunCheck(run=run, beside=beside)


def _rule_set(checks: Sequence[RunCheck]) -> RuleSet:
    """Return a rule set of run-level rules R1, R2 … with these checks."""
    rules = tuple(
        Rule(id=f"R{n}", title="t", kind="k", severity="low", weight=1.0, params={}, rationale="", path="", check=check)
        for n, check in enumerate(checks, start=1)
    )
    return RuleSet(rules=rules, fingerprint="fp", directory="d")


def _rules(beside: tuple[bool, ...], seen: Seen, pause: float = 0.0) -> RuleSet:
    """Return rules R1, R2 … each beside the others or not (those beside after ``pause``), lines in reverse."""
    lines = range(len(beside), 0, -1)
    return _rule_set(
        [
            _check(f"R{n}", seen, flag, line, pause if flag else 0.0)
            for n, (flag, line) in enumerate(zip(beside, lines, strict=True), 1)
        ]
    )


def _started(beside: tuple[bool, ...]) -> list[str]:
    """Return the order rules are started in: those beside first (with a store and another rule), each in rule order."""
    ids = [f"R{n}" for n in range(1, len(beside) + 1)]
    if len(beside) == 1:
        return ids
    return [i for i, flag in zip(ids, beside, strict=True) if flag] + [
        i for i, flag in zip(ids, beside, strict=True) if not flag
    ]


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
    assert got["rule_id"].to_list() == got["detail"].to_list()  # each rule's hits under its own id
    assert got["record_id"].to_list() == [f"R{n}-2" for n in range(len(beside), 0, -1)]  # in line order, all read
    assert started == _started(beside)


@pytest.mark.parametrize("beside", BESIDE)
def test_rule_timings_are_in_rule_order_whichever_ends_first(stored: Store, beside: tuple[bool, ...]) -> None:
    timings: dict[str, float] = {}
    evaluate_run(_rules(beside, {}, pause=0.2), ScanContext("transactions", stored, "run-1"), timings)
    assert list(timings) == [f"rule R{n}" for n in range(1, len(beside) + 1)]
    assert all(seconds >= 0.2 for seconds, flag in zip(timings.values(), beside, strict=True) if flag)


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


SLOW_SQL = "SELECT sum(hash(range)) AS n FROM range(3000000000)"  # many seconds: it must be interrupted, not awaited
PROMPT = 2.0  # seconds: well under the slow query's


def _slow_and_failing(failure: BaseException, log: list[str]) -> RuleSet:
    """Return rules R1, a long query beside the others, and R2, which raises ``failure`` once R1's query is due."""
    due = threading.Event()

    def slow(ctx: ScanContext) -> pl.DataFrame:
        assert ctx.store is not None
        due.set()
        try:
            ctx.store.frame(SLOW_SQL)
        except BaseException as exc:
            log.append(type(exc).__name__)
            raise
        log.append("finished")
        return pl.DataFrame(schema=RUN_HIT_FRAME)

    def failing(ctx: ScanContext) -> pl.DataFrame:
        due.wait()
        raise failure

    return _rule_set([RunCheck(run=slow, beside=True), RunCheck(run=failing)])


FAILURES = [(KeyboardInterrupt(), "interrupted"), (Terminated(), "interrupted"), (ConfigError("bad"), "failed")]


@pytest.mark.parametrize("failure", [failure for failure, _ in FAILURES])
def test_an_exception_here_comes_back_at_once_and_stops_the_rule_beside(stored: Store, failure: BaseException) -> None:
    log: list[str] = []
    clock = time.perf_counter()
    with pytest.raises(type(failure)) as raised:
        evaluate_run(_slow_and_failing(failure, log), ScanContext("transactions", stored, "run-1"))
    assert raised.value is failure
    assert time.perf_counter() - clock < PROMPT
    assert log != ["finished"]  # interrupted, not awaited
    assert stored.frame("SELECT count(*) AS n FROM transactions")["n"][0] == 2  # the store still answers


@pytest.mark.parametrize(("failure", "status"), FAILURES)
def test_a_scan_stopped_during_the_rules_beside_is_marked_as_on_one_thread(
    tmp_path: Path, failure: BaseException, status: str
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("record_id,date,hs_code,shipper_country,consignee_country\nT1,2023-04-15,848210,CN,KG\n")
    store = open_store(tmp_path / "s.duckdb")
    with pytest.raises(type(failure)):
        scan([ledger], rules=_slow_and_failing(failure, []), store=store)
    assert store.frame("SELECT status FROM runs")["status"].to_list() == [status]


def test_an_error_beside_comes_back_as_it_was_raised(stored: Store) -> None:
    def failing(ctx: ScanContext) -> pl.DataFrame:
        raise ConfigError("beside")

    seen: Seen = {}
    rules = _rule_set([RunCheck(run=failing, beside=True), _check("R2", seen, beside=False)])
    with pytest.raises(ConfigError, match="beside"):
        evaluate_run(rules, ScanContext("transactions", stored, "run-1"))
    assert "R2" in seen  # the rules here ran to their end
