"""Concurrent /match requests matched together: one matcher call per batch of waiting queries.

Each call of the matcher pays a fixed cost over the whole index besides the cost per name, so a
single worker thread takes every request waiting when it becomes free and matches their queries in
one call (each request's query keys prefixed with its own number), then hands each request its rows.
A lone request waits for nothing; under load, batches grow by themselves.
"""

from __future__ import annotations

import itertools
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from screening.names import NameIndex, match_index

SEP: Final = "\x1f"


@dataclass(frozen=True)
class _Job:
    """One request's queries and where its matches go."""

    number: int
    index: NameIndex
    queries: pl.DataFrame
    cutoff: float
    top: int
    done: Future[pl.DataFrame] = field(default_factory=Future)


@dataclass
class Batcher:
    """A worker thread that matches the queries of waiting requests together."""

    _jobs: queue.SimpleQueue[_Job] = field(default_factory=queue.SimpleQueue)
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _worker: threading.Thread | None = None

    def match(self, index: NameIndex, queries: pl.DataFrame, cutoff: float, top: int) -> pl.DataFrame:
        """Return ``match_index(queries, index, cutoff, top)``, computed in a batch with other waiting requests."""
        job = _Job(next(self._numbers), index, queries, cutoff, top)
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="screening-serve-match", daemon=True)
                self._worker.start()
        self._jobs.put(job)
        return job.done.result()

    def _run(self) -> None:
        """Match batches forever."""
        while True:
            jobs = [self._jobs.get()]
            while not self._jobs.empty():
                jobs.append(self._jobs.get_nowait())
            groups: dict[tuple[int, float, int], list[_Job]] = {}
            for job in jobs:  # one matcher call per index generation, cutoff and limit
                groups.setdefault((id(job.index), job.cutoff, job.top), []).append(job)
            for group in groups.values():
                _serve(group)


def _serve(jobs: list[_Job]) -> None:
    """Match a group of jobs in one call and hand each its own rows (or the error)."""
    first = jobs[0]
    try:
        frames = [job.queries.with_columns(id=pl.lit(f"{job.number}{SEP}") + pl.col("id")) for job in jobs]
        hits = match_index(pl.concat(frames), first.index, first.cutoff, first.top)
        parts = pl.col("query_id").str.splitn(SEP, 2)
        hits = hits.with_columns(_job=parts.struct.field("field_0"), query_id=parts.struct.field("field_1"))
        for job in jobs:
            job.done.set_result(hits.filter(pl.col("_job") == str(job.number)).drop("_job"))
    except Exception as exc:  # every waiting request gets the error, none hangs
        for job in jobs:
            if not job.done.done():
                job.done.set_exception(exc)
