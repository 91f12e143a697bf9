"""Cutting a file of ISO 20022 messages into one ``<Document>`` at a time, streamed in blocks.

A file may hold one message, several ``<Document>`` elements one after the other (not one XML
document), or messages wrapped in an envelope with business application headers (``head.001``):
the splitter finds each ``<Document>`` element by its tags, whatever surrounds it, so one broken
message never hides the next. Only one message is held at once (at most ``MAX_MESSAGE`` bytes).
A DTD before a message (``<!DOCTYPE``, ``<!ENTITY``) is refused with that message: entity
declarations are how XXE and entity-expansion ("billion laughs") attacks work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

BLOCK: Final = 1 << 23
MAX_MESSAGE: Final = 1 << 28  # 256 MiB: a bigger message is quarantined, not read
_START: Final = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?)Document(?=[\s/>])")
_DTD: Final = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
OVERSIZED: Final = f"message over {MAX_MESSAGE >> 20} MiB: not read"
TRUNCATED: Final = "truncated: the message has no closing </Document>"
REFUSED_DTD: Final = "a DTD (<!DOCTYPE>/<!ENTITY>) comes with the message: refused (XXE, entity expansion)"


@dataclass(frozen=True)
class Piece:
    """One message as cut from its file: its number, byte offset and line, its bytes and any problem."""

    number: int  # 1-based position of the message in its file
    offset: int  # byte offset of ``<Document`` in the file
    line: int  # 1-based line of ``<Document``
    data: bytes
    problem: str | None = None  # why the message cannot be read, when known before parsing


class _Reader:
    """A file read in blocks: the buffer, the position of the first byte not consumed, its file offset and line."""

    def __init__(self, path: Path, block: int) -> None:
        self.handle = path.open("rb")
        self.block = block
        self.buffer = b""
        self.pos = 0  # first byte of the buffer not consumed
        self.base = 0  # file offset of buffer[pos]
        self.lines = 1  # line of buffer[pos]
        self.done = False

    def more(self) -> bool:
        """Read the next block, dropping the consumed bytes; tell whether anything came."""
        chunk = b"" if self.done else self.handle.read(self.block)
        self.done = not chunk
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return bool(chunk)

    def drop(self, end: int) -> bytes:
        """Consume the buffer up to ``end`` (a buffer index) and return the bytes consumed."""
        head = self.buffer[self.pos : end]
        self.pos = end
        self.base += len(head)
        self.lines += head.count(b"\n")
        return head


def split_messages(path: Path, block: int = BLOCK) -> Iterator[Piece]:
    """Yield the ``<Document>`` elements of a file in order, a truncated or oversized one with its problem."""
    reader = _Reader(path, block)
    number, dtd = 0, False
    try:
        while True:
            found = _START.search(reader.buffer, reader.pos)
            if found is None:
                keep = max(len(reader.buffer) - 64, reader.pos)  # a start tag may straddle two blocks
                dtd = dtd or _DTD.search(reader.drop(keep)) is not None
                if not reader.more():
                    return
                continue
            number += 1
            dtd = dtd or _DTD.search(reader.drop(found.start())) is not None
            yield _piece(reader, number, found.group(1), refused=dtd)
            dtd = False
    finally:
        reader.handle.close()


def _piece(reader: _Reader, number: int, prefix: bytes, *, refused: bool) -> Piece:
    """Consume one message from the buffer (which starts at its ``<Document``) and return it.

    A message runs to its closing tag; one that reaches the next ``<Document`` or the end of the
    file first is truncated and ends there.
    """
    offset, line = reader.base, reader.lines
    tag = re.escape(prefix) + rb"Document"
    bounds = re.compile(rb"</" + tag + rb"\s*>|(<" + tag + rb"(?=[\s/>]))")
    scanned = reader.pos + 1
    while True:
        found = bounds.search(reader.buffer, max(scanned - 64, reader.pos + 1))
        if found is not None and found.group(1) is None:
            return Piece(number, offset, line, reader.drop(found.end()), REFUSED_DTD if refused else None)
        if found is not None:
            return Piece(number, offset, line, reader.drop(found.start()), TRUNCATED)
        if len(reader.buffer) - reader.pos > MAX_MESSAGE:
            return Piece(
                number, offset, line, reader.drop(reader.pos + 1), f"message over {MAX_MESSAGE >> 20} MiB: not read"
            )
        scanned = len(reader.buffer) - reader.pos  # relative: more() moves the message to the buffer's start
        if not reader.more():
            return Piece(number, offset, line, reader.drop(len(reader.buffer)), TRUNCATED)
        scanned += reader.pos
