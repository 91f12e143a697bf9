"""The lean supervisor of ``serve --workers``: what its log shows, and that it runs without the package."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from screening.serve import supervisor
from screening.serve.supervisor import Reported


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
