"""Consecutive ISO 20022 messages packed for a worker process: one blob of bytes and a few lists of numbers.

A worker is sent each chunk of messages by pickling; a thousand :class:`~.split.Piece` objects
cost a call each to pickle and another to unpickle, one blob and lists of integers a copy. The
worker slices the blob back into the messages' bytes and makes a piece only of a message the
stylesheet did not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from screening.ingest.messages.split import Piece


@dataclass(frozen=True)
class Packed:
    """Messages as cut, packed: their bytes joined, where each ends, and their numbers, offsets, lines and problems."""

    blob: bytes
    ends: list[int]
    numbers: list[int]
    offsets: list[int]
    lines: list[int]
    problems: dict[int, str]  # a message's place in the chunk: why it cannot be read

    def data(self) -> list[bytes]:
        """Return each message's bytes, empty for one with a problem (as the stylesheet is given them)."""
        blob, problems = self.blob, self.problems
        starts = [0, *self.ends[:-1]]
        return [b"" if n in problems else blob[a:b] for n, (a, b) in enumerate(zip(starts, self.ends, strict=True))]

    def piece(self, n: int) -> Piece:
        """Return the message at a place in the chunk as it was cut."""
        start = self.ends[n - 1] if n else 0
        data = self.blob[start : self.ends[n]]
        return Piece(self.numbers[n], self.offsets[n], self.lines[n], data, self.problems.get(n))


def pack(pieces: list[Piece]) -> Packed:
    """Return consecutive messages packed for a worker."""
    return Packed(
        b"".join(p.data for p in pieces),
        list(accumulate(len(p.data) for p in pieces)),
        [p.number for p in pieces],
        [p.offset for p in pieces],
        [p.line for p in pieces],
        {n: p.problem for n, p in enumerate(pieces) if p.problem is not None},
    )
