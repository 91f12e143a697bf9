"""ENTITY-007: the same shipment declared again, late, with another consignee or destination.

FinCEN/BIS Joint Alert FIN-2022-Alert003 (28 June 2022) names "last-minute changes to shipping
instructions that appear contrary to customer history" as a red flag. Records carry no link
between a declaration and its amendment, so the heuristic is: two records with the same shipper
(normalised name), HS-6, quantity and value (to the cent), consecutive in date within ``days``
days, whose consignee (normalised name) or destination differs, the later one pointing to a transit
hub, Russia or Belarus. Only consecutive declarations of a group are compared, so the cost stays
linear; a correction that changes only the date, or a change away from the hubs, is not flagged.
Identical repeat orders to different buyers inside the window would be flagged too.
"""

from __future__ import annotations

import polars as pl

from screening.frames import fmt
from screening.trade.redflags import HUBS, ONWARD, conform, day, empty_hits, hit_frame, with_key

_SAME: tuple[str, ...] = ("shipper_key", "hs6", "_qty", "_value")
_PREVIOUS: tuple[str, ...] = ("record_id", "date", "consignee", "consignee_key", "_dest")


def repeats() -> tuple[pl.Expr, pl.Expr]:
    """Return the rows that can be declarations (shipper, HS-6 and value known) and the key a repeat shares."""
    usable = pl.col("shipper").is_not_null() & pl.col("hs6").is_not_null() & pl.col("value").is_not_null()
    key = pl.struct(pl.col("hs6"), _qty=pl.col("quantity").round(3).fill_null(-1.0), _value=pl.col("value").round(2))
    return usable, key


def late_changes(
    tx: pl.DataFrame,
    *,
    days: int = 30,
    hubs: tuple[str, ...] | list[str] = HUBS,
    destinations: tuple[str, ...] | list[str] = ONWARD,
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag re-declared shipments whose later version names another consignee or destination in a hub or RU/BY."""
    usable, key = repeats()
    rows = (
        conform(tx)
        .filter(usable)
        .with_columns(key.struct.field("_qty", "_value"))
        # a re-declaration repeats goods, quantity and value to the cent: only such rows can pair up,
        # so the names are normalised and sorted for a small share of the records
        .filter(pl.len().over("hs6", "_qty", "_value") > 1)
    )
    if rows.height == 0:
        return empty_hits()
    rows = with_key(with_key(rows, "shipper", "shipper_key", keys), "consignee", "consignee_key", keys)
    rows = rows.with_columns(
        _dest=pl.coalesce(pl.col("destination_country"), pl.col("consignee_country")),
    ).sort(*_SAME, "date", "record_id", nulls_last=True)
    rows = rows.with_columns([pl.col(c).shift(1).over(_SAME).alias(f"prev_{c}") for c in _PREVIOUS])
    gap = (pl.col("date") - pl.col("prev_date")).dt.total_days()
    changed = pl.col("consignee_key").ne_missing(pl.col("prev_consignee_key")) | pl.col("_dest").ne_missing(
        pl.col("prev__dest")
    )
    points = pl.col("_dest").is_in([*hubs, *destinations]) | pl.col("consignee_country").is_in([*hubs, *destinations])
    found = rows.filter(pl.col("prev_record_id").is_not_null() & (gap <= days) & changed & points.fill_null(False))
    found = found.with_columns(party=pl.coalesce(pl.col("consignee"), pl.col("_dest")))
    found = found.unique(subset=pl.coalesce("consignee_key", "_dest"), keep="first", maintain_order=True)
    before = fmt("{} on {} to {} ({})", *_side("prev_record_id", "prev_date", "prev_consignee", "prev__dest"))
    after = fmt("{} on {} to {} ({})", *_side("record_id", "date", "consignee", "_dest"))
    detail = fmt(
        "{} declared the same shipment (HS {}, quantity {}, value {} {}) twice: {}, then {}",
        pl.col("shipper"),
        pl.col("hs6"),
        pl.col("quantity").fill_null("?"),
        pl.col("value"),
        pl.col("currency").fill_null(""),
        before,
        after,
    )
    score = pl.when(pl.col("_dest").is_in(list(destinations))).then(1.0).otherwise(0.8)
    return hit_frame(found, score, detail)


def _side(record: str, when: str, consignee: str, dest: str) -> list[pl.Expr]:
    """Return the record id, date, consignee and destination of one declaration, unknowns as '?'."""
    return [pl.col(record), day(when), pl.col(consignee).fill_null("?"), pl.col(dest).fill_null("?")]
