"""Tests of the speed benchmark's stage clock: CPU seconds without the inner stages, and the calling thread's."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from types import ModuleType

import pytest


def _burn(rounds: int) -> None:
    """Spend CPU time in this thread."""
    data = b"x"
    for _ in range(rounds):
        data = hashlib.sha256(data).digest()


def _in_thread(rounds: int) -> None:
    """Spend CPU time in another thread, waiting for it."""
    worker = threading.Thread(target=_burn, args=(rounds,))
    worker.start()
    worker.join()


@pytest.mark.parametrize(
    ("work", "own_share_low", "own_share_high"),
    [
        (_burn, 0.8, 1.0),  # work in the calling thread: one core's
        (_in_thread, 0.0, 0.2),  # work in another thread: none of it the calling thread's
    ],
)
def test_stage_cpu_and_the_calling_threads_share(
    bench_speed: ModuleType, work: Callable[[int], None], own_share_low: float, own_share_high: float
) -> None:
    clock = bench_speed.StageClock()
    inner = clock.wrap("inner", work)
    outer = clock.wrap("outer", lambda: inner(300_000))
    outer()
    table = {row["stage"]: row for row in clock.table().iter_rows(named=True)}
    assert table["inner"]["cpu_s"] > 5 * table["outer"]["cpu_s"]  # the outer stage without the inner one
    share = table["inner"]["main_cpu_s"] / table["inner"]["cpu_s"]
    assert own_share_low <= share <= own_share_high
