"""Qualifiers: country, birth date and entity type adjust a name score but never create a match.

Each qualifier is an (adjustment, note) pair of expressions over a frame holding the query's
``country``, ``birth_date`` and ``schema`` and the list entity's ``countries``, ``birth_dates``
and ``entity_schema``. The matcher applies them only to pairs whose name score already reaches
the threshold, and drops a pair that a negative qualifier pushes below it.
"""

from __future__ import annotations

from typing import Final

import polars as pl

COUNTRY_AGREE: Final = 0.02
COUNTRY_DIFFER: Final = -0.05
BIRTH_AGREE: Final = 0.03
BIRTH_DIFFER: Final = -0.15
SCHEMA_DIFFER: Final = -0.1


def _known(column: str) -> pl.Expr:
    """Return whether a qualifier column has a value."""
    return pl.col(column).is_not_null() & (pl.col(column).str.strip_chars() != "")


def country() -> tuple[pl.Expr, pl.Expr]:
    """Return the country adjustment and note."""
    q = pl.col("country").str.strip_chars().str.to_uppercase()
    listed = pl.col("countries").str.to_uppercase().str.split(";")
    both = _known("country") & _known("countries")
    agree = listed.list.contains(q)
    adj = pl.when(both & agree).then(COUNTRY_AGREE).when(both).then(COUNTRY_DIFFER)
    note = (
        pl.when(both & agree)
        .then(pl.lit("country ") + q + pl.lit(" agrees"))
        .when(both)
        .then(pl.lit("country ") + q + pl.lit(" not in ") + pl.col("countries"))
    )
    return adj.otherwise(0.0), note


def birth() -> tuple[pl.Expr, pl.Expr]:
    """Return the birth-year adjustment and note."""
    year = pl.col("birth_date").str.extract(r"(\d{4})", 1)
    years = pl.col("birth_dates").str.extract_all(r"\d{4}")
    both = year.is_not_null() & (years.list.len() > 0)
    agree = years.list.contains(year)
    adj = pl.when(both & agree).then(BIRTH_AGREE).when(both).then(BIRTH_DIFFER)
    note = (
        pl.when(both & agree)
        .then(pl.lit("birth year ") + year + pl.lit(" agrees"))
        .when(both)
        .then(pl.lit("birth year ") + year + pl.lit(" differs (list ") + pl.col("birth_dates") + ")")
    )
    return adj.otherwise(0.0), note


def schema() -> tuple[pl.Expr, pl.Expr]:
    """Return the entity-type adjustment and note."""
    q = pl.col("schema").str.strip_chars().str.to_titlecase()
    w = pl.col("entity_schema")
    both = _known("schema") & _known("entity_schema") & (w != "Unknown")
    differ = both & (q != w)
    note = pl.when(differ).then(pl.lit("entity type ") + q + pl.lit(" vs listed ") + w)
    return pl.when(differ).then(SCHEMA_DIFFER).otherwise(0.0), note


def qualify(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``adjust`` (summed adjustments) and ``qual_notes`` (list of notes) to pairs."""
    parts = [country(), birth(), schema()]
    return frame.with_columns(
        adjust=pl.sum_horizontal([adj for adj, _ in parts]),
        qual_notes=pl.concat_list([note for _, note in parts]).list.drop_nulls(),
    )
