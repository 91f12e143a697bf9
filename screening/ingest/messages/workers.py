"""Reading a file's messages in worker processes: cut in order here, read there, taken back in the same order.

A worker parses messages and runs the stylesheet (lxml, libxslt) or reads them one at a time
(Python), so a big file is read by one worker process per core (two on the reference machine)
while this process cuts the next messages, turns the stylesheet's lines into records (polars:
never in a forked worker, where polars can deadlock) and screens the records already read.
Chunks are taken back in the order they were cut, so the records, their lines and the quarantine
are the same as read in one process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.context import BaseContext
from typing import Final

import polars as pl

from screening.cores import usable_cores
from screening.ingest.messages.mt import MtPiece
from screening.ingest.messages.mt_fast import mt_records, plain
from screening.ingest.messages.packed import Packed, pack
from screening.ingest.messages.records import read_written
from screening.ingest.messages.rows import MESSAGE, SEQ, Reject, Row, iso_rows, mt_rows, rows_frame
from screening.ingest.messages.split import Piece
from screening.ingest.messages.xslt import Written, write_run

CHUNK: Final = 4000  # messages a worker reads at once (about 4 MiB of pacs.008; one stylesheet run)
PARALLEL_BYTES: Final = 32 << 20  # a smaller file is read in this process: starting workers would cost more
AHEAD: Final = 2  # chunks in flight per worker: enough to keep it busy, few enough to bound memory


@dataclass(frozen=True)
class Chunk:
    """What consecutive messages read as: their records in file order and each reject with its message number."""

    records: pl.DataFrame  # rows.FRAME
    rejects: list[tuple[int, Reject]]


@dataclass(frozen=True)
class Raw:
    """What a worker sends back for consecutive messages: the stylesheet's lines and the others' rows and rejects."""

    written: Written | None
    rows: list[Row]  # with their message number and place (rows.MESSAGE, rows.SEQ)
    rejects: list[tuple[int, Reject]]
    plain_mt: list[int] = field(default_factory=list)  # places of the FIN messages left to the fast path (mt_fast)


def worker_count(size: int) -> int:
    """Return how many worker processes read a file of ``size`` bytes (1: this process reads it)."""
    if size < PARALLEL_BYTES:
        return 1
    return min(2, usable_cores())


def read_chunk(pieces: list[Piece] | list[MtPiece], validate: bool = False) -> Raw:
    """Return what consecutive messages read as, in a worker (lxml, libxslt and Python; no polars).

    pacs.008 messages of the plain shape are written by the stylesheet (:func:`.xslt.write_run`),
    unless validated; plain MT103 and MT202 (COV) messages are left to :func:`.mt_fast.mt_records`
    (polars, in :func:`finish`); the others are read one at a time.
    """
    every: list[Piece | MtPiece] = list(pieces)
    iso = [p.data if p.problem is None else b"" for p in every if isinstance(p, Piece)]
    written = write_run(iso) if iso and len(iso) == len(every) and not validate else None
    fast_mt = [n for n, p in enumerate(every) if isinstance(p, MtPiece) and plain(p.text)]
    skip = set(written.chosen if written is not None else fast_mt)
    left = [p for n, p in enumerate(every) if n not in skip]
    return _one_at_a_time(Raw(written, [], [], fast_mt), left, validate)


def read_packed(packed: Packed, validate: bool = False) -> Raw:
    """Return what consecutive ISO 20022 messages read as, in a worker, as :func:`read_chunk` does."""
    iso = packed.data()
    written = write_run(iso) if iso and not validate else None
    skip = set(written.chosen if written is not None else [])
    left: list[Piece | MtPiece] = [packed.piece(n) for n in range(len(iso)) if n not in skip]
    return _one_at_a_time(Raw(written, [], []), left, validate)


def _one_at_a_time(raw: Raw, pieces: list[Piece | MtPiece], validate: bool) -> Raw:
    """Add the rows and rejects of messages read one at a time to what was read."""
    for piece in pieces:
        found, refused = iso_rows(piece, validate) if isinstance(piece, Piece) else mt_rows(piece)
        raw.rows.extend({**row, MESSAGE: piece.number, SEQ: seq} for seq, row in enumerate(found))
        raw.rejects.extend((piece.number, reject) for reject in refused)
    return raw


def finish(raw: Raw, pieces: list[Piece] | list[MtPiece]) -> Chunk:
    """Return a chunk's records and rejects in file order: the stylesheet's lines become records here (polars).

    A message the stylesheet wrote, or the MT fast path read, that misses a mandatory element is read
    one at a time here.
    """
    every: list[Piece | MtPiece] = list(pieces)
    fast, done = None, set[int]()
    if raw.written is not None:
        fast, done = read_written(raw.written, [p for p in every if isinstance(p, Piece)])
    left = [every[n] for n in (raw.written.chosen if raw.written is not None else []) if n not in done]
    if raw.plain_mt:
        fast, slow_mt = mt_records([p for n in raw.plain_mt if isinstance(p := every[n], MtPiece)])
        left = [every[raw.plain_mt[k]] for k in sorted(slow_mt)]
    raw = _one_at_a_time(raw, left, validate=False)
    slow = rows_frame(raw.rows)
    records = slow if fast is None else pl.concat([fast, slow]).sort(MESSAGE, SEQ, maintain_order=True)
    return Chunk(records, sorted(raw.rejects, key=lambda reject: reject[0]))


def _chunks(pieces: Iterable[Piece] | Iterable[MtPiece], size: int) -> Iterator[list[Piece] | list[MtPiece]]:
    """Yield consecutive lists of at most ``size`` messages."""
    it = iter(pieces)
    while chunk := list(islice(it, size)):
        yield chunk  # type: ignore[misc]  # a list of one kind of piece, as it came


def _context() -> BaseContext:
    """Return fork where the platform has it (workers start at once and run only lxml and Python), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def read_all(
    pieces: Iterable[Piece] | Iterable[MtPiece], workers: int, size: int = CHUNK, *, validate: bool = False
) -> Iterator[Chunk]:
    """Yield what each chunk of messages reads as, in file order: here (one worker) or in a pool of processes."""
    if workers <= 1:
        yield from (finish(read_chunk(chunk, validate), chunk) for chunk in _chunks(pieces, size))
        return
    pool = ProcessPoolExecutor(workers, mp_context=_context())
    pending: deque[tuple[list[Piece] | list[MtPiece], Future[Raw]]] = deque()
    try:
        for chunk in _chunks(pieces, size):
            pending.append((chunk, _submit(pool, chunk, validate)))
            if len(pending) >= AHEAD * workers:
                cut, future = pending.popleft()
                yield finish(future.result(), cut)
        while pending:
            cut, future = pending.popleft()
            yield finish(future.result(), cut)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, chunk: list[Piece] | list[MtPiece], validate: bool) -> Future[Raw]:
    """Send a chunk to a worker: ISO 20022 messages packed (cheaper to send), FIN messages as they are."""
    iso = [p for p in chunk if isinstance(p, Piece)]
    if iso and len(iso) == len(chunk):
        return pool.submit(read_packed, pack(iso), validate)
    return pool.submit(read_chunk, chunk, validate)
