"""Exceptions of the screening engine.

One root, so the CLI catches exactly one type and turns it into a one-line message and exit 2::

    ScreeningError
    ├── InputError        a data file cannot be read (format, encoding, structure)
    ├── RuleError         a rule file is invalid (file:line, what, the valid options)
    ├── ListError         a sanctions-list file cannot be imported
    ├── StoreError        the DuckDB store is unusable (newer schema, locked, corrupt)
    └── ConfigError       a command-line option or mapping file is wrong

Every message names the place (file, line, column) and the problem; where there is a closed set
of valid values, it lists them.

:func:`guarded` is the one error boundary of every entry point (``screening``, the Spark submit
entry ``python -m screening.spark``): a :class:`ScreeningError` is one line and exit 2, Ctrl-C exit
130, SIGTERM exit 143, and any other exception (a bug) one line asking for a report and exit 2,
with the traceback only when ``SCREENING_DEBUG`` is set. The Python API raises these exceptions
as they are; only ``ScreeningError`` and its subclasses are raised on purpose.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Final

import duckdb

INPUT_EXIT: Final = 2  # bad input, rules or configuration
INTERNAL_EXIT: Final = 2  # a bug: the documented contract keeps it with the other failures
INTERRUPT_EXITS: Final = {"SIGINT (Ctrl-C)": 130, "SIGTERM": 143}
DEBUG_VARIABLE: Final = "SCREENING_DEBUG"
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class ScreeningError(Exception):
    """Root of every error the engine raises on purpose."""


class InputError(ScreeningError):
    """A data file cannot be read."""


class RuleError(ScreeningError):
    """A rule file is invalid."""


class ListError(ScreeningError):
    """A sanctions-list file cannot be imported."""


class StoreError(ScreeningError):
    """The store cannot be opened or written."""


class ConfigError(ScreeningError):
    """An option or a mapping file is wrong."""


def yaml_problem(exc: Exception) -> tuple[int | None, str]:
    """Return the 1-based line and the one-line problem of a YAML parse error."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark is not None else None), str(problem)


def located(path: str, line: int | None, message: str) -> str:
    """Return `path:line: message`, leaving out the line when unknown."""
    where = f"{path}:{line}" if line is not None else path
    return f"{where}: {message}"


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C, so every run in progress is marked interrupted."""


_SIGNALLED: Final[list[str]] = []  # the signal a command got: DuckDB turns the exception it raised into its own


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Raise :class:`Terminated` in the main thread."""
    _SIGNALLED.append("SIGTERM")
    raise Terminated


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (the main thread only can)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _SIGNALLED.clear()
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def one_line(value: object) -> str:
    """Return the text of a value on one line, control characters and line breaks as single spaces."""
    return _CONTROL.sub(" ", str(value)).strip()


def interrupted(exc: BaseException) -> bool:
    """Tell whether an exception is an interruption: Ctrl-C, SIGTERM, or either caught by DuckDB inside a query."""
    if isinstance(exc, (KeyboardInterrupt, duckdb.InterruptException)):
        return True
    return isinstance(exc, RuntimeError) and str(exc).startswith("Query interrupted")  # DuckDB 2's own words


def ending(exc: BaseException) -> tuple[int, str] | None:
    """Return the exit code and the one-line message an entry point ends with, or None to re-raise."""
    if isinstance(exc, ScreeningError):
        return INPUT_EXIT, f"error: {exc}"
    if interrupted(exc):
        name = "SIGTERM" if isinstance(exc, Terminated) or "SIGTERM" in _SIGNALLED else "SIGINT (Ctrl-C)"
        return INTERRUPT_EXITS[name], f"interrupted by {name}; an unfinished run is marked interrupted"
    if isinstance(exc, (SystemExit, GeneratorExit)) or os.environ.get(DEBUG_VARIABLE):
        return None
    # a bug, also a Rust panic in polars (a BaseException): one line, not a traceback
    return INTERNAL_EXIT, (
        f"internal error: {type(exc).__name__}: {exc}; please report it "
        f"(rerun with {DEBUG_VARIABLE}=1 for the traceback)"
    )


def guarded(run: Callable[[], int], say: Callable[[str], None]) -> int:
    """Run an entry point's body and return its exit code, every failure told by ``say`` in one line."""
    try:
        with sigterm_raises():
            return run()
    except BaseException as exc:
        ended = ending(exc)
        if ended is None:
            raise
        say(f"screening: {ended[1]}")
        return ended[0]
