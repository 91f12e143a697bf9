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
from typing import Any, Final

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
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    balanced = balancing()
    config = uvicorn.Config(factory, factory=True, host=host, port=port, workers=count, log_config=log_config(),
                            access_log=False, timeout_worker_healthcheck=HEALTHCHECK_SECONDS,
                            loop=LOOP if balanced else "auto")  # fmt: skip
    try:
        sock = config.bind_socket()
    except SystemExit:  # uvicorn has logged why
        return f"--host/--port: cannot listen on {host}:{port}"
    supervisor = Multiprocess(config, sockets=[sock])
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
