"""A query naming part of a list name in common words only keeps no subset lift, unless the birth date agrees.

A part made of words many listed entities hold (ALI, Hassan; IBRAHIM, Mohammad; ISLAMIC GROUP)
names part of many listed names: no sign of the one it is part of. A word is common where
``COMMON_ENTITIES`` listed entities or more hold it (:func:`.token_sims.rarity`), counted on the
list screened: a short list (one name, the UN list alone) has no common words and keeps every lift,
more alerts rather than fewer. The rule applies only where the list name has more words than the
query (an exact name is no part), and not where the pair's birth year is one the list gives
(:func:`.qualifiers.birth_year_agrees`, whatever the days: a list giving 1943 and 1943-08-17 may
mean either, and the qualifiers grade the day apart): a listed person queried with the listed date is
found as before (ALI, Ahmed born 1974-03-14 ~ ALI, Ahmed Khalfan). Likewise a query adding words
to a listed person's name in common words only keeps no lift (:func:`.align.person_added`: ALI,
Ahmed Mohammed ZUBAYRI ~ ALI, Ahmed Mohammed), unless the birth date agrees.

The aligned pair carries ``base_common``, its base without the lift where the rule applies;
:func:`unlifted` takes that base (and the name score from it) on the qualified rows the rule
lowers, and marks them ``common`` for the explanation.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

from screening.names import in_full, qualifiers
from screening.names.align import base_score, part_shape

NOTE: Final = "part of the name in common words only"
ADDED_NOTE: Final = "listed name in common words only"


@cache  # the expression is built once: building it costs more than running it on a few pairs
def base() -> pl.Expr:
    """Return an aligned pair's base without the subset lift, or the added-words lift, where the rule takes it back.

    ``base_unadded`` is the base before :func:`.align.person_added`.
    """
    part = part_shape() & pl.col("common_q") & (pl.col("n_w") > pl.col("n_q")) & ~pl.col("acronym")
    added = pl.col("common_w") & (pl.col("n_q") > pl.col("n_w"))
    return (
        pl.when(part)
        .then(pl.min_horizontal("base", base_score(lifted=False)))
        .when(added)
        .then(pl.min_horizontal("base", "base_unadded"))
        .otherwise("base")
    )


def score(penalty: str) -> pl.Expr:
    """Return the name score from ``base_common`` and the ``penalty`` column, at most the pair's ``name_score``."""
    return pl.min_horizontal((pl.col("base_common") - pl.col(penalty)).clip(0.0, 1.0), "name_score")


def note() -> pl.Expr:
    """Return the note of a qualified row the rule lowered (``common``), None elsewhere."""
    added = pl.col("n_q") > pl.col("n_w")
    return pl.when(pl.col("common").fill_null(value=False)).then(
        pl.when(added).then(pl.lit(ADDED_NOTE)).otherwise(pl.lit(NOTE))
    )


def unlifted(rows: pl.DataFrame) -> pl.DataFrame:
    """Return qualified rows with the name score of the rule where it lowers them and no birth year agrees.

    The ``base`` stays: :func:`.in_full.lowered` compares it with a name in full's, as the one-query path does.
    """
    lower = pl.col("score_common") < pl.col("name_score")
    if not rows.select(lower.any()).item():  # the birth expression costs more than this test, and few rows are lowered
        return rows.with_columns(common=pl.lit(value=False))
    rows = rows.with_columns(common=lower & ~qualifiers.birth_year_agrees())
    return rows.with_columns(
        name_score=pl.when("common").then("score_common").otherwise("name_score"),
        **{
            in_full.SCORE: pl.when("common")
            .then(pl.min_horizontal(in_full.SCORE, "score_common"))
            .otherwise(in_full.SCORE)
        },
    )
