"""Bank payment messages as an input format: ISO 20022 XML (pacs.008, pacs.009 incl. COV, pain.001,
camt.053, camt.054) and SWIFT MT103 / MT202 (COV), one transaction record per payment.

:func:`open_messages` opens a file the way the other readers do (``open_jsonl``, ``open_xlsx``):
a :class:`~screening.ingest.raw.Source` whose columns are canonical transaction columns, so the
usual mapping, coercion, notes and quarantine apply. Messages are cut one at a time from a
stream of blocks (:mod:`.split`, :func:`.mt.split_mt`); plain pacs.008 messages are read in runs
by one XSLT (:mod:`.xslt`, :mod:`.records`), the others one at a time; a message that cannot be
read is quarantined with its line and the reason, and the file's other messages are still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import InputError, located
from screening.ingest.messages.mt import split_mt
from screening.ingest.messages.rows import COLUMNS, MESSAGE, Reject, rows_frame
from screening.ingest.messages.split import split_messages
from screening.ingest.messages.validate import schema, unvalidated, validating, validation_wanted
from screening.ingest.messages.workers import read_all, worker_count
from screening.ingest.raw import LINE, RawBatch, Source, quarantine_frame

EXTENSIONS: Final = (".xml", ".fin", ".mt", ".mt103", ".mt202")
# An HS code named in remittance text ("HS 8542.31", "HS code: 848210"): read into hs_code.
HS_IN_TEXT: Final = r"(?i)\bHS(?:\s*code)?\s*[:#.]?\s*(\d{4}(?:[ .]?\d{2}){0,3})\b"
_SNIFF: Final = 4096
HELD_ROWS: Final = 100_000  # records held as Python rows before they become a batch (about 0.3 GiB)


def is_mt(path: Path) -> bool:
    """Tell whether a file starts with a FIN message's block 1 (``{1:F01``), after a BOM and blanks."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{1:F")


def open_messages(path: Path, batch_rows: int, workers: int | None = None) -> Source:
    """Open a file of ISO 20022 or SWIFT MT messages; each payment is a record with canonical columns.

    ``workers`` processes read the messages (default: one per core, up to two, for a big file).
    ISO 20022 messages are validated against their official schema inside :func:`.validate.validating`.
    """
    mt = is_mt(path)
    if not mt and not _has_document(path):
        raise InputError(
            located(str(path), None, "no ISO 20022 <Document> element and no SWIFT FIN block {1:; not a message file")
        )
    count = worker_count(path.stat().st_size) if workers is None else workers
    validate = validation_wanted()

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of whole messages' records, the first message reaching batch_rows ending one, with rejects."""
        held: list[pl.DataFrame] = []
        rejects: list[tuple[int, Reject]] = []
        said: set[str] = set()
        size = min(batch_rows, HELD_ROWS)
        for chunk in read_all(split_mt(path) if mt else split_messages(path), count, validate=validate):
            held.append(chunk.records)
            rejects += chunk.rejects
            while sum(frame.height for frame in held) >= size:
                frame = pl.concat(held)
                last = frame[MESSAGE][size - 1]
                held = [frame.filter(pl.col(MESSAGE) > last)]
                now, rejects = [r for m, r in rejects if m <= last], [(m, r) for m, r in rejects if m > last]
                frame = frame.filter(pl.col(MESSAGE) <= last)
                yield _batch(frame, now, wanted, str(path), _unsaid(frame, said, str(path)) if validate else ())
        frame = pl.concat(held) if held else rows_frame([])
        yield _batch(
            frame, [r for _, r in rejects], wanted, str(path), _unsaid(frame, said, str(path)) if validate else ()
        )

    return Source(columns=[*COLUMNS, "hs_code"], read=read)


def validate_file(path: Path) -> tuple[int, list[tuple[int, str]], list[str]]:
    """Read a message file, its ISO 20022 messages validated; return the records read, rejects and what it says."""
    with validating():
        source = open_messages(path, HELD_ROWS)
    read, rejects, said = 0, [], list[str]()  # said: versions read unvalidated, no schema being shipped for them
    for batch in source.read(["record_id"]):
        read += batch.rows.height
        rejects += list(zip(batch.rejects["line"].to_list(), batch.rejects["reason"].to_list(), strict=True))
        said += batch.messages
    return read, rejects, said


def _has_document(path: Path) -> bool:
    """Tell whether a file holds a ``<Document`` start tag anywhere (read in blocks)."""
    return next(iter(split_messages(path)), None) is not None


def _unsaid(frame: pl.DataFrame, said: set[str], where: str) -> tuple[str, ...]:
    """Return what to say of ISO 20022 versions no schema validated that the file has not named yet (now named)."""
    versions = {str(t).removesuffix(" COV") for t in frame["message_type"].fill_null("MT").unique()} - said
    new = {v for v in versions if not v.startswith("MT") and schema(v) is None}
    said |= versions
    return (unvalidated(where, new),) if new else ()


def _batch(
    frame: pl.DataFrame, rejects: list[Reject], wanted: list[str], where: str, messages: tuple[str, ...] = ()
) -> RawBatch:
    """Return a raw batch of records (the wanted columns and their lines), quarantine rows and what the file says."""
    frame = frame.with_columns(pl.col("description").str.extract(HS_IN_TEXT, 1).alias("hs_code"))
    quarantine = quarantine_frame(
        where,
        pl.Series([r[0] for r in rejects], dtype=pl.Int64),
        pl.Series([r[1] for r in rejects], dtype=pl.String),
        pl.Series([r[2] for r in rejects], dtype=pl.String),
    )
    return RawBatch(frame.select(*wanted, LINE), quarantine, messages)
