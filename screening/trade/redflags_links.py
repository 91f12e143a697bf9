"""ENTITY-003 and ENTITY-006: hub parties tied to Russia or Belarus, and payments that settle oddly.

FinCEN/BIS Joint Alert FIN-2022-Alert003 (28 June 2022) and its supplement FIN-2023-NCCSUPP-01
(19 May 2023) name as red flags: a customer that ships onward to, or is paid by, Russian or
Belarusian parties; payments for CHPL items in a currency neither party uses at home, or routed
through banks in a third country that is neither the exporter's nor the importer's.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.trade.places import bic_country
from screening.trade.redflags import (
    COUNT,
    HUBS,
    ONWARD,
    chpl_flag,
    conform,
    consignee_country,
    counted,
    day,
    empty_hits,
    goods_code,
    hit_frame,
    hub_receipts,
    summarise,
    with_key,
)

# A payment message names up to three intermediary agents (issue 21); each is a bank the money passes.
BANK_COLUMNS: Final = (
    "originator_bank", "beneficiary_bank", "intermediary_bank", "intermediary_bank_2", "intermediary_bank_3",
)  # fmt: skip
# Clearing banks of the euro: an intermediary there is ordinary for a EUR payment.
EUROZONE: Final = (
    "AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT",
    "NL", "PT", "SI", "SK",
)  # fmt: skip


def russian_links(
    tx: pl.DataFrame,
    *,
    hubs: tuple[str, ...] | list[str] = HUBS,
    destinations: tuple[str, ...] | list[str] = ONWARD,
    bank_countries: tuple[str, ...] | list[str] = ("RU", "BY"),
    shipments: pl.DataFrame | None = None,
    payments: pl.DataFrame | None = None,
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag hub parties receiving CHPL goods that also ship to ``destinations`` or are paid from their banks.

    Onward shipments and payments are looked for in ``shipments`` and ``payments`` (default ``tx``),
    whose rows may be pre-aggregated (``n_records`` records, ``date`` the first of them).
    """
    received = summarise(hub_receipts(conform(tx), hubs, keys).filter(pl.col("chpl")))
    if received.height == 0:
        return empty_hits()
    dest = pl.coalesce(pl.col("destination_country"), pl.col("consignee_country"))
    sent = counted(conform(tx if shipments is None else shipments))
    shipped = sent.filter(dest.is_in(list(destinations)) & pl.col("shipper").is_not_null())
    shipped = with_key(shipped, "shipper", "key", keys)
    shipped = shipped.group_by("key").agg(
        pl.col(COUNT).sum().alias("n_ship"),
        pl.col("date").min().alias("first_ship"),
        dest.unique().sort().str.join("/").alias("to"),
        chpl_flag().any().alias("onward_chpl"),
    )
    payer = bic_country(pl.col("originator_bank"))
    money = counted(conform(tx if payments is None else payments))
    paid = with_key(
        money.filter(payer.is_in(list(bank_countries)) & pl.col("beneficiary").is_not_null()),
        "beneficiary",
        "key",
        keys,
    )
    paid = paid.group_by("key").agg(
        pl.col(COUNT).sum().alias("n_paid"), payer.unique().sort().str.join("/").alias("from")
    )
    found = received.join(shipped, on="key", how="left").join(paid, on="key", how="left")
    found = found.filter(pl.col("n_ship").is_not_null() | pl.col("n_paid").is_not_null())
    ships = fmt("; ships to {} ({} record(s) from {})", pl.col("to"), pl.col("n_ship"), day("first_ship"))
    pays = fmt("; is paid through banks in {} ({} payment(s))", pl.col("from"), pl.col("n_paid"))
    detail = fmt(
        "{} ({}) receives CHPL goods ({}){}{}",
        pl.col("party"),
        pl.col("party_country"),
        pl.col("codes"),
        pl.when(pl.col("n_ship").is_not_null()).then(ships).otherwise(pl.lit("")),
        pl.when(pl.col("n_paid").is_not_null()).then(pays).otherwise(pl.lit("")),
    )
    both = pl.col("n_ship").is_not_null() & pl.col("n_paid").is_not_null()
    score = 0.8 + 0.1 * both.cast(pl.Float64) + 0.1 * pl.col("onward_chpl").fill_null(False).cast(pl.Float64)
    return hit_frame(found, score, detail)


def _bank_reason(column: str) -> pl.Expr:
    """Return why a bank is in a third country, null when it is not (or is an ordinary clearing bank)."""
    country = pl.col(f"{column}_country")
    third = country.is_not_null() & country.ne_missing(pl.col("seller")) & country.ne_missing(pl.col("buyer"))
    if column.startswith("intermediary_bank"):
        clearing = (country == pl.col("home")) | ((pl.col("currency") == "EUR") & country.is_in(EUROZONE))
        third = third & ~clearing.fill_null(False)
    label = column.replace("_", " ")
    return pl.when(third).then(fmt("{} {} is in {}, a third country", pl.lit(label), pl.col(column), country))


def settlement_flags(
    tx: pl.DataFrame,
    *,
    currencies: tuple[str, ...] | list[str] = ("CNY",),
    hubs: tuple[str, ...] | list[str] = HUBS,
    destinations: tuple[str, ...] | list[str] = ONWARD,
    banks: tuple[str, ...] | list[str] = BANK_COLUMNS,
    keys: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Flag CHPL goods to hubs or Russia/Belarus paid in a foreign ``currencies`` or through third-country banks."""
    places = [*hubs, *destinations]
    rows = (
        conform(tx)
        .filter(chpl_flag())
        .with_columns(
            seller=pl.coalesce(pl.col("shipper_country"), bic_country(pl.col("originator_bank"))),
            buyer=consignee_country(),
            home=pl.col("currency").str.slice(0, 2),  # ISO 4217: the first two letters name the issuing country
            **{f"{c}_country": bic_country(pl.col(c)) for c in banks},
        )
        .filter((pl.col("destination_country").is_in(places) | pl.col("buyer").is_in(places)).fill_null(False))
    )
    foreign = pl.col("currency").is_in(list(currencies)) & pl.col("seller").ne_missing(pl.col("home"))
    foreign = foreign & pl.col("buyer").ne_missing(pl.col("home"))
    said = pl.when(foreign).then(fmt("paid in {} though neither side is in {}", pl.col("currency"), pl.col("home")))
    reasons = pl.concat_list([said, *[_bank_reason(c) for c in banks]]).list.drop_nulls()
    rows = rows.with_columns(
        reasons=reasons,
        party=pl.coalesce(pl.col("consignee"), pl.col("beneficiary"), pl.lit("?")),
        party_country=pl.col("buyer"),
    ).filter(pl.col("reasons").list.len() > 0)
    if rows.height == 0:
        return empty_hits()
    rows = with_key(rows, "party", "key", keys)
    first = (
        rows.sort("key", "date", "record_id", nulls_last=True)
        .group_by("key", maintain_order=True)
        .agg(pl.all().first(), pl.len().alias("n"))
    )
    detail = fmt(
        "CHPL goods ({}) from {} to {} ({}): {} ({} record(s))",
        goods_code(),
        pl.col("seller").fill_null("?"),
        pl.col("party"),
        pl.col("party_country").fill_null("?"),
        pl.col("reasons").list.join("; "),
        pl.col("n"),
    )
    return hit_frame(first, 0.55 + 0.15 * pl.col("reasons").list.len(), detail)
