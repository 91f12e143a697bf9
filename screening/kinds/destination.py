"""Destination kinds: goods bound for Russia, Belarus or occupied regions, or CHPL goods to transit hubs."""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.goods.reference import chpl
from screening.kinds.base import Check, row_check

_GOODS: Final = ("any", "chpl")


def destination_country(
    *,
    countries: list[str],
    goods: str = "any",
    fields: list[str] | None = None,
) -> Check:
    """Flag records whose destination (or consignee country) is in a list, optionally only for CHPL goods."""
    if goods not in _GOODS:
        raise ValueError(f"goods must be one of {', '.join(_GOODS)}, got '{goods}'")
    columns = fields or ["destination_country", "consignee_country"]
    dest = pl.coalesce([pl.col(c) for c in columns])
    chpl6 = set(chpl()["hs6"].to_list()) | set(chpl()["hs6_hs2017"].to_list())
    wanted = dest.is_in(countries)
    if goods == "chpl":
        wanted = wanted & pl.col("hs6").is_in(list(chpl6))
    what = fmt("HS {}", pl.col("hs6")) if goods == "chpl" else pl.coalesce(fmt("HS {}", pl.col("hs6")), pl.lit("goods"))
    label = "CHPL goods" if goods == "chpl" else "shipment"
    detail = fmt(
        "{} to {} ({} → {}): {}",
        pl.lit(label),
        dest,
        pl.coalesce(pl.col("origin_country"), pl.col("shipper_country"), pl.lit("?")),
        dest,
        what,
    )
    party = pl.coalesce(pl.col("consignee"), pl.col("shipper"))
    needs = (*columns, "hs6", "origin_country", "shipper_country")
    return row_check(needs, pl.when(wanted).then(1.0).otherwise(0.0), detail, None, party)
