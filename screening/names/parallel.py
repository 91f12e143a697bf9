"""How many threads a bulk string comparison uses: starting threads costs more than a few comparisons."""

from __future__ import annotations

from typing import Final

PARALLEL_MIN: Final = 20_000  # comparisons below which one thread is faster than all cores


def workers(comparisons: int) -> int:
    """Return rapidfuzz's ``workers`` for ``comparisons`` string comparisons: one thread for few, all cores for many."""
    return -1 if comparisons >= PARALLEL_MIN else 1
