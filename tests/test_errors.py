"""The one error boundary: every failure of an entry point is one line and a documented exit code."""

from __future__ import annotations

import signal

import duckdb
import polars as pl
import pytest

from screening import errors
from screening.errors import InputError, RuleError, Terminated, guarded, one_line

HINT = "please report it (rerun with SCREENING_DEBUG=1 for the traceback)"


@pytest.mark.parametrize(("error", "code", "line"), [
    (InputError("a.csv:3: column hs_code: '85A2' is not an HS code"), 2,
     "screening: error: a.csv:3: column hs_code: '85A2' is not an HS code"),
    (RuleError("rules/X.yaml:4: unknown kind 'nope'"), 2, "screening: error: rules/X.yaml:4: unknown kind 'nope'"),
    (KeyboardInterrupt(), 130, "screening: interrupted by SIGINT (Ctrl-C); an unfinished run is marked interrupted"),
    (duckdb.InterruptException("Query interrupted"), 130,
     "screening: interrupted by SIGINT (Ctrl-C); an unfinished run is marked interrupted"),
    (RuntimeError("Query interrupted"), 130,  # DuckDB 2 reports Ctrl-C inside a query so
     "screening: interrupted by SIGINT (Ctrl-C); an unfinished run is marked interrupted"),
    (Terminated(), 143, "screening: interrupted by SIGTERM; an unfinished run is marked interrupted"),
    (RuntimeError("boom"), 2, f"screening: internal error: RuntimeError: boom; {HINT}"),
    (pl.exceptions.PanicException("index out of bounds"), 2,
     f"screening: internal error: PanicException: index out of bounds; {HINT}"),
])  # fmt: skip
def test_failures_are_one_line_with_their_exit_code(
    monkeypatch: pytest.MonkeyPatch, error: BaseException, code: int, line: str
) -> None:
    monkeypatch.delenv("SCREENING_DEBUG", raising=False)
    said: list[str] = []

    def fail() -> int:
        raise error

    assert guarded(fail, said.append) == code
    assert said == [line]


@pytest.mark.parametrize(("error", "debug"), [
    (RuntimeError("boom"), "1"),
    (SystemExit(0), ""),
])  # fmt: skip
def test_debugging_and_exits_pass_through(monkeypatch: pytest.MonkeyPatch, error: BaseException, debug: str) -> None:
    monkeypatch.setenv("SCREENING_DEBUG", debug)
    if not debug:
        monkeypatch.delenv("SCREENING_DEBUG")
    said: list[str] = []

    def fail() -> int:
        raise error

    with pytest.raises(type(error)):
        guarded(fail, said.append)
    assert said == []


@pytest.mark.parametrize(("code"), [0, 1])
def test_a_finished_run_keeps_its_code(code: int) -> None:
    said: list[str] = []
    assert guarded(lambda: code, said.append) == code
    assert said == []


@pytest.mark.parametrize(("value", "line"), [
    ("two\nlines", "two lines"),
    ("tab\tand\x1b[31m escape", "tab and [31m escape"),
    ("  padded \r\n", "padded"),
])  # fmt: skip
def test_one_line(value: str, line: str) -> None:
    assert one_line(value) == line


def test_sigterm_that_duckdb_swallowed_is_still_sigterm() -> None:
    said: list[str] = []

    def fail() -> int:
        try:
            errors._terminate(signal.SIGTERM, None)  # what the handler does when SIGTERM arrives inside a query
        except Terminated:
            raise RuntimeError("Query interrupted") from None  # and what DuckDB raises in its place
        return 0

    assert guarded(fail, said.append) == 143
    assert said == ["screening: interrupted by SIGTERM; an unfinished run is marked interrupted"]
