"""The workers' event loop: loops sharing one listening socket take turns at new connections."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from screening.serve import balance
from screening.serve.balance import BalancedLoop

PAUSE = 0.05  # long beside a thread's wake-up on a loaded machine: the test is about order, not speed


class Counted(asyncio.Protocol):
    """A connection that counts itself on the loop that accepted it."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Count the connection."""
        with self.worker.lock:
            self.worker.accepted += 1


class Worker(threading.Thread):
    """A balanced event loop in a thread, serving its own copy of a shared listening socket."""

    def __init__(self, listener: socket.socket) -> None:
        super().__init__(daemon=True)
        self.loop, self.lock, self.accepted = BalancedLoop(), threading.Lock(), 0
        self.server = self.loop.run_until_complete(self.loop.create_server(lambda: Counted(self), sock=listener.dup()))

    def run(self) -> None:
        """Run the loop until stopped."""
        self.loop.run_forever()

    def stop(self) -> None:
        """Close the server, stop the loop and wait for the thread."""
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(timeout=10)
        self.loop.close()


@contextmanager
def workers(count: int) -> Iterator[tuple[int, list[Worker]]]:
    """Run ``count`` balanced loops on one loopback listening socket; yield its port and them."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        running = [Worker(listener) for _ in range(count)]
        for worker in running:
            worker.start()
        try:
            yield listener.getsockname()[1], running
        finally:
            for worker in running:
                worker.stop()


def _accepted(running: list[Worker], total: int) -> list[int]:
    """Return each loop's accepted connections once they add up to ``total`` (or after 10 s)."""
    deadline = time.monotonic() + 10
    while sum(w.accepted for w in running) < total and time.monotonic() < deadline:
        time.sleep(0.005)
    return sorted(w.accepted for w in running)


@pytest.mark.parametrize(
    ("connections", "burst", "split"),
    [
        (1, False, [0, 1]),
        (2, False, [1, 1]),
        (5, False, [2, 3]),
        (8, False, [4, 4]),
        (8, True, [4, 4]),
        (9, True, [4, 5]),
    ],
)
def test_two_loops_take_turns(monkeypatch: pytest.MonkeyPatch, connections: int, burst: bool, split: list[int]) -> None:
    """Connections opened one by one, or all at once, fall to two loops on one socket evenly."""
    monkeypatch.setattr(balance, "PAUSE_SECONDS", PAUSE)
    with workers(2) as (port, running), ExitStack() as opened:
        for done in range(1, connections + 1):
            opened.enter_context(socket.create_connection(("127.0.0.1", port)))
            if not burst:
                _accepted(running, done)
        assert _accepted(running, connections) == split


def test_a_loop_alone_accepts_every_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop with no other on its socket still accepts every connection, each after its pause."""
    monkeypatch.setattr(balance, "PAUSE_SECONDS", 0.005)
    with workers(1) as (port, running), ExitStack() as opened:
        for _ in range(12):  # past MOST_HELD: the pause stops growing
            opened.enter_context(socket.create_connection(("127.0.0.1", port)))
        assert _accepted(running, 12) == [12]


def test_closed_connections_are_not_held() -> None:
    """The count a loop's pause grows with leaves out connections the client closed."""
    with workers(1) as (port, [worker]):
        first = socket.create_connection(("127.0.0.1", port))
        with socket.create_connection(("127.0.0.1", port)):
            _accepted([worker], 2)
            first.close()
            deadline = time.monotonic() + 10
            while _held(worker) != 1 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert _held(worker) == 1


def _held(worker: Worker) -> int:
    """Return what a running loop counts as held, asked on its own thread."""
    return asyncio.run_coroutine_threadsafe(_ask(worker.loop), worker.loop).result(timeout=10)


async def _ask(loop: BalancedLoop) -> int:
    """Return a loop's held connections."""
    return loop.held()


def test_a_server_closed_during_a_pause_does_not_listen_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server closed while its loop pauses before an accept stays closed: the waiting connection is not taken."""
    monkeypatch.setattr(balance, "PAUSE_SECONDS", PAUSE)
    errors: list[dict[str, object]] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        worker = Worker(listener)
        worker.loop.set_exception_handler(lambda _, context: errors.append(context))
        worker.start()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)), socket.create_connection(("127.0.0.1", port)):
            _accepted([worker], 1)
            worker.loop.call_soon_threadsafe(worker.server.close)  # the second connection waits out a pause
            time.sleep(3 * PAUSE)
            assert (worker.accepted, errors) == (1, [])
        worker.stop()
