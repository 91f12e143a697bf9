"""Rule kind ``payment_chain``: payments whose money reaches Russia or a listed party through hubs.

Once per run, the kind reads what it needs of this run's transactions that are payments
(originator, beneficiary, date) where they are — the store, or Spark SQL over the view of the
run's transactions when an engine sets ``ctx.tables``:

1. the distinct (party name, bank) pairs, from which the party keys and homes are made;
2. the payees of parties that bank in a hub, screened against the run's watchlist (the same index
   as ``name_match``) — the listed parties a chain can end at;
3. the payments, in slices of whole calendar quarters that each hold at most ``SLICE_ROWS`` up to
   their chains' horizon (:mod:`screening.network.slices`): one after the other on one machine, so
   memory stays bounded, or on Spark's workers side by side, where each slice is searched with
   :class:`~screening.network.slices.ChainSearch` inside ``applyInArrow``. Either way the hits are
   those of one search over every payment.

The payments are followed leg by leg (:mod:`screening.network.legs`): a message's ultimate debtor
and creditor extend its path, so a creditor in a hub paid for a Russian or listed ultimate
creditor is a chain in one message, and an onward payment can be a payment made on behalf of the
intermediary. The hit is on the first payment of a chain (A → B), with B as its party; the onward
payments are named in the detail. Score: 0.8 for a chain that ends at a Russian, Belarusian or occupied-region
party, 0.9 when it ends at a listed party, times 0.85 for every intermediary after the first.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from screening.kinds.base import RunCheck, ScanContext, Score, ScorerName, side_thread
from screening.kinds.names import watchlist_index
from screening.kinds.redflag_reads import dialect, read_query, typed_columns
from screening.names import match_index
from screening.names.model import DEFAULT_SCORER, NameModel, named_scorer
from screening.network.keys import name_keys
from screening.network.legs import LEGS, READ_COLUMNS, Leg
from screening.network.payments import CHAIN_COLUMNS, hub_payers, party_homes
from screening.network.slices import SLICE_LAST, ChainSearch, payment_slices
from screening.schema import RUN_HIT_FRAME
from screening.sql import VIEW

DESTINATION_SCORE: Final = 0.8
LISTED_SCORE: Final = 0.9
PER_EXTRA_HOP: Final = 0.85
PAYMENT_ROWS: Final = "originator IS NOT NULL AND beneficiary IS NOT NULL AND date IS NOT NULL"
# Payments held at once: the 6M payments of a 20M-row ledger took 4.6 GiB in one read.
SLICE_ROWS: Final = 4_000_000
NO_LISTED: Final = {"name": pl.String(), "detail": pl.String()}
# The views a read joins: the names whose payees are screened, and the slices' bounds (on Spark).
PAYERS: Final = "screening_hub_payers"
SLICES: Final = "screening_payment_slices"


def payment_records(ctx: ScanContext, condition: str = "true") -> pl.DataFrame:
    """Return this run's payments meeting ``condition`` (``READ_COLUMNS``) in file and line order."""
    sql = f"SELECT {', '.join(READ_COLUMNS)} FROM {dialect(ctx).records(f'{PAYMENT_ROWS} AND {condition}')}"
    return read_query(ctx, sql, typed_columns(*READ_COLUMNS, n=False), order=("source_file", "line"))


def run_banks(ctx: ScanContext) -> pl.DataFrame:
    """Return the distinct (``name``, ``bank``) pairs of the run's payments' legs' payers and payees (:data:`LEGS`)."""
    sides = dict.fromkeys(side for leg in LEGS for side in ((leg.payer, leg.payer_bank), (leg.payee, leg.payee_bank)))
    sql = " UNION ".join(
        f"SELECT DISTINCT {name} AS name, {bank or 'CAST(NULL AS STRING)'} AS bank "
        f"FROM {dialect(ctx).records(f'{PAYMENT_ROWS} AND {name} IS NOT NULL')}"
        for name, bank in sides
    )
    return read_query(ctx, sql, {"name": pl.String(), "bank": pl.String()})


def hub_payees(ctx: ScanContext, payers: pl.Series) -> pl.Series:
    """Return the distinct payees of ``payers`` in this run's payments' legs (:mod:`screening.network.legs`), sorted."""
    if payers.is_empty():
        return pl.Series("beneficiary", [], pl.String)
    sql = " UNION ".join(
        f"SELECT DISTINCT {leg.payee} AS beneficiary FROM {dialect(ctx).records(_paid_by_payers(leg))}" for leg in LEGS
    )
    views = {PAYERS: payers.to_frame("name")}
    return read_query(ctx, sql, typed_columns("beneficiary", n=False), views=views)["beneficiary"].sort()


def _paid_by_payers(leg: Leg) -> str:
    """Return the SQL condition on a payment whose leg names a payee and has one of the payers as its payer."""
    return f"{PAYMENT_ROWS} AND {leg.payee} IS NOT NULL AND {leg.payer} IN (SELECT name FROM {PAYERS})"


def quarter_counts(ctx: ScanContext) -> dict[int, int]:
    """Return this run's payments per quarter index (year × 4 + quarter − 1), counted where the transactions are."""
    index = "year(date) * 4 + quarter(date) - 1"
    sql = f"SELECT {index} AS q, count(*) AS n FROM {dialect(ctx).records(PAYMENT_ROWS)} GROUP BY {index}"
    counts = read_query(ctx, sql, {"q": pl.Int64(), "n": pl.Int64()})
    return dict(zip(counts["q"].to_list(), counts["n"].to_list(), strict=True))


def _between(first: date, last: date) -> str:
    """Return the SQL condition on ``date`` for the days ``first``..``last``."""
    return f"date >= DATE '{first.isoformat()}' AND date <= DATE '{last.isoformat()}'"


def search_slices(
    ctx: ScanContext, search: ChainSearch, slices: list[tuple[date, date, date]], whole: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Return the chains of every slice, searched where the transactions are, sorted by record.

    ``whole``: the run's payments, already read (``payment_records``), when they are one slice.
    """
    found = [pl.DataFrame(schema=CHAIN_COLUMNS)]
    if whole is not None:
        found.append(search(whole.with_columns(pl.lit(slices[0][1]).alias(SLICE_LAST)), ordered=True))
        return pl.concat(found).sort("record_id", "source_file", "line")
    if ctx.tables is not None and slices:
        bounds = pl.DataFrame(slices, schema=["first_day", SLICE_LAST, "horizon"], orient="row")
        columns = ", ".join(f"p.{c}" for c in READ_COLUMNS)
        sql = (
            f"SELECT s.slice_id, s.{SLICE_LAST}, {columns} FROM {VIEW} AS p JOIN {SLICES} AS s "
            f"ON p.date >= s.first_day AND p.date <= s.horizon WHERE {PAYMENT_ROWS}"
        )
        views = {SLICES: bounds.with_row_index("slice_id").cast({"slice_id": pl.Int64})}
        found.append(ctx.tables.grouped(sql, "slice_id", search, CHAIN_COLUMNS, views))
    elif ctx.tables is None:
        for first, last, horizon in slices:
            records = payment_records(ctx, _between(first, horizon)).with_columns(pl.lit(last).alias(SLICE_LAST))
            found.append(search(records, ordered=True))
    return pl.concat(found).sort("record_id", "source_file", "line")


def _listed(ctx: ScanContext, names: pl.Series, threshold: float | None, model: NameModel | None) -> pl.DataFrame:
    """Return the names that match a listed entity by ``model`` (threshold None: its own), with the match's detail."""
    if names.is_empty():
        return pl.DataFrame(schema=NO_LISTED)
    found = match_index(pl.DataFrame({"id": names, "name": names}), watchlist_index(ctx), threshold, 1, model)
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
    min_ratio: Score = 0.5,
    min_share: Score = 0.5,
    name_threshold: Score | None = None,
    scorer: ScorerName = DEFAULT_SCORER,
) -> RunCheck:
    """Return a run check that flags payments reaching a Russian or listed party through hub intermediaries."""
    _check_params(hops, days, min_ratio, min_share)
    model = named_scorer(scorer)

    def run(ctx: ScanContext) -> pl.DataFrame:
        slices = payment_slices(quarter_counts(ctx), hops, days, SLICE_ROWS)
        with side_thread(ctx) as side:
            # a run of one slice: its payments are read beside the screening of the hub payers' payees
            whole = side.submit(payment_records, side.ctx) if side.ctx is not None and len(slices) == 1 else None
            banks = run_banks(ctx)
            keys = name_keys(banks["name"].unique())
            homes = party_homes(banks, keys)
            listed = _listed(ctx, hub_payees(ctx, hub_payers(banks, keys, homes)), name_threshold, model)
            search = ChainSearch(keys, homes, listed, hops, days, min_ratio, min_share)
            chains = search_slices(ctx, search, slices, None if whole is None else whole.result())
        base = pl.when(pl.col("listed_end")).then(LISTED_SCORE).otherwise(DESTINATION_SCORE)
        score = base * pl.lit(PER_EXTRA_HOP).pow(pl.col("intermediaries") - 1)
        return chains.select(
            "record_id", score=score, detail="detail", severity=pl.lit(None, pl.String), party="party",
            source_file="source_file", line="line",
        ).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]  # fmt: skip

    return RunCheck(run=run, beside=True)
