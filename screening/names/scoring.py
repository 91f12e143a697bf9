"""Scores of candidate pairs: bulk string similarity, then token alignment of the survivors.

Stage one scores every candidate pair with ``rapidfuzz.process.cpdist`` (sorted skeleton tokens,
and the glued skeleton in written order; ``workers=-1``) and keeps pairs scoring at least
``cutoff`` (the glued form, with equal token counts, from ``GLUE_RESCUE``). Stage two aligns the
tokens of the survivors: per-token edit similarity (optimal string alignment, a typo costing
``TYPO_COST`` of an edit; the better of skeleton and spelling, as the skeleton can turn one typo
into two), initials (matched on the head of a word, J. for JOSEPH; a letter beside another letter
is an abbreviation, not an initial), phonetic equality; a token matched both ways
is not reused by another token. It measures how much of each name the other covers, weighting
tokens by length and rarity and legal-form words (even misspelt: LIITED) at ``FORM_WEIGHT``, and
applies legal-form and number penalties. A query naming part of a list name (each of its words
matching one of the list name's at ``SUBSET_TOKEN`` or better) scores at least ``SUBSET_BASE``; a
query adding words to a list name does not. Country, birth date and entity
type are qualifiers applied later by the matcher.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import form_words, fuzzy_form
from screening.names.phonetic import phonetic

INITIAL_SIM: Final = 0.75
PHONETIC_SIM: Final = 0.85
PHONETIC_FLOOR: Final = 0.6
FORM_WEIGHT: Final = 0.2
FORM_FUZZY: Final = 80.0
NUMBER_PENALTY: Final = 0.2
LEGAL_PENALTY: Final = 0.05
GLUE_FACTOR: Final = 0.98
SUBSET_BASE: Final = 0.8
SUBSET_SLOPE: Final = 0.15
SUBSET_TOKEN: Final = 0.75  # every query word of a "part of a list name" query must match one of its words
TYPO_FLOOR: Final = 0.6
TYPO_COST: Final = 0.7
INITIAL_SLACK: Final = 0.1
GLUE_RESCUE: Final = 0.8


def bulk_ratio(left: pl.Series, right: pl.Series) -> pl.Series:
    """Return the edit similarity of aligned token pairs, computed in bulk on all cores.

    Optimal string alignment (a swap of neighbours is one edit) over the longer length, so a
    short token spelt inside a long one (RAN in URBAN) is not taken for a typo of it; a token
    at least ``TYPO_FLOOR`` alike loses only ``TYPO_COST`` of each edit (one typo in a six-letter
    token keeps 0.88, a name rarely differs from a listed one by a letter by chance).
    """
    if left.len() == 0:
        return pl.Series(values=[], dtype=pl.Float64)
    osa = process.cpdist(
        left.to_list(), right.to_list(), scorer=OSA.normalized_similarity, workers=-1, dtype=np.float64
    )
    return pl.Series(values=np.where(osa >= TYPO_FLOOR, 1.0 - TYPO_COST * (1.0 - osa), osa), dtype=pl.Float64)


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
    scores = process.cpdist(left.tolist(), right.tolist(), scorer=fuzz.ratio, workers=-1, dtype=np.float32)
    return pl.Series(values=scores, dtype=pl.Float64) / 100.0


def _facts(frame: pl.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the token counts of names and whether they hold a one-letter token, by ``key``."""
    keys = frame[key].to_numpy()
    size = int(keys.max()) + 1 if keys.size else 0
    count, initial = np.zeros(size, dtype=np.int32), np.zeros(size, dtype=bool)
    count[keys] = frame["tokens"].list.len().to_numpy()
    initial[keys] = frame["tokens"].list.eval(pl.element().str.len_bytes() == 1).list.any().to_numpy()
    return count, initial


def prefilter(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, cutoff: float) -> pl.DataFrame:
    """Return candidate pairs with ``s_sort`` or ``s_glue`` at least ``cutoff``.

    ``s_glue`` compares the glued names in their written order (spacing made irrelevant); it scores
    only pairs whose token counts differ, but with equal counts it still lets a pair through from
    ``GLUE_RESCUE``: a typo that moves a token in the sorted form (MRITZA sorts after MONTOYA,
    MARITZA before) does not move it in the written one. Query names with an initial (K. ATABEKOV)
    get ``INITIAL_SLACK`` more room, as an initial for a whole given name lowers the string ratio
    more than the token alignment.
    """
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    (qcount, qinit), (wcount, _) = _facts(q, "nid"), _facts(w, "wid")
    differ = qcount[nid] != wcount[wid]
    s_sort = _gather_ratio(_objects(q, "nid", "sorted")[nid], _objects(w, "wid", "sorted")[wid]).to_numpy()
    s_glue = _gather_ratio(_objects(q, "nid", "glued")[nid], _objects(w, "wid", "glued")[wid]).to_numpy()
    floor = cutoff - INITIAL_SLACK * qinit[nid]
    passed = (s_sort >= floor) | (s_glue >= np.where(differ, floor, max(GLUE_RESCUE, cutoff)))
    scored = pl.DataFrame({"nid": nid, "wid": wid, "s_sort": s_sort, "s_glue": np.where(differ, s_glue, 0.0)})
    return scored.filter(passed)


def _side(pairs: pl.DataFrame, norm: pl.DataFrame, key: str, tag: str) -> pl.DataFrame:
    """Return one row per (pair, token) of one side of the pairs."""
    used = pairs.select(pl.col(key).unique())
    toks = norm.join(used, on=key, how="semi").select(key, t="tokens", s="spelt", h="heads")
    toks = toks.explode("t", "s", "h").drop_nulls("t")
    toks = toks.with_columns(n=pl.int_range(pl.len()).over(key))
    # a letter next to another letter is an abbreviation (A.W.A., V.P.), not an initial of a word
    single = pl.col("t").str.len_bytes() == 1
    beside = single.shift(1).over(key).fill_null(value=False) | single.shift(-1).over(key).fill_null(value=False)
    toks = toks.with_columns(t=pl.when(single & beside).then(pl.col("t") + ".").otherwise("t"))
    return (
        pairs.select("pid", key)
        .join(toks, on=key)
        .select(
            "pid",
            pl.col("n").alias(f"i{tag}"),
            pl.col("t").alias(f"t{tag}"),
            pl.col("s").alias(f"s{tag}"),
            pl.col("h").alias(f"h{tag}"),
        )
    )


def _pair_sims(tq: pl.Expr, tw: pl.Expr) -> pl.Expr:
    """Return the sim of token pairs from their ``base`` edit ratio, initials and phonetics."""
    lo = pl.min_horizontal(tq.str.len_bytes(), tw.str.len_bytes())
    hi = pl.max_horizontal(tq.str.len_bytes(), tw.str.len_bytes())
    initial = (lo == 1) & (tq.str.slice(0, 1) == tw.str.slice(0, 1))
    # vowels spelt differently (TREID, TRADE) but not any two names with the same consonants (MORE, MAIER)
    same_start = tq.str.slice(0, 2) == tw.str.slice(0, 2)
    alike = same_start | (pl.col("base") >= PHONETIC_FLOOR)
    sounds = (phonetic(tq) == phonetic(tw)) & (lo >= 4) & (hi - lo <= 1) & alike
    sim = pl.when(hi <= 4).then(pl.col("base") ** 2).otherwise("base")
    return pl.max_horizontal(
        sim,
        pl.when(initial).then(INITIAL_SIM).otherwise(0.0),
        pl.when(sounds).then(PHONETIC_SIM).otherwise(0.0),
    )


def _token_sims(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame) -> pl.DataFrame:
    """Return (pid, iq, tq, iw, tw, sim) for every token pair of every pair."""
    cross = _side(pairs, q, "nid", "q").join(_side(pairs, w, "wid", "w"), on="pid")
    distinct = cross.select("tq", "tw", "sq", "sw").unique()
    # the skeleton can make one typo two (SNACHI ~ SANCHI is SNACI ~ SANCI): the spelling counts too
    spelt = bulk_ratio(distinct["sq"], distinct["sw"]).to_numpy()
    distinct = distinct.with_columns(base=np.maximum(bulk_ratio(distinct["tq"], distinct["tw"]).to_numpy(), spelt))
    distinct = distinct.select("tq", "tw", "sq", "sw", sim=_pair_sims(pl.col("tq"), pl.col("tw")))
    # an initial stands for a word with its head (J. for JOSEPH, whose skeleton OSEF starts otherwise)
    initial = ((pl.col("tq") == pl.col("hw")) | (pl.col("tw") == pl.col("hq"))) & (
        pl.min_horizontal(pl.col("tq").str.len_bytes(), pl.col("tw").str.len_bytes()) == 1
    )
    sims = cross.join(distinct, on=["tq", "tw", "sq", "sw"])
    return sims.with_columns(sim=pl.when(initial).then(pl.max_horizontal("sim", INITIAL_SIM)).otherwise("sim"))


def _reordered(best: pl.DataFrame, tag: str) -> pl.DataFrame:
    """Return (pid, reordered): whether well-matched tokens map to the other side out of order."""
    good = best.filter(pl.col("best") >= 0.8).sort("pid", f"i{tag}")
    back = (pl.col("pid") == pl.col("pid").shift()) & (pl.col("j") < pl.col("j").shift())
    return good.with_columns(back=back).group_by("pid").agg(reordered=pl.col("back").any())


def _exclusive(sims: pl.DataFrame) -> pl.DataFrame:
    """Add ``usable``: token pairs that are each other's best match, or whose tokens have none.

    A token matched both ways is not reused: in AMBER TIMBER ~ TIMBER the list's TIMBER counts
    for the query's TIMBER only, and in SADEH SALEH ~ SALEH SALEH the second SALEH stays free.
    """
    qkey = pl.col("pid").cast(pl.UInt64) * 4096 + pl.col("iq")
    wkey = pl.col("pid").cast(pl.UInt64) * 4096 + pl.col("iw")
    ranked = sims.select("pid", "iq", "iw", "sim", qkey=qkey, wkey=wkey)
    best_w = ranked.sort("qkey", "sim", "iw", descending=[False, True, False]).unique("qkey", keep="first")
    best_q = ranked.sort("wkey", "sim", "iq", descending=[False, True, False]).unique("wkey", keep="first")
    mutual = best_w.join(best_q.select("qkey", "wkey"), on=["qkey", "wkey"])
    pair = qkey * 4096 + pl.col("iw")  # names are cut to 300 characters, so fewer than 4096 tokens
    is_mutual = pair.is_in(mutual.select(pair.alias("key"))["key"].implode())
    taken = qkey.is_in(mutual["qkey"].implode()) | wkey.is_in(mutual["wkey"].implode())
    return sims.with_columns(usable=is_mutual | ~taken)


def _coverage(sims: pl.DataFrame, tag: str, other: str, weights: pl.DataFrame) -> pl.DataFrame:
    """Return per pair the rarity- and length-weighted best-match coverage of one side's tokens."""
    best = sims.group_by("pid", f"i{tag}").agg(
        best=pl.col("sim").filter(pl.col("usable")).max().fill_null(0.0),
        j=pl.col(f"i{other}").get(pl.col("sim").arg_max()),
        t=pl.col(f"t{tag}").first(),
    )
    best = best.join(weights, on="t", how="left").with_columns(
        length=pl.col("t").str.len_bytes() * pl.col("rarity").fill_null(1.0) * pl.col("form").fill_null(1.0)
    )
    cov = best.group_by("pid").agg(
        cov=(pl.col("best") * pl.col("length")).sum() / pl.col("length").sum(),
        n=pl.len(),
        low=pl.col("best").min(),
    )
    cov = cov.join(_reordered(best, tag), on="pid", how="left")
    cov = cov.with_columns(pl.col("reordered").fill_null(value=False))
    return cov.rename({c: f"{c}_{tag}" for c in ("cov", "n", "low", "reordered")})


def align(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Add token-alignment features and the name score ``base`` to prefiltered pairs."""
    pairs = pairs.with_row_index("pid")
    sims = _exclusive(_token_sims(pairs, q, w))
    weights = _form_weights(weights, pl.concat([sims["tq"], sims["tw"]]))
    feats = pairs.join(_coverage(sims, "q", "w", weights), on="pid").join(_coverage(sims, "w", "q", weights), on="pid")
    return feats.with_columns(base=_base_score())


def _form_weights(weights: pl.DataFrame, tokens: pl.Series) -> pl.DataFrame:
    """Return (t, rarity, form): token weights, ``form`` low for legal-form words, even misspelt."""
    distinct = tokens.unique()
    is_form = distinct.is_in(form_words()).to_numpy() | fuzzy_form(distinct, FORM_FUZZY, 5)
    forms = pl.DataFrame({"t": distinct, "form": np.where(is_form, FORM_WEIGHT, 1.0)})
    return forms.join(weights, on="t", how="left")


def _base_score() -> pl.Expr:
    """Return the name score from coverage, subset and glue features."""
    cov_max = pl.max_horizontal("cov_q", "cov_w")
    cov_min = pl.min_horizontal("cov_q", "cov_w")
    # a query naming part of a list name (no middle name, one of two surnames) keeps a high score;
    # a query adding words to a list name is another name more often (Crystal Pioneer Logistics)
    subset = (pl.min_horizontal("n_q", "n_w") >= 2) & (pl.col("cov_q") >= 0.95) & (pl.col("low_q") >= SUBSET_TOKEN)
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
    legal_clash = (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
    return num.otherwise(0.0) + pl.when(legal_clash).then(LEGAL_PENALTY).otherwise(0.0)
