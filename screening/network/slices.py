"""Payment chains found slice by slice: whole calendar quarters of starts, read up to the chains' horizon.

Whether a payment starts a chain depends only on later payments, and on whole calendar quarters
for the conduit shares (:mod:`screening.network.payments`), so the chains that start in some
quarters are found exactly from those quarters' payments up to :func:`chain_horizon`, given the
whole run's party keys and homes and its listed payees. A run too large to hold at once is cut
into such slices (:func:`payment_slices`); each slice is searched alone (:class:`ChainSearch`), on
one machine one after the other or on Spark's workers side by side, and the hits are the same as
from one search over every payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import polars as pl

from screening.frames import compact
from screening.network.payments import CHAIN_COLUMNS, payment_chains, prepare_payments

# The column a slice's records carry: the last day of the slice's starts.
SLICE_LAST: Final = "slice_last"


def quarter_end(day: date) -> date:
    """Return the last day of the calendar quarter of ``day``."""
    last_month = (day.month - 1) // 3 * 3 + 3
    if last_month == 12:
        return date(day.year, 12, 31)  # also for 9999, a common "no end" date
    return date(day.year, last_month + 1, 1) - timedelta(days=1)


def _later(day: date, days: int) -> date:
    """Return ``days`` after ``day``, or the last date there is."""
    return day + timedelta(days=days) if (date.max - day).days > days else date.max


def quarter_start(index: int) -> date:
    """Return the first day of quarter ``index`` (year × 4 + quarter − 1)."""
    return date(index // 4, index % 4 * 3 + 1, 1)


def chain_horizon(last: date, hops: int, days: int) -> date:
    """Return the last date whose payments can decide the chains of payments made up to ``last``.

    A payment's chain needs its beneficiary's tails within ``days``; whether a tail counts needs the
    conduit share of its payer's whole quarter, whose tails need ``days`` more, one level per hop.
    """
    reach = _later(last, days)
    for _ in range(hops - 1):
        reach = _later(quarter_end(reach), days)
    return quarter_end(reach)


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
        last = quarter_end(quarter_start(quarters[stop - 1]))
        plan.append((quarter_start(quarters[start]), last, chain_horizon(last, hops, days)))
        start = stop
    return plan


def _slice_rows(counts: dict[int, int], first: int, last: int, hops: int, days: int) -> int:
    """Return the payments a slice of quarters ``first``..``last`` reads, up to its horizon."""
    reach = chain_horizon(quarter_end(quarter_start(last)), hops, days)
    end = reach.year * 4 + (reach.month - 1) // 3
    return sum(n for q, n in counts.items() if first <= q <= end)


@dataclass(frozen=True)
class ChainSearch:
    """The chain search of one slice, with what every slice shares: party keys and homes, listed payees, params."""

    keys: pl.DataFrame
    homes: pl.DataFrame
    listed: pl.DataFrame
    hops: int
    days: int
    min_ratio: float
    min_share: float

    def __call__(self, records: pl.DataFrame, *, ordered: bool = False) -> pl.DataFrame:
        """Return the chains (``CHAIN_COLUMNS``) that start on or before the slice's last day (``SLICE_LAST``).

        The records are put in file and line order unless they come ``ordered`` so.
        """
        if records.is_empty():
            return pl.DataFrame(schema=CHAIN_COLUMNS)
        last = records[SLICE_LAST][0]
        records = records.drop(SLICE_LAST)
        ordered_records = records if ordered else records.sort("source_file", "line", maintain_order=True)
        pay = prepare_payments(ordered_records, self.keys, self.homes)
        chains = payment_chains(
            pay, self.listed, hops=self.hops, days=self.days, min_ratio=self.min_ratio, min_share=self.min_share
        )
        starts = pay.filter(pl.col("date") <= last).select("record_id", "source_file", "line")
        # tight copies: each slice's few thousand chains otherwise keep its millions of payments alive
        return compact(chains.join(starts, on=["record_id", "source_file", "line"], how="semi"))
