"""Sanctions-exposure screening: listed parties, dual-use goods and third-country rerouting.

The Python API mirrors the CLI. It raises :class:`ScreeningError` (``InputError``, ``RuleError``,
``ListError``, ``StoreError``, ``ConfigError``) for bad input, rules, lists, stores and options,
each with a one-line message saying what and where; any other exception is a bug. The command
lines turn both into one line and an exit code (:func:`screening.errors.guarded`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The Python API mirrors the CLI; imported after __version__, which these modules read.
from screening.errors import ConfigError, InputError, ListError, RuleError, ScreeningError, StoreError
from screening.lists import import_list, read_list
from screening.names import match_names
from screening.pipeline import ScanResult, scan
from screening.rules import load_rules

if TYPE_CHECKING:
    from screening.report.outputs import write_report

__all__ = [
    "ConfigError",
    "InputError",
    "ListError",
    "RuleError",
    "ScanResult",
    "ScreeningError",
    "StoreError",
    "__version__",
    "import_list",
    "load_rules",
    "match_names",
    "read_list",
    "scan",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """Import the report writer on first use: a Spark worker imports this package and needs no reports."""
    if name != "write_report":
        raise AttributeError(f"module 'screening' has no attribute '{name}'")
    from screening.report.outputs import write_report  # noqa: PLC0415 - loads rich and the report stack

    globals()[name] = write_report
    return write_report
