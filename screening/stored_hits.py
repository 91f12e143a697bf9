"""A run's hits as the store holds them: counted, summed up and read in batches, never all at once.

A 100M-row ledger gives over ten million hits, more than one frame in memory should hold beside the
store's own cache, so a run's result leaves its hits in the store and every report asks the store
for what it shows. Hits come back in the order they were stored, which is the same for the same
inputs, lists and rules (DuckDB keeps insertion order for a scan without ``ORDER BY``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from screening.schema import HIT_COLUMNS
from screening.store import Store

BATCH_ROWS: Final = 500_000


@dataclass(frozen=True)
class StoredHits:
    """The hits of one run that analysts see (``cleared=False``) or that review cleared (``cleared=True``)."""

    store: Store
    run_id: str
    cleared: bool = False

    def where(self, extra: str = "") -> str:
        """Return the SQL condition that selects these hits, and ``extra`` (one parameter: the run id)."""
        review = "review IS NOT DISTINCT FROM 'cleared'"
        condition = f"run_id = ? AND {review if self.cleared else f'NOT ({review})'}"
        return f"{condition} AND ({extra})" if extra else condition

    def sql(self, body: str, params: Sequence[Any] = ()) -> pl.DataFrame:
        """Return the result of ``body``, a query over the view ``run_hits`` of these hits."""
        query = f"WITH run_hits AS (SELECT * FROM hits WHERE {self.where()}) {body}"
        return self.store.frame(query, [self.run_id, *params])

    def count(self, extra: str = "") -> int:
        """Return how many hits there are (that also meet ``extra``)."""
        return int(self.store.scalar(f"SELECT count(*) FROM hits WHERE {self.where(extra)}", [self.run_id]))

    def frame(self, extra: str = "", *, order: str = "", limit: int | None = None) -> pl.DataFrame:
        """Return the hits (that meet ``extra``) as one frame: for small runs and for a few hits of a big one."""
        return pl.concat(shaped(HIT_COLUMNS, self.batches(extra, order=order, limit=limit)), rechunk=False)

    def batches(
        self, extra: str = "", *, order: str = "", limit: int | None = None, rows: int = BATCH_ROWS
    ) -> Iterator[pl.DataFrame]:
        """Yield the hits (that meet ``extra``) in frames of at most ``rows``, in stored order unless ``order`` says."""
        clauses = f"{f' ORDER BY {order}' if order else ''}{f' LIMIT {int(limit)}' if limit is not None else ''}"
        for batch in self.store.batches(f"SELECT * FROM hits WHERE {self.where(extra)}{clauses}", [self.run_id], rows):
            yield typed_hits(batch)


def shaped(schema: Mapping[str, pl.DataType], batches: Iterable[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """Yield an empty frame of ``schema`` (the shape, also when there are no rows), then the batches."""
    return itertools.chain([pl.DataFrame(schema=schema)], batches)


def typed_hits(frame: pl.DataFrame) -> pl.DataFrame:
    """Return hits read from the store with the columns and types of ``HIT_COLUMNS``."""
    return frame.select([pl.col(c).cast(t) for c, t in HIT_COLUMNS.items()])
