"""Sanctions-exposure screening: listed parties, dual-use goods and third-country rerouting."""

from __future__ import annotations

__version__ = "0.1.0"
