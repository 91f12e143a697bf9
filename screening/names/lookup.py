"""List-side tables sorted by a 64-bit key, so that a join reads only the rows of the keys looked up.

A hash join of a few query keys against a table of a million list keys builds or probes the whole
table; a binary search (``numpy.searchsorted``) of each query key in the sorted keys costs in
proportion to the query. Large batches of keys still join by hash (all cores, no per-key cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

SEARCH_SHARE: Final = 1 / 16  # keys looked up, per row of the table, below which a binary search beats a hash join


def hashed(column: str) -> pl.Expr:
    """Return the 64-bit hash ``th`` of a string column: string tables are sorted by it (check the strings after)."""
    return pl.col(column).hash(seed=7).alias("th")


@dataclass(frozen=True)
class Sorted:
    """A table (``frame``) sorted by its 64-bit column ``key``, with that column as an array."""

    frame: pl.DataFrame
    key: str
    keys: np.ndarray
    rest: pl.DataFrame  # the table without its key column, the rows a search gathers

    @classmethod
    def of(cls, frame: pl.DataFrame, key: str) -> Sorted:
        """Return ``frame`` sorted by ``key`` (ties in their order) for lookups."""
        ordered = frame.sort(key, maintain_order=True)
        return cls(ordered, key, ordered[key].to_numpy(), ordered.drop(key))

    def join(self, left: pl.DataFrame, on: str, suffix: str = "_right") -> pl.DataFrame:
        """Return the inner join of ``left`` (its 64-bit column ``on``) with the table's rows of equal key.

        Columns are as ``left.join(frame, left_on=on, right_on=key, suffix=suffix)`` gives them;
        row order is unspecified.
        """
        if self._hashed(left):
            return left.join(self.frame, left_on=on, right_on=self.key, suffix=suffix)
        return self._found(left, on, suffix)

    def join_lazy(self, left: pl.DataFrame, on: str, suffix: str = "_right") -> pl.LazyFrame:
        """Return :meth:`join` as a lazy frame: a hash join left to the query engine, or the rows found."""
        if self._hashed(left):
            return left.lazy().join(self.frame.lazy(), left_on=on, right_on=self.key, suffix=suffix)
        return self._found(left, on, suffix).lazy()

    def _hashed(self, left: pl.DataFrame) -> bool:
        """Return whether a join with ``left`` goes by hash (many keys) rather than by binary search."""
        return left.height > SEARCH_SHARE * self.frame.height

    def _found(self, left: pl.DataFrame, on: str, suffix: str) -> pl.DataFrame:
        """Return the rows of ``left`` beside the table's rows of equal key, found by binary search."""
        rows, found = self.rows(left[on].to_numpy())
        right = self.rest[found]
        clash = {c: f"{c}{suffix}" for c in right.columns if c in left.columns}
        # one gather per side and a horizontal stack: a join costs several times more on few rows
        return left[rows].hstack(right.rename(clash) if clash else right)

    def rows(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (position in ``values``, table row) of every match of ``values`` in the keys."""
        lo, count = _search(self.keys, values)
        at = np.repeat(np.arange(values.size), count)
        first = np.repeat(lo - (np.cumsum(count) - count), count)
        return at, first + np.arange(at.size)


def _search(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first row of each value in the sorted ``keys`` and how many rows hold it.

    The values are searched in sorted order: each search starts near the last one and reads memory
    the last one read (three to four times faster than searching a million keys in random order).
    """
    order = np.argsort(values)
    ordered = values[order]
    lo, hi = np.empty(values.size, dtype=np.intp), np.empty(values.size, dtype=np.intp)
    lo[order] = np.searchsorted(keys, ordered, side="left")
    hi[order] = np.searchsorted(keys, ordered, side="right")
    return lo, hi - lo
