"""Concurrent /match requests matched together: one matcher call per batch of waiting queries.

Each call of the matcher pays a fixed cost over the whole index besides the cost per name (a call of
eight names costs about what a call of one does), so a single worker thread takes every request
waiting when it becomes free and matches their queries in one call (each request's query keys
prefixed with its own number), then hands each request its rows. With a ``window`` (``serve
--batch-window``), when the last batch held several requests the worker waits up to that long for as
many before it starts, as clients answered together come back milliseconds apart; a lone client's
requests wait for nothing. The default is no window: on the 2-core development machine a 5 ms window
lowered throughput at 8 and 32 clients (the waiting requests are parsed by the same two cores).
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import polars as pl

from screening.names import NameIndex, match_index
from screening.names.model import DEFAULT_SCORER, NameModel, Scorer, scorer_model

SEP: Final = "\x1f"
WINDOW: Final = 0.0  # seconds a batch waits for as many requests as the last one held


@dataclass(frozen=True)
class _Job:
    """One request's queries and where its matches go."""

    number: int
    index: NameIndex
    queries: pl.DataFrame
    cutoff: float
    top: int
    model: NameModel | None  # None: the hand scorer
    done: Future[pl.DataFrame] = field(default_factory=Future)


@dataclass
class Batcher:
    """A worker thread that matches the queries of waiting requests together."""

    window: float = WINDOW
    _jobs: queue.SimpleQueue[_Job] = field(default_factory=queue.SimpleQueue)
    _recent: int = 1  # requests in the last batch
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _worker: threading.Thread | None = None

    def match(
        self, index: NameIndex, queries: pl.DataFrame, cutoff: float, top: int, model: Scorer = DEFAULT_SCORER
    ) -> pl.DataFrame:
        """Return ``match_index(queries, index, cutoff, top, model)``, computed in a batch with waiting requests."""
        job = _Job(next(self._numbers), index, queries, cutoff, top, scorer_model(model))
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="screening-serve-match", daemon=True)
                self._worker.start()
        self._jobs.put(job)
        return job.done.result()

    def _gather(self) -> list[_Job]:
        """Return the next batch: the jobs waiting, and those arriving within the window while fewer than last time."""
        jobs = [self._jobs.get()]
        _drain(self._jobs, jobs)
        deadline = time.monotonic() + self.window
        while len(jobs) < self._recent and (left := deadline - time.monotonic()) > 0:
            try:
                jobs.append(self._jobs.get(timeout=left))
            except queue.Empty:
                break
            _drain(self._jobs, jobs)
        self._recent = len(jobs)
        return jobs

    def _run(self) -> None:
        """Match batches forever."""
        while True:
            jobs = self._gather()
            groups: dict[tuple[int, float, int, int], list[_Job]] = {}
            for job in jobs:  # one matcher call per index generation, cutoff, limit and scorer
                groups.setdefault((id(job.index), job.cutoff, job.top, id(job.model)), []).append(job)
            for group in groups.values():
                _serve(group)


def _drain(jobs: queue.SimpleQueue[_Job], into: list[_Job]) -> None:
    """Move every job waiting in ``jobs`` to ``into``."""
    while not jobs.empty():
        into.append(jobs.get_nowait())


def _serve(jobs: list[_Job]) -> None:
    """Match a group of jobs in one call and hand each its own rows (or the error)."""
    first = jobs[0]
    try:
        numbers = np.repeat([job.number for job in jobs], [job.queries.height for job in jobs])
        prefix = pl.Series(numbers, dtype=pl.Int64).cast(pl.String) + SEP
        queries = pl.concat([job.queries for job in jobs]).with_columns(id=pl.lit(prefix) + pl.col("id"))
        hits = match_index(queries, first.index, first.cutoff, first.top, first.model)
        parts = pl.col("query_id").str.splitn(SEP, 2)
        hits = hits.with_columns(_job=parts.struct.field("field_0"), query_id=parts.struct.field("field_1"))
        # one pass splits the rows by request (a filter per request costs as much as a small match)
        own = hits.partition_by("_job", as_dict=True, include_key=False)
        for job in jobs:
            job.done.set_result(own.get((str(job.number),), hits.clear().drop("_job")))
    except Exception as exc:  # every waiting request gets the error, none hangs
        for job in jobs:
            if not job.done.done():
                job.done.set_exception(exc)
