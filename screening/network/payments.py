"""Payment chains: money that reaches a Russian, Belarusian or listed party through hub intermediaries.

A payment is a transactions row with an originator, a beneficiary and a date (value, currency
and the banks are optional); a payment message's ultimate parties add legs to it
(:mod:`screening.network.legs`: ultimate debtor → debtor → creditor → ultimate creditor). Decisions:

- Party identity across payments is the normalised name (:func:`screening.network.keys.name_keys`):
  "OOO Romashka" and "ООО Ромашка" are one party, "Alfa Trade" and "Alfa Trading" are two. The key
  is exact, not fuzzy: a loan word spelled in Cyrillic ("Альфа Трейд") keys apart from "Alfa Trade".
- A party's country in a payment is its bank's: the BIC's country (``bic_country``); a bank given
  by name only (or none: an ultimate party) falls back to the country the record states for the
  party (its address, else its IBAN: :func:`screening.network.legs.stated_country`, the evidence
  ``hub_routing`` reads), then to the country of the party's other BICs in the run, payments to
  itself included (a destination country first, then a hub).
- An **end** payment goes to a party whose bank is in ``DESTINATIONS`` (Russia, Belarus, occupied
  Ukraine) or whose name matches the watchlist (the caller screens the candidate names).
- A payment P (A → B) starts a chain when B's country is a transit hub (``TRANSIT_HUBS``; B's
  receiving bank, else its paying bank) and B, within ``days`` of P (same day included), makes an
  end payment or starts a chain of its own, up to ``hops`` intermediaries (1: A → B → C;
  2: also A → B → C → D with B and C in hubs). A party never appears twice in one chain.
- Value sanity: the onward payment must be at least ``min_ratio`` of P's value when both are in
  the same currency (different or missing currencies are not compared); 0 turns the check off.
- Conduits, not busy traders: a payer's onward payments count only when, in their calendar
  quarter, at least ``min_share`` of its payments (from banks in the same country: a namesake
  elsewhere is another firm) carry the chain on (reach an end party or start a chain of their
  own); a trader that pays Russia now and then among many counterparties is not passing money
  through, while a firm that turned conduit after years of ordinary business is judged on the
  quarter it did. On the synthetic 10M-row ledger a few busy Turkish and Chinese firms otherwise
  made most of the 448k chains (one of them 41k); 0 turns the check off.
- No blow-up on busy hubs: onward payments are first reduced to one per (payer, day), the
  largest, before they are joined to the payments into that payer, and each payment keeps one
  chain: the one with the fewest intermediaries, then the earliest onward payment.

A caller short of memory finds the chains slice by slice (:mod:`screening.network.slices`).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.formatting import amount
from screening.frames import fmt, per_value
from screening.network.keys import name_keys
from screening.network.legs import payment_legs
from screening.trade.places import DESTINATIONS, TRANSIT_HUBS, bic_country

CHAIN_COLUMNS: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "source_file": pl.String(),
    "line": pl.Int64(),
    "party": pl.String(),  # the hub intermediary B that the payment reaches
    "intermediaries": pl.Int64(),
    "end_record_id": pl.String(),  # the payment that reaches the end party
    "listed_end": pl.Boolean(),
    "detail": pl.String(),
}
TAIL_COLUMNS: Final = (
    "key", "date", "value", "currency", "o_country", "text", "end", "hubs", "parties", "end_record_id", "listed_end",
    "leg_record",
)  # fmt: skip
END_NAMES: Final = {"RU": "a Russian party", "BY": "a Belarusian party"}


def party_banks(records: pl.DataFrame) -> pl.DataFrame:
    """Return the (``name``, ``bank``) pairs of payment records, payer and payee alike."""
    return pl.concat(
        [
            records.select(name="originator", bank="originator_bank"),
            records.select(name="beneficiary", bank="beneficiary_bank"),
        ]
    )


def party_homes(banks: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """Return one country per party ``key`` of its BICs (``party_banks``): a destination first, then a hub."""
    both = banks.select("name", country=bic_country(pl.col("bank"))).drop_nulls().unique()
    keyed = both.join(keys, left_on="name", right_on="raw").select("key", "country")
    rank = pl.when(pl.col("country").is_in(DESTINATIONS)).then(0).when(pl.col("country").is_in(TRANSIT_HUBS)).then(1)
    ranked = keyed.with_columns(rank=rank.otherwise(2)).sort("key", "rank", "country")
    return ranked.unique("key", keep="first").select("key", "country")


def prepare_payments(
    records: pl.DataFrame, keys: pl.DataFrame | None = None, homes: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Return the payments' legs (:mod:`.legs`) with party keys and bank countries; legs short of a party or date drop.

    ``keys`` (``raw`` → ``key`` from :func:`name_keys`) and ``homes`` (from :func:`party_homes`) are
    computed from the records unless the caller, reading a run in slices, gives the whole run's.
    """
    rows = payment_legs(records).drop_nulls(["originator", "beneficiary", "date"])
    if keys is None:
        keys = name_keys(pl.concat([rows["originator"], rows["beneficiary"]]))
    if homes is None:
        homes = party_homes(party_banks(rows), keys)
    keyed = (
        rows.join(keys.select(originator="raw", o_key="key"), on="originator")
        .join(keys.select(beneficiary="raw", b_key="key"), on="beneficiary")
        .filter(pl.col("o_key") != pl.col("b_key"))
        .join(homes.select(o_key="key", o_home="country"), on="o_key", how="left")
        .join(homes.select(b_key="key", b_home="country"), on="b_key", how="left")
    )
    keyed = per_value(keyed, "originator_bank", bic_country, "o_bic")
    keyed = per_value(keyed, "beneficiary_bank", bic_country, "b_bic")
    return keyed.with_columns(
        o_country=pl.coalesce("o_bic", "originator_country", "o_home"),
        b_country=pl.coalesce("b_bic", "beneficiary_country", "b_home"),
    ).drop("o_bic", "b_bic", "o_home", "b_home", "originator_country", "beneficiary_country")


def hub_payers(banks: pl.DataFrame, keys: pl.DataFrame, homes: pl.DataFrame) -> pl.Series:
    """Return the names of every party that banks in a hub in some payment (its BIC's country, else its home).

    The payees of these names are the only ones a chain can end at as listed parties, so they are
    the names worth screening.
    """
    keyed = banks.join(keys, left_on="name", right_on="raw").join(homes, on="key", how="left")
    country = pl.coalesce(bic_country(pl.col("bank")), pl.col("country"))
    hubs = keyed.filter(country.is_in(TRANSIT_HUBS))["key"].unique()
    return keys.filter(pl.col("key").is_in(hubs.implode()))["raw"].unique().sort()


def _leg(country: pl.Expr) -> pl.Expr:
    """Return 'B (KG, 2023-04-03, $1.2 M)' for the payment into B; 'B (debtor, KZ, …)' in a message."""
    where = pl.concat_str(
        [pl.col("via"), country.fill_null("?"), pl.col("date").cast(pl.String)], separator=", ", ignore_nulls=True
    )
    return fmt("{} ({}, {})", "beneficiary", where, amount(pl.col("value"), pl.col("currency")))


def _ends(pay: pl.DataFrame, listed: pl.DataFrame) -> pl.DataFrame:
    """Return the end payments as chain tails: to a destination country or to a listed party."""
    marked = pay.join(listed.select(beneficiary="name", listed_as="detail"), on="beneficiary", how="left")
    dest = pl.col("b_country").is_in(DESTINATIONS)
    ends = marked.filter(dest | pl.col("listed_as").is_not_null())
    place = pl.col("b_country").replace_strict(END_NAMES, default=None, return_dtype=pl.String)
    end = (
        pl.when(pl.col("listed_as").is_not_null())
        .then(fmt("a listed party ({})", "listed_as"))
        .otherwise(pl.coalesce(place, fmt("a party in {}", "b_country")))
    )
    return ends.select(
        key="o_key",
        date="date",
        value="value",
        currency="currency",
        o_country="o_country",
        text=_leg(pl.col("b_country")),
        end=end,
        hubs=pl.lit([], pl.List(pl.String)),
        parties=pl.concat_list("o_key", "b_key"),
        end_record_id="record_id",
        listed_end=pl.col("listed_as").is_not_null(),
        leg_record="record_id",
    )


def _first_tails(pay: pl.DataFrame, best: pl.DataFrame, days: int, min_ratio: float) -> pl.DataFrame:
    """Return each payment joined to its earliest tail in the window that passes every chain condition.

    An as-of join finds the next tail of the payment's beneficiary on or after a cursor date; a
    payment whose tail fails a condition looks again from the day after that tail. Each round
    keeps one row per payment, so a busy intermediary never multiplies the rows.
    """
    hub = pl.coalesce("b_country", "o_country_t")
    comparable = pl.col("currency").is_not_null() & (pl.col("currency") == pl.col("currency_t"))
    big_enough = ~comparable | (pl.col("value_t") >= min_ratio * pl.col("value")) | pl.col("value").is_null()
    new_party = ~pl.col("parties").list.contains(pl.col("o_key"))
    passes = hub.is_in(TRANSIT_HUBS) & big_enough.fill_null(value=True) & new_party
    right = best.sort("date_t")
    open_ = pay.join(best.select("key").unique(), left_on="b_key", right_on="key", how="semi").with_columns(
        _cursor=pl.col("date")
    )
    found = []
    while True:
        joined = open_.sort("_cursor").join_asof(
            right,
            left_on="_cursor",
            right_on="date_t",
            by_left="b_key",
            by_right="key",
            strategy="forward",
            check_sortedness=False,  # sorted on the dates; polars cannot check that within 'by' groups
        )
        joined = joined.filter(pl.col("date_t") <= pl.col("date") + pl.duration(days=days))
        found.append(joined.filter(passes).with_columns(hub=hub))
        open_ = joined.filter(~passes).select(*pay.columns, _cursor=pl.col("date_t") + pl.duration(days=1))
        if open_.is_empty():
            return pl.concat(found).drop("_cursor")


def _quarter() -> pl.Expr:
    """Return the calendar quarter of ``date`` as one number (``_q``)."""
    return (pl.col("date").dt.year().cast(pl.Int64) * 4 + pl.col("date").dt.quarter().cast(pl.Int64)).alias("_q")


def _payments_made(pay: pl.DataFrame) -> pl.DataFrame:
    """Return the payments per payer name, bank country and quarter: what :func:`_conduits` divides by, every hop."""
    return pay.group_by("o_key", "o_country", _quarter()).len("payments")


def _conduits(made: pl.DataFrame, tails: pl.DataFrame, min_share: float) -> pl.DataFrame:
    """Return the tails whose payer, in the tail's calendar quarter, makes ``min_share`` of its payments onward.

    Payments count per payer name and bank country (``made``: :func:`_payments_made`): namesakes
    banking in other countries are other firms.
    """
    quarter = _quarter()
    onward = tails.group_by("key", "o_country", quarter).len("onward")
    on = ["key", "o_country", "_q"]
    counts = onward.join(made, left_on=on, right_on=["o_key", "o_country", "_q"], nulls_equal=True)
    passing = counts.filter(pl.col("onward") >= min_share * pl.col("payments")).select(on)
    return tails.with_columns(quarter).join(passing, on=on, how="semi", nulls_equal=True).drop("_q")


def _same_message(pay: pl.DataFrame, tails: pl.DataFrame) -> pl.DataFrame:
    """Return each leg joined to the tail that goes on from its payee within the same message, through a hub.

    The message itself says where the money goes on ("for" the ultimate creditor, "on behalf of"
    the ultimate debtor), so neither the window, the amount nor the conduit share is asked.
    """
    hub = pl.coalesce("b_country", "o_country_t")
    new_party = ~pl.col("parties").list.contains(pl.col("o_key"))
    joined = pay.join(tails, left_on=["record_id", "b_key"], right_on=["leg_record", "key"])
    return joined.filter(hub.is_in(TRANSIT_HUBS) & new_party).with_columns(hub=hub)


def _extend(
    pay: pl.DataFrame, made: pl.DataFrame, tails: pl.DataFrame, *, days: int, min_ratio: float, min_share: float
) -> pl.DataFrame:
    """Return the payments into a tail's payer (in a hub, in the window or message) that start a longer chain."""
    best = (
        _conduits(made, tails, min_share)
        .select(TAIL_COLUMNS)
        # the largest onward payment of a day; equal ones break on their text, so runs repeat exactly
        .sort(["value", "text", "end_record_id"], descending=[True, False, False], nulls_last=True)
        .unique(["key", "date"], keep="first", maintain_order=True)
    )
    rename: dict[str, str] = {c: f"{c}_t" for c in TAIL_COLUMNS if c != "key" and c in pay.columns}
    found = _chained(_first_tails(pay, best.rename(rename), days, min_ratio))
    if pay.is_empty() or pay["leg"].max() == 0:  # plain payments: no message to chain within
        return found
    # a leg chained both ways comes first with the chain within its message
    return pl.concat([_chained(_same_message(pay, tails.select(TAIL_COLUMNS).rename(rename))), found])


def _chained(joined: pl.DataFrame) -> pl.DataFrame:
    """Return legs joined to their tails as the longer chains they start (tail columns, the party, the leg)."""
    return joined.select(
        "record_id",
        key="o_key",
        date="date",
        value="value",
        currency="currency",
        o_country="o_country",
        text=fmt("{} → {}", _leg(pl.col("hub")), "text"),
        end="end",
        hubs=pl.concat_list("hub", "hubs"),
        parties=pl.concat_list("o_key", "parties"),
        end_record_id="end_record_id",
        listed_end="listed_end",
        leg_record="record_id",
        party="beneficiary",
        originator="originator",
        leg="leg",
    )


def payment_chains(
    pay: pl.DataFrame,
    listed: pl.DataFrame,
    *,
    hops: int = 2,
    days: int = 30,
    min_ratio: float = 0.5,
    min_share: float = 0.5,
) -> pl.DataFrame:
    """Return the payments that start a chain to an end party through hub intermediaries (CHAIN_COLUMNS).

    ``pay`` comes from :func:`prepare_payments`; ``listed`` has the beneficiary ``name`` of every
    payment to a listed party and the match ``detail``.
    """
    tails, found, made = _ends(pay, listed), [], _payments_made(pay)
    for count in range(1, hops + 1):
        tails = _extend(pay, made, tails, days=days, min_ratio=min_ratio, min_share=min_share)
        if tails.is_empty():
            break
        found.append(tails.with_columns(intermediaries=pl.lit(count, pl.Int64)))
    if not found:
        return pl.DataFrame(schema=CHAIN_COLUMNS)
    # per record the chain with the fewest intermediaries, then the payment as written before its other legs
    ordered = pl.concat(found).sort("intermediaries", "leg", maintain_order=True)
    chains = ordered.unique("record_id", keep="first", maintain_order=True)
    hubs = pl.col("hubs").list.unique(maintain_order=True).list.join(", ")
    many = pl.when(pl.col("intermediaries") == 1).then(pl.lit("intermediary")).otherwise(pl.lit("intermediaries"))
    detail = fmt(
        "{} → {}: money reaches {} through {} {} in {}", "originator", "text", "end", "intermediaries", many, hubs
    )
    # a message's legs: one place; only the chains' records are looked up (of a million legs, a few thousand)
    where = pay.select("record_id", "source_file", "line").join(chains.select("record_id"), on="record_id", how="semi")
    where = where.unique(maintain_order=True)
    return chains.with_columns(detail=detail).join(where, on="record_id").select(list(CHAIN_COLUMNS)).sort("record_id")
