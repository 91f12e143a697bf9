"""The event loop of ``serve --workers``: workers sharing one listening socket keep even counts of connections.

Every worker on the shared socket is woken by a new connection, and asyncio accepts every connection
waiting when it wakes, so the first awake took a burst of keep-alive connections (8 of 8, say) and
answered them in turn while another idled. The supervisor makes a small table, two slots per worker
(its process id, the connections it holds and a heartbeat), in a file each worker maps into memory
(:class:`Table`). :class:`BalancedLoop` publishes the connections it holds and accepts, one at a
time, while it holds no more than the least loaded live peer; else it stops listening, so the peer
takes the connection, until a peer that took one wakes it through its FIFO or one of its own
connections closes. A connection waits at most ``TURN_SECONDS`` for a peer that is slow to take it
(then this worker accepts it anyway). A peer counts only while its process holds its slot's lock
(a killed worker's goes with it), it listens (not stopping, not paused out of descriptors) and its
heartbeat is younger than ``STALE_SECONDS`` (a stopped process). The worker with the fewest
connections accepts at once, so clients that open a connection per request wait on no pause, and one
over its share after accepting keeps listening until woken for a connection it should leave (stepping
aside and back after every accept cost such a client more than the accept). It is asyncio's
selector loop with its accept step changed (private methods: :func:`new_loop` checks them and falls
back to asyncio's own loop if they differ); without a table it accepts as asyncio does.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import inspect
import mmap
import os
import select
import socket
import struct
import sys
import time
from asyncio import selector_events
from typing import Any, Final

from screening.serve.supervisor import SLOT_BYTES, TABLE_VARIABLE, wake_path

TURN_SECONDS: Final = 0.02  # then accepts it anyway: a peer woken late on a loaded machine may not take it
TURN_VARIABLE: Final = "SCREENING_SERVE_TURN_MS"  # overrides TURN_SECONDS (tests on a loaded machine)
STALE_SECONDS: Final = 2.0  # a peer not heard from this long is not counted (stopped, or stuck)
STALE_VARIABLE: Final = "SCREENING_SERVE_STALE_MS"  # overrides STALE_SECONDS (tests on a loaded machine)
BEAT_SECONDS: Final = 0.25
CLAIM_SECONDS: Final = 0.5  # a worker finding no slot free tries again this often
_SLOT: Final = struct.Struct("=qqdq")  # process id, connections held, heartbeat (time.monotonic), stepped aside


class Table:
    """The workers' shared table of connections held, one slot per worker, in a file mapped into memory."""

    def __init__(self, path: str) -> None:
        self.path, self.fd = path, os.open(path, os.O_RDWR)
        self.stale = _seconds(STALE_VARIABLE, STALE_SECONDS)
        try:
            self.slots = os.fstat(self.fd).st_size // SLOT_BYTES
            self.memory = mmap.mmap(self.fd, self.slots * SLOT_BYTES)
        except BaseException:
            os.close(self.fd)
            raise
        try:
            self.mine = self._claim()
            # read and written by this worker: a FIFO with no writer open would read as ended, waking the loop forever
            self.wakes = os.open(wake_path(path, self.mine), os.O_RDWR | os.O_NONBLOCK)
            self.writers: dict[int, int] = {}  # peers' FIFOs opened to wake them, kept open: one write a wake-up
        except BaseException:
            self.memory.close()
            os.close(self.fd)  # releases the slot's lock
            raise

    def _claim(self) -> int:
        """Return the slot this process takes: the first whose lock no live worker holds (a dead one's is freed)."""
        for slot in range(self.slots):
            if not _lock(self.fd, slot):
                continue
            self.pid = os.getpid()  # a syscall each time (glibc caches it no more): read once, as a slot is per process
            _SLOT.pack_into(self.memory, slot * SLOT_BYTES, self.pid, 0, 0.0, 0)
            return slot
        raise OSError(f"no free slot of {self.slots} in the workers' connection table")

    def publish(self, held: int, *, aside: bool = False, listening: bool = True) -> None:
        """Write the connections this worker holds, whether it stepped aside, and that it is alive (and listening)."""
        pid = self.pid if listening else 0  # a worker not listening (stopping, out of descriptors) is not waited for
        _SLOT.pack_into(self.memory, self.mine * SLOT_BYTES, pid, held, time.monotonic(), aside)

    def _peers(self) -> list[tuple[int, int, bool]]:
        """Return the live peers' slots: each with the connections it holds and whether it stepped aside."""
        fresh = time.monotonic() - self.stale
        found = []
        for slot in range(self.slots):
            pid, held, beat, aside = _SLOT.unpack_from(self.memory, slot * SLOT_BYTES)
            if slot != self.mine and pid and beat > fresh and _locked(self.fd, slot):  # a killed worker's is free
                found.append((slot, held, bool(aside)))
        return found

    def least(self) -> int | None:
        """Return the fewest connections a live peer holds, or None when no peer is live."""
        return min((held for _, held, _ in self._peers()), default=None)

    def wake(self) -> None:
        """Wake the live peers that stepped aside, so that they look again now rather than when their turn ends."""
        for slot, _, aside in self._peers():
            if aside:
                self._write(slot)

    def _write(self, slot: int) -> None:
        """Write a wake-up to a slot's FIFO, through the writer kept open for it (opened the first time)."""
        fd = self.writers.get(slot)
        if fd is None:
            try:
                fd = self.writers[slot] = os.open(wake_path(self.path, slot), os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader: its worker is gone
                return
        try:
            os.write(fd, b"w")
        except BlockingIOError:  # woken already (its pipe is full)
            pass
        except OSError:  # no reader any more (its worker died): a replacement's FIFO is opened afresh next time
            del self.writers[slot]
            os.close(fd)

    def drain(self) -> None:
        """Read the wake-ups peers sent this worker (a read shorter than asked for emptied the FIFO)."""
        with contextlib.suppress(BlockingIOError):
            while len(os.read(self.wakes, 4096)) == 4096:
                pass

    def leave(self) -> None:
        """Mark this worker's slot as not serving (peers stop counting it at once) and unmap the table."""
        _SLOT.pack_into(self.memory, self.mine * SLOT_BYTES, 0, 0, 0.0, 0)
        self.memory.close()
        for fd in self.writers.values():
            os.close(fd)
        self.writers.clear()
        os.close(self.wakes)
        os.close(self.fd)  # releases the slot's lock


_FLOCK: Final = struct.Struct("hhqqi4x")  # Linux's struct flock: type, whence, start, length, pid


def _lock(fd: int, slot: int) -> bool:
    """Lock a slot's byte for this open file (not only this process: loops in one process hold slots apart)."""
    try:
        if hasattr(fcntl, "F_OFD_SETLK"):  # Linux
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, slot * SLOT_BYTES, 1, 0))
        else:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot * SLOT_BYTES)
    except OSError:
        return False
    return True


def _locked(fd: int, slot: int) -> bool:
    """Return whether a worker holds a slot's lock, as every live worker does (the lock goes with its process)."""
    if hasattr(fcntl, "F_OFD_GETLK"):
        found = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, _FLOCK.pack(fcntl.F_WRLCK, os.SEEK_SET, slot * SLOT_BYTES, 1, 0))
        return bool(_FLOCK.unpack(found)[0] != fcntl.F_UNLCK)
    if not _lock(fd, slot):
        return True
    fcntl.lockf(fd, fcntl.LOCK_UN, 1, slot * SLOT_BYTES)
    return False


def _table() -> Table | None:
    """Return the table the supervisor made for this worker's server, or None when it made none or has no slot free."""
    path = os.environ.get(TABLE_VARIABLE)
    if not path:
        return None
    try:
        return Table(path)
    except OSError:  # every slot held (workers being replaced): it accepts as asyncio does until one is free
        return None


# the private steps of asyncio's selector loop BalancedLoop changes or calls, as Python 3.11 to 3.13 have them
_TIMEOUTS: Final = ("ssl_handshake_timeout", "ssl_shutdown_timeout")
PRIVATE: Final = {
    "_accept_connection": ("self", "protocol_factory", "sock", "sslcontext", "server", "backlog", *_TIMEOUTS),
    "_accept_connection2": ("self", "protocol_factory", "conn", "extra", "sslcontext", "server", *_TIMEOUTS),
    "_start_serving": ("self", "protocol_factory", "sock", "sslcontext", "server", "backlog", *_TIMEOUTS),
    "_stop_serving": ("self", "sock"),
    "_add_reader": ("self", "fd", "callback", "args"),
    "_remove_reader": ("self", "fd"),
}


def compatible() -> bool:
    """Return whether this Python's asyncio has the private steps BalancedLoop changes, as it expects them."""
    base = selector_events.BaseSelectorEventLoop
    for name, parameters in PRIVATE.items():
        try:
            found = tuple(inspect.signature(getattr(base, name)).parameters)
        except (AttributeError, TypeError, ValueError):
            return False
        if found != parameters:
            return False
    return True


def new_loop() -> asyncio.AbstractEventLoop:
    """Return a worker's event loop: balanced where asyncio is as this module expects, else asyncio's own."""
    if compatible():
        loop = BalancedLoop()
        if hasattr(loop, "_transports") and hasattr(loop, "_selector"):
            return loop
        loop.close()
    print("screening serve: this Python's asyncio is not the one balance.py changes: workers do not balance "
          "connections", file=sys.stderr)  # fmt: skip
    return asyncio.SelectorEventLoop()


def _seconds(variable: str, default: float) -> float:
    """Return the milliseconds an environment variable sets, in seconds, or ``default`` where it sets none."""
    try:
        seconds = float(os.environ.get(variable, "nan")) / 1000
    except ValueError:  # not a number: a worker must not fail to start over it
        return default
    return seconds if seconds >= 0 else default  # NaN (unset) is not >= 0


class BalancedLoop(asyncio.SelectorEventLoop):
    """A selector event loop that accepts connections only while it holds no more than its least loaded peer."""

    def __init__(self) -> None:
        super().__init__()
        self.table: Table | None = None
        self.joined = False  # whether it took (or is trying to take) a slot in the workers' table
        self.listening = False  # whether it serves a socket (not stopped, not paused out of descriptors)
        self.turn = _seconds(TURN_VARIABLE, TURN_SECONDS)
        self.pending = 0  # accepted, their protocol not yet made (not in the loop's transports yet)
        self.waiting_since: float | None = None  # when this loop first stepped aside for the waiting connection
        self.aside: tuple[asyncio.TimerHandle, tuple[Any, ...]] | None = None  # its pause, and how to listen again

    def held(self) -> int:
        """Return the connections this loop holds open."""
        transports = self._transports  # type: ignore[attr-defined]
        return self.pending + sum(not transport.is_closing() for transport in list(transports.values()))

    def _start_serving(self, factory: Any, sock: socket.socket, *rest: Any) -> None:
        """Listen on a socket; the first time, take a slot in the workers' table and start its heartbeat."""
        if not self.listening:  # again after asyncio's pause out of descriptors: peers count it at once
            self.listening = True
            self._publish()
        if not self.joined:
            self.joined = True
            self._join()
        super()._start_serving(factory, sock, *rest)  # type: ignore[misc]

    def _join(self) -> None:
        """Take a slot in the workers' table, or try again in ``CLAIM_SECONDS`` while every slot is held."""
        if self.is_closed():
            return
        if (table := _table()) is not None:
            self.table = table
            self._add_reader(table.wakes, self._woken)  # type: ignore[attr-defined]
            self._beat()
        elif os.environ.get(TABLE_VARIABLE):  # the workers this one replaces still hold theirs
            self.call_later(CLAIM_SECONDS, self._join)

    def _stop_serving(self, sock: socket.socket) -> None:
        """Stop listening on a socket (the server closes): peers stop waiting for this worker at once."""
        super()._stop_serving(sock)  # type: ignore[misc]
        self.listening = False
        self._publish()

    def _reading(self, sock: socket.socket) -> bool:
        """Return whether this loop listens on a socket (asyncio stops for a second when out of descriptors)."""
        try:
            key = self._selector.get_key(sock.fileno())  # type: ignore[attr-defined]
        except (KeyError, ValueError):
            return False
        return key.data[0] is not None

    def _publish(self, held: int | None = None) -> None:
        """Write this loop's connections (``held``, else counted now), whether it stepped aside and it listens."""
        if self.table is not None:
            held = self.held() if held is None else held
            self.table.publish(held, aside=self.aside is not None, listening=self.listening)

    def _beat(self) -> None:
        """Publish this loop's connections now and every ``BEAT_SECONDS``."""
        if self.table is not None and not self.is_closed():
            self._publish()
            self.call_later(BEAT_SECONDS, self._beat)

    def _my_turn(self, held: int) -> bool:
        """Return whether a loop holding ``held`` takes the next connection: no live peer holds fewer, or it waited."""
        if self.table is None:
            return True
        least = self.table.least()
        if least is None or held <= least:
            return True
        now = time.monotonic()
        if self.waiting_since is None:
            self.waiting_since = now
        return now - self.waiting_since >= self.turn

    def _accept_connection(  # asyncio's signature: the timeouts follow the backlog
        self, factory: Any, sock: socket.socket, ssl: Any = None, server: Any = None, backlog: int = 100, *timeouts: Any
    ) -> None:
        """Accept waiting connections one at a time while it is this loop's turn; step aside if it took none."""
        took, held = False, self.held()  # counted once: each connection accepted here adds one
        for _ in range(backlog):
            if not self._my_turn(held):
                if took:  # maybe none waits: stepping aside (and back) would cost a connection-per-request client
                    self.waiting_since = None  # its time; one that waits wakes this loop again, which steps aside
                else:
                    self._step_aside(factory, sock, ssl, server, backlog, *timeouts)
                break
            accepted = self.pending
            super()._accept_connection(factory, sock, ssl, server, 1, *timeouts)  # type: ignore[misc]
            self.waiting_since = None
            if self.pending == accepted:  # none waiting, or out of descriptors: asyncio pauses listening a second
                if not self._reading(sock):
                    self.listening = False
                    self._publish()
                break
            took, held = True, held + 1
            self._publish(held)
        if took and self.table is not None:  # peers that stepped aside may hold the fewest now
            self.table.wake()  # (one that only stepped aside wakes no one: loaded workers would wake each other)

    def _step_aside(self, *serving: Any) -> None:
        """Stop listening until a peer takes a connection, one of this loop's closes, or the connection's turn ends."""
        sock = serving[1]
        self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
        since = self.waiting_since or time.monotonic()  # set by _my_turn, which said no
        self.aside = (self.call_later(max(since + self.turn - time.monotonic(), 0.0), self._resume, *serving), serving)
        self._publish()
        if self._my_turn(self.held()):  # a peer took one since: its wake-up may have missed the aside just published
            self._listen_again()

    def _woken(self) -> None:
        """Listen again at once when a peer says it took a connection."""
        if self.table is not None:
            self.table.drain()
        self._listen_again()

    def _listen_again(self) -> None:
        """Listen again now if this loop stepped aside."""
        if self.aside is not None:
            timer, serving = self.aside
            timer.cancel()
            self._resume(*serving)

    def _resume(self, factory: Any, sock: socket.socket, ssl: Any, server: Any, backlog: int, *timeouts: Any) -> None:
        """Listen again after stepping aside; a connection a peer took meanwhile ends this loop's wait."""
        self.aside = None
        self._publish()
        if sock.fileno() < 0 or (server is not None and not server.is_serving()):  # the server closed meanwhile
            return
        if not select.select([sock], [], [], 0)[0]:
            self.waiting_since = None
        self._start_serving(factory, sock, ssl, server, backlog, *timeouts)

    def _accept_connection2(self, factory: Any, conn: socket.socket, *rest: Any) -> Any:
        """Count a connection just accepted until its protocol is made, then make it asyncio's way."""
        self.pending += 1

        def made() -> Any:
            self.pending -= 1
            protocol = factory()
            lost = protocol.connection_lost

            def counted(exc: Exception | None) -> None:
                try:  # it refers to the protocol: a cycle that kept it (and its transport) for the garbage
                    vars(protocol).pop("connection_lost", None)  # collector; gone already where one protocol
                    lost(exc)  # serves two connections (this wrapper wrapped the first's)
                finally:
                    self._publish()
                    self._listen_again()  # holding one fewer, it may hold the fewest now

            with contextlib.suppress(AttributeError):  # a protocol with __slots__ (not uvicorn's): the heartbeat tells
                protocol.connection_lost = counted  # peers see the count drop at once, not at the next heartbeat
            return protocol

        return super()._accept_connection2(made, conn, *rest)  # type: ignore[misc]

    def close(self) -> None:
        """Close the loop and leave the workers' table."""
        if self.table is not None:
            if not self.is_closed():
                self._remove_reader(self.table.wakes)  # type: ignore[attr-defined]
            self.table.leave()
            self.table = None
        super().close()
