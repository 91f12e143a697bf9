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
from pathlib import Path
from typing import Final, NamedTuple

BLOCK: Final = 1 << 23
MAX_MESSAGE: Final = 1 << 28  # 256 MiB: a bigger message is quarantined, not read
_START: Final = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?)Document(?=[\s/>])")
_DTD: Final = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_DTD_LONGEST: Final = len(b"<!DOCTYPE") - 1  # bytes past a cut that a DTD starting before it can reach
_CLOSING: Final = re.compile(rb"\s*>")  # what follows ``</Document`` in a closing tag
_OPENING: Final = re.compile(rb"(?=[\s/>])")  # what follows ``<Document`` in a start tag
OVERSIZED: Final = f"message over {MAX_MESSAGE >> 20} MiB: not read"
TRUNCATED: Final = "truncated: the message has no closing </Document>"
REFUSED_DTD: Final = "a DTD (<!DOCTYPE>/<!ENTITY>) comes with the message: refused (XXE, entity expansion)"


class Piece(NamedTuple):
    """One message as cut from its file: its number, byte offset and line, its bytes and any problem.

    A named tuple, not a frozen dataclass: one is made per message, in about half the time.
    """

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

    def skip(self, end: int) -> bool:
        """Consume the buffer up to ``end`` (a buffer index) unread; tell whether a DTD starts there.

        The search looks a token's length past ``end``, so that a DTD cut by the end is still seen.
        """
        dtd = _DTD.search(self.buffer, self.pos, end + _DTD_LONGEST) is not None
        self.lines += self.buffer.count(b"\n", self.pos, end)
        self.base += end - self.pos
        self.pos = end
        return dtd


def split_messages(path: Path, block: int = BLOCK) -> Iterator[Piece]:
    """Yield the ``<Document>`` elements of a file in order, a truncated or oversized one with its problem."""
    reader = _Reader(path, block)
    number, dtd = 0, False
    try:
        while True:
            found = _START.search(reader.buffer, reader.pos)
            if found is None:
                keep = max(len(reader.buffer) - 64, reader.pos)  # a start tag may straddle two blocks
                dtd = reader.skip(keep) or dtd
                if not reader.more():
                    return
                continue
            number += 1
            dtd = reader.skip(found.start()) or dtd  # skipped even after a DTD: the message starts at its tag
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
    tag = prefix + b"Document"
    scanned = reader.pos + 1
    while True:
        found = _bound(reader.buffer, max(scanned - 64, reader.pos + 1), tag)
        if found is not None and found[2]:
            return Piece(number, offset, line, reader.drop(found[1]), REFUSED_DTD if refused else None)
        if found is not None:
            return Piece(number, offset, line, reader.drop(found[0]), TRUNCATED)
        if len(reader.buffer) - reader.pos > MAX_MESSAGE:
            return Piece(number, offset, line, reader.drop(reader.pos + 1), OVERSIZED)
        scanned = len(reader.buffer) - reader.pos  # relative: more() moves the message to the buffer's start
        if not reader.more():
            return Piece(number, offset, line, reader.drop(len(reader.buffer)), TRUNCATED)
        scanned += reader.pos


def _bound(buffer: bytes, start: int, tag: bytes) -> tuple[int, int, bool] | None:
    """Return the first closing ``</tag>`` or next ``<tag`` start tag from ``start``: its span and whether it closes.

    Literal searches, not one regular expression: a pattern starting with ``<`` is tried at every
    tag of the message, which made cutting cost a tenth of reading.
    """
    close = _find(buffer, b"</" + tag, start, len(buffer), _CLOSING)
    opening = _find(buffer, b"<" + tag, start, close[0] if close else len(buffer), _OPENING)
    if opening is not None:
        return (*opening, False)
    return (*close, True) if close is not None else None


def _find(buffer: bytes, literal: bytes, start: int, stop: int, after: re.Pattern[bytes]) -> tuple[int, int] | None:
    """Return the span of the first ``literal`` in ``buffer[start:stop]`` that ``after`` matches behind, else None."""
    at = buffer.find(literal, start, stop)
    while at >= 0:
        tail = after.match(buffer, at + len(literal))
        if tail is not None:
            return at, tail.end()
        at = buffer.find(literal, at + 1, stop)
    return None
