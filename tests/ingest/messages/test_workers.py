"""Messages read in worker processes: the same records, rejects and order as read in one process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
import pytest

from screening.ingest.messages import open_messages
from screening.ingest.messages.mt import MtPiece, split_mt
from screening.ingest.messages.rows import COLUMNS
from screening.ingest.messages.split import Piece, split_messages
from screening.ingest.messages.workers import PARALLEL_BYTES, read_all, worker_count

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "messages"
BROKEN = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'


@pytest.mark.parametrize(
    ("name", "split"),
    [("pacs008.xml", split_messages), ("mt103.fin", split_mt), ("broken.xml", split_messages)],
)
@pytest.mark.parametrize("chunk", [2, 1000])
@pytest.mark.parametrize("validate", [False, True])
def test_workers_read_as_one_process(
    tmp_path: Path, name: str, split: Callable[[Path], Iterable[Piece] | Iterable[MtPiece]], chunk: int, validate: bool
) -> None:
    path = FIXTURES / name
    if name == "broken.xml":  # a good message, a truncated one and a good one: the reject keeps its place
        good = (FIXTURES / "pacs008.xml").read_text(encoding="utf-8")
        path = tmp_path / name
        path.write_text(good + "\n" + BROKEN + "\n" + good, encoding="utf-8")
    one = list(read_all(split(path), 1, validate=validate))
    two = list(read_all(split(path), 2, chunk, validate=validate))
    assert pl.concat(c.records for c in two).equals(pl.concat(c.records for c in one))
    assert [r for c in two for r in c.rejects] == [r for c in one for r in c.rejects]
    assert any(c.records.height for c in one)


@pytest.mark.parametrize(
    ("size", "most"),
    [(0, 1), (PARALLEL_BYTES - 1, 1), (PARALLEL_BYTES, 2)],
)
def test_worker_count(size: int, most: int) -> None:
    assert 1 <= worker_count(size) <= most
    assert worker_count(size) == 1 or size >= PARALLEL_BYTES


def test_open_messages_with_workers_gives_the_same_batches() -> None:
    wanted = [*COLUMNS, "hs_code"]
    path = FIXTURES / "pacs008.xml"
    one = [b.rows for b in open_messages(path, 10, workers=1).read(wanted)]
    two = [b.rows for b in open_messages(path, 10, workers=2).read(wanted)]
    assert len(one) == len(two)
    assert all(a.equals(b) for a, b in zip(one, two, strict=True))
