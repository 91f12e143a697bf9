"""Limits on untrusted input that an environment variable may raise."""

from __future__ import annotations

import os


def limit(env: str, default: int) -> int:
    """Return a positive integer limit from an environment variable, else the default."""
    value = os.environ.get(env, "").strip().replace("_", "")
    return int(value) if value.isdigit() and int(value) > 0 else default
