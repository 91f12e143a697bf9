"""Entity red-flag kinds (ENTITY-001…007): run-level checks over a run's stored transactions and parties.

Each kind returns a :class:`RunCheck` that reads this run's records from the store and calls the
pure functions of ``screening.trade.redflags_*``. Every rule gives at most one hit per party:
``record_id`` is the party's first offending record, ``party`` the name as written there.

A ledger has millions of records, so each rule reads only those that can change its result, and
lets the store count the rest: the records of CHPL goods (read once per run, shared), each name's
first date, non-CHPL hub receipts and onward shipments or payments counted per party, each
(consignee, contact) pair's first record, and records that may repeat another's goods and value.
The hits are the same as over all records (the reads are in :mod:`screening.kinds.redflag_reads`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl

from screening.kinds.base import RunCheck, ScanContext, Score, ScorerName, run_records
from screening.kinds.names import watchlist_index
from screening.kinds.redflag_reads import (
    chpl_records,
    contact_records,
    first_seen,
    hub_other_goods,
    late_candidates,
    name_keys_once,
    onward_counts,
)
from screening.names import match_index
from screening.names.model import DEFAULT_SCORER, named_scorer
from screening.trade.redflags import (
    HUBS,
    ONWARD,
    REDFLAG_HITS,
    SINCE,
    counted,
)
from screening.trade.redflags_changes import late_changes
from screening.trade.redflags_contacts import contacts, forwarder_end_users, neighbours, shared_contacts
from screening.trade.redflags_links import BANK_COLUMNS, russian_links, settlement_flags
from screening.trade.redflags_new import chpl_without_history, new_hub_parties, new_incorporations


def _day(value: str | date) -> date:
    """Return a rule's date parameter as a date (YAML gives dates, strings are ISO)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _places(value: list[str] | None, default: tuple[str, ...]) -> list[str]:
    """Return a country list parameter, or the default group."""
    return list(default if value is None else value)


def _finish(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Return hits from several parts in one frame with the red-flag hit columns."""
    return pl.concat([pl.DataFrame(schema=REDFLAG_HITS), *frames])


def entity_new_party(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-001: hub parties new since ``since`` receiving CHPL goods, or incorporated since then."""
    cut, places = _day(since), _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        (seen, start), chpl, keys = first_seen(ctx), chpl_records(ctx), name_keys_once(ctx)
        goods = new_hub_parties(chpl, since=cut, hubs=places, seen=seen, start=start, keys=keys)
        founded = new_incorporations(run_records(ctx, "parties"), chpl, since=cut, hubs=places, keys=keys)
        return _finish([goods, founded])

    return RunCheck(run=run)


def entity_chpl_without_history(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-002: hub parties that moved from ordinary goods to CHPL goods after ``since``."""
    cut, places = _day(since), _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        goods = pl.concat([counted(chpl_records(ctx)), hub_other_goods(ctx, cut, places)], how="diagonal_relaxed")
        return chpl_without_history(goods, since=cut, hubs=places, keys=name_keys_once(ctx))

    return RunCheck(run=run)


def entity_russian_links(
    *, hubs: list[str] | None = None, destinations: list[str] | None = None, bank_countries: list[str] | None = None
) -> RunCheck:
    """Return ENTITY-003: hub parties receiving CHPL goods that ship to, or are paid from, Russia or Belarus."""
    places, onward = _places(hubs, HUBS), _places(destinations, ONWARD)
    banks = _places(bank_countries, ("RU", "BY"))

    def run(ctx: ScanContext) -> pl.DataFrame:
        shipments, payments = onward_counts(ctx, onward, banks)
        return russian_links(
            chpl_records(ctx),
            hubs=places,
            destinations=onward,
            bank_countries=banks,
            shipments=shipments,
            payments=payments,
            keys=name_keys_once(ctx),
        )

    return RunCheck(run=run)


def entity_shared_contacts(
    *,
    min_parties: int = 3,
    hubs: list[str] | None = None,
    listed_threshold: Score | Literal["scorer"] | None = "scorer",
    scorer: ScorerName = DEFAULT_SCORER,
) -> RunCheck:
    """Return ENTITY-004: hub parties sharing an address, phone or director with others or with a listed party.

    ``listed_threshold``: the name score a listed party's match needs ("scorer": the scorer's own; None: no check).
    """
    if min_parties < 2:
        raise ValueError(f"min_parties must be at least 2, got {min_parties}")
    places = _places(hubs, HUBS)
    model = named_scorer(scorer)
    cut = None if listed_threshold == "scorer" else listed_threshold

    def run(ctx: ScanContext) -> pl.DataFrame:
        tx, parties = contact_records(ctx, places), run_records(ctx, "parties")
        long = contacts(tx, parties, name_keys_once(ctx))
        listed = None
        if listed_threshold is not None:
            names = neighbours(tx, hubs=places, long=long)
            queries = pl.DataFrame({"id": names, "name": names})
            matches = match_index(queries, watchlist_index(ctx), cut, 1, model)
            listed = matches.select(pl.col("query_id").alias("party"), pl.col("matched_name").alias("listed_as"))
        return shared_contacts(tx, hubs=places, min_parties=min_parties, listed=listed, long=long)

    return RunCheck(run=run)


def entity_forwarder_end_user(*, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-005: hub consignees named like freight forwarders that receive CHPL goods."""
    places = _places(hubs, HUBS)
    return RunCheck(run=lambda ctx: forwarder_end_users(chpl_records(ctx), hubs=places, keys=name_keys_once(ctx)))


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
            chpl_records(ctx), currencies=money, hubs=places, destinations=onward, banks=via, keys=name_keys_once(ctx)
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
            late_candidates(ctx), days=days, hubs=places, destinations=onward, keys=name_keys_once(ctx)
        )
    )
