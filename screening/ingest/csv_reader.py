"""CSV reading in blocks: encoding, delimiter sniffing, header, and bad rows with their lines.

The file is made UTF-8 first (:mod:`screening.ingest.encoding`), then read in blocks of whole
records; :mod:`screening.ingest.csv_split` finds each record's physical line and its faults, and
only well-formed records reach polars' parser. Rejected records become quarantine rows with the
reason: undecodable bytes, unterminated quote, stray quote, or a wrong number of fields. A Ctrl-Z
closing the file (the DOS end-of-file mark) is not a record. A batch holds at most ``batch_rows``
records and ``MAX_BATCH_BYTES`` bytes of their text (``$SCREENING_BATCH_BYTES``); a single record
over that budget is a one-line error with its line.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

import numpy as np
import polars as pl

from screening.errors import InputError, located
from screening.ingest.csv_parse import Layout, fix_utf8, parse_block
from screening.ingest.csv_split import split_block
from screening.ingest.encoding import detect_encoding, utf8_copy
from screening.ingest.raw import LINE, RawBatch, Source, no_rejects, unique_names
from screening.limits import limit

BLOCK_BYTES: Final = 1 << 25
_MAX_CARRY: Final = 1 << 28
_DELIMITERS: Final = ",;\t|"
BUDGET_ENV: Final = "SCREENING_BATCH_BYTES"
MAX_BATCH_BYTES: Final = 512 << 20  # the text of one batch's records; wide rows make batches shorter
# Ctrl-Z closing a file, the DOS end-of-file mark (OFAC's CSV files end with it): not a record.
_DOS_EOF: Final = re.compile(rb"\x1a[\r\n\t ]*\Z")


def open_csv(path: Path, batch_rows: int) -> Source:
    """Open a CSV file: detect encoding and delimiter, read the header, stream the records."""
    tmp = tempfile.TemporaryDirectory(prefix="screening-ingest-")
    utf8, skip = utf8_copy(path, detect_encoding(path), Path(tmp.name))
    with utf8.open("rb") as handle:
        handle.seek(skip)
        head = handle.read(BLOCK_BYTES)
    delim = sniff_delimiter(head[:65536].decode("utf-8", "replace"))
    names, offset, lines = _header(path, head, ord(delim))

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Read every column: the field count of each record is checked against the header."""
        layout = Layout(str(path), ord(delim), names, batch_rows)
        return _batches(layout, utf8, skip + offset, lines, tmp)

    return Source(columns=names, read=read, separator=delim)


def sniff_delimiter(sample: str) -> str:
    """Return the delimiter among , ; tab | that splits the first lines most consistently."""
    lines = [re.sub(r'"[^"]*"', "", ln) for ln in sample.splitlines()[:50] if ln.strip()]
    best, score = ",", (0.0, 0)
    for candidate in _DELIMITERS:
        counts = [ln.count(candidate) for ln in lines]
        mode = max(set(counts), key=counts.count) if counts else 0
        candidate_score = (counts.count(mode) / len(counts) if mode else 0.0, mode)
        if candidate_score > score:
            best, score = candidate, candidate_score
    return best


def _header(path: Path, head: bytes, delim: int) -> tuple[list[str], int, int]:
    """Return the header names, the byte offset after the header and the lines it used."""
    found = split_block(np.frombuffer(head, np.uint8), delim, None, final=True)
    if found is None or found[0].start.size == 0:
        raise InputError(located(str(path), None, "no header row: the file holds only blank lines"))
    seg = found[0]
    line = int(seg.line[0]) + 1
    if seg.unterminated[0]:
        raise InputError(located(str(path), line, "header row has an unterminated quote"))
    text = head[seg.start[0] : seg.end[0]].decode("utf-8", "replace").rstrip("\r")
    names = next(csv.reader([text], delimiter=chr(delim)))
    end = int(seg.end[0]) + 1
    return unique_names(names), end, head[:end].count(b"\n")


def _batches(
    layout: Layout,
    utf8: Path,
    offset: int,
    line_base: int,
    tmp: tempfile.TemporaryDirectory[str],
) -> Iterator[RawBatch]:
    """Yield raw batches of at most batch_rows records, removing the temporary copy at the end."""
    try:
        with utf8.open("rb") as handle:
            handle.seek(offset)
            budget = limit(BUDGET_ENV, MAX_BATCH_BYTES)
            yield from _regroup(_read(layout, handle, line_base), layout.batch_rows, budget, layout.where)
    finally:
        tmp.cleanup()


def _regroup(blocks: Iterator[RawBatch], batch_rows: int, budget: int, where: str) -> Iterator[RawBatch]:
    """Yield batches of batch_rows records and at most ``budget`` bytes of text (the last one shorter).

    A 32 MiB block holds about 140,000 ledger records: screened and stored as they come, a 10M-row
    file made 70 batches instead of 10, each paying the rules' set-up and leaving the store a
    partly filled row group (twice the file size, twice the appending time). Wide rows make a
    batch smaller, so that batch_rows of them never hold more than the byte budget.
    """
    rows: list[pl.DataFrame] = []
    rejects: list[pl.DataFrame] = []
    sizes: list[pl.Series] = []
    sent = False
    for block in blocks:
        rows.append(block.rows)
        rejects.append(block.rejects)
        sizes.append(_row_bytes(block.rows, budget, where))
        while (take := _cut(pl.concat(sizes), batch_rows, budget)) is not None:
            frame, held = pl.concat(rows), pl.concat(sizes)
            yield RawBatch(frame.head(take), pl.concat(rejects) if rejects else no_rejects())
            rows, rejects, sizes, sent = [frame.slice(take)], [], [held.slice(take)], True
    if sum(r.height for r in rows) or rejects or not sent:
        yield RawBatch(pl.concat(rows), pl.concat(rejects) if rejects else no_rejects())


def _cut(sizes: pl.Series, batch_rows: int, budget: int) -> int | None:
    """Return how many held rows make a full batch (by count or by bytes), None while they do not."""
    fitting = int((sizes.cum_sum() <= budget).sum())
    if fitting < sizes.len():
        return max(fitting, 1)
    return batch_rows if sizes.len() >= batch_rows else None


def _row_bytes(rows: pl.DataFrame, budget: int, where: str) -> pl.Series:
    """Return each record's bytes of text; raise InputError for a record larger than the batch budget."""
    texts = [pl.col(c).str.len_bytes().fill_null(0) for c, t in rows.schema.items() if t == pl.String]
    sizes = rows.select(size=pl.sum_horizontal(texts or [pl.lit(0)]).cast(pl.Int64))["size"]
    widest = rows.select(pl.col(LINE).get(sizes.arg_max() or 0), size=sizes.max()) if rows.height else None
    if widest is not None and widest["size"].item() > budget:
        size, line = widest["size"].item(), widest[LINE].item()
        message = f"a record of {size:,} bytes, over the batch budget of {budget:,} bytes (${BUDGET_ENV})"
        raise InputError(located(where, line, message))
    return sizes


def _read(layout: Layout, handle: BinaryIO, base: int) -> Iterator[RawBatch]:
    """Read blocks of whole lines, carrying an unfinished record over to the next block."""
    carry = b""
    while True:
        chunk = handle.read(BLOCK_BYTES)
        final = len(chunk) < BLOCK_BYTES
        data = _DOS_EOF.sub(b"", carry + chunk) if final else carry + chunk
        cut = len(data) if final else data.rfind(b"\n") + 1
        body, rest = fix_utf8(data[:cut]), data[cut:]
        forced = final or len(data) > _MAX_CARRY
        parsed = parse_block(layout, body, base, forced)
        if parsed is None:
            carry = body + rest
            continue
        batches, consumed = parsed
        yield from batches
        base += body[:consumed].count(b"\n")
        carry = body[consumed:] + rest
        if final:
            return
