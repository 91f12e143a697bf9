"""The per-source summary of an import: what it holds by type, strength and kind, and its problems."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.lists.model import ListImport

EXAMPLES: Final = 3


def _counts(column: pl.Series) -> str:
    """Return 'value n, value n' for a column's values, most frequent first, then by value."""
    counts = column.fill_null("unknown").value_counts().sort(["count", column.name], descending=[True, False])
    return ", ".join(f"{value} {n}" for value, n in counts.rows()) or "none"


def problem_kinds(problems: pl.DataFrame) -> pl.DataFrame:
    """Return the problems grouped by kind (the reason without its ids, numbers and quoted values)."""
    kind = (
        pl.col("reason")
        .str.replace_all(r"'[^']*'", "'…'")
        .str.replace_all(r"\b[a-z_]+:\S+", "<id>")
        .str.replace_all(r"\d+", "<n>")
    )
    located = pl.concat_str(pl.col("source_file"), pl.lit(":"), pl.col("line").cast(pl.String).fill_null("?"))
    example = located + pl.lit(": ") + pl.col("reason")
    return (
        problems.with_columns(kind=kind, example=example)
        .group_by("kind", maintain_order=True)
        .agg(n=pl.len(), examples=pl.col("example").head(EXAMPLES))
        .sort(["n", "kind"], descending=[True, False])
    )


def summary_lines(imp: ListImport) -> list[str]:
    """Return the lines that describe an import: entities by type, names by strength, identifiers by type, and more."""
    entities = imp.entities
    countries = entities["countries"].drop_nulls().str.split(";").explode().n_unique()
    lines = [
        f"entities by type: {_counts(entities['entity_schema'])}",
        f"names by strength: {_counts(imp.names['strength'])}",
        f"identifiers by type: {_counts(imp.identifiers['id_type'])}",
        f"with dates of birth: {entities['birth_dates'].is_not_null().sum()}; "
        f"with countries: {entities['countries'].is_not_null().sum()} ({countries} distinct)",
    ]
    if entities["topics"].is_not_null().any():
        lines.append(f"topics: {_counts(entities['topics'].str.split(';').explode())}")
    for kind, n, examples in problem_kinds(imp.problems).rows():
        lines.append(f"problems: {n} × {kind}")
        lines.extend(f"  e.g. {example}" for example in examples)
    return lines
