from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import polars as pl
import pytest

from screening.frames import compact, exact_sum, fmt, ordered_sum, per_value


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


@pytest.mark.parametrize("order", list(itertools.permutations([0.1, 0.2, 0.3, 1e14, -1e14])))
def test_exact_sum_is_the_same_in_any_order(order: tuple[float, ...]) -> None:
    frame = pl.DataFrame({"value": order})
    assert frame.select(exact_sum("value")).item() == 0.6  # float addition gives 0.6, 0.6000000000000001 or 0.59375
    assert frame.select(ordered_sum(pl.col("value"))).item() == 0.59375  # always added smallest first


def test_exact_sum_over_threads_gives_one_result() -> None:
    rng = np.random.default_rng(7)
    frame = pl.DataFrame({"key": rng.integers(0, 50, 2_000_000), "value": rng.random(2_000_000) * 1e7})
    results = {tuple(frame.group_by("key").agg(exact_sum("value")).sort("key")["value"]) for _ in range(5)}
    assert len(results) == 1


FORMATS = [  # (template, arguments, expected per row of FORMAT_ROWS)
    ("{} ({})", ("name", "n"), ["Alfa (3)", None]),
    ("{}", (pl.col("day"),), ["2024-01-02", "2024-01-03"]),
    ("+{} {}", ("name", pl.Series(["1", "2"])), ["+Alfa 1", "+Beta 2"]),
]
FORMAT_ROWS = pl.DataFrame({"name": ["Alfa", "Beta"], "n": [3, None], "day": [date(2024, 1, 2), date(2024, 1, 3)]})


@pytest.mark.parametrize(("template", "args", "expected"), FORMATS)
def test_fmt_writes_as_pl_format_does(
    template: str, args: tuple[str | pl.Expr | pl.Series, ...], expected: list[str | None]
) -> None:
    assert FORMAT_ROWS.select(fmt(template, *args).alias("x"))["x"].to_list() == expected
    assert FORMAT_ROWS.select(pl.format(template, *args).alias("x"))["x"].to_list() == expected


def test_fmt_refuses_a_wrong_number_of_arguments() -> None:
    with pytest.raises(ValueError, match="2 placeholders for 1 arguments"):
        fmt("{} {}", "name")


PER_VALUE = [
    ("repeats", ["SABRRUMM", "DEUTDEFF", "SABRRUMM", "SABRRUMM"]),
    ("nulls", [None, "KICBKG22", None, "kicbkg22"]),
    ("all null", [None, None]),
    ("none", []),
]


@pytest.mark.parametrize(("case", "values"), PER_VALUE, ids=[c[0] for c in PER_VALUE])
def test_per_value_is_the_expression_row_by_row_in_the_frames_order(case: str, values: list[str | None]) -> None:
    frame = pl.DataFrame({"bank": values, "n": range(len(values))}, schema={"bank": pl.String, "n": pl.Int64})
    got = per_value(frame, "bank", _country, "country")
    assert got.equals(frame.with_columns(_country(pl.col("bank")).alias("country"))), case


def _country(bank: pl.Expr) -> pl.Expr:
    """Return letters 5-6 of a BIC, lower-cased (any expression of one column will do)."""
    return bank.str.slice(4, 2).str.to_lowercase()
