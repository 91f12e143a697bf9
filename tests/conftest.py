"""Shared test helpers: canonical record frames built from raw text, as ingestion would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.goods.hs import normalize_hs
from screening.schema import TRANSACTION_COLUMNS

ROOT = Path(__file__).parent.parent


def make_records(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Return canonical transactions from rows of raw values (HS codes as written, ISO-2 countries)."""
    raw = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}, orient="row")
    if "record_id" not in raw.columns:
        raw = raw.with_row_index("n", offset=1).with_columns(pl.format("R{}", pl.col("n")).alias("record_id"))
    if "hs_code" in raw.columns:
        raw = raw.with_columns(normalize_hs(pl.col("hs_code")).alias("_hs")).drop("hs_code").unnest("_hs")
    return raw.with_columns(
        pl.lit("test.csv").alias("source_file"), pl.int_range(1, pl.len() + 1).alias("line")
    ).select(
        [
            (pl.col(c) if c in raw.columns or c in ("source_file", "line") else pl.lit(None)).cast(t).alias(c)
            for c, t in TRANSACTION_COLUMNS.items()
        ]
    )


@pytest.fixture
def records() -> Any:
    """Return the make_records helper."""
    return make_records
