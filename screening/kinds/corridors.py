"""Rule kinds ``corridor_surge``, ``corridor_triangle`` and ``mirror_gap``: rerouting seen in trade corridors.

Each kind returns a :class:`RunCheck`: once per scan, after every input is stored, it reads this
run's flow tables and transaction records, turns both into corridor legs
(:mod:`screening.trade.corridors`; a resource of the run, so the three rules build them once) and runs
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
from typing import Final

import polars as pl

from screening.frames import exact_sum_sql, fmt
from screening.ingest.rates import usd_rates
from screening.kinds.base import Amount, Resource, RunCheck, ScanContext, Score, run_records
from screening.kinds.redflag_reads import dialect, read_query
from screening.sql import Dialect
from screening.trade.baseline import CorridorStats, corridor_stats, surge_hits, surges
from screening.trade.corridors import LEG_KEYS, LEGS, LEVELS, goods_codes, legs_from_flows, legs_from_transactions
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
# The small frame of yearly US-dollar rates the legs query joins (a registered frame, or a broadcast view on Spark).
RATES: Final = "screening_usd_rates"
# A record's value in US dollars: as declared in dollars or without a currency, else at its year's rate (null: none).
_USD: Final = "CASE WHEN x.currency IS NULL OR x.currency = 'USD' THEN x.value ELSE x.value * r.usd_per_unit END"
UNPRICED: Final[dict[str, pl.DataType]] = {
    "source_file": pl.String(), "currency": pl.String(), "records": pl.Int64(), "line": pl.Int64(),
}  # fmt: skip


def _priced(sql: Dialect, fields: str) -> str:
    """Return SQL selecting ``fields`` (over ``x``, the usable records, and ``r``, their rate) for the legs."""
    date = sql.name("date")
    usable = sql.records(f"value >= 0 AND {date} IS NOT NULL AND hs_code IS NOT NULL")
    return (
        f"SELECT {fields} FROM (SELECT * FROM {usable}) AS x "
        f"LEFT JOIN {RATES} AS r ON r.currency = x.currency AND r.year = year(x.{date})"
    )


def legs_sql(sql: Dialect) -> str:
    """Return the query of this run's transaction legs, as :func:`legs_from_transactions` computes them in polars.

    A transit country splits a route in two; legs are summed in US dollars by origin, destination,
    HS-6 or declared heading and month, records in a currency with no rate left out. The store's
    DuckDB (or Spark) groups ten million rows in seconds, and only the short legs table reaches polars.
    """
    routes = _priced(
        sql,
        "coalesce(x.origin_country, x.shipper_country) AS o, x.transit_country AS t, "
        "coalesce(x.destination_country, x.consignee_country) AS d, coalesce(x.hs6, left(x.hs_code, 6)) AS hs_code, "
        f"x.hs6 AS hs6, {sql.month('x.' + sql.name('date'))} AS period, {_USD} AS value",
    )
    return f"""
WITH routes AS ({routes}), legs AS (
    SELECT o AS origin, CASE WHEN t <> o AND t <> d THEN t ELSE d END AS destination, hs_code, hs6, period, value
    FROM routes WHERE value IS NOT NULL
    UNION ALL
    SELECT t AS origin, d AS destination, hs_code, hs6, period, value FROM routes
    WHERE t <> o AND t <> d AND value IS NOT NULL
)
SELECT origin, destination, hs_code, hs6, period, CAST(1 AS BIGINT) AS period_months,
       {exact_sum_sql("value")} AS value, 'records' AS reporter
FROM legs WHERE origin IS NOT NULL AND destination IS NOT NULL AND origin <> destination
GROUP BY origin, destination, hs_code, hs6, period
"""


def unpriced_sql(sql: Dialect) -> str:
    """Return the query counting, per file and currency, the records the legs leave out for want of a rate."""
    fields = "x.source_file AS source_file, x.currency AS currency, count(*) AS records, min(x.line) AS line"
    where = f"{_USD} IS NULL"
    return f"{_priced(sql, fields)} WHERE {where} GROUP BY x.source_file, x.currency"


def _read_legs(ctx: ScanContext) -> pl.DataFrame:
    """Return this run's transaction legs, read where the records are (store or engine), or in polars without either."""
    if ctx.tables is None and ctx.store is None:
        records = run_records(ctx, "transactions").lazy()
        return legs_from_transactions(records, usd_rates().lazy()).collect()
    return read_query(ctx, legs_sql(dialect(ctx)), LEGS, order=LEG_KEYS, views={RATES: usd_rates()})


def _note_unpriced(ctx: ScanContext) -> int:
    """Record one data-quality note per file and currency whose values the corridor sums leave out; return how many."""
    if ctx.store is None:
        return 0
    unpriced = read_query(ctx, unpriced_sql(dialect(ctx)), UNPRICED, views={RATES: usd_rates()})
    if not unpriced.height:
        return 0
    reason = fmt("no US-dollar rate for {} in the records' years: {} records left out of corridor sums",
                 "currency", pl.col("records").cast(pl.String))  # fmt: skip
    notes = unpriced.select("source_file", "line", pl.lit("currency").alias("column"),
                            pl.col("currency").alias("value"), reason.alias("reason"))  # fmt: skip
    return ctx.store.append("notes", notes.with_columns(pl.lit(ctx.run_id).alias("run_id")))


def _build_legs(ctx: ScanContext) -> pl.DataFrame:
    """Return the legs of this run's flow tables and transaction records."""
    flows = run_records(ctx, "flows", FLOW_FIELDS)
    return pl.concat([legs_from_flows(flows.lazy()).collect(), _read_legs(ctx)])


# The run's corridor legs, built once and shared by the corridor rules (and the report's corridor chart).
LEGS_RESOURCE: Final = Resource("corridor legs", _build_legs)
# The notes on the records the legs leave out, written once per run by the first corridor rule (not by reports).
UNPRICED_NOTES: Final = Resource("corridor notes", _note_unpriced)


def corridor_legs(ctx: ScanContext) -> pl.LazyFrame:
    """Return the legs of this run's flow tables and transaction records (built once per run)."""
    return ctx.resource(LEGS_RESOURCE).lazy()


def rule_legs(ctx: ScanContext) -> pl.LazyFrame:
    """Return the run's legs for a corridor rule, noting once per run the records they leave out for want of a rate."""
    ctx.resource(UNPRICED_NOTES)
    return corridor_legs(ctx)


def stats_for(
    ctx: ScanContext, goods: str | list[str], baseline: tuple[int, int], since: date, control: bool
) -> CorridorStats:
    """Return the run's corridor statistics at every level, built once per run and window settings."""
    stats = Resource(
        f"corridor stats {goods} {baseline} {since} {control}",
        lambda ctx: corridor_stats(
            rule_legs(ctx), goods=goods, baseline=baseline, since=since, levels=LEVELS, control=control
        ),
    )
    return ctx.resource(stats)


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
            rule_legs(ctx), goods=goods, since=start, levels=chosen, destinations=destinations,
            tolerance=tolerance, min_gap=min_gap,
        )  # fmt: skip

    return RunCheck(run=run)
