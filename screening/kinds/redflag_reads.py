"""The entity red flags' reads of a run's records: only the rows, or the store's counts, that can change a hit.

A ledger has millions of records, so each ENTITY rule reads what can change its result and lets
the store count the rest: the records of CHPL goods (read once per run, shared), each name's
first date, non-CHPL hub receipts and onward shipments or payments counted per party, each
(consignee, contact) pair's first record, and records that may repeat another's goods and value.

Each read is one SQL query in the dialect of whoever answers it: the store's DuckDB over
``transactions WHERE run_id = $1``, or, when an engine sets ``ctx.tables`` (Spark), Spark SQL over
the view ``screening_transactions`` of this run's staged records; the dialects differ only in
the few pieces of :class:`screening.sql.Dialect`. Either way a read returns the
same typed polars frame, sorted so that both engines give the same rows in the same order (ties
between records broken by date, nulls last, then record id, file and line).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

import polars as pl

from screening.kinds.base import Resource, ScanContext
from screening.schema import TRANSACTION_COLUMNS
from screening.sql import DUCKDB, SPARK, Dialect
from screening.trade.redflags import (
    APPEARANCE_COLUMNS,
    COUNT,
    bic_sql,
    chpl_sql,
    conform,
    hub_sql,
    party_keys,
)
from screening.trade.redflags_changes import repeats

# The transaction columns the red flags read (descriptions, vessels and routes they do not).
COLUMNS: Final = (
    "record_id", "source_file", "line", "date", "hs_code", "hs6", "shipper", "consignee", "notify_party",
    "originator", "beneficiary", "originator_bank", "beneficiary_bank", "intermediary_bank", "intermediary_bank_2",
    "intermediary_bank_3", "shipper_country", "consignee_country", "destination_country", "value", "currency",
    "quantity", "address", "phone",
)  # fmt: skip
# Where a hub consignee gets its goods: the columns of hub_receipts.
RECEIPT_COLUMNS: Final = ("consignee", "beneficiary", "consignee_country", "beneficiary_bank")
# The registered frame of the rows ENTITY-007 reads whole.
ROWS: Final = "screening_repeat_rows"


def dialect(ctx: ScanContext) -> Dialect:
    """Return the dialect of whoever answers this context's reads."""
    return SPARK if ctx.tables is not None else DUCKDB


def read_query(
    ctx: ScanContext,
    sql: str,
    schema: dict[str, pl.DataType],
    order: tuple[str, ...] = (),
    views: Mapping[str, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Return the result of a query over this run's records, typed and sorted by ``order`` (else every column).

    ``views`` are small frames the query may name (a broadcast view on Spark, a registered frame in DuckDB).
    """
    if ctx.tables is not None:
        frame = ctx.tables.frame(sql, views)
    elif ctx.store is None:
        return pl.DataFrame(schema=schema)
    else:
        frame = stored_query(ctx, sql, views)
    return _cast(frame, schema).sort(list(order or schema), nulls_last=True, maintain_order=True)


def stored_query(ctx: ScanContext, sql: str, views: Mapping[str, pl.DataFrame] | None = None) -> pl.DataFrame:
    """Return a DuckDB query's result over this run's stored records (``$1``: the run id), ``views`` registered."""
    store = ctx.store
    if store is None:
        raise ValueError("stored_query needs a store")
    small = dict(views or {})
    for name, frame in small.items():
        store.con.register(name, frame.to_arrow())
    try:
        found: pl.DataFrame = store.frame(sql, [ctx.run_id])
    finally:
        for name in small:
            store.con.unregister(name)
    return found


def _cast(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return the frame's columns of ``schema``, cast to their types."""
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def typed_columns(*columns: str, n: bool = True) -> dict[str, pl.DataType]:
    """Return the canonical types of transaction columns, plus the record count when ``n``."""
    return {**{c: TRANSACTION_COLUMNS[c] for c in columns}, **({COUNT: pl.Int64()} if n else {})}


def chpl_records(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's records of CHPL goods (a small share of a ledger), read once and shared by the rules."""
    return ctx.resource(CHPL_RECORDS)


def _read_chpl(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's records of CHPL goods in file and line order."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM {dialect(ctx).records(chpl_sql())}"
    return read_query(ctx, sql, typed_columns(*COLUMNS, n=False), order=("source_file", "line"))


def first_seen(ctx: ScanContext) -> tuple[pl.DataFrame, date | None]:
    """Return each name's first date in any role (grouped in the store), and the run's first date; once per run."""
    return ctx.resource(FIRST_SEEN)


def name_keys_once(ctx: ScanContext) -> pl.DataFrame:
    """Return the party key of every name in the run's transactions, normalised once per run and shared."""
    return ctx.resource(NAME_KEYS)


def _read_first_seen(ctx: ScanContext) -> tuple[pl.DataFrame, date | None]:
    """Return each name's first date in any role and the run's first date, grouped in the store."""
    sql = dialect(ctx)
    roles = " UNION ALL ".join(
        f"SELECT {c} AS name, min(date) AS first FROM {sql.records(f'{c} IS NOT NULL')} GROUP BY 1"
        for c in APPEARANCE_COLUMNS
    )
    seen = read_query(
        ctx,
        f"SELECT name, min(first) AS first_seen FROM ({roles}) GROUP BY name",
        {"name": pl.String(), "first_seen": pl.Date()},
    )
    first = read_query(ctx, f"SELECT min(date) AS date FROM {sql.records()}", {"date": pl.Date()})
    start = first["date"].item() if first.height else None
    return seen, start


CHPL_RECORDS: Final = Resource("red flags: CHPL records", lambda ctx: conform(_read_chpl(ctx)))
FIRST_SEEN: Final = Resource("red flags: first seen", _read_first_seen)
NAME_KEYS: Final = Resource("red flags: name keys", lambda ctx: party_keys(first_seen(ctx)[0]["name"]))


def hub_other_goods(ctx: ScanContext, since: date, hubs: list[str]) -> pl.DataFrame:
    """Return hub receipts of non-CHPL goods counted per party, country, bank and side of ``since`` (first date)."""
    keys, sql = ", ".join(RECEIPT_COLUMNS), dialect(ctx)
    where = f"{hub_sql(hubs, sql)} AND NOT {chpl_sql()}"
    query = (
        f"SELECT {keys}, min(date) AS date, count(*) AS {COUNT} FROM {sql.records(where)} "
        f"GROUP BY {keys}, date < DATE '{since.isoformat()}'"
    )
    return read_query(ctx, query, typed_columns(*RECEIPT_COLUMNS, "date"))


def onward_counts(ctx: ScanContext, destinations: list[str], banks: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return shipments to ``destinations`` counted per shipper and goods, and payments from banks in ``banks``."""
    sql = dialect(ctx)
    ship = ("shipper", "destination_country", "consignee_country", "hs_code", "hs6")
    places = sql.strings(destinations)
    where = f"coalesce(destination_country, consignee_country) IN {places} AND shipper IS NOT NULL"
    shipments = read_query(
        ctx,
        f"SELECT {', '.join(ship)}, min(date) AS date, count(*) AS {COUNT} FROM {sql.records(where)} GROUP BY ALL",
        typed_columns(*ship, "date"),
    )
    pay = ("beneficiary", "originator_bank")
    where = f"beneficiary IS NOT NULL AND {bic_sql('originator_bank', banks, sql)}"
    payments = read_query(
        ctx, f"SELECT {', '.join(pay)}, count(*) AS {COUNT} FROM {sql.records(where)} GROUP BY ALL", typed_columns(*pay)
    )
    return shipments, payments


def contact_records(ctx: ScanContext, hubs: list[str]) -> pl.DataFrame:
    """Return the records ENTITY-004 depends on: per consignee and address (or phone) the first, and the first in a hub.

    Only the first record of a (party, contact) pair and whether one sits in a hub change the rule's
    result, so a handful of records per pair stand for millions; a row keeps only its own contact.
    """
    sql = dialect(ctx)
    first, in_hub = sql.first(), sql.first(only=f"consignee_country IN {sql.strings(hubs)}")
    groups, picks = [], []
    materialized = "" if sql.spark else "MATERIALIZED "  # both picks read one grouping (Spark reuses it itself)
    for kind in ("address", "phone"):
        # one contact per row, the other null, in the same column order for UNION ALL
        both = "address, NULL AS phone" if kind == "address" else "NULL AS address, phone"
        groups.append(
            f"by_{kind} AS {materialized}(SELECT consignee, {kind}, {first} AS a, {in_hub} AS h "
            f"FROM {sql.records(f'consignee IS NOT NULL AND {kind} IS NOT NULL')} GROUP BY ALL)"
        )
        picks += [f"SELECT {p}.*, consignee, {both} FROM by_{kind} WHERE {p} IS NOT NULL" for p in ("a", "h")]
    columns = ("record_id", "source_file", "line", "date", "consignee_country", "consignee", "address", "phone")
    query = f"WITH {', '.join(groups)} SELECT DISTINCT {', '.join(columns)} FROM ({' UNION ALL '.join(picks)})"
    return read_query(ctx, query, typed_columns(*columns, n=False))


def late_candidates(ctx: ScanContext) -> pl.DataFrame:
    """Return the records ENTITY-007 may pair: those whose goods, quantity and value another record repeats.

    Only the key columns of the run's records are read (and a hash of the key compared), then the
    whole of the few candidate records; a hash collision only adds a record the rule then drops.
    """
    _, key = repeats()
    usable = "shipper IS NOT NULL AND hs6 IS NOT NULL AND value IS NOT NULL"  # as repeats() says
    schema = typed_columns(*COLUMNS, n=False)
    if ctx.tables is not None:
        found = _cast(ctx.tables.repeated(COLUMNS, usable, key), schema)
    elif ctx.store is None:
        found = pl.DataFrame(schema=schema)
    else:
        # hashed batch by batch: a 100M-row run's keys at once took 8 GiB
        sql = f"SELECT rowid AS row, hs6, quantity, value FROM transactions WHERE run_id = $1 AND {usable}"
        keyed = typed_columns("hs6", "quantity", "value", n=False)
        hashed = [pl.DataFrame(schema={"row": pl.Int64(), "hash": pl.UInt64()})]
        hashed += [
            _cast(b, {"row": pl.Int64(), **keyed}).select("row", hash=key.hash())
            for b in ctx.store.batches(sql, [ctx.run_id])
        ]
        rows = pl.concat(hashed).filter(pl.col("hash").is_duplicated()).select("row")
        # rowid is the store's own row number: it stays put while the run is read
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        sql = f"SELECT {names} FROM transactions WHERE run_id = $1 AND rowid IN (SELECT row FROM {ROWS})"
        found = _cast(stored_query(ctx, sql, {ROWS: rows}), schema)
    return conform(found.sort("source_file", "line", nulls_last=True, maintain_order=True))
