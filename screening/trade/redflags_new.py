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

from screening.frames import fmt
from screening.trade.redflags import (
    COUNT,
    HUBS,
    SINCE,
    conform,
    conform_parties,
    counted,
    day,
    empty_hits,
    first_appearances,
    hit_frame,
    hub_receipts,
    long_date,
    summarise,
    with_key,
)


def new_hub_parties(
    tx: pl.DataFrame,
    *,
    since: date = SINCE,
    hubs: tuple[str, ...] | list[str] = HUBS,
    seen: pl.DataFrame | None = None,
    start: date | None = None,
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag hub parties first seen on/after ``since`` that receive CHPL goods, when the data reach back before it.

    ``seen`` (each name's first date, see :func:`first_appearances`) and ``start`` (the run's first
    date) come from all of the run's records; without them ``tx`` must hold all of them. ``keys``
    holds name keys computed already (see :func:`with_key`).
    """
    tx = conform(tx)
    if seen is None:
        first = tx["date"].min()
        seen, start = first_appearances(tx), first if isinstance(first, date) else None
    if not isinstance(start, date) or start >= since:
        return empty_hits()
    keyed = with_key(seen, "name", "key", keys).filter(pl.col("key").is_not_null())
    first_seen = keyed.group_by("key").agg(pl.col("first_seen").min())
    receipts = hub_receipts(tx, hubs, keys).filter(pl.col("chpl"))
    found = summarise(receipts).join(first_seen, on="key").filter(pl.col("first_seen") >= since)
    detail = fmt(
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
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag party records in hubs incorporated on/after ``since``; stronger when they receive CHPL goods in ``tx``."""
    rows = conform_parties(parties).filter((pl.col("incorporated") >= since) & pl.col("country").is_in(list(hubs)))
    if rows.height == 0:
        return empty_hits()
    rows = with_key(rows, "name", "key", keys)
    chpl_keys = hub_receipts(conform(tx), hubs, keys).filter(pl.col("chpl")) if tx is not None else None
    got = chpl_keys.select("key").unique().with_columns(chpl=pl.lit(True)) if chpl_keys is not None else None
    rows = rows.join(got, on="key", how="left") if got is not None else rows.with_columns(chpl=pl.lit(None))
    rows = rows.with_columns(chpl=pl.col("chpl").fill_null(False)).sort("key", "incorporated", "record_id")
    rows = rows.unique(subset="key", keep="first", maintain_order=True)
    detail = fmt(
        "{} ({}) was incorporated on {}, after {}{}",
        pl.col("name"),
        pl.col("country"),
        day("incorporated"),
        pl.lit(long_date(since)),
        pl.when(pl.col("chpl")).then(pl.lit("; it receives CHPL goods in this run")).otherwise(pl.lit("")),
    )
    return hit_frame(rows, pl.when(pl.col("chpl")).then(1.0).otherwise(0.6), detail, party="name")


def chpl_without_history(
    tx: pl.DataFrame,
    *,
    since: date = SINCE,
    hubs: tuple[str, ...] | list[str] = HUBS,
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag hub parties that received only non-CHPL goods before ``since`` and CHPL goods after it.

    Rows of non-CHPL goods may be pre-aggregated (``n_records`` records, ``date`` the first of them).
    """
    receipts = counted(hub_receipts(conform(tx), hubs, keys))
    before = (
        receipts.filter(pl.col("date") < since)
        .group_by("key")
        .agg(
            pl.col(COUNT).sum().alias("n_before"),
            pl.col("chpl").any().alias("chpl_before"),
            pl.col("date").min().alias("first_before"),
        )
        .filter(~pl.col("chpl_before"))
    )
    after = receipts.filter(pl.col("date") >= since)
    chpl_records = (pl.col("chpl").cast(pl.Int64) * pl.col(COUNT)).sum()
    share = after.group_by("key").agg((chpl_records / pl.col(COUNT).sum()).alias("share"))
    found = summarise(after.filter(pl.col("chpl"))).join(before, on="key").join(share, on="key")
    detail = fmt(
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
