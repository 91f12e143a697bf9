"""Vectorized CSV record splitting with numpy: where each record starts, ends and what is wrong.

A block of UTF-8 bytes is cut into physical lines; a line ends a record when the number of
double quotes before its end is even (RFC 4180: quotes only inside quoted fields, doubled to
escape), so a quoted field may span lines and its record keeps the line it starts on. Fields are
counted by the delimiters outside quotes. A quote must open a field (after a delimiter or at the
record start) or close one (before a delimiter or the record end), else it is a stray quote.

Recovery: a multi-line record with the wrong field count, or one still open at the end of the
file, is taken apart into its physical lines, each checked on its own; so one unterminated quote
costs its own line, not the rest of the file. A literal inch mark (``PIPE 1/2" STEEL``) is a
stray quote: such a row is quarantined with that reason rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
QUOTE, NEWLINE, RETURN = 34, 10, 13


@dataclass(frozen=True)
class Segments:
    """Records of a block: byte span, 0-based line index of the start, and their faults."""

    start: IntArray
    end: IntArray  # exclusive; the newline is not part of the record
    line: IntArray
    fields: IntArray
    unterminated: BoolArray
    stray: BoolArray


def split_block(a: npt.NDArray[np.uint8], delim: int, expected: int | None, final: bool) -> tuple[Segments, int] | None:
    """Return the non-blank records of a block and the bytes consumed, None when none closes."""
    ends = np.flatnonzero(a == NEWLINE).astype(np.int64)
    if final and (a.size == 0 or a[-1] != NEWLINE):
        ends = np.append(ends, np.int64(a.size))
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    quotes = np.flatnonzero(a == QUOTE).astype(np.int64)
    closed = np.searchsorted(quotes, ends) % 2 == 0
    if not final:
        last = np.flatnonzero(closed)
        if last.size == 0:
            return None
        ends, starts, closed = ends[: last[-1] + 1], starts[: last[-1] + 1], closed[: last[-1] + 1]
    first, last_line = _group(closed)
    segments = _stats(a, delim, quotes, start=starts[first], end=ends[last_line], line=first)
    wrong = (segments.fields != (expected or 0)) | segments.unterminated | segments.stray
    suspect = (last_line > first) & wrong
    if expected is not None and suspect.any():
        lines = _expand(first[suspect], last_line[suspect])
        first = np.concatenate((first[~suspect], lines))
        last_line = np.concatenate((last_line[~suspect], lines))
        order = np.argsort(first, kind="stable")
        first, last_line = first[order], last_line[order]
        segments = _stats(a, delim, quotes, start=starts[first], end=ends[last_line], line=first)
    consumed = int(ends[-1] + 1) if ends.size else 0
    return _drop_blank(a, segments), min(consumed, a.size)


def _group(closed: BoolArray) -> tuple[IntArray, IntArray]:
    """Return the first and last line index of each record; an open tail is one record."""
    last = np.flatnonzero(closed).astype(np.int64)
    if closed.size and not closed[-1]:
        last = np.append(last, np.int64(closed.size - 1))
    first = np.concatenate(([0], last[:-1] + 1)).astype(np.int64)
    return first, last


def _expand(first: IntArray, last: IntArray) -> IntArray:
    """Return every line index in the ranges first..last."""
    counts = last - first + 1
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    result: IntArray = (np.repeat(first, counts) + offsets).astype(np.int64)
    return result


def _stats(
    a: npt.NDArray[np.uint8],
    delim: int,
    quotes: IntArray,
    *,
    start: IntArray,
    end: IntArray,
    line: IntArray,
) -> Segments:
    """Count fields outside quotes and find unterminated and stray quotes per segment."""
    if start.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Segments(start, end, line, empty, empty.astype(bool), empty.astype(bool))
    q_from, q_to = np.searchsorted(quotes, start), np.searchsorted(quotes, end)
    delims = np.flatnonzero(a == delim).astype(np.int64)
    owner, inside = _owner(delims, start, end)
    unquoted = inside & ((np.searchsorted(quotes, delims) - q_from[owner]) % 2 == 0)
    fields = np.bincount(owner[unquoted], minlength=start.size).astype(np.int64) + 1
    return Segments(
        start=start,
        end=end,
        line=line,
        fields=fields,
        unterminated=(q_to - q_from) % 2 == 1,
        stray=_stray(a, delim, quotes, start=start, end=end, q_from=q_from),
    )


def _owner(positions: IntArray, start: IntArray, end: IntArray) -> tuple[IntArray, BoolArray]:
    """Return the segment index of each position and whether it lies inside that segment."""
    owner = np.clip(np.searchsorted(start, positions, side="right") - 1, 0, None)
    inside = (positions >= start[owner]) & (positions < end[owner])
    return owner, inside


def _stray(
    a: npt.NDArray[np.uint8],
    delim: int,
    quotes: IntArray,
    *,
    start: IntArray,
    end: IntArray,
    q_from: IntArray,
) -> BoolArray:
    """Tell which segments hold a quote that neither opens nor closes a field."""
    owner, inside = _owner(quotes, start, end)
    opener = (np.arange(quotes.size) - q_from[owner]) % 2 == 0
    before = a[np.clip(quotes - 1, 0, None)]
    after = a[np.clip(quotes + 1, 0, a.size - 1)]
    at_start = quotes == start[owner]
    at_end = quotes + 1 >= end[owner]
    opens = at_start | (before == delim) | (before == QUOTE)
    closes = at_end | (after == delim) | (after == QUOTE) | (after == RETURN)
    bad = inside & np.where(opener, ~opens, ~closes)
    return np.bincount(owner[bad], minlength=start.size) > 0


def _drop_blank(a: npt.NDArray[np.uint8], seg: Segments) -> Segments:
    """Remove empty lines (nothing, or a lone carriage return) from the segments."""
    length = seg.end - seg.start
    if a.size == 0:  # a header-only file leaves an empty body
        lone_return = np.zeros(length.shape, dtype=bool)
    else:
        lone_return = (length == 1) & (a[np.clip(seg.start, 0, a.size - 1)] == RETURN)
    keep = (length > 0) & ~lone_return
    return Segments(
        start=seg.start[keep],
        end=seg.end[keep],
        line=seg.line[keep],
        fields=seg.fields[keep],
        unterminated=seg.unterminated[keep],
        stray=seg.stray[keep],
    )
