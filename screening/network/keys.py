"""Node keys for parties known only by name or by an identifier of the input file.

A name key is the names module's sorted skeleton of the name (legal forms dropped, romanisation
variants made equal, word order ignored), so "ООО Ромашка", "OOO Romashka" and "ROMASHKA LLC"
share one key while "Alfa Trade" and "Alfa Trading" do not. A name whose normal form is empty
(only punctuation) keys on its upper-cased text. An identifier key is the identifier upper-cased
with everything but letters and digits removed.
"""

from __future__ import annotations

import polars as pl

from screening.names import normalize_names


def name_keys(names: pl.Series) -> pl.DataFrame:
    """Return ``raw`` (each distinct name) and its node ``key`` ("name:…")."""
    norm = normalize_names(names)
    fallback = pl.col("raw").str.to_uppercase().str.strip_chars()
    key = pl.when(pl.col("sorted") != "").then(pl.col("sorted")).otherwise(fallback)
    return norm.select("raw", key=pl.lit("name:") + key)


def id_key(identifier: pl.Expr) -> pl.Expr:
    """Return the node key of an input identifier ("id:…"), null when it is empty."""
    value = identifier.cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    return pl.when(value != "").then(pl.lit("id:") + value)
