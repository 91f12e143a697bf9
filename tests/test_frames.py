from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from screening.frames import compact


def _bytes(frame: pl.DataFrame) -> int:
    """Return the bytes of every buffer the frame's columns hold, string views' data buffers included."""
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
    return sum(b.size for column in table.columns for chunk in column.chunks for b in chunk.buffers() if b is not None)


@pytest.mark.parametrize("keep", [1, 10, 1_000])
def test_compact_keeps_rows_and_types_and_drops_the_source_buffers(keep: int) -> None:
    source = pl.DataFrame({"n": range(100_000)}).with_columns(
        name=pl.format("a party name long enough to live outside the view {}", "n"),
        day=pl.lit(date(2024, 1, 2)),
        kind=pl.lit("x").cast(pl.Categorical),
    )
    cut = source.filter(pl.col("n") % (100_000 // keep) == 0)
    tight = compact(cut)
    assert tight.equals(cut)
    assert tight.schema == cut.schema
    assert _bytes(cut) > 20 * _bytes(tight)  # the cut still holds the source's strings
