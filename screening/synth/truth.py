"""Score a run's hits against planted cases: recall on planted exposures, flags on hard negatives.

A hit finds a case when it comes from the case's rule and names its subject: for a ``party`` case
the hit's party is the planted name; for a ``record`` case its record id; for a ``corridor`` case
(``ORIGIN>DESTINATION HS6``) the hit's record id starts with ``ORIGIN>DESTINATION`` (a triangle's
``ORIGIN>HUB>RU`` too) and its code is
the HS-6 code or a heading or chapter containing it, or ``all``. Hits of a rule that find no case
are counted apart as ``other`` — on a synthetic background they are the rule's unplanted alerts.
"""

from __future__ import annotations

import polars as pl


def case_outcomes(hits: pl.DataFrame, cases: pl.DataFrame) -> pl.DataFrame:
    """Return the cases with ``found`` (bool) and how many hits found each."""
    pairs = cases.join(hits.select("rule_id", "record_id", "party"), left_on="rule", right_on="rule_id", how="left")
    route, code = (pl.col("subject").str.split(" ").list.get(i, null_on_oob=True) for i in (0, 1))
    hit_route, hit_code = (pl.col("record_id").str.split(" ").list.get(i, null_on_oob=True) for i in (0, 1))
    matches = (
        pl.when(pl.col("subject_kind") == "party")
        .then(pl.col("party") == pl.col("subject"))
        .when(pl.col("subject_kind") == "record")
        .then(pl.col("record_id") == pl.col("subject"))
        .otherwise(
            ((hit_route == route) | hit_route.str.starts_with(route + ">"))
            & ((hit_code == "all") | code.str.starts_with(hit_code.fill_null("-")))
        )
    )
    scored = pairs.with_columns(matches.fill_null(False).alias("match"))
    return scored.group_by(cases.columns, maintain_order=True).agg(
        pl.col("match").any().alias("found"), pl.col("match").sum().alias("hits")
    )


def rule_scores(hits: pl.DataFrame, cases: pl.DataFrame) -> pl.DataFrame:
    """Return per rule: planted cases found, hard negatives flagged, and hits that found no case."""
    outcomes = case_outcomes(hits, cases)
    per_rule = outcomes.group_by("rule", maintain_order=True).agg(
        planted=(pl.col("expect") == "hit").sum(),
        found=((pl.col("expect") == "hit") & pl.col("found")).sum(),
        negatives=(pl.col("expect") == "miss").sum(),
        false_flags=((pl.col("expect") == "miss") & pl.col("found")).sum(),
        case_hits=pl.col("hits").sum(),
    )
    totals = hits.filter(pl.col("rule_id").is_in(cases["rule"].unique().implode())).group_by("rule_id").len("all_hits")
    return (
        per_rule.join(totals, left_on="rule", right_on="rule_id", how="left")
        .with_columns(
            pl.col("all_hits").fill_null(0),
            (pl.col("found") / pl.col("planted")).alias("recall"),
        )
        .with_columns((pl.col("all_hits") - pl.col("case_hits")).clip(0).alias("other_hits"))
        .drop("case_hits")
        .sort("rule")
    )
