"""Candidate generation by blocking keys (see :mod:`.keys`), never the cross product.

Three kinds of evidence meet a query name with list names:

- tokens: each distinct query token finds the list tokens equal or close to it (sharing a token
  key and at least ``CLOSE_MIN`` alike), then the list names holding them (postings). Close tokens
  weigh their similarity times ``CLOSE_TOKEN``; the closest come first until they reach
  ``max_df / CLOSE_SHARE`` list names. Tokens of Korean, Chinese and Japanese names also find
  the list tokens with their romanisation key (:mod:`.romanise`: GIM ~ KIM, XU ~ HSU).
  A query token spelt as a list token too common to post is that word, not a typo, and looks
  for no close tokens (most of the blocking work otherwise). Token work runs once per distinct
  token, so a batch of a million names with common words costs little.
- name keys and the two rarest list-known character 4-grams of the query name (typos anywhere);
- near keys (one-deletion neighbours of short names, initials, leave-one-out keys): several
  shared by one pair are one piece of evidence and count once, at the rarest; a list name's own
  weight counts its deletion keys once and its initial keys not at all (they only meet screened
  initials), and no name's own weight counts leave-one-out keys (they only add to the pairs that
  agree in all tokens but one, so a word misspelt into a word too common to post still blocks,
  without lowering every other pair's score).

Keys are 64-bit integers, so joins and group-bys run on integers. Keys and tokens held by more
than ``max_df`` list names are too common to say anything and are dropped. Evidence weighs
``ln(1 + max_df / df)`` (inverse document frequency); a pair's blocking score is its shared
weight over both names' total weights (Dice), times the ratio of the shorter to the longer
sorted name (names of very different length rarely match), and a query keeps its ``per_query``
candidates of highest blocking score, if at least ``MIN_SCORE``. Weights are summed exactly, so
list names tied on evidence stay tied and the lower wid ranks first, run after run; the sums and
scores run in one streaming query, and only names with more candidates than they keep are ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names import keys as k
from screening.names import romanise
from screening.names.lookup import Sorted, hashed
from screening.names.parallel import workers

GRAMS_KEPT: Final = 2
MIN_SCORE: Final = 0.02
CLOSE_TOKEN: Final = 0.8
CLOSE_SHARE: Final = 1
CLOSE_MIN: Final = 0.7


@dataclass(frozen=True)
class KeyTable:
    """Blocking tables of a watchlist: name-level keys, 4-grams, near keys, token keys and token postings."""

    names: Sorted  # key, wid, w: pair and edge keys and character 4-grams
    gram_rank: pl.DataFrame  # key, rank: 4-grams from the rarest (fewest list names, then key), rank = row
    gram_ranks: Sorted  # the same, sorted by key
    near: Sorted  # key, wid, w: one-deletion, initial and leave-one-out keys
    tokens: Sorted  # key, tok, df: phonetic and deletion keys of list tokens, and how many names hold them
    postings: Sorted  # th, tok, wid, w: list names holding each token (th: the token's hash)
    common: pl.DataFrame  # tok: list tokens held by more than max_df names
    key_w: Sorted  # key, w: weight of each name-level key, 4-gram and near key
    max_df: int  # keys and tokens held by more names are dropped
    wself: np.ndarray  # total key and token weight of each list name, by wid
    wlen: np.ndarray  # length of each list name's sorted form, by wid


def _weight(max_df: int) -> pl.Expr:
    """Return the inverse-document-frequency weight of a key held by ``df`` names."""
    return (1.0 + max_df / pl.col("df")).log().cast(pl.Float32)


def _exact_sum() -> pl.Expr:
    """Return the sum of the float32 weights ``w`` in float64, exact and so the same in any order.

    Weights are float32 within a few powers of two of one another, so float64 holds sums of
    thousands of them exactly: tied list names stay tied and rank by wid, whatever order threads add in.
    """
    return pl.col("w").cast(pl.Float64).sum()


def _keyed(keys: pl.DataFrame, max_df: int) -> pl.DataFrame:
    """Return (key, df, wid, w) of list keys (nid, key) held by at most ``max_df`` names."""
    keys = keys.unique().with_columns(df=pl.len().over("key")).filter(pl.col("df") <= max_df)
    return keys.select("key", "df", wid=pl.col("nid").cast(pl.UInt32), w=_weight(max_df))


def _postings(tokens: pl.DataFrame, max_df: int) -> pl.DataFrame:
    """Return (tok, wid, df, w) for every list token, ``w`` null for those held by more than ``max_df`` names."""
    pairs = tokens.select("tok", wid=pl.col("nid").cast(pl.UInt32)).unique()
    pairs = pairs.with_columns(df=pl.len().over("tok"))
    return pairs.select("tok", "wid", "df", w=pl.when(pl.col("df") <= max_df).then(_weight(max_df)))


def key_table(norm: pl.DataFrame, max_df: int) -> KeyTable:
    """Return the blocking tables of list names, without keys held by more than ``max_df`` names."""
    norm = norm.rename({"wid": "nid"})
    tokens = k.token_frame(norm)
    phon = k.phonetic_tokens(tokens)
    names, grams = _keyed(k.name_keys(norm, phon), max_df), _keyed(k.gram_keys(norm), max_df)
    fuzzy, initials = _keyed(k.fuzzy_keys(norm), max_df), _keyed(k.initial_keys(tokens, listed=True), max_df)
    dropout = _keyed(k.dropout_keys(phon, listed=True), max_df).select("key", "wid", "w")
    every = _postings(tokens, max_df)
    postings = every.drop_nulls("w")
    fuzzy_self = fuzzy.group_by("wid").agg(pl.col("w").max())
    total = pl.concat([names.select("wid", "w"), grams.select("wid", "w"), postings.select("wid", "w"), fuzzy_self])
    wself = total.group_by("wid").agg(w=_exact_sum())
    near = pl.concat([fuzzy, initials]).select("key", "wid", "w")
    size = norm.height
    token_df = postings.group_by("tok").agg(pl.col("df").first())
    gram_rank = grams.select("key", "df").unique("key").sort("df", "key")
    gram_rank = gram_rank.select("key", rank=pl.int_range(pl.len(), dtype=pl.UInt32))
    key_w = pl.concat([names.select("key", "w"), grams.select("key", "w"), near.select("key", "w")]).unique("key")
    return KeyTable(
        names=Sorted.of(pl.concat([names.select("key", "wid", "w"), grams.select("key", "wid", "w")]), "key"),
        gram_rank=gram_rank,
        gram_ranks=Sorted.of(gram_rank, "key"),
        near=Sorted.of(pl.concat([near, dropout]), "key"),
        tokens=Sorted.of(_list_token_keys(tokens.join(token_df, on="tok")), "key"),
        postings=Sorted.of(postings.select(hashed("tok"), "tok", "wid", "w"), "th"),
        common=every.filter(pl.col("w").is_null()).select("tok").unique(),
        key_w=Sorted.of(key_w, "key"),
        max_df=max_df,
        wself=_dense(wself["wid"], wself["w"], size),
        wlen=_dense(norm["nid"], norm["sorted"].str.len_bytes(), size),
    )


def _list_token_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (key, tok, df): the token keys of list tokens (held by ``df`` names) and their romanisation keys."""
    every = tokens.with_columns(script=pl.lit(None, pl.String))
    keys = pl.concat([k.token_keys(tokens), k.syllable_keys(every)]).unique()
    return keys.join(tokens.select("tok", "df").unique(), on="tok")


def _rare_grams(norm: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return the two rarest list-known 4-gram keys of each query name."""
    grams = table.gram_ranks.join(k.every_gram_key(norm), on="key")
    # one integer per distinct (name, gram rank): sorted, each name's rarest grams come first
    rank = _distinct(grams["nid"].to_numpy().astype(np.uint64) << np.uint64(32) | grams["rank"].to_numpy())
    nid = rank >> np.uint64(32)
    first = np.ones(rank.size, dtype=bool)
    first[GRAMS_KEPT:] = nid[GRAMS_KEPT:] != nid[:-GRAMS_KEPT]
    kept = rank[first]
    keys = table.gram_rank["key"].to_numpy()[(kept & np.uint64(0xFFFFFFFF)).astype(np.int64)]
    return pl.DataFrame(
        {"nid": (kept >> np.uint64(32)).astype(np.uint32), "key": keys}, schema={"nid": pl.UInt32, "key": pl.UInt64}
    )


def _distinct(values: np.ndarray) -> np.ndarray:
    """Return the distinct values, sorted: a sort and a neighbour test (``np.unique`` hashes first, slower)."""
    ordered = np.sort(values)
    keep = np.ones(ordered.size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _dense(ids: pl.Series, values: pl.Series, size: int) -> np.ndarray:
    """Return ``values`` scattered into a dense float array indexed by ``ids``."""
    out = np.zeros(size, dtype=np.float32)
    out[ids.to_numpy()] = values.to_numpy()
    return out


def _close_tokens(tokens: pl.DataFrame, table: KeyTable, abjad: pl.DataFrame, keyed: pl.DataFrame) -> pl.DataFrame:
    """Return (tok, tok_w, f, df): list tokens equal (f 1) or close (f their similarity) to query tokens.

    ``abjad`` holds the tokens of query names written in an abjad, which look with more keys;
    ``keyed`` those of Korean, Chinese and Japanese names with their script, which also look by
    romanisation key: a list token with their key is close (``CLOSE_TOKEN``) whatever its letters.
    """
    tokens = tokens.join(table.common, on="tok", how="anti")
    keys = k.token_keys(tokens)
    if abjad.height:
        keys = pl.concat([keys, k.abjad_keys(abjad.join(table.common, on="tok", how="anti"))])
    close = table.tokens.join(keys, on="key", suffix="_w").select("tok", "tok_w", "df").unique()
    work = workers(close.height)
    sim = process.cpdist(close["tok"].to_list(), close["tok_w"].to_list(), scorer=fuzz.ratio, workers=work)
    close = close.with_columns(f=pl.Series(sim, dtype=pl.Float32) / 100.0 * CLOSE_TOKEN)
    if abjad.height:
        close = _abjad_close(close, abjad)
    if keyed.height:
        close = pl.concat([close, _romanised(keyed, table)]).group_by("tok", "tok_w").agg(pl.all().max())
    close = close.with_columns(f=pl.when(pl.col("tok") == pl.col("tok_w")).then(1.0).otherwise("f"))
    close = close.filter(pl.col("f") >= CLOSE_MIN * CLOSE_TOKEN)
    # the closest list tokens first, until they reach as many list names as a common key would
    close = close.sort("tok", "f", "df", "tok_w", descending=[False, True, False, False])
    reach = pl.col("df").cum_sum().over("tok")
    return close.filter((pl.col("f") == 1.0) | (reach <= table.max_df // CLOSE_SHARE)).select("tok", "tok_w", "f", "df")


def _abjad_close(close: pl.DataFrame, abjad: pl.DataFrame) -> pl.DataFrame:
    """Return the close tokens, a token of an abjad name as close as its foreign spelling at least (BUTN ~ PUTIN).

    The foreign spelling drops a W that writes a vowel and writes V and P for the F and B Arabic writes
    them with (:func:`.keys.foreign`).
    """
    mine = close["tok"].is_in(abjad["tok"].implode()) & close["tok"].str.contains("[FB]|.V")
    todo = np.flatnonzero(mine.to_numpy())
    if not todo.size:
        return close
    part = close[todo].select("tok_w", q=k.foreign(pl.col("tok")))
    sim = process.cpdist(part["q"].to_list(), part["tok_w"].to_list(), scorer=fuzz.ratio, workers=workers(todo.size))
    f = (pl.Series(sim, dtype=pl.Float32) / 100.0 * CLOSE_TOKEN).to_numpy()
    return close.with_columns(close["f"].scatter(todo, np.maximum(close["f"].to_numpy()[todo], f)))


def _romanised(keyed: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return (tok, tok_w, df, f): list tokens with the romanisation key of query tokens ``keyed``, f CLOSE_TOKEN."""
    found = table.tokens.join(k.syllable_keys(keyed.join(table.common, on="tok", how="anti")), on="key", suffix="_w")
    found = found.select("tok", "tok_w", "df").unique()
    return found.select("tok", "tok_w", "df", f=pl.lit(CLOSE_TOKEN, pl.Float32))


def _token_hits(tokens: pl.DataFrame, close: pl.DataFrame, table: KeyTable) -> pl.LazyFrame:
    """Return (nid, wid, w): list names holding a token equal or close to a query token."""
    held = table.postings.join_lazy(close.select("tok", "tok_w", "f", hashed("tok_w")), on="th", suffix="_p")
    # a hash shared by two tokens finds the other's postings too: only equal tokens count
    held = held.filter(pl.col("tok_p") == pl.col("tok_w")).select("tok", "wid", w=pl.col("w") * pl.col("f"))
    return tokens.lazy().join(held, on="tok").select("nid", "wid", "w")


def _query_self(known: pl.DataFrame, tokens: pl.DataFrame, close: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return (nid, w): the weight of each query name's list-known keys (``known``) plus its best close tokens."""
    best = close.group_by("tok").agg(w=(pl.col("f") * (1.0 + table.max_df / pl.col("df")).log()).max())
    per_tok = tokens.join(best, on="tok").select("nid", pl.col("w").cast(pl.Float32))
    return pl.concat([known, per_tok]).group_by("nid").agg(_exact_sum())


def _written(frame: pl.DataFrame, norm: pl.DataFrame, which: pl.Series) -> pl.DataFrame:
    """Return the tokens ``frame`` of the names ``norm`` that ``which`` picks, with their script (none: no work)."""
    if not which.any():  # most batches of a few names: no abjad, no Korean, Chinese or Japanese
        return frame.clear().hstack([pl.Series("script", [], pl.String)])
    return frame.join(norm.filter(which).select("nid", "script"), on="nid")


def close_tokens(norm: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return (tok, tok_w, f, df): list tokens close to the tokens of the names ``norm`` (:func:`_close_tokens`).

    A token looks with the abjad and romanisation keys if any name of ``norm`` holding it is written
    so: the close tokens of one batch serve every part of it alike.
    """
    return _own_close_tokens(k.token_frame(norm), norm, table)


def _own_close_tokens(frame: pl.DataFrame, norm: pl.DataFrame, table: KeyTable) -> pl.DataFrame:
    """Return the close tokens of the tokens ``frame`` of the names ``norm``, looking as their scripts ask."""
    abjad = _written(frame, norm, norm["abjad"]).drop("script")
    keyed = _written(frame, norm, norm["script"].is_in(romanise.KEYED))
    return _close_tokens(frame, table, abjad, keyed)


def _hits(norm: pl.DataFrame, table: KeyTable, close: pl.DataFrame | None = None) -> tuple[pl.LazyFrame, np.ndarray]:
    """Return the query of (pair, w) evidence of every blocked pair (a row a piece), and query self weights.

    ``close``: the batch's close tokens (:func:`close_tokens`) where ``norm`` is a part of it.
    """
    frame = k.token_frame(norm)
    phon = k.phonetic_tokens(frame)
    keys = pl.concat([k.name_keys(norm, phon), _rare_grams(norm, table)]).with_columns(pl.col("nid").cast(pl.UInt32))
    near = k.near_keys(norm, frame, listed=False).with_columns(pl.col("nid").cast(pl.UInt32))
    tokens = frame.select(pl.col("nid").cast(pl.UInt32), "tok").unique()
    if close is None:
        close = _own_close_tokens(frame, norm, table)
    else:
        close = close.join(tokens.select("tok").unique(), on="tok", how="semi")
    near_w = table.key_w.join(near, on="key").group_by("nid").agg(pl.col("w").max())
    # leave-one-out keys count in no name's own weight: evidence a pair may have, not a part of a name to match
    near = pl.concat([near, k.dropout_keys(phon, listed=False).with_columns(pl.col("nid").cast(pl.UInt32))])
    known = pl.concat([table.key_w.join(keys, on="key").select("nid", "w"), near_w])
    qself = _query_self(known, tokens, close, table)
    size = int(norm["nid"].cast(pl.Int64).max() or 0) + 1  # type: ignore[arg-type]
    # one integer per (query name, list name): group-bys on it are much faster than on two columns
    pair = (pl.col("nid").cast(pl.UInt64) * (1 << 32) + pl.col("wid")).alias("pair")
    hits = pl.concat(
        [
            table.names.join_lazy(keys, on="key").select(pair, "w"),
            _token_hits(tokens, close, table).select(pair, "w"),
            table.near.join_lazy(near, on="key").group_by(pair).agg(pl.col("w").max()),
        ]
    )
    return hits, _dense(qself["nid"], qself["w"], size)


def summed(pair: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct pairs (``nid << 32 | wid``), sorted, and the exact float64 sum of each one's weights ``w``.

    A sort, not a hash group-by: most pairs have one piece of evidence, so a group-by builds a
    table as large as its input. The sums are exact, so the same in any order (:func:`_exact_sum`).
    """
    if pair.size == 0:
        return pair.astype(np.uint64), np.zeros(0)
    low32 = np.uint64(0xFFFFFFFF)
    wbits = np.uint64(int((pair & low32).max()).bit_length())
    base = (pair >> np.uint64(32)).min()  # a chunk's nids start far from 0 in a large scan: count from its first
    ordered, weights = _sorted_pairs(((pair >> np.uint64(32)) - base) << wbits | (pair & low32), w)
    start = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    first = ordered[start]
    distinct = ((first >> wbits) + base) << np.uint64(32) | (first & ((np.uint64(1) << wbits) - np.uint64(1)))
    return distinct, np.add.reduceat(weights.astype(np.float64), start)


def _sorted_pairs(packed: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the packed pairs sorted and their weights in that order.

    Where the pair and a float32 weight's bits (above the least weight's) fit one 64-bit word, the
    words are sorted: several times faster than an argsort.
    """
    if w.dtype == np.float32:
        bits = w.view(np.uint32)  # positive floats order as their bit patterns
        low = int(bits.min())
        width = (int(bits.max()) - low).bit_length()
        if int(packed.max()).bit_length() + width <= 64:
            word = np.sort(packed << np.uint64(width) | (bits - np.uint32(low)).astype(np.uint64))
            rest = (word & np.uint64((1 << width) - 1)).astype(np.uint32) + np.uint32(low)
            return word >> np.uint64(width), rest.view(np.float32)
    order = np.argsort(packed, kind="stable")
    return packed[order], w[order]


def candidates(norm: pl.DataFrame, table: KeyTable, per_query: int, close: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return (nid, wid) candidate pairs for query names, best ``per_query`` per name, in (nid, wid) order.

    ``close``: the close tokens of the batch ``norm`` is a part of (:func:`close_tokens`), or none:
    ``norm``'s own.
    """
    hits, qself = _hits(norm, table, close)
    found = hits.collect(engine="streaming")
    pair, shared = summed(found["pair"].to_numpy(), found["w"].to_numpy())
    nid, wid = (pair >> np.uint64(32)).astype(np.uint32), (pair & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    qlen = _dense(norm["nid"], norm["sorted"].str.len_bytes(), qself.size)
    score = pair_scores(shared, (qself[nid], table.wself[wid]), (qlen[nid], table.wlen[wid]))
    kept = np.flatnonzero(score >= MIN_SCORE)
    nid, wid = nid[kept], wid[kept]
    # equal scores rank the lower wid first, whatever order the evidence came in
    best = _best(nid, score[kept] - wid.astype(np.float64) * 1e-12, per_query)
    return pl.DataFrame({"nid": nid[best], "wid": wid[best]})


def pair_scores(
    shared: np.ndarray, weights: tuple[np.ndarray, np.ndarray], lengths: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Return blocking scores: ``shared`` weight over both names' (float32) weights, times their length ratio.

    The arithmetic is the float32 and float64 one of the polars expressions it replaces, so scores are equal.
    """
    (qw, ww), (ql, wl) = weights, lengths
    length = np.minimum(ql, wl) / np.maximum(np.maximum(ql, wl), np.float32(1.0))
    score: np.ndarray = shared / (qw + ww) * length
    return score


def _best(nid: np.ndarray, score: np.ndarray, per_query: int) -> np.ndarray:
    """Return the positions of the ``per_query`` pairs of highest blocking score per query name, in order."""
    keep = np.bincount(nid)[nid] <= per_query
    # only names with more candidates than they keep need ranking (most have fewer)
    crowded = np.flatnonzero(~keep)
    if crowded.size:
        rank = pl.DataFrame({"nid": nid[crowded], "score": score[crowded]}).select(
            pl.col("score").rank("ordinal", descending=True).over("nid")
        )
        keep[crowded] = rank.to_series().to_numpy() <= per_query
    return np.flatnonzero(keep)
