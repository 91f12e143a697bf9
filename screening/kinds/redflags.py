"""Entity red-flag kinds (ENTITY-001…007): run-level checks over a run's stored transactions and parties.

Each kind returns a :class:`RunCheck` that reads this run's records from the store and calls the
pure functions of ``screening.trade.redflags_*``. Every rule gives at most one hit per party:
``record_id`` is the party's first offending record, ``party`` the name as written there.

A ledger has millions of records, so each rule reads only those that can change its result, and
lets the store count the rest: the records of CHPL goods (read once per run, shared), each name's
first date, non-CHPL hub receipts and onward shipments or payments counted per party, each
(consignee, contact) pair's first record, and records that may repeat another's goods and value.
The hits are the same as over all records.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import polars as pl

from screening.kinds.base import RunCheck, ScanContext, run_records
from screening.kinds.names import watchlist_index
from screening.names import DEFAULT_THRESHOLD, match_index
from screening.schema import TRANSACTION_COLUMNS
from screening.trade.redflags import (
    APPEARANCE_COLUMNS,
    COUNT,
    HUBS,
    ONWARD,
    REDFLAG_HITS,
    SINCE,
    bic_sql,
    chpl_sql,
    conform,
    counted,
    hub_sql,
    party_keys,
    sql_list,
)
from screening.trade.redflags_changes import late_changes, repeats
from screening.trade.redflags_contacts import contacts, forwarder_end_users, neighbours, shared_contacts
from screening.trade.redflags_links import BANK_COLUMNS, russian_links, settlement_flags
from screening.trade.redflags_new import chpl_without_history, new_hub_parties, new_incorporations


def _day(value: str | date) -> date:
    """Return a rule's date parameter as a date (YAML gives dates, strings are ISO)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _places(value: list[str] | None, default: tuple[str, ...]) -> list[str]:
    """Return a country list parameter, or the default group."""
    return list(default if value is None else value)


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


def _chpl(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's records of CHPL goods (a small share of a ledger), read once and shared by the rules."""
    frame: pl.DataFrame = ctx.cached(
        "redflags_chpl", lambda: conform(run_records(ctx, "transactions", COLUMNS, where=chpl_sql()))
    )
    return frame


def _first_seen(ctx: ScanContext) -> tuple[pl.DataFrame, date | None]:
    """Return each name's first date in any role (grouped in the store), and the run's first date; once per run."""
    found: tuple[pl.DataFrame, date | None] = ctx.cached("redflags_seen", lambda: _read_first_seen(ctx))
    return found


def _keys(ctx: ScanContext) -> pl.DataFrame:
    """Return the party key of every name in the run's transactions, normalised once per run and shared."""
    keys: pl.DataFrame = ctx.cached("redflags_keys", lambda: party_keys(_first_seen(ctx)[0]["name"]))
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


def _hub_other_goods(ctx: ScanContext, since: date, hubs: list[str]) -> pl.DataFrame:
    """Return hub receipts of non-CHPL goods counted per party, country, bank and side of ``since`` (first date)."""
    keys = ", ".join(RECEIPT_COLUMNS)
    sql = (
        f"SELECT {keys}, min(date) AS date, count(*) AS {COUNT} FROM transactions "
        f"WHERE run_id = $1 AND {hub_sql(hubs)} AND NOT {chpl_sql()} GROUP BY {keys}, date < DATE '{since.isoformat()}'"
    )
    return _query(ctx, sql, _typed(*RECEIPT_COLUMNS, "date"))


def _onward(ctx: ScanContext, destinations: list[str], banks: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
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


def _contact_records(ctx: ScanContext, hubs: list[str]) -> pl.DataFrame:
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


def _late_candidates(ctx: ScanContext) -> pl.DataFrame:
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


def _finish(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Return hits from several parts in one frame with the red-flag hit columns."""
    return pl.concat([pl.DataFrame(schema=REDFLAG_HITS), *frames])


def entity_new_party(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-001: hub parties new since ``since`` receiving CHPL goods, or incorporated since then."""
    cut, places = _day(since), _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        seen, start = _first_seen(ctx)
        goods = new_hub_parties(_chpl(ctx), since=cut, hubs=places, seen=seen, start=start, keys=_keys(ctx))
        founded = new_incorporations(run_records(ctx, "parties"), _chpl(ctx), since=cut, hubs=places, keys=_keys(ctx))
        return _finish([goods, founded])

    return RunCheck(run=run)


def entity_chpl_without_history(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-002: hub parties that moved from ordinary goods to CHPL goods after ``since``."""
    cut, places = _day(since), _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        goods = pl.concat([counted(_chpl(ctx)), _hub_other_goods(ctx, cut, places)], how="diagonal_relaxed")
        return chpl_without_history(goods, since=cut, hubs=places, keys=_keys(ctx))

    return RunCheck(run=run)


def entity_russian_links(
    *, hubs: list[str] | None = None, destinations: list[str] | None = None, bank_countries: list[str] | None = None
) -> RunCheck:
    """Return ENTITY-003: hub parties receiving CHPL goods that ship to, or are paid from, Russia or Belarus."""
    places, onward = _places(hubs, HUBS), _places(destinations, ONWARD)
    banks = _places(bank_countries, ("RU", "BY"))

    def run(ctx: ScanContext) -> pl.DataFrame:
        shipments, payments = _onward(ctx, onward, banks)
        return russian_links(
            _chpl(ctx),
            hubs=places,
            destinations=onward,
            bank_countries=banks,
            shipments=shipments,
            payments=payments,
            keys=_keys(ctx),
        )

    return RunCheck(run=run)


def entity_shared_contacts(
    *, min_parties: int = 3, hubs: list[str] | None = None, listed_threshold: float | None = DEFAULT_THRESHOLD
) -> RunCheck:
    """Return ENTITY-004: hub parties sharing an address, phone or director with others or with a listed party."""
    if min_parties < 2:
        raise ValueError(f"min_parties must be at least 2, got {min_parties}")
    places = _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        tx, parties = _contact_records(ctx, places), run_records(ctx, "parties")
        long = contacts(tx, parties, _keys(ctx))
        listed = None
        if listed_threshold is not None:
            names = neighbours(tx, hubs=places, long=long)
            matches = match_index(pl.DataFrame({"id": names, "name": names}), watchlist_index(ctx), listed_threshold, 1)
            listed = matches.select(pl.col("query_id").alias("party"), pl.col("matched_name").alias("listed_as"))
        return shared_contacts(tx, hubs=places, min_parties=min_parties, listed=listed, long=long)

    return RunCheck(run=run)


def entity_forwarder_end_user(*, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-005: hub consignees named like freight forwarders that receive CHPL goods."""
    places = _places(hubs, HUBS)
    return RunCheck(run=lambda ctx: forwarder_end_users(_chpl(ctx), hubs=places, keys=_keys(ctx)))


def entity_settlement(
    *,
    currencies: list[str] | None = None,
    hubs: list[str] | None = None,
    destinations: list[str] | None = None,
    banks: list[str] | None = None,
) -> RunCheck:
    """Return ENTITY-006: CHPL goods to hubs or Russia paid in a third currency or through third-country banks."""
    unknown = sorted(set(banks or ()) - set(BANK_COLUMNS))
    if unknown:
        raise ValueError(f"unknown bank columns {unknown}; valid: {', '.join(BANK_COLUMNS)}")
    money = _places(currencies, ("CNY",))
    places, onward, via = _places(hubs, HUBS), _places(destinations, ONWARD), _places(banks, BANK_COLUMNS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        return settlement_flags(
            _chpl(ctx), currencies=money, hubs=places, destinations=onward, banks=via, keys=_keys(ctx)
        )

    return RunCheck(run=run)


def entity_late_change(
    *, days: int = 30, hubs: list[str] | None = None, destinations: list[str] | None = None
) -> RunCheck:
    """Return ENTITY-007: a shipment declared again within ``days`` with a new consignee or destination."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days}")
    places, onward = _places(hubs, HUBS), _places(destinations, ONWARD)
    return RunCheck(
        run=lambda ctx: late_changes(
            _late_candidates(ctx), days=days, hubs=places, destinations=onward, keys=_keys(ctx)
        )
    )
