"""Table tests of batch matching's chunks: their size, and results that do not depend on them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.names import build_index, match, penalties
from screening.names.index import NameIndex
from screening.names.match import match_index
from screening.names.model import shipped

BENCH = Path(__file__).resolve().parents[2] / "fixtures" / "names" / "name_bench.csv"


@pytest.mark.parametrize(
    ("names", "threads", "size"),
    [
        (0, 2, 1),  # no names: one empty part
        (23_998, 2, 23_998),  # under PARALLEL_NAMES per thread: one part
        (24_000, 2, 12_000),  # two threads, a half each
        (86_819, 2, 43_410),  # 100,000 generated queries' distinct cores
        (150_000, 1, 150_000),  # one thread: one part
        (200_000, 3, 66_667),
        (200_000, 32, 12_500),  # many cores: parts of PARALLEL_NAMES at least (32 threads made one part)
        (30_000, 8, 15_000),
    ],
)
def test_chunk_size(names: int, threads: int, size: int) -> None:
    assert match.chunk_size(names, threads) == size


@pytest.fixture(scope="module")
def bench() -> tuple[pl.DataFrame, NameIndex]:
    """Return the name benchmark's query names and an index of its list names."""
    frame = pl.read_csv(BENCH)
    listed = frame.select(entity_id=pl.col("entity_id").fill_null("none"), name="name2").unique(maintain_order=True)
    queries = frame.select(id=pl.int_range(pl.len()).cast(pl.String), name="name1")
    return queries, build_index(listed)


@pytest.mark.parametrize(
    ("threads", "chunk", "scorer"),
    [
        (2, 200_000, "hand"),  # the batch's one chunk in two parts, at once
        (2, 200_000, "model"),
        (3, 1_500, "hand"),  # chunks of 1,500 names in three parts each
        (4, 1_000, "model"),  # more threads than cores
    ],
)
def test_parts_do_not_change_results(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, threads: int, chunk: int, scorer: str
) -> None:
    # a part's names look for close tokens with the abjad keys of a token any name of its chunk holds
    queries, index = bench
    model = shipped() if scorer == "model" else None
    monkeypatch.setattr(match, "CHUNK", chunk)
    monkeypatch.setattr(match, "THREADS", 1)
    whole = match_index(queries, index, 0.5, 3, model)
    monkeypatch.setattr(match, "THREADS", threads)
    monkeypatch.setattr(match, "PARALLEL_NAMES", 1)
    parted = match_index(queries, index, 0.5, 3, model)
    assert whole.height > 1_000
    assert parted.equals(whole)


# (scorer): the penalty evaluated only where it may apply is the penalty evaluated on every pair
@pytest.mark.parametrize("scorer", ["hand", "model"])
def test_a_penalty_evaluated_where_it_may_apply_changes_no_hit(
    bench: tuple[pl.DataFrame, NameIndex], monkeypatch: pytest.MonkeyPatch, scorer: str
) -> None:
    queries, index = bench
    model = shipped() if scorer == "model" else None
    kept = match_index(queries, index, 0.3, 3, model)
    monkeypatch.setattr(match, "_penalised", lambda feats: feats.with_columns(penalty=penalties.penalties()))
    assert kept.equals(match_index(queries, index, 0.3, 3, model))
