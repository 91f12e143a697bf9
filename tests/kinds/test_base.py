from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import duckdb
import pytest

from screening.kinds.base import ScanContext, interrupt, own_connection, side_thread
from screening.store import Store, open_store

SLOW_SQL = "SELECT sum(hash(range)) AS n FROM range(3000000000)"  # many seconds unless interrupted
PROMPT = 2.0  # seconds: well under the slow query's


@pytest.fixture
def ctx() -> Iterator[ScanContext]:
    """Return a context on a throwaway store."""
    store = open_store(":memory:")
    yield ScanContext("transactions", store, "run-1")
    store.close()


def _slow(store: Store, log: list[str], started: threading.Event | None = None) -> None:
    """Run the slow query, noting how it ended (``started``: set just before)."""
    if started is not None:
        started.set()
    try:
        store.frame(SLOW_SQL)
    except duckdb.Error as exc:
        log.append(type(exc).__name__)
        return
    log.append("finished")


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_interrupt_reaches_the_cursors_made_of_a_connection(ctx: ScanContext, depth: int) -> None:
    log: list[str] = []
    with ExitStack() as stack:
        inner: ScanContext | None = ctx
        for _ in range(depth):
            assert inner is not None
            inner = stack.enter_context(own_connection(inner))
        assert inner is not None and isinstance(inner.store, Store) and isinstance(ctx.store, Store)
        worker = threading.Thread(target=_slow, args=(inner.store, log))
        clock = time.perf_counter()
        worker.start()
        while worker.is_alive():
            interrupt(ctx.store.con)
            worker.join(0.05)
    assert log == ["InterruptException"]
    assert time.perf_counter() - clock < PROMPT


def test_an_exception_in_flight_is_not_replaced_when_the_cursor_is_busy_elsewhere(ctx: ScanContext) -> None:
    log: list[str] = []
    started = threading.Event()
    with pytest.raises(ValueError, match="here"), own_connection(ctx) as aside:
        assert aside is not None and isinstance(aside.store, Store)
        busy = aside.store
        worker = threading.Thread(target=_slow, args=(busy, log, started))
        worker.start()
        started.wait()
        time.sleep(0.2)  # the query is under way
        raise ValueError("here")
    busy.con.interrupt()
    worker.join()
    assert log == ["InterruptException"]


def test_a_side_thread_stopped_cancels_the_work_not_started(ctx: ScanContext) -> None:
    log: list[str] = []
    with pytest.raises(KeyboardInterrupt), side_thread(ctx) as side:
        assert side.ctx is not None and isinstance(side.ctx.store, Store)
        side.submit(_slow, side.ctx.store, log)
        later = side.submit(log.append, "later")
        raise KeyboardInterrupt
    assert later.cancelled()
    assert log == ["InterruptException"]


def test_without_a_store_a_side_thread_has_no_connection() -> None:
    with side_thread(ScanContext("transactions", None, "run-1")) as side:
        assert side.ctx is None
