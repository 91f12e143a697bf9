"""The lean supervisor of ``serve --workers``: what its log shows, and that it runs without the package."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from screening.serve import supervisor
from screening.serve.supervisor import HEALTHCHECK_SECONDS, STARTUP_FAILURE, Pinged, Reported

SPAWN = multiprocessing.get_context("spawn")  # as uvicorn starts its workers


@pytest.mark.parametrize(
    ("level", "module", "message", "shown"),
    [
        (logging.INFO, "multiprocess", "Child process [12] died", True),
        (logging.INFO, "multiprocess", "Started parent process [11]", False),
        (logging.INFO, "server", "Started server process [12]", False),
        (logging.ERROR, "multiprocess", "Child process [12] failed to start, stopping the parent process.", True),
        (logging.WARNING, "h11_impl", "Invalid HTTP request received.", True),
    ],
)
def test_log_shows_problems_and_deaths(level: int, module: str, message: str, shown: bool) -> None:
    """The supervisor's log keeps warnings, errors and worker deaths, not start-up chatter."""
    record = logging.LogRecord("uvicorn.error", level, f"/x/{module}.py", 1, message, None, None)
    assert Reported().filter(record) is shown


LOADED = """import runpy, sys
runpy.run_path(sys.argv[1])  # as ``python -P supervisor.py`` loads it, without running main
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("screening", "polars", "duckdb", "numpy", "starlette"))
print(",".join(heavy) or "none")
"""


def test_the_supervisor_imports_nothing_of_the_package() -> None:
    """Run as the script it is, the supervisor loads neither the package nor polars, DuckDB, numpy or Starlette."""
    done = subprocess.run(
        [sys.executable, "-P", "-c", LOADED, supervisor.__file__], check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "none"


@pytest.mark.parametrize("host", ["127.0.0.1", "256.0.0.1"])
def test_a_socket_it_cannot_open_ends_it_in_one_line(host: str) -> None:
    """A port in use or a host that is no address ends the supervisor with exit 2 and one line saying so."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        argv = [sys.executable, "-P", supervisor.__file__, host, str(port), "2", supervisor.FACTORY]
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=120)
    line = f"screening: error: --host/--port: cannot listen on {host}:{port}"
    assert (done.returncode, done.stderr.strip().splitlines()[-1]) == (2, line)


def test_a_host_with_control_characters_is_told_in_one_clean_line() -> None:
    """A host holding an escape sequence and a line break is told on one line, with neither."""
    argv = [sys.executable, "-P", supervisor.__file__, "bad\x1b[31mhost\nsecond", "0", "2", supervisor.FACTORY]
    done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=120)
    last = done.stderr.strip().splitlines()[-1]
    assert (done.returncode, last) == (2, "screening: error: --host/--port: cannot listen on bad [31mhost second:0")


@pytest.mark.parametrize(
    ("prefix", "other", "kept"),
    [
        (supervisor.FOLDER_PREFIX, False, False),
        (supervisor.FOLDER_PREFIX, True, False),  # a file it did not write stays, and so its folder
        ("mine-", True, True),  # not a folder it made: all stays
    ],
)
def test_removing_a_table_removes_what_it_wrote_only(tmp_path: Path, prefix: str, other: bool, kept: bool) -> None:
    """Removing the workers' table removes its file, its FIFOs and its folder, never another's files."""
    folder = tmp_path / f"{prefix}x"
    folder.mkdir()
    if other:
        (folder / "notes").write_text("kept")
    table = supervisor.make_table(str(folder), 1)
    written = set(os.listdir(folder))
    supervisor.remove_table(table)
    left = set(os.listdir(folder)) if folder.exists() else set()
    assert left == (written if kept else {"notes"} & written)


@pytest.mark.parametrize(
    ("mkfifo", "fcntl", "balanced"),
    [
        (True, True, True),
        (False, True, False),  # Windows has neither
        (True, False, False),
    ],
)
def test_balancing_only_where_fifos_and_locks_are(
    monkeypatch: pytest.MonkeyPatch, mkfifo: bool, fcntl: bool, balanced: bool
) -> None:
    """Workers share a table (and the balanced loop) only where os.mkfifo and fcntl exist; else they serve as before."""
    if not mkfifo:
        monkeypatch.delattr(os, "mkfifo")
    if not fcntl:
        monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl fails as on Windows
    assert supervisor.balancing() is balanced


@pytest.mark.parametrize(
    ("answers", "pinged", "timeout", "answered", "waited"),
    [
        (True, False, HEALTHCHECK_SECONDS, True, False),  # it answered, then exited: the answer is read
        (False, True, HEALTHCHECK_SECONDS, False, False),  # it exited once pinged, unanswered: no wait
        (False, False, 0.2, False, True),  # it runs and does not answer: the whole wait
    ],
)
def test_a_pinged_pipe_waits_only_while_its_worker_runs(
    answers: bool, pinged: bool, timeout: float, answered: bool, waited: bool
) -> None:
    """The supervisor's end of a ping pipe gives an answer sent, and stops waiting for one when the worker exits."""
    ours, theirs = multiprocessing.Pipe()
    worker = SPAWN.Process(target=theirs.send if answers else theirs.recv, args=(True,) if answers else ())
    worker.start()
    pipe = Pinged(ours, worker.sentinel)
    if pinged:
        pipe.send(b"ping")
    started = time.monotonic()
    ready = pipe.poll(timeout)
    elapsed = time.monotonic() - started
    if worker.is_alive():
        pipe.send(b"ping")  # lets it end
    worker.join()
    assert (ready, elapsed >= timeout) == (answered, waited)
    assert not answered or pipe.recv() is True


def _fail_once_pinged(pipe: Connection[Any, Any]) -> None:
    """Say it runs, then exit as a worker failing at start does, right after the next ping and without answering it."""
    pipe.send("up")
    pipe.recv()
    os._exit(STARTUP_FAILURE)


def test_a_worker_exiting_once_pinged_stops_the_supervisor_at_once() -> None:
    """A worker failing at start with a ping unanswered stops the supervisor then, not HEALTHCHECK_SECONDS later."""
    from uvicorn.config import Config  # noqa: PLC0415  (the serve extra)
    from uvicorn.supervisors import multiprocess  # noqa: PLC0415

    handlers = {number: signal.getsignal(number) for number in multiprocess.SIGNALS}  # the supervisor takes them
    try:
        config = Config("nowhere:app", workers=1, timeout_worker_healthcheck=HEALTHCHECK_SECONDS)
        watched = supervisor.make_supervisor(config, [])
        worker = multiprocess.Process(config, [])
        worker.process = SPAWN.Process(target=_fail_once_pinged, args=(worker.child_conn,))
        worker.start()
        assert worker.parent_conn.recv() == "up"  # started: what follows waits on the supervisor alone
        watched.processes.append(worker)
        started = time.monotonic()
        watched.keep_subprocess_alive()
        elapsed = time.monotonic() - started
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert watched.should_exit.is_set() and worker.exitcode == STARTUP_FAILURE
    assert elapsed < HEALTHCHECK_SECONDS / 2, elapsed
