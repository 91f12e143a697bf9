"""Requests matched together get exactly what each would get alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening.lists import sample_watchlist, watchlist_from_import
from screening.names import DEFAULT_THRESHOLD, build_index, match_index
from screening.serve.batching import SEP, Batcher

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
