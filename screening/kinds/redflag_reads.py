"""The entity red flags' reads of a run's records: only the rows, or the store's counts, that can change a hit.

A ledger has millions of records, so each ENTITY rule reads what can change its result and lets
the store count the rest: the records of CHPL goods (read once per run, shared), each name's
first date, non-CHPL hub receipts and onward shipments or payments counted per party, each
(consignee, contact) pair's first record, and records that may repeat another's goods and value.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import polars as pl

from screening.kinds.base import ScanContext, run_records
from screening.schema import TRANSACTION_COLUMNS
from screening.trade.redflags import (
    APPEARANCE_COLUMNS,
    COUNT,
    bic_sql,
    chpl_sql,
    conform,
    hub_sql,
    party_keys,
    sql_list,
)
from screening.trade.redflags_changes import repeats

# The transaction columns the red flags read (descriptions, vessels and routes they do not).
COLUMNS: Final = (
    "record_id", "source_file", "line", "date", "hs_code", "hs6", "shipper", "consignee", "notify_party",
    "originator", "beneficiary", "originator_bank", "beneficiary_bank", "intermediary_bank", "shipper_country",
    "consignee_country", "destination_country", "value", "currency", "quantity", "address", "phone",
)  # fmt: skip
# Where a hub consignee gets its goods: the columns of hub_receipts.
RECEIPT_COLUMNS: Final = ("consignee", "beneficiary", "consignee_country", "beneficiary_bank")


def _query(ctx: ScanContext, sql: str, schema: dict[str, pl.DataType], *more: Any) -> pl.DataFrame:
    """Return the result of a query over this run's records (``$1`` is the run id, then ``more``), typed."""
    if ctx.store is None:
        return pl.DataFrame(schema=schema)
    frame: pl.DataFrame = ctx.store.frame(sql, [ctx.run_id, *more])
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def _typed(*columns: str, n: bool = True) -> dict[str, pl.DataType]:
    """Return the canonical types of transaction columns, plus the record count when ``n``."""
    return {**{c: TRANSACTION_COLUMNS[c] for c in columns}, **({COUNT: pl.Int64()} if n else {})}


def chpl_records(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's records of CHPL goods (a small share of a ledger), read once and shared by the rules."""
    frame: pl.DataFrame = ctx.cached(
        "redflags_chpl", lambda: conform(run_records(ctx, "transactions", COLUMNS, where=chpl_sql()))
    )
    return frame


def first_seen(ctx: ScanContext) -> tuple[pl.DataFrame, date | None]:
    """Return each name's first date in any role (grouped in the store), and the run's first date; once per run."""
    found: tuple[pl.DataFrame, date | None] = ctx.cached("redflags_seen", lambda: _read_first_seen(ctx))
    return found


def name_keys_once(ctx: ScanContext) -> pl.DataFrame:
    """Return the party key of every name in the run's transactions, normalised once per run and shared."""
    keys: pl.DataFrame = ctx.cached("redflags_keys", lambda: party_keys(first_seen(ctx)[0]["name"]))
    return keys


def _read_first_seen(ctx: ScanContext) -> tuple[pl.DataFrame, date | None]:
    """Return each name's first date in any role and the run's first date, grouped in the store."""
    roles = " UNION ALL ".join(
        f"SELECT {c} AS name, min(date) AS first FROM transactions WHERE run_id = $1 AND {c} IS NOT NULL GROUP BY 1"
        for c in APPEARANCE_COLUMNS
    )
    seen = _query(
        ctx,
        f"SELECT name, min(first) AS first_seen FROM ({roles}) GROUP BY name",
        {"name": pl.String(), "first_seen": pl.Date()},
    )
    first = _query(ctx, "SELECT min(date) AS date FROM transactions WHERE run_id = $1", {"date": pl.Date()})
    start = first["date"].item() if first.height else None
    return seen, start


def hub_other_goods(ctx: ScanContext, since: date, hubs: list[str]) -> pl.DataFrame:
    """Return hub receipts of non-CHPL goods counted per party, country, bank and side of ``since`` (first date)."""
    keys = ", ".join(RECEIPT_COLUMNS)
    sql = (
        f"SELECT {keys}, min(date) AS date, count(*) AS {COUNT} FROM transactions "
        f"WHERE run_id = $1 AND {hub_sql(hubs)} AND NOT {chpl_sql()} GROUP BY {keys}, date < DATE '{since.isoformat()}'"
    )
    return _query(ctx, sql, _typed(*RECEIPT_COLUMNS, "date"))


def onward_counts(ctx: ScanContext, destinations: list[str], banks: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return shipments to ``destinations`` counted per shipper and goods, and payments from banks in ``banks``."""
    ship = ("shipper", "destination_country", "consignee_country", "hs_code", "hs6")
    where = f"coalesce(destination_country, consignee_country) IN {sql_list(destinations)} AND shipper IS NOT NULL"
    shipments = _query(
        ctx,
        f"SELECT {', '.join(ship)}, min(date) AS date, count(*) AS {COUNT} FROM transactions "
        f"WHERE run_id = $1 AND {where} GROUP BY ALL",
        _typed(*ship, "date"),
    )
    pay = ("beneficiary", "originator_bank")
    payments = _query(
        ctx,
        f"SELECT {', '.join(pay)}, count(*) AS {COUNT} FROM transactions WHERE run_id = $1 AND beneficiary IS NOT NULL "
        f"AND {bic_sql('originator_bank', banks)} GROUP BY ALL",
        _typed(*pay),
    )
    return shipments, payments


def contact_records(ctx: ScanContext, hubs: list[str]) -> pl.DataFrame:
    """Return the records ENTITY-004 depends on: per consignee and address (or phone) the first, and the first in a hub.

    Only the first record of a (party, contact) pair and whether one sits in a hub change the rule's
    result, so a handful of records per pair stand for millions; a row keeps only its own contact.
    """
    first = "arg_min({'record_id': record_id, 'source_file': source_file, 'line': line, 'date': date, "
    first += "'consignee_country': consignee_country}, (date IS NULL, coalesce(date, DATE '1970-01-01'), record_id))"
    picks = []
    for kind in ("address", "phone"):
        # one contact per row, the other null, in the same column order for UNION ALL
        both = "address, NULL AS phone" if kind == "address" else "NULL AS address, phone"
        in_hub = f"FILTER (WHERE consignee_country IN {sql_list(hubs)})"
        grouped = (
            f"SELECT consignee, {kind}, {first} AS a, {first} {in_hub} AS h "
            f"FROM transactions WHERE run_id = $1 AND consignee IS NOT NULL AND {kind} IS NOT NULL GROUP BY ALL"
        )
        for pick in ("a", "h"):
            picks.append(f"SELECT {pick}.*, consignee, {both} FROM ({grouped}) WHERE {pick} IS NOT NULL")
    columns = ("record_id", "source_file", "line", "date", "consignee_country", "consignee", "address", "phone")
    sql = f"SELECT DISTINCT {', '.join(columns)} FROM ({' UNION ALL '.join(picks)})"
    return _query(ctx, sql, _typed(*columns, n=False))


def late_candidates(ctx: ScanContext) -> pl.DataFrame:
    """Return the records ENTITY-007 may pair: those whose goods, quantity and value another record repeats.

    Only the key columns of the run's records are read (and a hash of the key compared), then the
    whole of the few candidate records; a hash collision only adds a record the rule then drops.
    """
    _, key = repeats()
    columns = {"row": pl.Int64(), **_typed("hs6", "quantity", "value", n=False)}
    usable = "shipper IS NOT NULL AND hs6 IS NOT NULL AND value IS NOT NULL"  # as repeats() says
    sql = f"SELECT rowid AS row, hs6, quantity, value FROM transactions WHERE run_id = $1 AND {usable}"
    rows = _query(ctx, sql, columns).filter(key.hash().is_duplicated())["row"]
    # rowid is the store's own row number: it stays put while the run is read
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    sql = f"SELECT {names} FROM transactions WHERE run_id = $1 AND rowid IN (SELECT unnest($2::BIGINT[]))"
    return conform(_query(ctx, sql, _typed(*COLUMNS, n=False), rows.to_list()))
