"""Helpers of the one-query scoring tests: the batch path's own normal form and candidates of one name."""

from __future__ import annotations

from typing import Any

import polars as pl

from screening.names import blocking, match, romanise
from screening.names.index import NameIndex
from screening.names.normalize import normalize_names


def batch_form(name: str) -> dict[str, Any]:
    """Return the batch path's normal form of one name."""
    return normalize_names(pl.Series([name])).row(0, named=True)


def batch_wids(name: str, index: NameIndex) -> list[int]:
    """Return the wids blocking proposes for one name inside ``match._aligned``, ascending."""
    qnorm = normalize_names(pl.Series([name]))
    keyed = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    qnorm = qnorm.with_columns(roman=keyed.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit("")))
    forms = qnorm.select(*match.FORM_COLUMNS, "roman").unique(match.CORE, maintain_order=True).with_row_index("nid")
    pairs = blocking.candidates(forms, index.keys, match.PER_QUERY)
    return sorted(pairs["wid"].cast(pl.Int64).to_list())


def batch_rows(query: dict[str, str | None], index: NameIndex, threshold: float, top: int) -> list[dict[str, Any]]:
    """Return the rows ``match_index`` gives one query row."""
    frame = pl.DataFrame([query], schema={k: pl.String() for k in query})
    return match.match_index(frame, index, threshold, top).to_dicts()
