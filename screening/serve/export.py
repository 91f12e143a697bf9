"""The queue as CSV: what an analyst takes to a spreadsheet, with formula-like cells neutralised."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.report.export import neutralize_formulas

COLUMNS: Final = (
    "case_key", "state", "hit_id", "rule_id", "severity", "score", "record_id", "party", "entity_id",
    "list_source", "programs", "detail", "source_file", "line",
)  # fmt: skip


def queue_csv(rows: pl.DataFrame) -> str:
    """Return queue rows as CSV text with one header."""
    return neutralize_formulas(rows.select(COLUMNS)).write_csv()
