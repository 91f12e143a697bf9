"""The plain views of a list index are built once per index and go with it."""

from __future__ import annotations

import gc

import polars as pl

from screening.names.index import build_index
from screening.names.single import views

WATCH = pl.DataFrame(
    {"entity_id": ["a", "b", "b", "c"], "name": ["IVAN PETROV", "ACME TRADING LLC", "J. R. SMITH", "A B D SMITH"]}
)


def test_view_is_cached_per_index() -> None:
    index = build_index(WATCH)
    first = views.view(index)
    assert views.view(index) is first
    assert views.view(build_index(WATCH)) is not first


def test_view_goes_with_its_index() -> None:
    index = build_index(WATCH)
    views.view(index)
    key = id(index)
    del index
    gc.collect()
    assert key not in views._VIEWS


def test_tokens_by_wid_as_alignment_reads_them() -> None:
    index = build_index(WATCH)
    tokens = views.view(index).tokens
    # letters in a run of three are an abbreviation (A. B. D.), two are initials
    expected = [["IVAN", "PETROV"], ["AKME", "TRADING"], ["I", "R", "SMIT"], ["A.", "B.", "D.", "SMIT"]]
    assert [[t.t for t in name] for name in tokens] == expected
