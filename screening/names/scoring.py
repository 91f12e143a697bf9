"""Scores of candidate pairs: bulk string similarity, then token alignment of the survivors.

Legal-form words a name still holds (moved inside it, or left in place as a typo broke the run
the normaliser strips from an edge: CLOSED JOINT STOCK COMPABNY IFD KAPITAL) are marked first
(:func:`form_marks`). Stage one scores every candidate pair with ``rapidfuzz.process.cpdist``
(sorted skeleton tokens, and the glued skeleton in written order; ``workers=-1``) and keeps pairs
scoring at least ``cutoff`` (the glued form, with equal token counts, from ``GLUE_RESCUE``; the
sorted forms without legal-form words; initials by token set). Stage two aligns the
tokens of the survivors: per-token edit similarity (optimal string alignment, a typo costing
``TYPO_COST`` of an edit; the better of skeleton and spelling, as the skeleton can turn one typo
into two), initials (matched on the head of a word, J. for JOSEPH; letters in a run of three,
or two in a listed company's name, are an abbreviation, not initials), phonetic equality; a token
matched both ways is not reused by another token. It measures how much of each name the other
covers, weighting tokens by length and rarity, words like legal-form ones (LIITED) at
``FORM_WEIGHT`` and legal-form words the other name lacks at ``FORM_GONE`` (legal forms are
compared apart), and applies legal-form and number penalties. A query naming part of a list name
(each of its words matching one of the list name's at ``SUBSET_TOKEN`` or better) scores at least
``SUBSET_BASE``; a query adding words to a list name does not. Country, birth date and entity
type are qualifiers applied later by the matcher.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import EDGE_EXACT_MIN, NOT_EDGE_FORMS, NOT_FORMS, form_words, fuzzy_form, spellings
from screening.names.phonetic import phonetic

Scorer = Callable[..., float]

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
FORM_GONE: Final = 0.02  # weight of a legal-form word the other name lacks (its form is compared apart)
FORM_MATCHED: Final = 0.8
FORM_EDIT_MIN: Final = 5  # legal-form words this long are recognised one edit away
FORM_SPREAD: Final = 2  # passes spreading a legal form over the words of its run
WORD, LIKE, FORM = 0, 1, 2  # token marks: a name word; like a legal-form word; a legal-form word


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


def _gather_ratio(left: np.ndarray, right: np.ndarray, scorer: Scorer = fuzz.ratio) -> np.ndarray:
    """Return ``scorer`` / 100 (``fuzz.ratio`` unless told) of aligned object arrays of strings, on all cores."""
    if left.size == 0:
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(left.tolist(), right.tolist(), scorer=scorer, workers=-1, dtype=np.float32)
    return scores.astype(np.float64) / 100.0


def _has_bare(frame: pl.DataFrame, key: str) -> np.ndarray:
    """Return whether each name, by ``key``, holds legal-form words (its ``bare`` form differs from ``sorted``)."""
    keys = frame[key].to_numpy()
    out = np.zeros(int(keys.max()) + 1 if keys.size else 0, dtype=bool)
    out[keys] = (frame["bare"] != frame["sorted"]).to_numpy()
    return out


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
    more than the token alignment. Two second looks at the pairs that fail: names holding
    legal-form words (see :func:`form_marks`) compare their sorted forms without them (``bare``),
    and query names with an initial compare by ``token_set_ratio`` (M. MIRE holds all but the
    given name of MIRE, Mohamed: the plain ratio of M MIRE ~ MIRE MOHAMED is 0.44).
    """
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    (qcount, qinit), (wcount, _) = _facts(q, "nid"), _facts(w, "wid")
    differ = qcount[nid] != wcount[wid]
    q_sorted, w_sorted = _objects(q, "nid", "sorted")[nid], _objects(w, "wid", "sorted")[wid]
    s_sort = _gather_ratio(q_sorted, w_sorted)
    floor = cutoff - INITIAL_SLACK * qinit[nid]
    # the glued form scores pairs whose token counts differ, and rescues the others that fail
    glue = np.flatnonzero(differ | (s_sort < floor))
    s_glue = np.zeros(nid.size, dtype=np.float64)
    s_glue[glue] = _gather_ratio(_objects(q, "nid", "glued")[nid[glue]], _objects(w, "wid", "glued")[wid[glue]])
    passed = (s_sort >= floor) | (s_glue >= np.where(differ, floor, max(GLUE_RESCUE, cutoff)))
    look = np.flatnonzero(~passed & (_has_bare(q, "nid")[nid] | _has_bare(w, "wid")[wid]))
    bare = _gather_ratio(_objects(q, "nid", "bare")[nid[look]], _objects(w, "wid", "bare")[wid[look]])
    passed[look] = bare >= floor[look]
    look = np.flatnonzero(~passed & qinit[nid])
    passed[look] = _gather_ratio(q_sorted[look], w_sorted[look], fuzz.token_set_ratio) >= floor[look]
    scored = pl.DataFrame({"nid": nid, "wid": wid, "s_sort": s_sort, "s_glue": np.where(differ, s_glue, 0.0)})
    return scored.filter(passed)


@cache
def _form_vocab() -> tuple[list[str], list[str], list[str], list[str]]:
    """Return the long legal-form words as skeletons and as spelt, every spelling's words, and forms spelt by letter."""
    words = {w for s in spellings() for w in s.split()}
    skel = [w for w in form_words() if len(w) >= FORM_EDIT_MIN]
    spelt = sorted(w for w in words - NOT_FORMS if len(w) >= FORM_EDIT_MIN)
    letters = {s.replace(" ", "") for s in spellings() if " " in s and max(len(w) for w in s.split()) == 1}
    return skel, spelt, sorted(words), sorted(letters)


def _one_edit(tokens: pl.Series, words: list[str], todo: np.ndarray) -> np.ndarray:
    """Return whether each token marked ``todo`` is one edit or less (optimal string alignment) from a word."""
    out = np.zeros(tokens.len(), dtype=bool)
    idx = np.flatnonzero(todo)
    if idx.size:
        some = tokens.gather(idx).to_list()
        dist = process.cdist(some, words, scorer=OSA.distance, score_cutoff=1, workers=-1, dtype=np.int32)
        out[idx] = dist.min(axis=1) <= 1
    return out


def _token_marks(distinct: pl.DataFrame) -> pl.DataFrame:
    """Return distinct (t, s) tokens with their ``mark`` and whether they can belong to a legal form's run."""
    skel, spelt, every, _ = _form_vocab()
    t, s = distinct["t"], distinct["s"]
    exact = t.is_in(form_words()).to_numpy()
    strong = exact & (t.str.len_bytes() >= EDGE_EXACT_MIN).to_numpy()
    # one edit from a word of five letters or more is FORM_FUZZY alike already: only four-letter tokens need a look
    four = (t.str.len_bytes() == EDGE_EXACT_MIN).to_numpy()
    near = fuzzy_form(t, FORM_FUZZY, FORM_EDIT_MIN) | _one_edit(t, skel, four)
    # and the spelling, where the skeleton rewrote the token (JDOINT is IDOINT, two edits from OINT)
    near |= _one_edit(s, spelt, ((s != t) & (s.str.len_bytes() >= EDGE_EXACT_MIN)).to_numpy())
    mark = pl.Series(values=np.where(strong, FORM, np.where(exact | near, LIKE, WORD)), dtype=pl.Int8)
    joins = (s.is_in(every) | (mark > WORD)) & ~t.is_in(sorted(NOT_EDGE_FORMS))  # PARTNERS is no form's word
    return distinct.with_columns(mark=mark, joins=joins)


def _letter_forms(toks: pl.DataFrame, key: str) -> pl.DataFrame:
    """Return (key, n) of one-letter tokens in a run spelling a legal form letter by letter (S. A., B. V.)."""
    single = toks.filter(pl.col("s").str.len_bytes() == 1).sort(key, "n")
    start = (pl.col(key) != pl.col(key).shift()) | (pl.col("n") != pl.col("n").shift() + 1)
    single = single.with_columns(run=start.fill_null(value=True).cum_sum())
    runs = single.group_by("run").agg(pl.col("s").str.join(""), key=pl.col(key).first(), n=pl.col("n"))
    runs = runs.filter(pl.col("s").is_in(_form_vocab()[3])).explode("n")
    return runs.select(pl.col("key").alias(key), "n", letter=pl.lit(FORM, pl.Int8))


def _spread(toks: pl.DataFrame, key: str) -> pl.DataFrame:
    """Return the tokens of names holding legal-form words, words of a form's run beside a FORM marked FORM."""
    edge = pl.col("edge") & pl.col("joins")
    toks = toks.join(toks.filter((pl.col("mark") > WORD) | edge).select(key).unique(), on=key, how="semi")
    toks = toks.sort(key, "n")
    for _ in range(FORM_SPREAD):
        beside = [((pl.col(key).shift(d) == pl.col(key)) & (pl.col("mark").shift(d) == FORM)) for d in (1, -1)]
        run = pl.col("joins") & (pl.col("edge") | (beside[0] | beside[1]).fill_null(value=False))
        toks = toks.with_columns(mark=pl.when(run).then(pl.lit(FORM, pl.Int8)).otherwise("mark"))
    return toks


def form_marks(norm: pl.DataFrame, key: str) -> pl.DataFrame:
    """Add ``marks`` (WORD, LIKE or FORM per token) and ``bare`` (the sorted name without legal-form words).

    Legal forms inside a name (word order changed, or left in place as a typo broke the run the
    normaliser strips from an edge) are found here: a legal-form word of four letters or more,
    or a form spelt letter by letter, marks FORM; a word one edit from a long form word, or a
    short one, marks LIKE; words of legal forms (OPEN, S, VE) and LIKE words beside a FORM, or
    at an edge the normaliser cut form words from, become FORM too (OPEN JOIT STOCK COMPNY;
    AKTSIONERNOE OQBSHEHESTVO GENBANK, whose first word the normaliser took as a form).
    """
    words, spelt = pl.col("core").str.split(" "), pl.col("spelt")
    toks = norm.select(
        key,
        t="tokens",
        s="spelt",
        n=pl.int_ranges(pl.col("tokens").list.len()),
        last=pl.col("tokens").list.len() - 1,
        lead=words.list.first() != spelt.list.first(),
        trail=words.list.last() != spelt.list.last(),
    )
    toks = toks.explode("t", "s", "n").drop_nulls("t")
    toks = toks.join(_token_marks(toks.select("t", "s").unique()), on=["t", "s"], how="left")
    toks = toks.join(_letter_forms(toks, key), on=[key, "n"], how="left")
    edge = ((pl.col("n") == 0) & pl.col("lead")) | ((pl.col("n") == pl.col("last")) & pl.col("trail"))
    toks = _spread(toks.with_columns(mark=pl.coalesce("letter", "mark"), edge=edge.fill_null(value=False)), key)
    marked = toks.group_by(key).agg(
        marks=pl.col("mark"), bare=pl.col("t").filter(pl.col("mark") != FORM).sort().str.join(" ")
    )
    zeros = pl.col("tokens").list.eval(pl.element().str.len_bytes().cast(pl.Int8) * 0)
    return norm.join(marked, on=key, how="left").with_columns(
        marks=pl.coalesce("marks", zeros),
        bare=pl.when(pl.col("bare").fill_null("") == "").then("sorted").otherwise("bare"),
    )


def _side(pairs: pl.DataFrame, norm: pl.DataFrame, key: str, tag: str, weights: pl.DataFrame) -> pl.DataFrame:
    """Return one row per (pair, token) of one side of the pairs, with the token's length times its rarity."""
    used = pairs.select(pl.col(key).unique())
    toks = norm.join(used, on=key, how="semi").select(
        key,
        t="tokens",
        s="spelt",
        h="heads",
        m="marks",
        n=pl.int_ranges(pl.col("tokens").list.len()),
        # query cores stand for names with and without a legal form: only list names say they are companies
        company=pl.col("legal").list.len() > 0 if "legal" in norm.columns else pl.lit(value=False),
    )
    toks = toks.explode("t", "s", "h", "m", "n").drop_nulls("t")
    # letters in a run are an abbreviation (A.W.A.; V.P. in a listed company's name), not initials (J. R. SMITH)
    single = pl.col("t").str.len_bytes() == 1
    near = {d: (single.shift(d) & (pl.col(key).shift(d) == pl.col(key))).fill_null(value=False) for d in (-2, -1, 1, 2)}
    three = (near[1] & near[2]) | (near[-1] & near[1]) | (near[-1] & near[-2])
    run = three | (pl.col("company") & (near[1] | near[-1]))
    toks = toks.with_columns(t=pl.when(single & run).then(pl.col("t") + ".").otherwise("t"))
    toks = toks.join(weights, on="t", how="left")
    return (
        pairs.select("pid", key)
        .join(toks, on=key)
        .select(
            "pid",
            pl.col("n").alias(f"i{tag}"),
            pl.col("t").alias(f"t{tag}"),
            pl.col("s").alias(f"s{tag}"),
            pl.col("h").alias(f"h{tag}"),
            pl.col("m").alias(f"m{tag}"),
            (pl.col("t").str.len_bytes() * pl.col("rarity").fill_null(1.0)).alias(f"l{tag}"),
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


def _token_sims(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Return (pid, iq, tq, iw, tw, sim …) for every token pair of every pair."""
    cross = _side(pairs, q, "nid", "q", weights).join(_side(pairs, w, "wid", "w", weights), on="pid")
    # one 64-bit key per distinct token pair: joining on it is about twice as fast as on four strings
    cross = cross.with_columns(k=pl.struct("tq", "tw", "sq", "sw").hash())
    distinct = cross.select("k", "tq", "tw", "sq", "sw").unique("k")
    # the skeleton can make one typo two (SNACHI ~ SANCHI is SNACI ~ SANCI): the spelling counts too
    spelt = bulk_ratio(distinct["sq"], distinct["sw"]).to_numpy()
    distinct = distinct.with_columns(base=np.maximum(bulk_ratio(distinct["tq"], distinct["tw"]).to_numpy(), spelt))
    distinct = distinct.select("k", sim=_pair_sims(pl.col("tq"), pl.col("tw")))
    # an initial stands for a word with its head (J. for JOSEPH, whose skeleton OSEF starts otherwise)
    initial = ((pl.col("tq") == pl.col("hw")) | (pl.col("tw") == pl.col("hq"))) & (
        pl.min_horizontal(pl.col("tq").str.len_bytes(), pl.col("tw").str.len_bytes()) == 1
    )
    sims = cross.join(distinct, on="k")
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


def _coverage(sims: pl.DataFrame, tag: str, other: str) -> pl.DataFrame:
    """Return per pair the rarity- and length-weighted best-match coverage of one side's tokens."""
    # word order is told from the query's side only (``reordered_q``)
    order = [pl.col(f"i{other}").get(pl.col("sim").arg_max()).alias("j")] if tag == "q" else []
    best = sims.group_by("pid", f"i{tag}").agg(
        *order,
        best=pl.col("sim").filter(pl.col("usable")).max().fill_null(0.0),
        length=pl.col(f"l{tag}").first(),
        m=pl.col(f"m{tag}").first(),
    )
    best = best.with_columns(length=pl.col("length") * _form_factor())
    cov = best.group_by("pid").agg(
        cov=(pl.col("best") * pl.col("length")).sum() / pl.col("length").sum(),
        n=pl.len(),
        low=pl.col("best").filter(pl.col("m") != FORM).min().fill_null(1.0),
        gone=((pl.col("m") == FORM) & (pl.col("best") < FORM_MATCHED)).sum(),
    )
    if order:
        cov = cov.join(_reordered(best, tag), on="pid", how="left")
        cov = cov.with_columns(pl.col("reordered").fill_null(value=False))
    return cov.rename({c: f"{c}_{tag}" for c in cov.columns if c != "pid"})


def align(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Add token-alignment features and the name score ``base`` to prefiltered pairs."""
    pairs = pairs.with_row_index("pid")
    sims = _exclusive(_token_sims(pairs, q, w, weights))
    feats = pairs.join(_coverage(sims, "q", "w"), on="pid").join(_coverage(sims, "w", "q"), on="pid")
    return feats.with_columns(base=_base_score())


def _form_factor() -> pl.Expr:
    """Return the weight factor of a token from its mark: a legal-form word the other name lacks weighs nothing."""
    unmatched = pl.when(pl.col("best") >= FORM_MATCHED).then(FORM_WEIGHT).otherwise(FORM_GONE)
    return pl.when(pl.col("m") == FORM).then(unmatched).when(pl.col("m") == LIKE).then(FORM_WEIGHT).otherwise(1.0)


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
