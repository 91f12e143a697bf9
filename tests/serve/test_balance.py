"""The workers' table of connections and the event loop that keeps their counts even."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import subprocess
import sys
import threading
import time
import weakref
from asyncio import selector_events
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from pkgutil import resolve_name as resolve

import pytest

from screening.serve import balance, supervisor
from screening.serve.balance import _SLOT, BalancedLoop, Table
from screening.serve.supervisor import SLOT_BYTES, TABLE_VARIABLE, make_table, wake_path

PEER = 1  # the slot the tests write by hand, as another worker would; this process takes slot 0


def _write(table: Table, slot: int, held: int, age: float, *, aside: bool = False) -> None:
    """Write a peer's slot: a process id, the connections it holds, a heartbeat ``age`` seconds old."""
    _SLOT.pack_into(table.memory, slot * SLOT_BYTES, 4242 + slot, held, time.monotonic() - age, aside)


@pytest.mark.parametrize(
    ("peers", "least"),
    [
        ([], None),
        ([(3, 0.0)], 3),
        ([(3, 0.0), (1, 0.0)], 1),
        ([(3, 0.0), (1, 60.0)], 3),  # a peer not heard from in a minute is not counted
        ([(0, 60.0), (0, 60.0)], None),
    ],
)
def test_least_counts_live_peers_only(tmp_path: Path, peers: list[tuple[int, float]], least: int | None) -> None:
    """The fewest connections of a live peer leave out this worker's own slot, stale peers and empty slots."""
    table = Table(make_table(str(tmp_path), 2))
    table.publish(0)  # this worker's own count is never a peer's
    others = [Table(table.path) for _ in peers]  # their workers hold their slots' locks
    for slot, (held, age) in enumerate(peers, start=1):
        _write(table, slot, held, age)
    assert (table.mine, table.least()) == (0, least)
    for other in [table, *others]:
        other.leave()


@pytest.mark.parametrize(
    ("locked", "listening", "counted"),
    [
        (True, True, True),
        (False, True, False),  # its worker killed: its lock went with it, its heartbeat not yet old
        (True, False, False),  # stopping, or paused out of descriptors
    ],
)
def test_a_peer_counts_only_while_it_lives_and_listens(
    tmp_path: Path, locked: bool, listening: bool, counted: bool
) -> None:
    """A peer whose slot's lock is free (its process gone) or that does not listen is not waited for."""
    table = Table(make_table(str(tmp_path), 1))
    peer = Table(table.path)
    peer.publish(0, listening=listening)
    if not locked:
        peer.memory.close()
        os.close(peer.fd)  # as its process ending does, its slot left as it was
    assert table.least() == (0 if counted else None)
    table.leave()
    if locked:
        peer.leave()


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (None, 7.0),
        ("60000", 60.0),
        ("0", 0.0),
        ("soon", 7.0),
        ("-5", 7.0),
    ],
)
def test_a_wait_set_in_milliseconds(monkeypatch: pytest.MonkeyPatch, raw: str | None, seconds: float) -> None:
    """SCREENING_SERVE_TURN_MS (and _STALE_MS) set a wait in milliseconds; a value that is no wait is ignored."""
    if raw is None:
        monkeypatch.delenv(balance.TURN_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(balance.TURN_VARIABLE, raw)
    assert balance._seconds(balance.TURN_VARIABLE, 7.0) == seconds


def test_the_stale_limit_is_set_by_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A table reads SCREENING_SERVE_STALE_MS: a peer silent 5 s counts when the limit is a minute."""
    monkeypatch.setenv(balance.STALE_VARIABLE, "60000")
    table = Table(make_table(str(tmp_path), 1))
    peer = Table(table.path)
    _write(table, peer.mine, 3, 5.0)
    assert (table.stale, table.least()) == (60.0, 3)
    table.leave()
    peer.leave()


HOLDER = """import sys
from screening.serve.balance import Table
table = Table(sys.argv[1])
print(table.mine, flush=True)
sys.stdin.read()  # holds its slot until told to end
"""


def test_a_dead_workers_slot_is_taken_by_the_next(tmp_path: Path) -> None:
    """A worker takes the first slot no live worker holds, and a slot is free again once its worker ended."""
    path = make_table(str(tmp_path), 2)
    argv = [sys.executable, "-c", HOLDER, path]
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "0"
        beside = Table(path)
        assert beside.mine == 1
        holder.stdin.close()
        holder.wait(timeout=60)
    beside.leave()
    again = Table(path)
    assert again.mine == 0
    again.leave()


def test_a_replacement_worker_finds_a_slot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker started while the one it replaces still holds its slot (SIGHUP, SIGTTIN) takes a slot of its own."""
    path = make_table(str(tmp_path), 1)
    monkeypatch.setenv(TABLE_VARIABLE, path)
    argv = [sys.executable, "-c", HOLDER, path]
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == b"0"
        table = balance._table()
        assert table is not None and table.mine == 1
        table.leave()
        holder.stdin.close()


HOLD_ALL = """import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX, 0, 0)  # every slot's byte
print("held", flush=True)
sys.stdin.read()
"""


def test_a_worker_finding_no_slot_free_takes_one_once_freed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker finding every slot held accepts as asyncio does, and takes a slot once one is free."""
    path = make_table(str(tmp_path), 1)
    monkeypatch.setenv(TABLE_VARIABLE, path)
    monkeypatch.setattr(balance, "CLAIM_SECONDS", 0.01)
    loop = BalancedLoop()
    argv = [sys.executable, "-c", HOLD_ALL, path]
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == b"held"
        server = loop.run_until_complete(loop.create_server(asyncio.Protocol, "127.0.0.1", 0))
        loop.run_until_complete(asyncio.sleep(0.05))
        assert loop.table is None
        holder.stdin.close()
        holder.wait(timeout=60)
    deadline = time.monotonic() + 60
    while loop.table is None and time.monotonic() < deadline:
        loop.run_until_complete(asyncio.sleep(0.01))
    assert loop.table is not None and loop.table.mine == 0
    server.close()
    loop.close()


def test_a_table_it_cannot_open_leaves_nothing_open(tmp_path: Path) -> None:
    """A worker whose slot's FIFO cannot be opened closes what it opened (and frees the slot) before failing."""
    path = make_table(str(tmp_path), 1)
    os.remove(wake_path(path, 0))
    before = len(os.listdir("/dev/fd"))
    with pytest.raises(FileNotFoundError):
        Table(path)
    assert len(os.listdir("/dev/fd")) == before


class Plain(asyncio.Protocol):
    """A connection's protocol as uvicorn's are: a class of its own, its instances with attributes."""


class Held(asyncio.Protocol):
    """A connection's protocol whose instances take no attributes."""

    __slots__ = ()


class Worker(threading.Thread):
    """A balanced event loop in a thread, serving a loopback socket, its table's slot 0 this process's."""

    def __init__(self, listener: socket.socket, turn: float, *, slotted: bool = False) -> None:
        super().__init__(daemon=True)
        self.loop, self.accepted, self.slotted, self.wakeups = BalancedLoop(), 0, slotted, 0
        self.made: list[weakref.ref[asyncio.Protocol]] = []
        self.loop.turn = turn
        woken = self.loop._woken

        def counted() -> None:
            self.wakeups += 1
            woken()

        self.loop._woken = counted  # type: ignore[method-assign]
        self.server = self.loop.run_until_complete(self.loop.create_server(self._counted, sock=listener.dup()))
        assert self.loop.table is not None
        self.table = self.loop.table
        self.peer: Table | None = None  # the hand-written peer's table, as its worker holds it

    def _counted(self) -> asyncio.Protocol:
        """Return a protocol that counts the connections this loop accepted."""
        self.accepted += 1
        protocol = Held() if self.slotted else Plain()
        if not self.slotted:  # Held takes no weak reference either
            self.made.append(weakref.ref(protocol))
        return protocol

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
def worker(tmp_path: Path, turn: float, *, slotted: bool = False) -> Iterator[tuple[int, Worker]]:
    """Run one balanced loop on a loopback socket with a two-slot table; yield its port and it."""
    with pytest.MonkeyPatch.context() as patch, socket.create_server(("127.0.0.1", 0)) as listener:
        patch.setenv(TABLE_VARIABLE, make_table(str(tmp_path), 2))
        patch.setattr(balance, "STALE_SECONDS", 600.0)  # the hand-written peer stays live however slow the machine
        running = Worker(listener, turn, slotted=slotted)
        peer = Table(running.table.path)  # the slot the tests write by hand, its lock held as its worker would
        assert peer.mine == PEER
        running.peer = peer
        running.start()
        try:
            yield listener.getsockname()[1], running
        finally:
            running.stop()
            peer.leave()


def _accepted(running: Worker, total: int, seconds: float) -> bool:
    """Return whether a loop accepted ``total`` connections within ``seconds``."""
    deadline = time.monotonic() + seconds
    while running.accepted < total and time.monotonic() < deadline:
        time.sleep(0.005)
    return running.accepted >= total


@pytest.mark.parametrize(
    ("peer_held", "peer_age", "slotted", "taken"),
    [
        (1, 0.0, False, True),  # a peer holding as many: this loop's turn too
        (3, 0.0, False, True),
        (0, 0.0, False, False),  # a live peer holding fewer is left the connection (it never takes it here)
        (0, 0.0, True, False),  # so with a protocol that takes no attributes (its connection counted all the same)
        (0, 1200.0, False, True),  # a peer not heard from is not waited for
    ],
)
def test_a_loop_over_its_share_leaves_the_connection(
    tmp_path: Path, peer_held: int, peer_age: float, slotted: bool, taken: bool
) -> None:
    """A loop holding one connection takes a second at once unless a live peer holds fewer."""
    with worker(tmp_path, 600.0, slotted=slotted) as (port, running), socket.create_connection(("127.0.0.1", port)):
        assert _accepted(running, 1, 60)
        _write(running.table, PEER, peer_held, peer_age)
        with socket.create_connection(("127.0.0.1", port)):
            assert _accepted(running, 2, 1.0 if not taken else 60) is taken


def test_a_loop_over_its_share_steps_aside_only_when_a_connection_waits(tmp_path: Path) -> None:
    """A loop that took a connection and holds more than a peer keeps listening until a connection is left waiting."""
    with worker(tmp_path, 600.0) as (port, running):
        _write(running.table, PEER, 0, 0.0)
        with socket.create_connection(("127.0.0.1", port)):
            assert _accepted(running, 1, 60)
            assert running.loop.aside is None  # none waits: stepping aside and back is a cost to no purpose
            with socket.create_connection(("127.0.0.1", port)):
                deadline = time.monotonic() + 60
                while running.loop.aside is None and time.monotonic() < deadline:
                    time.sleep(0.005)
                assert running.loop.aside is not None and running.accepted == 1


def test_a_closed_connections_protocol_is_freed_at_once(tmp_path: Path) -> None:
    """The protocol of a closed connection is freed when it closes, not left in a cycle for the garbage collector."""
    with worker(tmp_path, 600.0) as (port, running):
        gc.collect()
        gc.disable()
        try:
            with socket.create_connection(("127.0.0.1", port)):
                assert _accepted(running, 1, 60)
            deadline = time.monotonic() + 60
            while running.made[0]() is not None and time.monotonic() < deadline:
                time.sleep(0.005)
            assert running.made[0]() is None
        finally:
            gc.enable()


def test_a_loop_accepts_after_waiting_its_turn(tmp_path: Path) -> None:
    """A connection a live peer leaves waiting is accepted by a loop over its share once the turn has passed."""
    turn = 0.3
    with worker(tmp_path, turn) as (port, running), socket.create_connection(("127.0.0.1", port)):
        assert _accepted(running, 1, 60)
        _write(running.table, PEER, 0, 0.0)
        began = time.monotonic()
        with socket.create_connection(("127.0.0.1", port)):
            assert _accepted(running, 2, 60)
        assert time.monotonic() - began >= turn


def test_a_peer_wakes_a_loop_that_stepped_aside(tmp_path: Path) -> None:
    """A loop that stepped aside listens again when a peer writes to its FIFO, not only after the turn."""
    with worker(tmp_path, turn=600.0) as (port, running), socket.create_connection(("127.0.0.1", port)):
        assert _accepted(running, 1, 60)
        _write(running.table, PEER, 0, 0.0)
        with socket.create_connection(("127.0.0.1", port)):
            deadline = time.monotonic() + 60
            while running.loop.aside is None and time.monotonic() < deadline:
                time.sleep(0.005)
            assert running.accepted == 1 and running.loop.aside is not None
            _write(running.table, PEER, 2, 0.0)  # the peer took connections meanwhile: this loop's turn
            fd = os.open(wake_path(running.table.path, 0), os.O_WRONLY | os.O_NONBLOCK)
            os.write(fd, b"w")
            os.close(fd)
            assert _accepted(running, 2, 60)


def test_a_loop_that_stops_serving_is_not_waited_for(tmp_path: Path) -> None:
    """A worker whose server closed (draining its connections in a graceful stop) leaves its peers the connections."""
    with worker(tmp_path, 600.0) as (_, running):
        assert running.peer is not None
        deadline = time.monotonic() + 60
        while running.peer.least() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert running.peer.least() == 0  # seen listening, holding none
        running.loop.call_soon_threadsafe(running.server.close)
        while running.peer.least() is not None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert running.peer.least() is None


@pytest.mark.parametrize("burst", [False, True])
def test_three_loops_split_evenly_without_waking_each_other_in_a_loop(tmp_path: Path, burst: bool) -> None:
    """Three loops split 12 connections 4/4/4, each woken no more often than its peers took a connection."""
    with pytest.MonkeyPatch.context() as patch, socket.create_server(("127.0.0.1", 0)) as listener:
        patch.setenv(TABLE_VARIABLE, make_table(str(tmp_path), 3))
        patch.setattr(balance, "STALE_SECONDS", 600.0)
        running = [Worker(listener, 600.0) for _ in range(3)]  # a turn that never ends: the split is the rule's alone
        for loop in running:
            loop.start()
        try:
            address = listener.getsockname()
            with contextlib.ExitStack() as opened:
                for count in range(1, 13):
                    opened.enter_context(socket.create_connection(address))
                    if not burst:  # one by one: each accepted before the next is opened
                        assert _accepted_by(running, count, 60)
                assert _accepted_by(running, 12, 60)
                assert [loop.accepted for loop in running] == [4, 4, 4]
                assert max(loop.wakeups for loop in running) <= 12
        finally:
            for loop in running:
                loop.stop()


def _accepted_by(running: list[Worker], total: int, seconds: float) -> bool:
    """Return whether loops accepted ``total`` connections between them within ``seconds``."""
    deadline = time.monotonic() + seconds
    while sum(loop.accepted for loop in running) < total and time.monotonic() < deadline:
        time.sleep(0.005)
    return sum(loop.accepted for loop in running) >= total


def _changed(self: object, protocol_factory: object, sock: object, backlog: int = 100) -> None:
    """Stand for an asyncio whose accept step takes other parameters."""


@pytest.mark.parametrize("changed", [False, True])
def test_an_asyncio_it_does_not_know_gets_its_own_loop(monkeypatch: pytest.MonkeyPatch, changed: bool) -> None:
    """A worker balances only where asyncio has the private steps it changes; elsewhere it runs asyncio's loop."""
    if changed:
        monkeypatch.setattr(selector_events.BaseSelectorEventLoop, "_accept_connection", _changed)
    loop = resolve(supervisor.LOOP)()
    try:
        assert (type(loop) is BalancedLoop) is not changed
        assert isinstance(loop, asyncio.SelectorEventLoop)
    finally:
        loop.close()


class Counting(asyncio.Protocol):
    """A protocol that counts its closes (one object may serve several connections)."""

    def __init__(self) -> None:
        self.lost = 0

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost += 1


def test_a_protocol_serving_two_connections_hears_both_close() -> None:
    """One protocol object made for two connections has its own connection_lost called twice, and nothing escapes."""
    shared, errors = Counting(), []
    loop = BalancedLoop()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))

    async def both() -> None:
        server = await loop.create_server(lambda: shared, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        first, second = socket.create_connection(("127.0.0.1", port)), socket.create_connection(("127.0.0.1", port))
        for sock in (first, second):
            await asyncio.sleep(0.2)
            sock.close()
        deadline = time.monotonic() + 30
        while shared.lost < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        server.close()

    try:
        loop.run_until_complete(both())
    finally:
        loop.close()
    assert shared.lost == 2
    assert errors == []
