"""Reading a file's messages in worker processes: cut in order here, read there, taken back in the same order.

Turning messages into records is lxml, libxslt and polars (:mod:`.records`), or Python for
messages read one at a time, so a big file is read by one worker process per core (two on the
reference machine) while this process cuts the next messages and screens the records already read.
Chunks are taken back in the order they were cut, so the records, their lines and the quarantine
are the same as read in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Final

import polars as pl

from screening.ingest.messages.mt import MtPiece
from screening.ingest.messages.records import read_fast
from screening.ingest.messages.rows import MESSAGE, SEQ, Reject, Row, iso_rows, mt_rows, rows_frame
from screening.ingest.messages.split import Piece

CHUNK: Final = 4000  # messages a worker reads at once (about 4 MiB of pacs.008; one stylesheet run)
PARALLEL_BYTES: Final = 32 << 20  # a smaller file is read in this process: starting workers would cost more
AHEAD: Final = 2  # chunks in flight per worker: enough to keep it busy, few enough to bound memory


@dataclass(frozen=True)
class Chunk:
    """What consecutive messages read as: their records in file order and each reject with its message number."""

    records: pl.DataFrame  # rows.FRAME
    rejects: list[tuple[int, Reject]]


def worker_count(size: int) -> int:
    """Return how many worker processes read a file of ``size`` bytes (1: this process reads it)."""
    if size < PARALLEL_BYTES:
        return 1
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def read_chunk(pieces: list[Piece] | list[MtPiece], validate: bool = False) -> Chunk:
    """Return the records and rejects of consecutive messages, in order (ISO 20022 ones validated if asked).

    pacs.008 messages of the plain shape are read together by the stylesheet (:mod:`.records`),
    unless validated; the others one at a time.
    """
    every: list[Piece | MtPiece] = list(pieces)
    iso = [p for p in every if isinstance(p, Piece)]
    fast, done = read_fast(iso) if iso and len(iso) == len(every) and not validate else (None, set())
    rows: list[Row] = []
    rejects: list[tuple[int, Reject]] = []
    for n, piece in enumerate(every):
        if n in done:
            continue
        found, refused = iso_rows(piece, validate) if isinstance(piece, Piece) else mt_rows(piece)
        rows += [{**row, MESSAGE: piece.number, SEQ: seq} for seq, row in enumerate(found)]
        rejects += [(piece.number, reject) for reject in refused]
    slow = rows_frame(rows)
    records = slow if fast is None else pl.concat([fast, slow]).sort(MESSAGE, SEQ, maintain_order=True)
    return Chunk(records, rejects)


def _chunks(pieces: Iterable[Piece] | Iterable[MtPiece], size: int) -> Iterator[list[Piece] | list[MtPiece]]:
    """Yield consecutive lists of at most ``size`` messages."""
    it = iter(pieces)
    while chunk := list(islice(it, size)):
        yield chunk  # type: ignore[misc]  # a list of one kind of piece, as it came


def _context() -> BaseContext:
    """Return spawn: a worker runs polars, and polars in a process forked from a threaded one can deadlock."""
    return multiprocessing.get_context("spawn")


def read_all(
    pieces: Iterable[Piece] | Iterable[MtPiece], workers: int, size: int = CHUNK, *, validate: bool = False
) -> Iterator[Chunk]:
    """Yield what each chunk of messages reads as, in file order: here (one worker) or in a pool of processes."""
    if workers <= 1:
        yield from (read_chunk(chunk, validate) for chunk in _chunks(pieces, size))
        return
    pool = ProcessPoolExecutor(workers, mp_context=_context())
    pending: deque[Future[Chunk]] = deque()
    try:
        for chunk in _chunks(pieces, size):
            pending.append(pool.submit(read_chunk, chunk, validate))
            if len(pending) >= AHEAD * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
