"""The users and keys commands, and serve's refusals, through ``screening.cli.main``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from screening.cli import main
from screening.serve.accounts import key_matches, live_keys, verify_password
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
