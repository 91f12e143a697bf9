"""Frame helpers the scan path shares."""

from __future__ import annotations

import polars as pl


def compact(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with its own tight string buffers, so that it no longer keeps the frame it was cut from alive.

    polars filters and joins of string columns copy only 16-byte views into the source's buffers:
    a hit frame of a few thousand rows kept from a 500,000-row batch held the whole batch's party
    names, which made a 100M-row run grow past 18 GiB. A round trip through Arrow (large_string)
    copies just the strings the frame uses.
    """
    result = pl.from_arrow(frame.to_arrow())
    assert isinstance(result, pl.DataFrame)  # from_arrow of a table is a frame
    return result
