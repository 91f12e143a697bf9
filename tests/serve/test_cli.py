"""The users and keys commands, and serve's refusals and polars threads, through ``screening.cli.main``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening.cli import main
from screening.serve.accounts import key_matches, live_keys, verify_password
from screening.serve.cli import rerun_argv
from screening.store import open_store


def test_users_add_reads_the_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A piped password is hashed into the store; the user then signs in with it."""
    db = str(tmp_path / "s.duckdb")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["--db", db, "users", "add", "ana", "--role", "reviewer"]) == 0
    store = open_store(db)
    assert verify_password(store, "ana", "a long password") is not None
    store.close()


def test_keys_add_prints_the_key_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed key is live, the listing shows its id but never the key, and revoking ends it."""
    db = str(tmp_path / "s.duckdb")
    assert main(["--db", db, "keys", "add", "erp"]) == 0
    key = capsys.readouterr().out.strip()
    assert main(["--db", db, "keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert key.split("_")[1] in listing and key not in listing
    store = open_store(db)
    assert key_matches(live_keys(store), key)
    store.close()
    assert main(["--db", db, "keys", "revoke", "erp"]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--db", ":memory:"], "serve needs a store file"),
        (["keys", "revoke", "nobody"], "no live API key named 'nobody'"),
        (["users", "add", "ana", "--role", "admin"], "at least 10 characters"),
        (["serve", "--batch-window", "inf"], "--batch-window: inf ms is not a wait"),
        (["serve", "--batch-window", "nan"], "--batch-window: nan ms is not a wait"),
        (["serve", "--batch-window", "-1"], "--batch-window: -1 ms is not a wait"),
        (["serve", "--polars-threads", "-1"], "--polars-threads: -1 is not a thread count"),
        (["serve", "--polars-threads", "100000"], "--polars-threads: 100000 is not a thread count"),
        (["serve", "--workers", "0"], "--workers: 0 is not a process count (1 to 64)"),
        (["serve", "--workers", "-2"], "--workers: -2 is not a process count (1 to 64)"),
        (["serve", "--workers", "65"], "--workers: 65 is not a process count (1 to 64)"),
        (["serve", "--port", "70000"], "--port: 70000 is not a TCP port (0 to 65535)"),
        (["serve", "--port", "-1"], "--port: -1 is not a TCP port (0 to 65535)"),
    ],
)
def test_refusals_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Bad use exits 2 with one line naming the problem."""
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--db", str(tmp_path / "s.duckdb"), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


CLI = ["/venv/bin/python", "/venv/bin/screening", "--db", "s.duckdb", "serve"]
PYM = ["py", "-m", "screening.cli", "--db", "x", "serve"]


@pytest.mark.parametrize(
    ("threads", "environ", "argv", "orig_argv", "expected"),
    [
        (1, {}, CLI[1:], CLI, CLI),  # the console script: rerun as started
        (2, {}, ["/src/screening/cli.py", *PYM[3:]], PYM, PYM),  # python -m screening.cli
        (1, {"POLARS_MAX_THREADS": "1"}, CLI[1:], CLI, None),  # the rerun itself goes on
        (2, {"POLARS_MAX_THREADS": "1"}, CLI[1:], CLI, CLI),
        (0, {}, CLI[1:], CLI, None),  # polars' own pool: nothing to do
        (1, {}, ["pytest", "tests/serve"], ["py", "pytest", "-k", "x"], None),  # another command line
        (1, {}, ["screening"], ["py", "screening"], None),  # no arguments to match
    ],
)
def test_rerun_argv(
    threads: int, environ: dict[str, str], argv: list[str], orig_argv: list[str], expected: list[str] | None
) -> None:
    """The server reruns itself with the pool variable set only when it is the command and the variable differs."""
    assert rerun_argv(threads, environ, argv, orig_argv) == expected


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads a process's environment from /proc")
def test_serve_reruns_with_its_polars_threads(tmp_path: Path) -> None:
    """``serve --polars-threads 1`` becomes the same process with POLARS_MAX_THREADS=1 (before it builds the index)."""
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}
    cmd = [sys.executable, "-m", "screening.cli", "--db", str(tmp_path / "s.duckdb"), "serve", "--port", "0"]
    cmd += ["--workers", "1"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, seen = time.monotonic() + 60, b""
        while time.monotonic() < deadline and b"POLARS_MAX_THREADS=1" not in seen and server.poll() is None:
            time.sleep(0.2)
            seen = Path(f"/proc/{server.pid}/environ").read_bytes()
        assert b"POLARS_MAX_THREADS=1\0" in seen
    finally:
        server.kill()
        server.wait(timeout=30)
