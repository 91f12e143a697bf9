"""Rule kind ``payment_chain``: payments whose money reaches Russia or a listed party through hubs.

Once per run, the kind reads this run's transactions that are payments (originator, beneficiary,
date) — from the store, or with Spark SQL over the view of the run's transactions when an engine
sets ``ctx.tables`` (the same rows, types and order) — screens the beneficiaries that hub parties
pay against the run's watchlist (the same index as ``name_match``), and finds the chains with
:func:`screening.network.payments.payment_chains` in polars on the machine that runs the kind (the
Spark driver too: the chain search is global).
The hit is on the first payment of a chain (A → B), with B as its party; the onward payments are
named in the detail. Score: 0.8 for a chain that ends at a Russian, Belarusian or occupied-region
party, 0.9 when it ends at a listed party, times 0.85 for every intermediary after the first.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.kinds.base import RUN_HIT_FRAME, RunCheck, ScanContext, run_records
from screening.kinds.names import watchlist_index
from screening.kinds.redflag_reads import VIEW
from screening.names import DEFAULT_THRESHOLD, match_index
from screening.network.payments import PAYMENT_COLUMNS, end_candidates, payment_chains, prepare_payments
from screening.schema import TRANSACTION_COLUMNS

DESTINATION_SCORE: Final = 0.8
LISTED_SCORE: Final = 0.9
PER_EXTRA_HOP: Final = 0.85
PAYMENT_ROWS: Final = "originator IS NOT NULL AND beneficiary IS NOT NULL AND date IS NOT NULL"


def payment_records(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's payments (``PAYMENT_COLUMNS``) in file and line order, read where the transactions are."""
    if ctx.tables is None:
        return run_records(ctx, "transactions", list(PAYMENT_COLUMNS), where=PAYMENT_ROWS)
    names = ", ".join(f"`{c}`" for c in PAYMENT_COLUMNS)
    found = ctx.tables.frame(f"SELECT {names} FROM {VIEW} WHERE {PAYMENT_ROWS}")
    typed = found.select([pl.col(c).cast(TRANSACTION_COLUMNS[c]) for c in PAYMENT_COLUMNS])
    return typed.sort("source_file", "line", maintain_order=True)


def _listed(ctx: ScanContext, names: pl.Series, threshold: float) -> pl.DataFrame:
    """Return the names that match a listed entity, with the match's detail."""
    if names.is_empty():
        return pl.DataFrame(schema={"name": pl.String(), "detail": pl.String()})
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
        pay = prepare_payments(payment_records(ctx))
        if pay.is_empty():
            return pl.DataFrame(schema=RUN_HIT_FRAME)
        listed = _listed(ctx, end_candidates(pay), name_threshold)
        chains = payment_chains(pay, listed, hops=hops, days=days, min_ratio=min_ratio, min_share=min_share)
        base = pl.when(pl.col("listed_end")).then(LISTED_SCORE).otherwise(DESTINATION_SCORE)
        score = base * pl.lit(PER_EXTRA_HOP).pow(pl.col("intermediaries") - 1)
        return chains.select(
            "record_id", score=score, detail="detail", severity=pl.lit(None, pl.String), party="party",
            source_file="source_file", line="line",
        ).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]  # fmt: skip

    return RunCheck(run=run)
