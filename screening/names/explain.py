"""Explanations: why a pair of names matched, written from the same features that scored it.

``ООО ТЕХНОКОМ ~ TEKHNOKOM OOO (0.96): transliterated Cyrillic, legal form OOO on both`` — the
query name, the list name, the score, then the notes: script, look-alikes, legal forms (and
legal-form words left inside a name), identifiers lifted from the name, word order, spelling,
spacing, numbers and qualifiers.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

from screening.frames import fmt
from screening.names import common_words
from screening.names.align import IN_FULL_NOTE
from screening.names.penalties import SHIFTED_NOTE, chain, paired_numbers, patronym_swapped

# a query's first or last word read as its pair's list name's legal form misspelt (:mod:`.form_typos`)
TYPO_NOTE: Final = "legal form misspelt in query"


def _script_note() -> pl.Expr:
    """Return the transliteration note, naming the non-Latin script of either side."""
    foreign = [pl.col(c).is_in(["ASCII", "Latin"]).not_() for c in ("q_script", "w_script")]
    script = pl.when(foreign[0]).then(pl.col("q_script")).otherwise(pl.col("w_script"))
    latin = (pl.col("q_script") == "Latin") | (pl.col("w_script") == "Latin")
    return (
        pl.when(foreign[0] | foreign[1])
        .then(pl.lit("transliterated ") + script)
        .when(latin)
        .then(pl.lit("diacritics removed"))
    )


def _legal_note() -> pl.Expr:
    """Return the legal-form note: on both, equivalent, different or on one side only."""
    ql, wl = pl.col("q_legal_label"), pl.col("w_legal_label")
    qc, wc = pl.col("q_legal"), pl.col("w_legal")
    both = (ql != "") & (wl != "")
    same_class = qc.list.set_intersection(wc).list.len() > 0
    return (
        pl.when(both & (ql == wl))
        .then(pl.lit("legal form ") + ql + pl.lit(" on both"))
        .when(both & same_class)
        .then(pl.lit("legal forms ") + ql + " ~ " + wl + " agree")
        .when(both)
        .then(pl.lit("legal forms differ (") + ql + " vs " + wl + ")")
        .when(ql != "")
        .then(pl.lit("legal form ") + ql + pl.lit(" only in query"))
        .when(wl != "")
        .then(pl.lit("legal form ") + wl + pl.lit(" only in list name"))
    )


def _gone() -> pl.Expr:
    """Return how many legal-form words inside either name (misspelt or moved) the other name lacks."""
    return pl.col("gone_q").fill_null(0) + pl.col("gone_w").fill_null(0)


def _form_words_note() -> pl.Expr:
    """Return the note on legal-form words left inside a name, which weigh next to nothing."""
    return pl.when(_gone() > 0).then(pl.lit("legal-form words inside the name ignored"))


def _spelling_note() -> pl.Expr:
    """Return the note on how the spellings differ."""
    same_skel = pl.col("q_sorted") == pl.col("w_sorted")
    same_core = pl.col("q_core") == pl.col("w_core")
    low = pl.min_horizontal("low_q", "low_w")
    glued = (pl.col("s_glue") * 0.98 >= pl.col("base")) & (pl.col("q_skel") != pl.col("w_skel"))
    covered = pl.max_horizontal("cov_q", "cov_w") >= 0.95
    return (
        pl.when(same_core)
        .then(None)
        .when(same_skel)
        .then(pl.lit("romanisation variant"))
        .when(glued & (pl.col("q_glued") == pl.col("w_glued")))
        .then(pl.lit("spacing differs"))
        .when(glued & (pl.col("q_spelt_glued") == pl.col("w_spelt_glued")))
        .then(pl.lit("ordinal spelt out"))
        .when(pl.col("cov_q").is_null())
        .then(None)
        .when(covered & (low >= 0.8) & ((_gone() + pl.col("typo_q").fill_null(0)) > 0))
        .then(None)
        .when(covered)
        .then(pl.when(low >= 0.8).then(pl.lit("extra tokens")).otherwise(pl.lit("tokens missing")))
        .otherwise(pl.lit("misspelt"))
    )


def _numbers_note() -> pl.Expr:
    """Return the note on numbers that differ, as the penalty pairs them (:func:`.penalties.paired_numbers`)."""
    qn, wn = (numbers.list.join(" ") for numbers in paired_numbers())
    return pl.when(qn != wn).then(pl.lit("numbers differ (") + qn + " vs " + wn + ")")


@cache  # the expression is built once: building it costs more than running it on a few rows
def detail_expr() -> pl.Expr:
    """Return the explanation of a name match."""
    qual = pl.col("qual_notes")
    # notes joined skipping nulls: the text a list of them without nulls joins to, at a fraction of its cost
    text = pl.concat_str(
        _script_note(),
        pl.when(pl.col("q_lookalike") | pl.col("w_lookalike")).then(pl.lit("look-alike letters repaired")),
        _legal_note(),
        _form_words_note(),
        pl.when(pl.col("typo_q").fill_null(0) > 0).then(pl.lit(TYPO_NOTE)),
        pl.when(pl.col("q_ids").list.len() > 0).then(pl.lit("identifiers in name: ") + pl.col("q_ids").list.join(", ")),
        pl.when(patronym_swapped())
        .then(pl.lit("patronymic chain in another order"))
        .when(pl.col("reordered_q").fill_null(False))
        .then(pl.lit("tokens reordered")),
        pl.when(pl.col("chain_shifted").fill_null(False) & chain()).then(pl.lit(SHIFTED_NOTE)),
        pl.when(pl.col("in_full").fill_null(False)).then(pl.lit(IN_FULL_NOTE)),
        pl.when(pl.col("acronym")).then(pl.lit("acronym")).otherwise(_spelling_note()),
        common_words.note(),
        _numbers_note(),
        pl.when(qual.list.drop_nulls().list.len() > 0).then(qual.list.drop_nulls().list.join(", ")),
        separator=", ",
        ignore_nulls=True,
    )
    head = fmt("{} ~ {} ({}): ", "name", "matched_name", score_text())
    return head + pl.when(text == "").then(pl.lit("same name")).otherwise(text)


def score_text() -> pl.Expr:
    """Return the score with two decimals, e.g. ``0.93``."""
    cents = (pl.col("score") * 100).round(0).cast(pl.Int64)
    return pl.when(cents >= 100).then(pl.lit("1.00")).otherwise(pl.lit("0.") + cents.cast(pl.String).str.zfill(2))


def identifier_detail() -> pl.Expr:
    """Return the explanation of an identifier match."""
    return fmt("{} ~ {} (1.00): identifier {} {} on both", "name", "matched_name", "id_type", "value")
