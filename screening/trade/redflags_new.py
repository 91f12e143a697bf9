"""ENTITY-001 and ENTITY-002: parties in transit hubs that are new, or new to CHPL goods, since 24 Feb 2022.

FinCEN/BIS Joint Alert FIN-2022-Alert003 (28 June 2022) names as red flags "transactions involving
entities with little to no web presence" and parties "that began doing business after 24 Feb 2022";
the supplement FIN-2023-NCCSUPP-01 (19 May 2023) adds parties in transshipment hubs that newly
order CHPL items without a history of such trade. A party is "new" only relative to what this run
holds: the rules stay silent when the records do not reach back before the cut-off date.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from screening.trade.redflags import (
    HUBS,
    SINCE,
    appearances,
    conform,
    conform_parties,
    day,
    empty_hits,
    hit_frame,
    hub_receipts,
    long_date,
    party_keys,
    summarise,
)


def new_hub_parties(tx: pl.DataFrame, *, since: date = SINCE, hubs: tuple[str, ...] | list[str] = HUBS) -> pl.DataFrame:
    """Flag hub parties first seen on/after ``since`` that receive CHPL goods, when the data reach back before it."""
    tx = conform(tx)
    start = tx["date"].min()
    if not isinstance(start, date) or start >= since:
        return empty_hits()
    first_seen = appearances(tx).group_by("key").agg(pl.col("date").min().alias("first_seen"))
    receipts = hub_receipts(tx, hubs).filter(pl.col("chpl"))
    found = summarise(receipts).join(first_seen, on="key").filter(pl.col("first_seen") >= since)
    detail = pl.format(
        "{} ({}) first appears on {} and receives CHPL goods ({}) in {} record(s); the records go back to {}",
        pl.col("party"),
        pl.col("party_country"),
        day("first_seen"),
        pl.col("codes"),
        pl.col("n"),
        pl.lit(start.isoformat()),
    )
    return hit_frame(found, 0.6 + 0.1 * pl.col("n"), detail)


def new_incorporations(
    parties: pl.DataFrame,
    tx: pl.DataFrame | None = None,
    *,
    since: date = SINCE,
    hubs: tuple[str, ...] | list[str] = HUBS,
) -> pl.DataFrame:
    """Flag party records in hubs incorporated on/after ``since``; stronger when they receive CHPL goods in ``tx``."""
    rows = conform_parties(parties).filter((pl.col("incorporated") >= since) & pl.col("country").is_in(list(hubs)))
    if rows.height == 0:
        return empty_hits()
    rows = rows.join(party_keys(rows["name"]).rename({"raw": "name"}), on="name", how="left")
    chpl_keys = hub_receipts(conform(tx), hubs).filter(pl.col("chpl")) if tx is not None else None
    got = chpl_keys.select("key").unique().with_columns(chpl=pl.lit(True)) if chpl_keys is not None else None
    rows = rows.join(got, on="key", how="left") if got is not None else rows.with_columns(chpl=pl.lit(None))
    rows = rows.with_columns(chpl=pl.col("chpl").fill_null(False)).sort("key", "incorporated", "record_id")
    rows = rows.unique(subset="key", keep="first", maintain_order=True)
    detail = pl.format(
        "{} ({}) was incorporated on {}, after {}{}",
        pl.col("name"),
        pl.col("country"),
        day("incorporated"),
        pl.lit(long_date(since)),
        pl.when(pl.col("chpl")).then(pl.lit("; it receives CHPL goods in this run")).otherwise(pl.lit("")),
    )
    return hit_frame(rows, pl.when(pl.col("chpl")).then(1.0).otherwise(0.6), detail, party="name")


def chpl_without_history(
    tx: pl.DataFrame, *, since: date = SINCE, hubs: tuple[str, ...] | list[str] = HUBS
) -> pl.DataFrame:
    """Flag hub parties that received only non-CHPL goods before ``since`` and CHPL goods after it."""
    receipts = hub_receipts(conform(tx), hubs)
    before = (
        receipts.filter(pl.col("date") < since)
        .group_by("key")
        .agg(
            pl.len().alias("n_before"),
            pl.col("chpl").any().alias("chpl_before"),
            pl.col("date").min().alias("first_before"),
        )
        .filter(~pl.col("chpl_before"))
    )
    after = receipts.filter(pl.col("date") >= since)
    share = after.group_by("key").agg(pl.col("chpl").mean().alias("share"))
    found = summarise(after.filter(pl.col("chpl"))).join(before, on="key").join(share, on="key")
    detail = pl.format(
        "{} ({}) received only non-CHPL goods before {} ({} record(s) from {}), then CHPL goods from {} ({})",
        pl.col("party"),
        pl.col("party_country"),
        pl.lit(long_date(since)),
        pl.col("n_before"),
        day("first_before"),
        day("date"),
        pl.col("codes"),
    )
    return hit_frame(found, 0.5 + 0.5 * pl.col("share"), detail)
