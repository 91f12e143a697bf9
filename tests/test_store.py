"""The DuckDB store: schema creation, version checks, appends by column name."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from screening.cli import main
from screening.errors import StoreError
from screening.store import SCHEMA_VERSION, TABLES, StoreLockedError, open_store


def test_new_store_has_every_table(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.duckdb")
    names = set(store.frame("SELECT table_name FROM duckdb_tables()")["table_name"])
    assert set(TABLES) | {"meta"} <= names
    assert store.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
    store.close()


def test_reopen_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    store.append("quarantine", pl.DataFrame({"line": [3], "reason": ["bad"], "source_file": ["a.csv"]}))
    store.close()
    again = open_store(path)
    assert again.frame("SELECT source_file, line, reason FROM quarantine").row(0) == (
        "a.csv",
        3,
        "bad",
    )
    again.close()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "CREATE TABLE meta (key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('schema_version', '99')",
            "store schema version 99 is newer than this engine's",
        ),
        ("CREATE TABLE customers (id INT)", "not a screening store"),
    ],
)
def test_refuses_foreign_or_newer_stores(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "s.duckdb"
    con = duckdb.connect(str(path))
    con.execute(setup)
    con.close()
    with pytest.raises(StoreError, match=message):
        open_store(path)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("s.duckdb", lambda p: p.write_text("hello", encoding="utf-8"), "not a DuckDB store \\(another kind"),
        ("x.csv", lambda p: p.write_text("a,b\n1,2\n", encoding="utf-8"), "not a DuckDB store \\(another kind"),
        ("folder", lambda p: p.mkdir(), "not a DuckDB store \\(not a regular file\\)"),
        ("pipe", os.mkfifo, "not a DuckDB store \\(not a regular file\\)"),
    ],
)
def test_not_a_database(tmp_path: Path, name: str, make: Callable[[Path], object], message: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(StoreError, match=message):
        open_store(path)
    assert main(["--db", str(path), "runs"]) == 2


@pytest.mark.parametrize("name", ["new.duckdb", "new.csv", "store"])
def test_a_new_path_becomes_a_store_file(tmp_path: Path, name: str) -> None:
    open_store(tmp_path / name).close()
    assert (tmp_path / name).read_bytes()[8:12] == b"DUCK"


def test_older_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    con.close()
    store = open_store(path)
    assert store.scalar("SELECT count(*) FROM hits") == 0
    store.close()


def test_version_1_store_gains_version_2_tables_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("CREATE TABLE transactions (run_id VARCHAR, record_id VARCHAR, source_file VARCHAR, line BIGINT)")
    con.execute("INSERT INTO transactions VALUES ('run-old', 'T1', 'old.csv', 2)")
    con.close()
    store = open_store(path)
    columns = [r[0] for r in store.con.execute("DESCRIBE transactions").fetchall()]
    assert columns[:4] == ["run_id", "record_id", "source_file", "line"]
    assert {"phone", "hs6", "value"} <= set(columns)
    store.append("transactions", pl.DataFrame({"run_id": ["run-new"], "record_id": ["T2"], "phone": ["+996 555"]}))
    rows = store.frame("SELECT record_id, phone FROM transactions ORDER BY record_id").rows()
    assert rows == [("T1", None), ("T2", "+996 555")]
    assert store.scalar("SELECT count(*) FROM flows") == 0 == store.scalar("SELECT count(*) FROM ownership_records")
    assert store.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == str(SCHEMA_VERSION)
    store.close()


@pytest.mark.parametrize(
    ("argument", "env", "applied"),
    [
        (None, None, "30%"),  # below DuckDB's own 80 %: polars shares the machine
        ("1GB", None, "1GB"),
        (None, "2GB", "2GB"),
        ("1GB", "2GB", "1GB"),  # the caller wins over the environment
    ],
)
def test_memory_limit(monkeypatch: pytest.MonkeyPatch, argument: str | None, env: str | None, applied: str) -> None:
    if env is None:
        monkeypatch.delenv("SCREENING_STORE_MEMORY", raising=False)
    else:
        monkeypatch.setenv("SCREENING_STORE_MEMORY", env)
    store = open_store(":memory:", memory_limit=argument)
    with duckdb.connect() as plain:
        plain.execute("SET memory_limit = ?", [applied])
        expected = plain.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert store.scalar("SELECT current_setting('memory_limit')") == expected


@pytest.mark.parametrize("value", ["lots", "5 parsecs"])
def test_bad_memory_limit_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SCREENING_STORE_MEMORY", value)
    with pytest.raises(StoreError, match=f"memory limit '{value}'"):
        open_store(":memory:")


@pytest.mark.parametrize(("total", "rows", "sizes"), [(10, 4, [4, 4, 2]), (3, 5, [3]), (0, 5, [])])
def test_batches_yield_a_query_in_order(total: int, rows: int, sizes: list[int]) -> None:
    store = open_store(":memory:")
    found = list(store.batches("SELECT range AS n FROM range(?) ORDER BY n", [total], rows=rows))
    assert [b.height for b in found] == sizes
    assert pl.concat([pl.DataFrame(schema={"n": pl.Int64}), *found])["n"].to_list() == list(range(total))


_HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Callable[[float], Path]]:
    """Return a function that makes a store another process holds for some seconds, once it holds it."""
    children: list[subprocess.Popen[str]] = []

    def hold(seconds: float) -> Path:
        path = tmp_path / "held.duckdb"
        open_store(path).close()
        child = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        children.append(child)
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        return path

    yield hold
    for child in children:
        child.kill()
        child.wait()


@pytest.mark.parametrize(
    ("hold_s", "wait", "opens"),
    [
        (1.0, 15.0, True),  # the other process lets go within the wait: the store opens
        (30.0, 0.3, False),  # it keeps the file past the wait: one clear error
        (30.0, 0.0, False),  # no wait at all
    ],
)
def test_waits_for_another_process_lock(held: Callable[[float], Path], hold_s: float, wait: float, opens: bool) -> None:
    path = held(hold_s)
    if opens:
        open_store(path, wait=wait).close()
        return
    with pytest.raises(StoreLockedError, match=r"in use by another process \(waited .* s; SCREENING_STORE_WAIT"):
        open_store(path, wait=wait)


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_bad_store_wait_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    monkeypatch.setenv("SCREENING_STORE_WAIT", value)
    with pytest.raises(StoreError, match="SCREENING_STORE_WAIT"):
        open_store(tmp_path / "store.duckdb")


def test_cli_command_on_a_held_store_is_one_line(
    held: Callable[[float], Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = held(30.0)
    monkeypatch.setenv("SCREENING_STORE_WAIT", "0.2")
    assert main(["--db", str(path), "lists", "show"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("screening: error:") and "in use by another process" in err and "\n" not in err


def test_other_open_errors_do_not_wait(tmp_path: Path) -> None:
    missing = tmp_path / "blocklists" / "clock" / "store.duckdb"  # "lock" in the path is no lock
    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        open_store(missing, wait=5)
    assert not isinstance(caught.value, StoreLockedError) and time.monotonic() - started < 2
