"""Entity red-flag kinds (ENTITY-001…007): run-level checks over a run's stored transactions and parties.

Each kind returns a :class:`RunCheck` that reads this run's records with :func:`run_records` and
calls the pure functions of ``screening.trade.redflags_*``. Every rule gives at most one hit per
party: ``record_id`` is the party's first offending record, ``party`` the name as written there.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from screening.kinds.base import RunCheck, ScanContext, run_records
from screening.kinds.names import watchlist_index
from screening.names import DEFAULT_THRESHOLD, match_index
from screening.trade.redflags import HUBS, ONWARD, REDFLAG_HITS, SINCE, conform
from screening.trade.redflags_changes import late_changes
from screening.trade.redflags_contacts import forwarder_end_users, neighbours, shared_contacts
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


def _transactions(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's transactions, read and conformed once per run and shared by the red-flag rules.

    Conformed once (one chunk, every column), the rules' own ``conform`` calls copy nothing.
    """
    frame: pl.DataFrame = ctx.cached(
        "redflags_transactions", lambda: conform(run_records(ctx, "transactions", COLUMNS))
    )
    return frame


def _finish(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Return hits from several parts in one frame with the red-flag hit columns."""
    return pl.concat([pl.DataFrame(schema=REDFLAG_HITS), *frames])


def entity_new_party(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-001: hub parties new since ``since`` receiving CHPL goods, or incorporated since then."""
    cut, places = _day(since), _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        tx = _transactions(ctx)
        goods = new_hub_parties(tx, since=cut, hubs=places)
        founded = new_incorporations(run_records(ctx, "parties"), tx, since=cut, hubs=places)
        return _finish([goods, founded])

    return RunCheck(run=run)


def entity_chpl_without_history(*, since: str | date = SINCE, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-002: hub parties that moved from ordinary goods to CHPL goods after ``since``."""
    cut, places = _day(since), _places(hubs, HUBS)
    return RunCheck(run=lambda ctx: chpl_without_history(_transactions(ctx), since=cut, hubs=places))


def entity_russian_links(
    *, hubs: list[str] | None = None, destinations: list[str] | None = None, bank_countries: list[str] | None = None
) -> RunCheck:
    """Return ENTITY-003: hub parties receiving CHPL goods that ship to, or are paid from, Russia or Belarus."""
    places, onward = _places(hubs, HUBS), _places(destinations, ONWARD)
    banks = _places(bank_countries, ("RU", "BY"))

    def run(ctx: ScanContext) -> pl.DataFrame:
        return russian_links(_transactions(ctx), hubs=places, destinations=onward, bank_countries=banks)

    return RunCheck(run=run)


def entity_shared_contacts(
    *, min_parties: int = 3, hubs: list[str] | None = None, listed_threshold: float | None = DEFAULT_THRESHOLD
) -> RunCheck:
    """Return ENTITY-004: hub parties sharing an address, phone or director with others or with a listed party."""
    if min_parties < 2:
        raise ValueError(f"min_parties must be at least 2, got {min_parties}")
    places = _places(hubs, HUBS)

    def run(ctx: ScanContext) -> pl.DataFrame:
        tx, parties = _transactions(ctx), run_records(ctx, "parties")
        listed = None
        if listed_threshold is not None:
            names = neighbours(tx, parties, hubs=places)
            matches = match_index(pl.DataFrame({"id": names, "name": names}), watchlist_index(ctx), listed_threshold, 1)
            listed = matches.select(pl.col("query_id").alias("party"), pl.col("matched_name").alias("listed_as"))
        return shared_contacts(tx, parties, hubs=places, min_parties=min_parties, listed=listed)

    return RunCheck(run=run)


def entity_forwarder_end_user(*, hubs: list[str] | None = None) -> RunCheck:
    """Return ENTITY-005: hub consignees named like freight forwarders that receive CHPL goods."""
    places = _places(hubs, HUBS)
    return RunCheck(run=lambda ctx: forwarder_end_users(_transactions(ctx), hubs=places))


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
        return settlement_flags(_transactions(ctx), currencies=money, hubs=places, destinations=onward, banks=via)

    return RunCheck(run=run)


def entity_late_change(
    *, days: int = 30, hubs: list[str] | None = None, destinations: list[str] | None = None
) -> RunCheck:
    """Return ENTITY-007: a shipment declared again within ``days`` with a new consignee or destination."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days}")
    places, onward = _places(hubs, HUBS), _places(destinations, ONWARD)
    return RunCheck(run=lambda ctx: late_changes(_transactions(ctx), days=days, hubs=places, destinations=onward))
