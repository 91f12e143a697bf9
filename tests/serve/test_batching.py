"""Requests matched together get exactly what each would get alone."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.lists import sample_watchlist, watchlist_from_import
from screening.names import DEFAULT_THRESHOLD, build_index, match_index
from screening.serve.batching import SEP, Batcher, _Job

QUERIES = [
    ["Rosoboronexport", "Acme GmbH"],
    ["OOO Romashka", "Ivan Petrov"],
    ["Sovcomflot", f"odd{SEP}key name"],
    ["Bank Rossiya"],
]


@pytest.mark.parametrize("top", [1, 5])
def test_batched_matches_equal_single_calls(top: int) -> None:
    """Queries sent at once (same keys in several requests) come back as each request alone gets them."""
    imp = sample_watchlist()
    index = build_index(watchlist_from_import(imp), imp.identifiers)
    frames = [pl.DataFrame({"id": ["q1", f"k{SEP}2"][: len(names)], "name": names}) for names in QUERIES]
    batcher = Batcher()
    with ThreadPoolExecutor(len(frames)) as pool:
        got = list(pool.map(lambda f: batcher.match(index, f, DEFAULT_THRESHOLD, top), frames))
    for frame, batched in zip(frames, got, strict=True):
        assert_frame_equal(batched, match_index(frame, index, DEFAULT_THRESHOLD, top))


@pytest.mark.parametrize(
    ("window", "recent", "delay", "size"),
    [
        (0.0, 3, 0.05, 1),  # no window: the batch starts with what is waiting
        (5.0, 1, 0.05, 1),  # the last batch was one request: a lone client waits for nothing
        (5.0, 3, 0.05, 3),  # the last batch held three: it waits for the two arriving just after
        (0.05, 3, 1.0, 1),  # ... but not past its window
    ],
)
def test_batch_window(window: float, recent: int, delay: float, size: int) -> None:
    """A batch waits within its window for as many requests as the last one held, and only then."""
    batcher = Batcher(window=window)
    batcher._recent = recent
    index = build_index(pl.DataFrame({"entity_id": ["e"], "name": ["x"]}))
    jobs = [_Job(i, index, pl.DataFrame({"id": ["q"], "name": ["x"]}), 0.9, 1, None) for i in range(3)]
    batcher._jobs.put(jobs[0])
    timer = threading.Timer(delay, lambda: list(map(batcher._jobs.put, jobs[1:])))
    timer.start()
    try:
        assert len(batcher._gather()) == size
    finally:
        timer.join()
    assert batcher._recent == size
