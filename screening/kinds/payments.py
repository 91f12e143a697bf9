"""Rule kind ``payment_chain``: payments whose money reaches Russia or a listed party through hubs.

Once per run, the kind reads this run's transactions that are payments (originator, beneficiary,
date) — from the store, or with Spark SQL over the view of the run's transactions when an engine
sets ``ctx.tables`` (the same rows, types and order) — screens the beneficiaries that hub parties
pay against the run's watchlist (the same index as ``name_match``), and finds the chains with
:func:`screening.network.payments.payment_chains` in polars on the machine that runs the kind (the
Spark driver too: the chain search is global).

A run with more than ``SLICE_ROWS`` payments is read in slices of whole calendar quarters, each
with the later quarters its chains can reach (:func:`~screening.network.payments.chain_horizon`),
so memory stays bounded and the hits are the same as from one read: the party keys and the
countries of their banks are read for the whole run first, grouped by the store.
The hit is on the first payment of a chain (A → B), with B as its party; the onward payments are
named in the detail. Score: 0.8 for a chain that ends at a Russian, Belarusian or occupied-region
party, 0.9 when it ends at a listed party, times 0.85 for every intermediary after the first.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from screening.kinds.base import RUN_HIT_FRAME, RunCheck, ScanContext
from screening.kinds.names import watchlist_index
from screening.kinds.redflag_reads import dialect, read_query
from screening.names import DEFAULT_THRESHOLD, match_index
from screening.network.keys import name_keys
from screening.network.payments import (
    CHAIN_COLUMNS,
    PAYMENT_COLUMNS,
    chain_horizon,
    end_candidates,
    party_homes,
    payment_chains,
    prepare_payments,
    quarter_end,
)
from screening.schema import TRANSACTION_COLUMNS

DESTINATION_SCORE: Final = 0.8
LISTED_SCORE: Final = 0.9
PER_EXTRA_HOP: Final = 0.85
PAYMENT_ROWS: Final = "originator IS NOT NULL AND beneficiary IS NOT NULL AND date IS NOT NULL"


# Payments held at once: the 6M payments of a 20M-row ledger took 4.6 GiB in one read.
SLICE_ROWS: Final = 4_000_000
NO_LISTED: Final = {"name": pl.String(), "detail": pl.String()}


def payment_records(ctx: ScanContext, condition: str = "true") -> pl.DataFrame:
    """Return this run's payments meeting ``condition`` (``PAYMENT_COLUMNS``) in file and line order."""
    sql = f"SELECT {', '.join(PAYMENT_COLUMNS)} FROM {dialect(ctx).records(f'{PAYMENT_ROWS} AND {condition}')}"
    schema = {c: TRANSACTION_COLUMNS[c] for c in PAYMENT_COLUMNS}
    return read_query(ctx, sql, schema, order=("source_file", "line"))


def run_parties(ctx: ScanContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the party keys (``raw`` → ``key``) and homes (``key`` → ``country``) of every payment of the run."""
    rows = dialect(ctx).records(PAYMENT_ROWS)
    sql = " UNION ".join(
        f"SELECT DISTINCT {name} AS name, {bank} AS bank FROM {rows}"
        for name, bank in (("originator", "originator_bank"), ("beneficiary", "beneficiary_bank"))
    )
    banks = read_query(ctx, sql, {"name": pl.String(), "bank": pl.String()})
    keys = name_keys(banks["name"].unique())
    return keys, party_homes(banks, keys)


def _quarter_start(index: int) -> date:
    """Return the first day of quarter ``index`` (year × 4 + quarter − 1)."""
    return date(index // 4, index % 4 * 3 + 1, 1)


def payment_slices(counts: dict[int, int], hops: int, days: int, budget: int) -> list[tuple[date, date, date]]:
    """Return (first, last, horizon) per slice: the chains starting in [first, last] need the payments up to horizon.

    ``counts`` are payments per quarter index (year × 4 + quarter − 1); a slice takes whole quarters
    while its payments up to the horizon stay within ``budget``, and at least one quarter.
    """
    quarters, plan, start = sorted(counts), [], 0
    while start < len(quarters):
        stop = start + 1
        while stop < len(quarters) and _slice_rows(counts, quarters[start], quarters[stop], hops, days) <= budget:
            stop += 1
        last = quarter_end(_quarter_start(quarters[stop - 1]))
        plan.append((_quarter_start(quarters[start]), last, chain_horizon(last, hops, days)))
        start = stop
    return plan


def _slice_rows(counts: dict[int, int], first: int, last: int, hops: int, days: int) -> int:
    """Return the payments a slice of quarters ``first``..``last`` reads, up to its horizon."""
    reach = chain_horizon(quarter_end(_quarter_start(last)), hops, days)
    end = reach.year * 4 + (reach.month - 1) // 3
    return sum(n for q, n in counts.items() if first <= q <= end)


def _quarter_counts(ctx: ScanContext) -> dict[int, int]:
    """Return this run's payments per quarter index, counted where the transactions are."""
    index = "year(date) * 4 + quarter(date) - 1"
    sql = f"SELECT {index} AS q, count(*) AS n FROM {dialect(ctx).records(PAYMENT_ROWS)} GROUP BY {index}"
    counts = read_query(ctx, sql, {"q": pl.Int64(), "n": pl.Int64()})
    return dict(zip(counts["q"].to_list(), counts["n"].to_list(), strict=True))


def _between(first: date, last: date) -> str:
    """Return the SQL condition on ``date`` for the days ``first``..``last``."""
    return f"date >= DATE '{first.isoformat()}' AND date <= DATE '{last.isoformat()}'"


def _listed(ctx: ScanContext, names: pl.Series, threshold: float) -> pl.DataFrame:
    """Return the names that match a listed entity, with the match's detail."""
    if names.is_empty():
        return pl.DataFrame(schema=NO_LISTED)
    found = match_index(pl.DataFrame({"id": names, "name": names}), watchlist_index(ctx), threshold, 1)
    return found.select(name="query_id", detail="detail")


def _check_params(hops: int, days: int, min_ratio: float, min_share: float) -> None:
    """Raise ValueError for parameters outside their range."""
    if hops not in (1, 2, 3):
        raise ValueError(f"param 'hops' is {hops}; 1, 2 or 3 intermediaries")
    if days < 0:
        raise ValueError(f"param 'days' is {days}; a number of days ≥ 0")
    if not 0 <= min_ratio <= 1:
        raise ValueError(f"param 'min_ratio' is {min_ratio}; a fraction in [0, 1] (0 turns it off)")
    if not 0 <= min_share <= 1:
        raise ValueError(f"param 'min_share' is {min_share}; a fraction in [0, 1] (0 turns it off)")


def payment_chain(
    *,
    hops: int = 2,
    days: int = 30,
    min_ratio: float = 0.5,
    min_share: float = 0.5,
    name_threshold: float = DEFAULT_THRESHOLD,
) -> RunCheck:
    """Return a run check that flags payments reaching a Russian or listed party through hub intermediaries."""
    _check_params(hops, days, min_ratio, min_share)

    def run(ctx: ScanContext) -> pl.DataFrame:
        keys, homes = run_parties(ctx)
        screened, listed = pl.Series(dtype=pl.String), pl.DataFrame(schema=NO_LISTED)
        found = [pl.DataFrame(schema=CHAIN_COLUMNS)]
        for first, last, horizon in payment_slices(_quarter_counts(ctx), hops, days, SLICE_ROWS):
            pay = prepare_payments(payment_records(ctx, _between(first, horizon)), keys, homes)
            candidates = end_candidates(pay)
            fresh = candidates.filter(~candidates.is_in(screened.implode()))  # a name is screened once per run
            listed = pl.concat([listed, _listed(ctx, fresh, name_threshold)])
            screened = pl.concat([screened, fresh])
            chains = payment_chains(pay, listed, hops=hops, days=days, min_ratio=min_ratio, min_share=min_share)
            starts = pay.filter(pl.col("date") <= last).select("record_id", "source_file", "line")
            found.append(chains.join(starts, on=["record_id", "source_file", "line"], how="semi"))
        chains = pl.concat(found).sort("record_id", "source_file", "line")
        base = pl.when(pl.col("listed_end")).then(LISTED_SCORE).otherwise(DESTINATION_SCORE)
        score = base * pl.lit(PER_EXTRA_HOP).pow(pl.col("intermediaries") - 1)
        return chains.select(
            "record_id", score=score, detail="detail", severity=pl.lit(None, pl.String), party="party",
            source_file="source_file", line="line",
        ).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]  # fmt: skip

    return RunCheck(run=run)
