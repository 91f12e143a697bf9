"""Candidate generation by blocking keys, never the cross product.

Two kinds of evidence meet a query name with list names:

- tokens: each distinct query token finds the list tokens equal or close to it (sharing the
  phonetic key ``P`` or a one-letter deletion ``D`` of a three- to eight-letter token), then the
  list names holding them (postings). Close tokens weigh their similarity times ``CLOSE_TOKEN``;
  the closest come first until they reach ``max_df / CLOSE_SHARE`` list names. Token work runs
  once per distinct token, so a batch of a million names with common words costs little.
- name keys: ``Q`` the pair of phonetic keys of two tokens (so names made only of common words
  still block), ``E`` the whole glued skeleton, ``G``/``S`` its first and last five letters
  (spacing and word-end typos), and ``N`` the two rarest list-known character 4-grams of the
  glued skeleton (typos anywhere).

Keys are hashed to 64-bit integers, so joins and group-bys run on integers. Keys and tokens held
by more than ``max_df`` list names are too common to say anything and are dropped. Evidence
weighs ``ln(1 + max_df / df)`` (inverse document frequency); a pair's blocking score is its
shared weight over both names' total weights (Dice), times the ratio of the shorter to the
longer sorted name (names of very different length rarely match), and a query keeps its
``per_query`` candidates of highest blocking score, if at least ``MIN_SCORE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names.phonetic import phonetic

MAX_PAIR_TOKENS: Final = 6
GRAMS_KEPT: Final = 2
DELETION_LENGTHS: Final = (3, 8)
MIN_SCORE: Final = 0.02
CLOSE_TOKEN: Final = 0.8
CLOSE_SHARE: Final = 1


@dataclass(frozen=True)
class KeyTable:
    """Blocking tables of a watchlist: name-level keys, 4-grams, token keys and token postings."""

    names: pl.DataFrame  # key, wid, w: pair and edge keys
    grams: pl.DataFrame  # key, wid, w, df: character 4-grams
    tokens: pl.DataFrame  # key, tok: phonetic and deletion keys of list tokens
    postings: pl.DataFrame  # tok, wid, w: list names holding each token
    token_df: pl.DataFrame  # tok, df: how many list names hold each token
    key_w: pl.DataFrame  # key, w: weight of each name-level key and 4-gram
    max_df: int  # keys and tokens held by more names are dropped
    wself: np.ndarray  # total key and token weight of each list name, by wid
    wlen: np.ndarray  # length of each list name's sorted form, by wid


def _token_frame(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, pos, tok) for every token of every name."""
    return (
        norm.select("nid", tok=pl.col("tokens"))
        .explode("tok")
        .drop_nulls("tok")
        .with_columns(pos=pl.int_range(pl.len()).over("nid"))
    )


def token_keys(tokens: pl.Series) -> pl.DataFrame:
    """Return (tok, key) phonetic and one-letter-deletion keys of distinct tokens."""
    frame = pl.DataFrame({"tok": tokens.unique()})
    phon = frame.select("tok", key=(pl.lit("P") + phonetic(pl.col("tok"))).hash(seed=7))
    short = frame.filter(pl.col("tok").str.len_bytes().is_between(*DELETION_LENGTHS))
    cut = short.select("tok", i=pl.int_ranges(0, pl.col("tok").str.len_bytes() + 1)).explode("i")
    head = pl.col("tok").str.slice(0, pl.col("i"))
    tail = pl.col("tok").str.slice(pl.col("i") + 1)
    dele = cut.select("tok", key=(pl.lit("D") + head + tail).hash(seed=7))
    return pl.concat([phon, dele]).unique()


def _pair_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) pair keys of names with two to six tokens."""
    small = tokens.filter(pl.len().over("nid").is_between(2, MAX_PAIR_TOKENS))
    small = small.with_columns(ph=phonetic(pl.col("tok")))
    pairs = small.join(small, on="nid", suffix="_b").filter(pl.col("pos") < pl.col("pos_b"))
    key = pl.concat_str(pl.lit("Q"), pl.min_horizontal("ph", "ph_b"), pl.lit("|"), pl.max_horizontal("ph", "ph_b"))
    return pairs.select("nid", key=key.hash(seed=7))


def _edge_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) whole-glued, glued-prefix and glued-suffix keys."""
    long = norm.filter(pl.col("glued").str.len_bytes() >= 5)
    return pl.concat(
        [
            norm.select("nid", key=(pl.lit("E") + pl.col("glued")).hash(seed=7)),
            long.select("nid", key=(pl.lit("G") + pl.col("glued").str.slice(0, 5)).hash(seed=7)),
            long.select("nid", key=(pl.lit("S") + pl.col("glued").str.slice(-5, 5)).hash(seed=7)),
        ]
    )


def gram_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for every character 4-gram of the glued skeleton."""
    return (
        norm.select("nid", "glued", pos=pl.int_ranges(0, pl.col("glued").str.len_bytes().cast(pl.Int64) - 3))
        .explode("pos")
        .drop_nulls("pos")
        .select("nid", key=(pl.lit("N") + pl.col("glued").str.slice(pl.col("pos"), 4)).hash(seed=7))
        .unique()
    )


def name_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for the name-level pair and edge keys of names with ``nid``."""
    return pl.concat([_pair_keys(_token_frame(norm)), _edge_keys(norm)])


def _weight(max_df: int) -> pl.Expr:
    """Return the inverse-document-frequency weight of a key held by ``df`` names."""
    return (1.0 + max_df / pl.col("df")).log().cast(pl.Float32)


def _postings(norm: pl.DataFrame, max_df: int) -> pl.DataFrame:
    """Return (tok, wid, w) for list tokens held by at most ``max_df`` names."""
    pairs = _token_frame(norm).select("tok", wid=pl.col("nid").cast(pl.UInt32)).unique()
    pairs = pairs.with_columns(df=pl.len().over("tok")).filter(pl.col("df") <= max_df)
    return pairs.select("tok", "wid", "df", w=_weight(max_df))


def key_table(norm: pl.DataFrame, max_df: int) -> KeyTable:
    """Return the blocking tables of list names, without keys held by more than ``max_df`` names."""
    norm = norm.rename({"wid": "nid"})
    gram = gram_keys(norm).with_columns(gram=pl.lit(value=True))
    named = pl.concat([name_keys(norm).unique().with_columns(gram=pl.lit(value=False)), gram])
    named = named.with_columns(df=pl.len().over("key"))
    named = named.filter(pl.col("df") <= max_df).select(
        "key", "gram", "df", wid=pl.col("nid").cast(pl.UInt32), w=_weight(max_df)
    )
    postings = _postings(norm, max_df)
    total = pl.concat([named.select("wid", "w"), postings.select("wid", "w")])
    size = norm.height
    wself = total.group_by("wid").agg(w=pl.col("w").sum())
    return KeyTable(
        names=named.filter(~pl.col("gram")).select("key", "wid", "w"),
        grams=named.filter(pl.col("gram")).select("key", "wid", "w", "df"),
        tokens=token_keys(postings["tok"]),
        postings=postings.select("tok", "wid", "w"),
        token_df=postings.group_by("tok").agg(pl.col("df").first()),
        key_w=named.select("key", "w").unique("key"),
        max_df=max_df,
        wself=_dense(wself["wid"], wself["w"], size),
        wlen=_dense(norm["nid"], norm["sorted"].str.len_bytes(), size),
    )


def _rare_grams(norm: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return the two rarest list-known 4-gram keys of each query name."""
    dfs = table.grams.select("key", "df").unique("key")
    grams = gram_keys(norm).join(dfs, on="key")
    return grams.sort("df").group_by("nid").head(GRAMS_KEPT).select("nid", "key")


def _dense(ids: pl.Series, values: pl.Series, size: int) -> np.ndarray:
    """Return ``values`` scattered into a dense float array indexed by ``ids``."""
    out = np.zeros(size, dtype=np.float32)
    out[ids.to_numpy()] = values.to_numpy()
    return out


def _close_tokens(norm: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return (tok, tok_w, f): list tokens equal (f 1) or close (f their similarity) to query tokens."""
    tokens = _token_frame(norm)["tok"]
    close = token_keys(tokens).join(table.tokens, on="key", suffix="_w").select("tok", "tok_w").unique()
    close = close.join(table.token_df, left_on="tok_w", right_on="tok")
    sim = process.cpdist(close["tok"].to_list(), close["tok_w"].to_list(), scorer=fuzz.ratio, workers=-1)
    close = close.with_columns(f=pl.Series(sim, dtype=pl.Float32) / 100.0 * CLOSE_TOKEN)
    close = close.with_columns(f=pl.when(pl.col("tok") == pl.col("tok_w")).then(1.0).otherwise("f"))
    # the closest list tokens first, until they reach as many list names as a common key would
    close = close.sort("tok", "f", "df", descending=[False, True, False])
    reach = pl.col("df").cum_sum().over("tok")
    return close.filter((pl.col("f") == 1.0) | (reach <= table.max_df // CLOSE_SHARE)).select("tok", "tok_w", "f")


def _token_hits(tokens: pl.DataFrame, close: pl.DataFrame, table: KeyTable) -> pl.LazyFrame:
    """Return (nid, wid, w): list names holding a token equal or close to a query token."""
    hits = tokens.lazy().join(close.lazy(), on="tok").join(table.postings.lazy(), left_on="tok_w", right_on="tok")
    return hits.select("nid", "wid", w=pl.col("w") * pl.col("f"))


def _query_self(
    keys: pl.DataFrame, tokens: pl.DataFrame, close: pl.DataFrame, table: KeyTable, size: int
) -> np.ndarray:
    """Return the total weight of each query name's list-known keys and tokens, indexed by nid."""
    best = (
        close.join(table.token_df, left_on="tok_w", right_on="tok")
        .group_by("tok")
        .agg(w=(pl.col("f") * (1.0 + table.max_df / pl.col("df")).log()).max())
    )
    per_tok = tokens.join(best, on="tok").select("nid", "w")
    per_key = keys.join(table.key_w, on="key").select("nid", "w")
    summed = pl.concat([per_key, per_tok.cast({"w": pl.Float32})]).group_by("nid").agg(pl.col("w").sum())
    return _dense(summed["nid"], summed["w"], size)


def _shared(norm: pl.DataFrame, table: KeyTable) -> tuple[pl.DataFrame, np.ndarray]:
    """Return (pair, shared) summed key and token weights of every blocked pair, and query self weights."""
    keys = pl.concat([name_keys(norm), _rare_grams(norm, table)]).with_columns(pl.col("nid").cast(pl.UInt32))
    tokens = _token_frame(norm).select(pl.col("nid").cast(pl.UInt32), "tok").unique()
    close = _close_tokens(norm, table)
    size = int(norm["nid"].cast(pl.Int64).max() or 0) + 1  # type: ignore[arg-type]
    qself = _query_self(keys, tokens, close, table, size)
    keyed = keys.lazy().join(pl.concat([table.names, table.grams.select("key", "wid", "w")]).lazy(), on="key")
    # one integer per (query name, list name): group-bys on it are much faster than on two columns
    pair = (pl.col("nid").cast(pl.UInt64) * (1 << 32) + pl.col("wid")).alias("pair")
    hits = pl.concat([keyed.select(pair, "w"), _token_hits(tokens, close, table).select(pair, "w")])
    # the streaming engine fuses the joins with the group-by (about twice as fast, less memory)
    return hits.group_by("pair").agg(shared=pl.col("w").sum()).collect(engine="streaming"), qself


def candidates(norm: pl.DataFrame, table: KeyTable, per_query: int) -> pl.DataFrame:
    """Return (nid, wid) candidate pairs for query names, best ``per_query`` per name."""
    summed, qself = _shared(norm, table)
    qlen = _dense(norm["nid"], norm["sorted"].str.len_bytes(), qself.size)
    packed = summed["pair"].to_numpy()
    nid, wid = (packed >> 32).astype(np.uint32), (packed & 0xFFFFFFFF).astype(np.uint32)
    lo = np.minimum(qlen[nid], table.wlen[wid])
    hi = np.maximum(np.maximum(qlen[nid], table.wlen[wid]), 1.0)
    score = summed["shared"].to_numpy() / (qself[nid] + table.wself[wid]) * lo / hi
    score -= wid * 1e-12  # equal scores rank the lower wid first, whatever order the group-by gave
    return _best(pl.DataFrame({"nid": nid, "wid": wid, "score": score}), per_query)


def _best(scored: pl.DataFrame, per_query: int) -> pl.DataFrame:
    """Return the ``per_query`` pairs of highest blocking score per query name."""
    scored = scored.filter(pl.col("score") >= MIN_SCORE)
    rank = pl.col("score").rank("ordinal", descending=True).over("nid")
    return scored.filter(rank <= per_query).select("nid", "wid")
