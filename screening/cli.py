"""The ``screening`` command: parse, call the library, render, exit 0 / 1 / 2.

Exit codes: 0 ran and found nothing at or above ``--fail-on``; 1 found such hits; 2 bad input,
rules, configuration or an internal error, always as one line on stderr; 130 interrupted by
SIGINT (Ctrl-C), 143 by SIGTERM, the run marked interrupted (:func:`screening.errors.guarded`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Final

from rich.console import Console

from screening import __version__
from screening.commands import register_core
from screening.errors import Terminated, guarded, sigterm_raises
from screening.lists.cli import register as register_lists
from screening.names.cli import register as register_match
from screening.report.cli import register as register_runs
from screening.safe_text import cell, clean
from screening.serve.cli import register as register_serve

__all__ = ["Terminated", "build_parser", "main", "sigterm_raises"]


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
    """Run the command line and return its exit code (the boundary is :func:`screening.errors.guarded`)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def run() -> int:
        """Parse the arguments and run the chosen command."""
        args = build_parser().parse_args(argv)
        code: int = args.func(args)
        return code

    return guarded(run, lambda line: err.print(cell(clean(line, one_line=True))))


if __name__ == "__main__":
    sys.exit(main())
