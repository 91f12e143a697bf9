"""Legal-form marks: which words of a name belong to a legal form it still holds.

Legal-form words a name still holds (moved inside it, or left in place as a typo broke the run
the normaliser strips from an edge: CLOSED JOINT STOCK COMPABNY IFD KAPITAL) are marked WORD,
LIKE (like a legal-form word) or FORM, so that alignment weighs them apart (legal forms are
compared on their own).
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import EDGE_EXACT_MIN, NOT_EDGE_FORMS, NOT_FORMS, form_words, fuzzy_form, own_spellings
from screening.names.parallel import workers

FORM_FUZZY: Final = 80.0
FORM_EDIT_MIN: Final = 5  # legal-form words this long are recognised one edit away
FORM_SPREAD: Final = 2  # passes spreading a legal form over the words of its run
WORD, LIKE, FORM = 0, 1, 2  # token marks: a name word; like a legal-form word; a legal-form word


@cache
def _form_vocab() -> tuple[list[str], list[str], list[str], list[str]]:
    """Return the long legal-form words as skeletons and as spelt, every spelling's words, and forms spelt by letter."""
    words = {w for s in own_spellings() for w in s.split()}
    skel = [w for w in form_words() if len(w) >= FORM_EDIT_MIN]
    spelt = sorted(w for w in words - NOT_FORMS if len(w) >= FORM_EDIT_MIN)
    letters = {s.replace(" ", "") for s in own_spellings() if " " in s and max(len(w) for w in s.split()) == 1}
    return skel, spelt, sorted(words), sorted(letters)


def _one_edit(tokens: pl.Series, words: list[str], todo: np.ndarray) -> np.ndarray:
    """Return whether each token marked ``todo`` is one edit or less (optimal string alignment) from a word."""
    out = np.zeros(tokens.len(), dtype=bool)
    idx = np.flatnonzero(todo)
    if idx.size:
        some = tokens.gather(idx).to_list()
        work = workers(len(some) * len(words))
        dist = process.cdist(some, words, scorer=OSA.distance, score_cutoff=1, workers=work, dtype=np.int32)
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
    if toks.is_empty():
        return toks
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
    AKTSIONERNOE OQBSHEHESTVO GENBANK, whose first word the normaliser took as a form). A name
    of single letters only holds none (S.A.L. is no S.A.).
    """
    words, spelt = pl.col("core").str.split(" "), pl.col("spelt")
    # a name of single letters only is initials (S.A.L., T.S.A.): none of its letters is a legal form's
    initials = spelt.list.eval(pl.element().str.len_bytes() == 1).list.all()
    toks = norm.filter(~initials).select(
        key,
        t="tokens",
        s="spelt",
        n=pl.int_ranges(pl.col("tokens").list.len()),
        a="abjad",
        last=pl.col("tokens").list.len() - 1,
        lead=words.list.first() != spelt.list.first(),
        trail=words.list.last() != spelt.list.last(),
    )
    toks = toks.explode("t", "s", "n").drop_nulls("t")
    toks = toks.join(_token_marks(toks.select("t", "s").unique()), on=["t", "s"], how="left")
    if (toks["s"].str.len_bytes() == 1).any():  # forms spelt letter by letter need one-letter words
        toks = toks.join(_letter_forms(toks, key), on=[key, "n"], how="left")
        toks = toks.with_columns(mark=pl.coalesce("letter", "mark"))
    edge = ((pl.col("n") == 0) & pl.col("lead")) | ((pl.col("n") == pl.col("last")) & pl.col("trail"))
    toks = _spread(toks.with_columns(edge=edge.fill_null(value=False)), key)
    zeros = pl.col("tokens").list.eval(pl.element().str.len_bytes().cast(pl.Int8) * 0)
    if toks.is_empty():  # no name holds a legal-form word (most batches of a few names)
        return norm.with_columns(marks=zeros, bare="sorted")
    marked = toks.group_by(key).agg(
        marks=pl.col("mark"), bare=pl.col("t").filter(pl.col("mark") != FORM).sort().str.join(" ")
    )
    return norm.join(marked, on=key, how="left").with_columns(
        marks=pl.coalesce("marks", zeros),
        bare=pl.when(pl.col("bare").fill_null("") == "").then("sorted").otherwise("bare"),
    )
