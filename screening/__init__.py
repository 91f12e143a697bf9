"""Sanctions-exposure screening: listed parties, dual-use goods and third-country rerouting."""

from __future__ import annotations

__version__ = "0.1.0"

# The Python API mirrors the CLI; imported after __version__, which these modules read.
from screening.lists import import_list, read_list
from screening.names import match_names
from screening.pipeline import ScanResult, scan
from screening.rules import load_rules

__all__ = ["ScanResult", "__version__", "import_list", "load_rules", "match_names", "read_list", "scan"]
