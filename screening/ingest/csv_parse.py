"""One CSV block to raw batches: well-formed records through polars, faulty ones to quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from screening.frames import fmt
from screening.ingest.csv_split import Segments, split_block
from screening.ingest.raw import LINE, RAW_LIMIT, RawBatch, no_rejects, quarantine_frame

_REPLACEMENT: Final = "\ufffd".encode()
_UNDECODABLE: Final = "undecodable bytes (not valid in the file's encoding)"


def fix_utf8(body: bytes) -> bytes:
    """Return the bytes unchanged when valid UTF-8, else with bad bytes replaced by U+FFFD."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", "replace").encode("utf-8")
    return body


@dataclass(frozen=True)
class Layout:
    """What is known of a CSV file once its header is read."""

    where: str
    delim: int
    names: list[str]
    batch_rows: int


def parse_block(layout: Layout, body: bytes, base: int, final: bool) -> tuple[list[RawBatch], int] | None:
    """Return the raw batches of a block and the bytes consumed; None when no record closes."""
    a = np.frombuffer(body, np.uint8)
    where, delim, names, batch_rows = layout.where, layout.delim, layout.names, layout.batch_rows
    found = split_block(a, delim, len(names), final)
    if found is None:
        return None
    seg, consumed = found
    faults = _faults(a, seg, base, len(names))
    bad = faults.filter(pl.col("reason").is_not_null())
    rejects = quarantine_frame(where, bad["line"], bad["reason"], _raw_text(body, bad))
    good = faults.filter(pl.col("reason").is_null())
    rows = _parse(a, good, names, delim)
    if isinstance(rows, str):
        failed = good.with_columns(pl.lit(rows).alias("reason"))
        more = quarantine_frame(where, failed["line"], failed["reason"], _raw_text(body, failed))
        rejects, rows = pl.concat([rejects, more]).sort("line"), _empty(names)
    starts = range(0, max(rows.height, 1), batch_rows)
    batches = [RawBatch(rows.slice(i, batch_rows), rejects if i == 0 else no_rejects()) for i in starts]
    return batches, consumed


def _faults(a: npt.NDArray[np.uint8], seg: Segments, base: int, expected: int) -> pl.DataFrame:
    """Return each record's span, physical line and fault (null when well-formed)."""
    frame = pl.DataFrame(
        {
            "start": seg.start,
            "end": seg.end,
            "line": seg.line + base + 1,
            "fields": seg.fields,
            "unterminated": seg.unterminated,
            "stray": seg.stray,
            "undecodable": _undecodable(a, seg),
        }
    )
    reason = (
        pl.when("undecodable")
        .then(pl.lit(_UNDECODABLE))
        .when("unterminated")
        .then(pl.lit("unterminated quote"))
        .when("stray")
        .then(pl.lit("stray quote inside a field (quote a field that holds quotes)"))
        .when(pl.col("fields") != expected)
        .then(fmt("{} fields, expected {}", "fields", pl.lit(expected)))
    )
    return frame.with_columns(reason.alias("reason"))


def _undecodable(a: npt.NDArray[np.uint8], seg: Segments) -> npt.NDArray[np.bool_]:
    """Tell which records hold U+FFFD, the mark of bytes that did not decode."""
    if _REPLACEMENT not in a.tobytes() or seg.start.size == 0:
        return np.zeros(seg.start.size, dtype=bool)
    hit = np.flatnonzero((a[:-2] == 0xEF) & (a[1:-1] == 0xBF) & (a[2:] == 0xBD))
    owner = np.clip(np.searchsorted(seg.start, hit, side="right") - 1, 0, None)
    inside = hit < seg.end[owner]
    return np.bincount(owner[inside], minlength=seg.start.size) > 0


def _raw_text(body: bytes, bad: pl.DataFrame) -> pl.Series:
    """Return the text of faulty records (a loop over quarantined records only)."""
    spans = zip(bad["start"].to_list(), bad["end"].to_list(), strict=True)
    limit = 4 * RAW_LIMIT
    return pl.Series(
        [body[s : min(e, s + limit)].decode("utf-8", "replace").rstrip("\r") for s, e in spans],
        dtype=pl.String,
    )


def _parse(a: npt.NDArray[np.uint8], good: pl.DataFrame, names: list[str], delim: int) -> pl.DataFrame | str:
    """Parse the well-formed records with polars; return the parser's complaint on failure."""
    if good.height == 0:
        return _empty(names)
    buffer = _gather(a, good["start"].to_numpy(), good["end"].to_numpy())
    schema = dict.fromkeys(names, pl.String())
    try:
        rows = pl.read_csv(buffer, has_header=False, schema=schema, separator=chr(delim))
    except pl.exceptions.PolarsError as exc:
        return f"cannot parse row: {str(exc).splitlines()[0]}"
    if rows.height != good.height:
        return f"cannot parse row: {rows.height} rows parsed of {good.height}"
    return rows.with_columns(good["line"].alias(LINE))


def _empty(names: list[str]) -> pl.DataFrame:
    """Return an empty raw frame with the given columns."""
    return pl.DataFrame(schema={**dict.fromkeys(names, pl.String()), LINE: pl.Int64()})


def _gather(a: npt.NDArray[np.uint8], start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]) -> bytes:
    """Return the bytes of the given records, each ended by a newline."""
    stop = np.minimum(end + 1, a.size)
    if start.size and start[0] == 0 and stop[-1] == a.size and (start[1:] == stop[:-1]).all():
        buffer = a.tobytes()  # the records tile the whole block: nothing to cut out
    else:
        delta = np.zeros(a.size + 1, dtype=np.int8)
        delta[stop] -= 1
        delta[start] += 1  # a start equal to the previous stop cancels it: the run goes on
        buffer = a[np.cumsum(delta[:-1], dtype=np.int8) > 0].tobytes()
    return buffer if buffer.endswith(b"\n") else buffer + b"\n"
