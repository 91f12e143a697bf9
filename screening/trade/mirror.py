"""Mirror gaps: the exporter reports more goods leaving than the importer reports arriving ("lost in transit").

Where both sides of a flow report it (an export report of the origin and an import report of the
destination, for the same HS code), the two values are compared per calendar year from ``since``:

1. both reports are spread to months (:func:`~screening.trade.corridors.spread`) and compared only
   over the months *both reporting countries* published that year (a country's coverage is every
   month it reported anything, to any partner), so a partial year or a late publication on one side
   does not look like a gap; summing to the year absorbs timing (goods shipped in December, declared
   in January);
2. codes are compared at ``hs6`` and ``hs4`` (selected goods only, as for surges) where both sides
   report that code: a side that reports only a coarser code is compared at the coarser level;
3. a gap is flagged when exporter value ≥ (1 + ``tolerance``) × importer value (default 25 %: CIF
   versus FOB valuation and timing explain smaller differences) and the gap reaches ``min_gap`` a year
   (prorated to the months compared); an HS-6 gap hides its heading's gap for the same pair and year.

Score: the unaccounted share, gap / exporter value, in (0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

import polars as pl

from screening.formatting import money
from screening.frames import exact_sum, fmt
from screening.trade.corridors import REPORTER_RANK, by_level, finest, goods_codes, hits, spread
from screening.trade.places import DESTINATIONS, TRANSIT_HUBS
from screening.trade.sparkline import span

MIRROR_LEVELS: Final = ("hs6", "hs4")
PAIR: Final = ("origin", "destination", "window")


def mirror(
    legs: pl.LazyFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    since: date = date(2022, 1, 1),
    levels: Sequence[str] = MIRROR_LEVELS,
    destinations: Sequence[str] | None = None,
    tolerance: float = 0.25,
    min_gap: float = 1_000_000.0,
) -> pl.DataFrame:
    """Return mirror-gap hits (CORRIDOR_HITS columns): exports reported well above the partner's imports."""
    return mirror_hits(
        mirror_gaps(legs, goods=goods, since=since, levels=levels, destinations=destinations,
                    tolerance=tolerance, min_gap=min_gap)
    )  # fmt: skip


def mirror_gaps(
    legs: pl.LazyFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    since: date = date(2022, 1, 1),
    levels: Sequence[str] = MIRROR_LEVELS,
    destinations: Sequence[str] | None = None,
    tolerance: float = 0.25,
    min_gap: float = 1_000_000.0,
) -> pl.DataFrame:
    """Return the flagged gaps: pair, level, code, window, exported, imported, gap and the months compared."""
    if tolerance < 0:
        raise ValueError(f"tolerance ({tolerance}) must be 0 or more")
    into = list(destinations) if destinations is not None else [*TRANSIT_HUBS, *DESTINATIONS]
    start = since.year * 12 + since.month - 1
    months = (
        spread(legs)
        .filter(pl.col("rank").is_in([REPORTER_RANK["importer"], REPORTER_RANK["exporter"]]))
        .filter((pl.col("mi") >= start) & pl.col("destination").is_in(into))
        .collect()
    )
    shared = _shared_months(months)
    codes = goods_codes(goods)
    sides = [
        _side(months.filter(pl.col("rank") == REPORTER_RANK[side]), shared, codes, levels).rename({"value": side})
        for side in ("importer", "exporter")
    ]
    span_of = shared.group_by(PAIR).agg(
        pl.len().alias("n_months"), pl.col("month").min().alias("first"), pl.col("month").max().alias("last")
    )
    both = sides[1].join(sides[0], on=[*PAIR, "level", "code"]).join(span_of, on=PAIR)
    gap = pl.col("exporter") - pl.col("importer")
    flagged = both.with_columns(gap.alias("gap")).filter(
        (pl.col("exporter") >= (1 + tolerance) * pl.col("importer"))
        & (pl.col("gap") >= min_gap * pl.col("n_months") / 12)
    )
    return finest(flagged, list(PAIR))


def _shared_months(months: pl.DataFrame) -> pl.DataFrame:
    """Return origin, destination, window, month: months both the exporting and the importing country published."""
    when = [(pl.col("mi") // 12).alias("window"), (pl.col("mi") % 12 + 1).alias("month")]
    imp = months.filter(pl.col("rank") == REPORTER_RANK["importer"]).select(pl.col("destination").alias("c"), *when)
    exp = months.filter(pl.col("rank") == REPORTER_RANK["exporter"]).select(pl.col("origin").alias("c"), *when)
    pairs = months.select("origin", "destination", *when).unique()
    return (
        pairs.join(exp.unique(), left_on=["origin", "window", "month"], right_on=["c", "window", "month"])
        .join(imp.unique(), left_on=["destination", "window", "month"], right_on=["c", "window", "month"])
        .unique()
    )


def _side(
    months: pl.DataFrame, shared: pl.DataFrame, codes: tuple[str, ...] | None, levels: Sequence[str]
) -> pl.DataFrame:
    """Return one side's values per pair, level, code and window, over the months both sides published."""
    return (
        by_level(months.lazy(), codes, levels, control=False)
        .with_columns((pl.col("mi") // 12).alias("window"), (pl.col("mi") % 12 + 1).alias("month"))
        .join(shared.lazy(), on=[*PAIR, "month"], how="semi")
        .group_by(*PAIR, "level", "code")
        .agg(exact_sum("value"))
        .collect()
    )


def mirror_hits(gaps: pl.DataFrame) -> pl.DataFrame:
    """Return one hit per mirror gap, the detail giving both reports and the share unaccounted."""
    share = pl.col("gap") / pl.col("exporter")
    when = span(pl.col("window"), pl.col("first"), pl.col("last"))
    detail = fmt(
        "{} reports {} of {} exports to {} in {}; {} reports {} of imports: {} ({} %) unaccounted",
        "origin",
        money(pl.col("exporter")),
        "code",
        "destination",
        when,
        "destination",
        money(pl.col("importer")),
        money(pl.col("gap")),
        (share * 100).round(0).cast(pl.Int64),
    )
    record_id = fmt("{}>{} {} {}", "origin", "destination", "code", "window")
    return hits(gaps, record_id, share, detail)
