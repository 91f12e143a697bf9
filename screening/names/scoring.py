"""Scores of candidate pairs: bulk string similarity, then token alignment of the survivors.

Stage one scores every candidate pair with ``rapidfuzz.process.cpdist`` (sorted skeleton tokens
and glued skeleton, ``workers=-1``) and keeps pairs scoring at least ``cutoff``. Stage two
aligns the tokens of the survivors (per-token edit similarity, initials, phonetic equality),
measures how much of each name is covered by the other, and applies legal-form and number
penalties. Country, birth date and entity type are qualifiers applied later by the matcher.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names.phonetic import phonetic

INITIAL_SIM: Final = 0.75
PHONETIC_SIM: Final = 0.85
NUMBER_PENALTY: Final = 0.2
LEGAL_PENALTY: Final = 0.05
GLUE_FACTOR: Final = 0.98
SUBSET_BASE: Final = 0.7
SUBSET_SLOPE: Final = 0.2


def bulk_ratio(left: pl.Series, right: pl.Series) -> pl.Series:
    """Return ``fuzz.ratio`` / 100 of aligned string pairs, computed in bulk on all cores."""
    if left.len() == 0:
        return pl.Series(values=[], dtype=pl.Float64)
    scores = process.cpdist(
        left.to_list(), right.to_list(), scorer=fuzz.ratio, workers=-1, dtype=np.float32
    )
    return pl.Series(values=scores, dtype=pl.Float64) / 100.0


def _objects(frame: pl.DataFrame, key: str, column: str) -> np.ndarray:
    """Return the strings of ``column`` as an object array indexed by the integer ``key``."""
    keys = frame[key].to_numpy()
    out = np.full(int(keys.max()) + 1 if keys.size else 0, "", dtype=object)
    out[keys] = np.array(frame[column].to_list(), dtype=object)
    return out


def _gather_ratio(left: np.ndarray, right: np.ndarray) -> pl.Series:
    """Return ``fuzz.ratio`` / 100 of aligned object arrays of strings, on all cores."""
    if left.size == 0:
        return pl.Series(values=[], dtype=pl.Float64)
    scores = process.cpdist(
        left.tolist(), right.tolist(), scorer=fuzz.ratio, workers=-1, dtype=np.float32
    )
    return pl.Series(values=scores, dtype=pl.Float64) / 100.0


def prefilter(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, cutoff: float) -> pl.DataFrame:
    """Return candidate pairs with ``s_sort`` and ``s_glue`` at least ``cutoff`` in one."""
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    scored = pairs.select("nid", "wid").with_columns(
        s_sort=_gather_ratio(_objects(q, "nid", "sorted")[nid], _objects(w, "wid", "sorted")[wid]),
        s_glue=_gather_ratio(_objects(q, "nid", "glued")[nid], _objects(w, "wid", "glued")[wid]),
    )
    return scored.filter(pl.max_horizontal("s_sort", "s_glue") >= cutoff)


def _side(pairs: pl.DataFrame, norm: pl.DataFrame, key: str, tag: str) -> pl.DataFrame:
    """Return one row per (pair, token) of one side of the pairs."""
    toks = norm.select(key, t="tokens").explode("t").drop_nulls("t")
    toks = toks.with_columns(n=pl.int_range(pl.len()).over(key))
    return (
        pairs.select("pid", key)
        .join(toks, on=key)
        .select("pid", pl.col("n").alias(f"i{tag}"), pl.col("t").alias(f"t{tag}"))
    )


def _pair_sims(tq: pl.Expr, tw: pl.Expr) -> pl.Expr:
    """Return the sim of token pairs from their ``base`` edit ratio, initials and phonetics."""
    lo = pl.min_horizontal(tq.str.len_bytes(), tw.str.len_bytes())
    hi = pl.max_horizontal(tq.str.len_bytes(), tw.str.len_bytes())
    initial = (lo == 1) & (tq.str.slice(0, 1) == tw.str.slice(0, 1))
    sounds = (phonetic(tq) == phonetic(tw)) & (lo >= 4)
    sim = pl.when(hi <= 4).then(pl.col("base") ** 2).otherwise("base")
    return pl.max_horizontal(
        sim,
        pl.when(initial).then(INITIAL_SIM).otherwise(0.0),
        pl.when(sounds).then(PHONETIC_SIM).otherwise(0.0),
    )


def _token_sims(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame) -> pl.DataFrame:
    """Return (pid, iq, tq, iw, tw, sim) for every token pair of every pair."""
    cross = _side(pairs, q, "nid", "q").join(_side(pairs, w, "wid", "w"), on="pid")
    distinct = cross.select("tq", "tw").unique()
    distinct = distinct.with_columns(base=bulk_ratio(distinct["tq"], distinct["tw"]))
    distinct = distinct.select("tq", "tw", sim=_pair_sims(pl.col("tq"), pl.col("tw")))
    return cross.join(distinct, on=["tq", "tw"])


def _reordered(best: pl.DataFrame, tag: str) -> pl.DataFrame:
    """Return (pid, reordered): whether well-matched tokens map to the other side out of order."""
    good = best.filter(pl.col("best") >= 0.8).sort("pid", f"i{tag}")
    back = (pl.col("pid") == pl.col("pid").shift()) & (pl.col("j") < pl.col("j").shift())
    return good.with_columns(back=back).group_by("pid").agg(reordered=pl.col("back").any())


def _coverage(sims: pl.DataFrame, tag: str, other: str, weights: pl.DataFrame) -> pl.DataFrame:
    """Return per pair the rarity- and length-weighted best-match coverage of one side's tokens."""
    best = sims.group_by("pid", f"i{tag}").agg(
        best=pl.col("sim").max(),
        j=pl.col(f"i{other}").get(pl.col("sim").arg_max()),
        t=pl.col(f"t{tag}").first(),
    )
    best = best.join(weights, on="t", how="left").with_columns(
        length=pl.col("t").str.len_bytes() * pl.col("rarity").fill_null(1.0)
    )
    cov = best.group_by("pid").agg(
        cov=(pl.col("best") * pl.col("length")).sum() / pl.col("length").sum(),
        n=pl.len(),
        low=pl.col("best").min(),
    )
    cov = cov.join(_reordered(best, tag), on="pid", how="left")
    cov = cov.with_columns(pl.col("reordered").fill_null(value=False))
    return cov.rename({c: f"{c}_{tag}" for c in ("cov", "n", "low", "reordered")})


def align(
    pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, weights: pl.DataFrame
) -> pl.DataFrame:
    """Add token-alignment features and the name score ``base`` to prefiltered pairs."""
    pairs = pairs.with_row_index("pid")
    sims = _token_sims(pairs, q, w)
    feats = pairs.join(_coverage(sims, "q", "w", weights), on="pid").join(
        _coverage(sims, "w", "q", weights), on="pid"
    )
    return feats.with_columns(base=_base_score())


def _base_score() -> pl.Expr:
    """Return the name score from coverage, subset and glue features."""
    cov_max = pl.max_horizontal("cov_q", "cov_w")
    cov_min = pl.min_horizontal("cov_q", "cov_w")
    subset = (pl.min_horizontal("n_q", "n_w") >= 2) & (cov_max >= 0.95)
    aligned = (
        pl.when(subset)
        .then(pl.max_horizontal((cov_max + cov_min) / 2, SUBSET_BASE + SUBSET_SLOPE * cov_min))
        .otherwise((cov_max + cov_min) / 2)
    )
    glue = pl.when(pl.col("n_q") != pl.col("n_w")).then(pl.col("s_glue") * GLUE_FACTOR)
    return pl.max_horizontal(aligned, glue.otherwise(0.0))


def rarity(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (t, rarity) token weights of list names: 1 for rare tokens, down to 0.25."""
    n = max(norm.height, 2)
    counts = norm.select(t=pl.col("tokens").list.unique()).explode("t").group_by("t").len()
    weight = (1.0 - (pl.col("len") + 1).log() / math.log(n)).clip(0.25, 1.0)
    return counts.select("t", rarity=weight)


def penalties(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return the penalty for numbers that differ and legal forms that disagree."""
    qn, wn = pl.col(f"{q_prefix}numbers"), pl.col(f"{w_prefix}numbers")
    both_num = (qn.list.len() > 0) & (wn.list.len() > 0)
    one_num = (qn.list.len() > 0) != (wn.list.len() > 0)
    num = pl.when(both_num & (qn != wn)).then(NUMBER_PENALTY).when(one_num).then(0.05)
    ql, wl = pl.col(f"{q_prefix}legal"), pl.col(f"{w_prefix}legal")
    legal_clash = (
        (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
    )
    return num.otherwise(0.0) + pl.when(legal_clash).then(LEGAL_PENALTY).otherwise(0.0)
