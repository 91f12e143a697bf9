"""The ``screening`` command: parse, call the library, render, exit 0 / 1 / 2.

Exit codes: 0 ran and found nothing at or above ``--fail-on``; 1 found such hits; 2 bad input,
rules, configuration or an internal error, always as one line on stderr; 130 interrupted by
SIGINT (Ctrl-C), 143 by SIGTERM, the run marked interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Final

import polars as pl
from rich.console import Console

from screening import __version__
from screening.commands import register_core
from screening.errors import ScreeningError
from screening.lists.cli import register as register_lists
from screening.names.cli import register as register_match
from screening.report.cli import register as register_runs
from screening.safe_text import cell, clean
from screening.serve.cli import register as register_serve


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C, so every run in progress is marked interrupted."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Raise :class:`Terminated` in the main thread."""
    raise Terminated


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (the main thread only can)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


DB_HELP: Final = "DuckDB store file (default ./screening.duckdb for scan; :memory: keeps nothing)"


def _registrars() -> list[Register]:
    """Return the functions that add each command group, each living beside the area it drives."""
    return [register_core, register_lists, register_match, register_runs, register_serve]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command group."""
    parser = argparse.ArgumentParser(prog="screening", description="Sanctions-exposure screening.")
    parser.add_argument("--version", action="version", version=f"screening {__version__}")
    parser.add_argument("--db", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _registrars():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        args = build_parser().parse_args(argv)
        with sigterm_raises():
            code: int = args.func(args)
    except ScreeningError as exc:
        err.print(cell(f"screening: error: {clean(exc, one_line=True)}"))
        return 2
    except KeyboardInterrupt as exc:
        name, code = ("SIGTERM", 143) if isinstance(exc, Terminated) else ("SIGINT (Ctrl-C)", 130)
        err.print(f"screening: interrupted by {name}; an unfinished run is marked interrupted", markup=False)
        return code
    # the one place that turns a bug into a line, not a traceback; a Rust panic in polars is no Exception
    except (Exception, pl.exceptions.PanicException) as exc:
        if os.environ.get("SCREENING_DEBUG"):
            raise
        err.print(
            cell(f"screening: internal error: {type(exc).__name__}: {clean(exc, one_line=True)}"),
            cell(" (set SCREENING_DEBUG=1 for details)"),
            sep="",
        )
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
