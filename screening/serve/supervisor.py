"""The supervisor of ``serve --workers N``, lean: run as a script, it imports uvicorn and the standard library only.

``screening serve`` checks its options and the store, publishes the settings (see :mod:`.workers`)
and then replaces itself (``os.execv``, same process id) with ``python -P supervisor.py HOST PORT
N FACTORY``: a process that never imported the package (polars, DuckDB, the matcher) holds the
socket and spawns the workers, which import it themselves. ``-P`` keeps this file's folder off the
import path, where ``queue.py`` would hide the standard library's. Nothing here may import
``screening``: importing any of its modules imports the whole package first.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import tempfile
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from socket import socket

    from uvicorn.config import Config
    from uvicorn.supervisors import Multiprocess

FACTORY: Final = "screening.serve.workers:app_from_environment"
LOOP: Final = "screening.serve.balance:new_loop"  # each worker's event loop: they keep even connection counts
TABLE_VARIABLE: Final = "SCREENING_SERVE_TABLE"  # the file of the workers' connection counts (see balance.py)
FOLDER_PREFIX: Final = "screening-serve-"  # the temporary folder of the table
SLOT_BYTES: Final = 64  # one worker's slot in it (24 used), a cache line: one worker's writes do not slow another's
# uvicorn kills a worker that does not answer its supervisor's ping this fast (default 5 s), and a
# spawned worker answers only once its imports are done: seconds on a loaded machine
HEALTHCHECK_SECONDS: Final = 60
STARTUP_FAILURE: Final = 3  # uvicorn's exit code of a worker that failed before serving: its supervisor stops
USAGE_EXIT: Final = 2  # as the CLI's one-line errors (screening.errors.INPUT_EXIT)
INTERRUPT_EXIT: Final = 130
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # as screening.errors.one_line, which it cannot import


class Reported(logging.Filter):
    """Let through uvicorn's warnings and errors, and its supervisor's note that a worker died."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Return whether a record is shown."""
        return record.levelno >= logging.WARNING or (record.module == "multiprocess" and "died" in record.getMessage())


def log_config() -> dict[str, Any]:
    """Return uvicorn's logging settings with only what an operator must see: problems and worker deaths."""
    from uvicorn.config import LOGGING_CONFIG  # noqa: PLC0415  (the serve extra)

    config: dict[str, Any] = json.loads(json.dumps(LOGGING_CONFIG))
    config["filters"] = {"reported": {"()": Reported}}  # the class itself: its module may be this script
    config["loggers"]["uvicorn.error"]["filters"] = ["reported"]
    return config


def supervise(host: str, port: int, count: int, factory: str = FACTORY) -> str | None:
    """Run ``count`` worker processes of ``factory`` on one socket until stopped; return why it failed, or None."""
    import uvicorn  # noqa: PLC0415  (the serve extra)

    balanced = balancing()
    config = uvicorn.Config(factory, factory=True, host=host, port=port, workers=count, log_config=log_config(),
                            access_log=False, timeout_worker_healthcheck=HEALTHCHECK_SECONDS,
                            loop=LOOP if balanced else "auto")  # fmt: skip
    try:
        sock = config.bind_socket()
    except SystemExit:  # uvicorn has logged why
        return f"--host/--port: cannot listen on {host}:{port}"
    supervisor = make_supervisor(config, [sock])
    table = make_table(tempfile.mkdtemp(prefix=FOLDER_PREFIX), count) if balanced else None
    try:
        if table is not None:
            os.environ[TABLE_VARIABLE] = table  # the workers it spawns inherit it
        supervisor.run()
    finally:
        if table is not None:
            os.environ.pop(TABLE_VARIABLE, None)
            remove_table(table)
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        return f"{factory}: a worker failed to start (see above); the server stopped"
    return None


def make_supervisor(config: Config, sockets: list[socket]) -> Multiprocess:
    """Return uvicorn's supervisor of the workers, which stops waiting for a pinged worker's answer once it exits."""
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415  (the serve extra)

    class Supervisor(Multiprocess):
        """uvicorn's supervisor, each worker's ping pipe watched for the worker's exit before it is pinged."""

        def keep_subprocess_alive(self) -> None:
            """Ping each worker, replace a dead one, stop on a start failure (uvicorn's), hearing an exit at once."""
            for process in self.processes:  # all started: uvicorn starts a worker before it lists it
                watch_exit(process)
            super().keep_subprocess_alive()

    return Supervisor(config, sockets=sockets)


class Pinged:
    """The supervisor's end of a worker's ping pipe, whose wait for an answer ends when the worker exits.

    uvicorn waits HEALTHCHECK_SECONDS for the answer (``parent_conn.poll``); the supervisor holds the
    worker's end of the pipe too, so a worker exiting before it answers (one failing at start) never
    reads as the pipe's end, and the wait would run its full length. A process's sentinel is ready once it
    has exited (its exit code set), so uvicorn then reads the code a failed start leaves, not its own kill's.
    """

    def __init__(self, conn: Connection[Any, Any], sentinel: int) -> None:
        self.conn, self.sentinel = conn, sentinel

    def poll(self, timeout: float = 0.0) -> bool:
        """Return whether an answer waits, waiting up to ``timeout`` seconds while the worker runs."""
        return self.conn in wait([self.conn, self.sentinel], timeout)

    def send(self, message: object) -> None:
        """Send a message to the worker."""
        self.conn.send(message)

    def recv(self) -> Any:  # what the worker sent: uvicorn's startup flag
        """Return the worker's next message."""
        return self.conn.recv()

    def close(self) -> None:
        """Close the supervisor's end."""
        self.conn.close()


def watch_exit(process: object) -> None:
    """Give a started uvicorn worker a :class:`Pinged` ping pipe; where uvicorn has none as expected, leave it be."""
    conn, spawned = getattr(process, "parent_conn", None), getattr(process, "process", None)
    if isinstance(conn, Connection) and spawned is not None:  # a test tells where uvicorn changed them
        process.parent_conn = Pinged(conn, spawned.sentinel)  # type: ignore[attr-defined]


def balancing() -> bool:
    """Return whether workers can keep even connection counts here: FIFOs and byte locks (not on Windows)."""
    try:
        import fcntl  # noqa: F401, PLC0415
    except ImportError:
        return False
    return hasattr(os, "mkfifo")


def make_table(folder: str, count: int) -> str:
    """Write the workers' table of connection counts (zeroed slots and a wake-up FIFO each); return its path."""
    path = os.path.join(folder, "connections")
    slots = 2 * count  # uvicorn starts a worker's replacement (SIGHUP, SIGTTIN) while the worker holds its slot
    with open(path, "wb") as table:
        table.write(bytes(slots * SLOT_BYTES))
    for slot in range(slots):
        os.mkfifo(wake_path(path, slot))
    return path


def remove_table(path: str) -> None:
    """Remove a table :func:`make_table` wrote: its file, its FIFOs, then its folder; nothing it did not write."""
    folder, name = os.path.split(path)
    if not os.path.basename(folder).startswith(FOLDER_PREFIX):
        return
    with contextlib.suppress(FileNotFoundError):
        for entry in os.listdir(folder):
            if entry == name or entry.startswith(f"{name}.wake"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, entry))
    with contextlib.suppress(OSError):  # gone already, or holding what it did not write
        os.rmdir(folder)


def wake_path(table: str, slot: int) -> str:
    """Return the FIFO through which peers wake the worker of a slot of a table."""
    return f"{table}.wake{slot}"


def main(argv: list[str]) -> int:
    """Supervise the workers ``argv`` (host, port, count, factory) asks for; return the exit code."""
    host, port, count, factory = argv
    try:
        failed = supervise(host, int(port), int(count), factory)
    except KeyboardInterrupt:  # before uvicorn's own handlers are in place
        _say("interrupted by SIGINT (Ctrl-C)")
        return INTERRUPT_EXIT
    except Exception as exc:  # the CLI's boundary is not here: one line, not a traceback
        _say(f"internal error: {type(exc).__name__}: {exc}; please report it")
        return USAGE_EXIT
    if failed is None:
        return 0
    _say(f"error: {failed}")
    return USAGE_EXIT


def _say(text: str) -> None:
    """Print one line to stderr, control characters (a host's, an error's) as spaces."""
    print(f"screening: {_CONTROL.sub(' ', text).strip()}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
