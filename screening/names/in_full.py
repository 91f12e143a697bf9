"""An organisation's query naming a listed organisation in full: its other organisation pairs lose the subset boost.

A query typed an organisation (:data:`.titles.ORGANISATION_TYPES`: not a vessel, an aircraft or an
untyped party) whose name scores ``IN_FULL`` or more against an entity typed an organisation is
that organisation: neither a part of another listed organisation's name (a branch: BANK SEPAH ~
BANK SEPAH INTERNATIONAL PLC) nor another's name with words added (its parent), so its pairs of
other organisations score as :func:`.align.named_in_full` reads them. The pair naming it in full
must itself be a hit after qualifiers (country, birth date, entity type): a query the qualifiers
tell from that organisation is no proof that it is not the other. The caller says what a hit is:
``match`` asks the hand score at the default threshold, whatever the run's threshold, so that a
pair scores the same in every run (the benchmarks sweep one run at 0.30; a run above the default
must not alert on a pair the default run lowers).
"""

from __future__ import annotations

import polars as pl

from screening.names import titles
from screening.names.align import IN_FULL

# the columns a pair carries for the rule: its base and name score as named in full (:func:`.align.named_in_full`)
BASE, SCORE = "base_in_full", "name_in_full"


def lowered(rows: pl.DataFrame, hit: pl.Expr) -> pl.DataFrame:
    """Return qualified rows with ``in_full``: those lowered as their query row (``pos``) names another in full.

    ``hit``: whether a row is a hit after qualifiers. A lowered row takes the pair's ``BASE`` and
    ``SCORE`` as its ``base`` and ``name_score``, and its hand score again from them.
    """
    org = titles.organisation("entity_schema")
    full = titles.organisation("schema") & org & (pl.col("base") >= IN_FULL)
    if not rows.select(full.any()).item():  # most batches: no organisation's query names one in full
        return rows.with_columns(in_full=pl.lit(value=False))
    lower = (full & hit).any().over("pos") & org & (pl.col(BASE) < pl.col("base"))
    return rows.with_columns(in_full=lower).with_columns(
        base=pl.when("in_full").then(BASE).otherwise("base"),
        name_score=pl.when("in_full").then(SCORE).otherwise("name_score"),
        hand=pl.when("in_full").then((pl.col(SCORE) + pl.col("adjust")).clip(0.0, 1.0)).otherwise("hand"),
    )
