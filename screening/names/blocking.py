"""Candidate generation by blocking keys, never the cross product.

Every normalised name gets keys of these families: ``P`` the phonetic key of each token, ``Q``
the pair of phonetic keys of two tokens (so names made only of common words still block),
``E`` the whole glued skeleton, ``G``/``S`` its first and last five letters (spacing and word-end
typos), ``D`` each token of three to eight letters and its one-letter deletions (short tokens
one letter apart meet), and ``N`` the two rarest character 4-grams of the glued skeleton
(typos anywhere).
Keys held by more than ``max_df`` list names are too common to say anything and are dropped
(rare-token weighting); a query keeps its ``per_query`` candidates of highest summed 1/df.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.names.phonetic import phonetic

MAX_PAIR_TOKENS: Final = 6
GRAMS_KEPT: Final = 2
DELETION_LENGTHS: Final = (3, 8)


def _token_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, pos, ph) for every token of every name."""
    return (
        norm.select("nid", tok=pl.col("tokens"))
        .explode("tok")
        .drop_nulls("tok")
        .with_columns(pos=pl.int_range(pl.len()).over("nid"), ph=phonetic(pl.col("tok")))
    )


def _pair_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) pair keys of names with two to six tokens."""
    small = tokens.filter(pl.len().over("nid").is_between(2, MAX_PAIR_TOKENS))
    pairs = small.join(small, on="nid", suffix="_b").filter(pl.col("pos") < pl.col("pos_b"))
    key = pl.concat_str(
        pl.lit("Q"), pl.min_horizontal("ph", "ph_b"), pl.lit("|"), pl.max_horizontal("ph", "ph_b")
    )
    return pairs.select("nid", key=key)


def _edge_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) whole-glued, glued-prefix and glued-suffix keys."""
    long = norm.filter(pl.col("glued").str.len_bytes() >= 5)
    return pl.concat(
        [
            norm.select("nid", key=pl.lit("E") + pl.col("glued")),
            long.select("nid", key=pl.lit("G") + pl.col("glued").str.slice(0, 5)),
            long.select("nid", key=pl.lit("S") + pl.col("glued").str.slice(-5, 5)),
        ]
    )


def gram_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for every character 4-gram of the glued skeleton."""
    return (
        norm.select(
            "nid", "glued", pos=pl.int_ranges(0, pl.col("glued").str.len_bytes().cast(pl.Int64) - 3)
        )
        .explode("pos")
        .drop_nulls("pos")
        .select("nid", key=pl.lit("N") + pl.col("glued").str.slice(pl.col("pos"), 4))
        .unique()
    )


def _deletion_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) one-letter-deletion keys of short tokens (one substitution apart meet)."""
    short = tokens.filter(pl.col("tok").str.len_bytes().is_between(*DELETION_LENGTHS))
    cut = short.select("nid", "tok", i=pl.int_ranges(0, pl.col("tok").str.len_bytes() + 1))
    cut = cut.explode("i")
    head = pl.col("tok").str.slice(0, pl.col("i"))
    tail = pl.col("tok").str.slice(pl.col("i") + 1)
    return cut.select("nid", key=pl.lit("D") + head + tail)


def name_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for the token, pair and edge keys of normalised names with ``nid``."""
    tokens = _token_keys(norm)
    parts = [
        tokens.select("nid", key=pl.lit("P") + pl.col("ph")),
        _pair_keys(tokens),
        _edge_keys(norm),
        _deletion_keys(tokens),
    ]
    return pl.concat(parts).unique()


def key_table(norm: pl.DataFrame, max_df: int) -> pl.DataFrame:
    """Return (key, wid, df) for list names, without keys held by more than ``max_df`` names."""
    norm = norm.rename({"wid": "nid"})
    keys = pl.concat([name_keys(norm), gram_keys(norm)]).rename({"nid": "wid"})
    return keys.with_columns(df=pl.len().over("key")).filter(pl.col("df") <= max_df)


def _rare_grams(norm: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """Return the two rarest list-known 4-gram keys of each query name."""
    dfs = table.filter(pl.col("key").str.starts_with("N")).select("key", "df").unique("key")
    grams = gram_keys(norm).join(dfs, on="key")
    return grams.sort("df").group_by("nid").head(GRAMS_KEPT).select("nid", "key")


def candidates(norm: pl.DataFrame, table: pl.DataFrame, per_query: int) -> pl.DataFrame:
    """Return (nid, wid) candidate pairs for query names, best ``per_query`` per name."""
    keys = pl.concat([name_keys(norm), _rare_grams(norm, table)])
    hits = keys.lazy().join(table.lazy(), on="key").group_by("nid", "wid")
    weighted = hits.agg(weight=(1.0 / pl.col("df")).sum())
    ranked = weighted.with_columns(
        rank=pl.col("weight").rank("ordinal", descending=True).over("nid")
    )
    return ranked.filter(pl.col("rank") <= per_query).select("nid", "wid").collect()
