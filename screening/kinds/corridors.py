"""Rule kinds ``corridor_surge``, ``corridor_triangle`` and ``mirror_gap``: rerouting seen in trade corridors.

Each kind returns a :class:`RunCheck`: once per scan, after every input is stored, it reads this
run's flow tables and transaction records, turns both into corridor legs
(:mod:`screening.trade.corridors`; cached per run, so the three rules build them once) and runs
the analysis of :mod:`screening.trade.baseline`, :mod:`screening.trade.triangle` or
:mod:`screening.trade.mirror`. Transaction records are summed by route and month inside DuckDB
before they reach polars (no record column the corridors do not need leaves the store), and the
corridor statistics (every goods level) are built once per run and window settings, shared by the
surge and triangle rules.

Params come from YAML: ``baseline`` is ``[first_year, last_year]``; ``since`` an ISO date (YAML
reads an unquoted one as a date); ``goods`` ``chpl``, ``all`` or a list of HS-6 codes; country
lists default to the groups of :mod:`screening.trade.places`.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Final

import polars as pl

from screening.frames import exact_sum_sql
from screening.kinds.base import Amount, RunCheck, ScanContext, Score, run_records
from screening.schema import RECORD_TABLES
from screening.trade.baseline import CorridorStats, corridor_stats, surge_hits, surges
from screening.trade.corridors import LEGS, LEVELS, goods_codes, legs_from_flows, legs_from_transactions
from screening.trade.mirror import MIRROR_LEVELS, mirror
from screening.trade.triangle import TRIANGLE_LEVELS, triangle_hits, triangles

FLOW_FIELDS: Final = (
    "reporter_country",
    "partner_country",
    "flow",
    "hs_code",
    "hs6",
    "period",
    "period_months",
    "value",
)
# The legs of this run's transactions computed in the store, as legs_from_transactions computes
# them in polars (a transit country splits a route in two; legs summed by origin, destination,
# HS-6 or declared heading and month): DuckDB groups ten million rows in a few seconds, and only
# the short legs table crosses into polars. Only the first six digits reach the corridor levels.
TX_LEGS: Final = f"""
WITH routes AS (
    SELECT coalesce(origin_country, shipper_country) AS o, transit_country AS t,
           coalesce(destination_country, consignee_country) AS d, coalesce(hs6, left(hs_code, 6)) AS hs_code,
           hs6, CAST(date_trunc('month', "date") AS DATE) AS period, value
    FROM {RECORD_TABLES["transactions"]}
    WHERE run_id = ? AND value >= 0 AND "date" IS NOT NULL AND hs_code IS NOT NULL
), legs AS (
    SELECT o AS origin, CASE WHEN t <> o AND t <> d THEN t ELSE d END AS destination, hs_code, hs6, period, value
    FROM routes
    UNION ALL
    SELECT t AS origin, d AS destination, hs_code, hs6, period, value FROM routes WHERE t <> o AND t <> d
)
SELECT origin, destination, hs_code, hs6, period, 1::BIGINT AS period_months, {exact_sum_sql("value")} AS value,
       'records' AS reporter
FROM legs WHERE origin IS NOT NULL AND destination IS NOT NULL AND origin <> destination
GROUP BY origin, destination, hs_code, hs6, period
"""


def corridor_legs(ctx: ScanContext, transaction_legs: pl.DataFrame | None = None) -> pl.LazyFrame:
    """Return the legs of this run's flow tables and transaction records (built once per run).

    An engine that aggregates the transactions elsewhere (Spark) passes their legs in.
    """

    def build() -> pl.DataFrame:
        flows = run_records(ctx, "flows", FLOW_FIELDS)
        if transaction_legs is not None:
            tx = transaction_legs.lazy().cast(LEGS)  # type: ignore[arg-type]
        elif ctx.store is None:
            tx = legs_from_transactions(run_records(ctx, "transactions").lazy())
        else:
            tx = ctx.store.frame(TX_LEGS, [ctx.run_id]).lazy().cast(LEGS)
        return pl.concat([legs_from_flows(flows.lazy()), tx]).collect()

    frame: pl.DataFrame = ctx.cached("corridor_legs", build)
    return frame.lazy()


def stats_for(
    ctx: ScanContext, goods: str | list[str], baseline: tuple[int, int], since: date, control: bool
) -> CorridorStats:
    """Return the run's corridor statistics at every level, built once per run and window settings."""
    key = f"corridor_stats:{goods}:{baseline}:{since}:{control}"
    build = partial(
        corridor_stats, corridor_legs(ctx), goods=goods, baseline=baseline, since=since, levels=LEVELS, control=control
    )
    stats: CorridorStats = ctx.cached(key, build)
    return stats


def _levels(levels: list[str] | None, default: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Return the goods levels asked for, refusing unknown ones."""
    chosen = tuple(levels) if levels is not None else default
    bad = [level for level in chosen if level not in allowed]
    if bad or not chosen:
        raise ValueError(f"levels {list(chosen)}: use some of {list(allowed)}")
    return chosen


def _window(baseline: list[int] | None, since: str | date) -> tuple[tuple[int, int], date]:
    """Return the baseline years and the first recent day from rule params."""
    pair = list(baseline) if baseline is not None else [2019, 2021]
    if len(pair) != 2 or pair[0] > pair[1]:
        raise ValueError(f"baseline {baseline}: give [first_year, last_year], e.g. [2019, 2021]")
    first, last = pair
    start = since if isinstance(since, date) else date.fromisoformat(since)
    if start.year <= last:
        raise ValueError(f"since {start}: recent windows must start after the baseline ({first}–{last})")
    return (first, last), start


def corridor_surge(
    *,
    goods: str | list[str] = "chpl",
    baseline: list[int] | None = None,
    since: str | date = "2022-01-01",
    levels: list[str] | None = None,
    destinations: list[str] | None = None,
    min_ratio: Amount = 1.5,
    min_z: Amount = 3.0,
    min_value: Amount = 1_000_000.0,
    control: bool = True,
) -> RunCheck:
    """Flag corridors into transit hubs and Russia whose trade in selected goods surged over the baseline."""
    years, start = _window(baseline, since)
    chosen = _levels(levels, LEVELS, LEVELS)
    goods_codes(goods)  # refuses a bad selection when the rule loads, not mid-scan
    if min_ratio <= 0 or min_z <= 0:
        raise ValueError(f"min_ratio ({min_ratio}) and min_z ({min_z}) must be positive")

    def run(ctx: ScanContext) -> pl.DataFrame:
        stats = stats_for(ctx, goods, years, start, control)
        limits = {"min_ratio": min_ratio, "min_z": min_z, "min_value": min_value}
        flagged = surges(stats, levels=chosen, destinations=destinations, **limits)
        return surge_hits(stats, flagged, goods=goods, **limits)

    return RunCheck(run=run)


def corridor_triangle(
    *,
    goods: str | list[str] = "chpl",
    baseline: list[int] | None = None,
    since: str | date = "2022-01-01",
    levels: list[str] | None = None,
    origins: list[str] | None = None,
    hubs: list[str] | None = None,
    destinations: list[str] | None = None,
    min_ratio: Amount = 1.3,
    min_value: Amount = 1_000_000.0,
    control: bool = True,
) -> RunCheck:
    """Flag a hub whose imports from the coalition or China and exports to Russia of one code rose together."""
    years, start = _window(baseline, since)
    chosen = _levels(levels, TRIANGLE_LEVELS, TRIANGLE_LEVELS)
    goods_codes(goods)
    if min_ratio <= 0:
        raise ValueError(f"min_ratio ({min_ratio}) must be positive")

    def run(ctx: ScanContext) -> pl.DataFrame:
        stats = stats_for(ctx, goods, years, start, control)
        found = triangles(
            stats, levels=chosen, origins=origins, hubs=hubs, destinations=destinations,
            min_ratio=min_ratio, min_value=min_value,
        )  # fmt: skip
        return triangle_hits(found, years, min_ratio=min_ratio, min_value=min_value)

    return RunCheck(run=run)


def mirror_gap(
    *,
    goods: str | list[str] = "chpl",
    since: str | date = "2022-01-01",
    levels: list[str] | None = None,
    destinations: list[str] | None = None,
    tolerance: Score = 0.25,
    min_gap: Amount = 1_000_000.0,
) -> RunCheck:
    """Flag flows whose exporter reports far more than the importer does ("lost in transit")."""
    start = since if isinstance(since, date) else date.fromisoformat(since)
    chosen = _levels(levels, MIRROR_LEVELS, MIRROR_LEVELS)
    goods_codes(goods)
    if tolerance < 0:
        raise ValueError(f"tolerance ({tolerance}) must be 0 or more")

    def run(ctx: ScanContext) -> pl.DataFrame:
        return mirror(
            corridor_legs(ctx), goods=goods, since=start, levels=chosen, destinations=destinations,
            tolerance=tolerance, min_gap=min_gap,
        )  # fmt: skip

    return RunCheck(run=run)
