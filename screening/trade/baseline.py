"""Corridor surges: windows against their baseline, growth ratio, control basket and robust z-score.

Definitions (all per corridor = origin, destination, goods level and code):

- **windows** are calendar years from ``since`` on; a window covers the months of that year for
  which the data has any trade at all (the *coverage*, taken over every leg, so a partial last year
  or a ``since`` in March covers only those months — a month a corridor did not trade stays zero);
- the **baseline** of a window is the mean, over the baseline years present in the data, of the
  corridor's value in the *same months* (seasonality cancels; annual data prorated by month);
- **ratio** = recent / baseline; the **control ratio** is the same for the corridor's control basket
  (goods not selected) in the same window, and **relative** = ratio / control ratio when the control
  basket traded in both periods, at least ``CONTROL_FLOOR`` a year in the baseline (else relative =
  ratio and ``control_ratio`` is null: on a small ledger a handful of stray shipments made a
  control ratio of 8 that hid a planted ×4 surge of transistors into the UAE);
- the **robust z-score** (:func:`robust_z`, only for candidates, since it needs a dense grid):
  per-period values in the corridor's native unit (the coarsest period it reports: month, quarter or
  year, ``months``), z = (recent per-period mean − median of baseline per-period values of the same
  months) / scale, scale = max(1.4826 · MAD, 10 % of the median, 1 % of the per-period volume floor).
  The two floors make the scale explicit when MAD is 0 (a flat baseline) or the median is 0.

:func:`surge` flags a window of a corridor into a transit hub or a destination (by default) when
its recent value reaches the volume floor (``min_value`` a year, prorated for a partial window) and
either the corridor is **new** (no trade in the baseline's same months) or both ratio and relative
ratio reach ``min_ratio`` and z reaches ``min_z``. A flagged code hides its flagged headings,
chapters and "all" of the same corridor and window (:func:`~screening.trade.corridors.finest`), so
one surge is one hit. Score: 1 − ½·exp(−(ln(relative / min_ratio) + ln(z / min_z))), which is ½ at
the thresholds and tends to 1; a new corridor scores 1 − ½·floor / recent. With no baseline year in
the data at all there is nothing to compare with, and no hits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import polars as pl

from screening.formatting import money, thousands
from screening.frames import exact_sum, fmt
from screening.trade.corridors import (
    CONTROL,
    LEVELS,
    by_level,
    code_label,
    finest,
    goods_codes,
    goods_name,
    hits,
    monthly,
)
from screening.trade.places import DESTINATIONS, TRANSIT_HUBS
from screening.trade.sparkline import span, sparkline, times, years_label

MAD_SCALE: Final = 1.4826  # MAD of a normal distribution → its standard deviation
MEDIAN_FLOOR: Final = 0.10  # scale ≥ 10 % of the baseline median
VOLUME_FLOOR: Final = 0.01  # scale ≥ 1 % of the per-period volume floor
SLACK: Final = 1 - 1e-9  # thresholds forgive rounding: ×1.5 spread over months and summed back stays ×1.5
CONTROL_FLOOR: Final = 100_000.0  # US$ a year of baseline trade before a control basket counts
KEYS: Final = ("origin", "destination", "level", "code")
WINDOW_KEYS: Final = (*KEYS, "window")


@dataclass(frozen=True)
class CorridorStats:
    """Windows of every corridor with their baselines, and the series they come from."""

    windows: pl.DataFrame  # WINDOW_KEYS, recent, base, ratio, control_ratio, relative, months, n_months, first, last
    series: pl.DataFrame  # KEYS, mi, value, months: monthly values per level and code
    coverage: pl.DataFrame  # window, month: the months each window covers
    years: tuple[int, ...]  # baseline years present in the data
    baseline: tuple[int, int]


def corridor_stats(
    legs: pl.LazyFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    baseline: tuple[int, int] = (2019, 2021),
    since: date = date(2022, 1, 1),
    levels: Sequence[str] = LEVELS,
    control: bool = True,
) -> CorridorStats:
    """Return every corridor's windows from ``since`` on against the same months of the baseline years."""
    bad = sorted(set(levels) - set(LEVELS))
    if bad:
        raise ValueError(f"levels {bad}: use some of {list(LEVELS)}")
    months = monthly(legs).collect()
    first = since.year * 12 + since.month - 1
    year = pl.col("mi") // 12
    coverage = (
        months.filter(pl.col("mi") >= first)
        .select(year.alias("window"), (pl.col("mi") % 12 + 1).alias("month"))
        .unique()
        .sort("window", "month")
    )
    in_base = year.is_between(*baseline)
    years = tuple(sorted(months.filter(in_base).select(year.unique())["mi"].to_list()))
    series = by_level(months.lazy(), goods_codes(goods), levels, control).collect()
    windows = _windows(series, coverage, first, baseline, max(len(years), 1))
    return CorridorStats(windows=windows, series=series, coverage=coverage, years=years, baseline=baseline)


def _windows(
    series: pl.DataFrame, coverage: pl.DataFrame, first: int, baseline: tuple[int, int], nb: int
) -> pl.DataFrame:
    """Return recent and baseline values per corridor window, with the control basket's ratio."""
    year = pl.col("mi") // 12
    recent = (
        series.lazy()
        .filter(pl.col("mi") >= first)
        .group_by(*KEYS, year.alias("window"))
        .agg(exact_sum("value").alias("recent"), pl.col("months").max())
    )
    base = (
        series.lazy()
        .filter(year.is_between(*baseline))
        .with_columns((pl.col("mi") % 12 + 1).alias("month"))
        .join(coverage.lazy(), on="month")
        .group_by(WINDOW_KEYS)
        .agg((exact_sum("value") / nb).alias("base"), pl.col("months").max().alias("_bm"))
    )
    span = coverage.group_by("window").agg(
        pl.len().alias("n_months"), pl.col("month").min().alias("first"), pl.col("month").max().alias("last")
    )
    stats = (
        recent.join(base, on=WINDOW_KEYS, how="left")
        .join(span.lazy(), on="window")
        .with_columns(
            pl.col("base").fill_null(0.0),
            pl.max_horizontal("months", pl.col("_bm").fill_null(1)).alias("months"),
        )
        .with_columns(pl.when(pl.col("base") > 0).then(pl.col("recent") / pl.col("base")).alias("ratio"))
        .drop("_bm")
    )
    # a control basket of a few stray shipments says nothing about the corridor's trade in general
    enough = (pl.col("control_ratio") > 0) & (pl.col("base") >= CONTROL_FLOOR * pl.col("n_months") / 12)
    control = (
        stats.filter(pl.col("level") == CONTROL)
        .select("origin", "destination", "window", "base", "n_months", pl.col("ratio").alias("control_ratio"))
        .filter(enough)
        .select("origin", "destination", "window", "control_ratio")
    )
    return (
        stats.filter(pl.col("level") != CONTROL)
        .join(control, on=["origin", "destination", "window"], how="left")
        .with_columns(pl.coalesce(pl.col("ratio") / pl.col("control_ratio"), "ratio").alias("relative"))
        .collect()
    )


def robust_z(stats: CorridorStats, candidates: pl.DataFrame, min_value: float) -> pl.DataFrame:
    """Return ``candidates`` with ``z``: the recent per-period mean against the baseline's median and MAD."""
    unit = pl.col("months")
    cells = (
        candidates.select(*WINDOW_KEYS, "months")
        .join(stats.coverage, on="window")
        .with_columns(((pl.col("month") - 1) // unit).alias("block"))
    )
    blocks = cells.select(*WINDOW_KEYS, "block", "months").unique()
    grid = blocks.join(pl.DataFrame({"byear": list(stats.years)}, schema={"byear": pl.Int64}), how="cross")
    year = pl.col("mi") // 12
    values = (
        stats.series.filter(year.is_between(*stats.baseline))
        .select(*KEYS, year.alias("byear"), (pl.col("mi") % 12 + 1).alias("month"), "value")
        .join(cells.select(*WINDOW_KEYS, "month", "block"), on=[*KEYS, "month"])
        .group_by(*WINDOW_KEYS, "byear", "block")
        .agg(exact_sum("value"))
    )
    points = grid.join(values, on=[*WINDOW_KEYS, "byear", "block"], how="left").with_columns(
        pl.col("value").fill_null(0)
    )
    median = points.group_by(WINDOW_KEYS).agg(pl.col("value").median().alias("median"), pl.len().alias("_n"))
    mad = (
        points.join(median, on=WINDOW_KEYS)
        .group_by(WINDOW_KEYS)
        .agg((pl.col("value") - pl.col("median")).abs().median().alias("mad"))
    )
    nblocks = blocks.group_by(WINDOW_KEYS).agg(pl.len().alias("blocks"))
    scale = pl.max_horizontal(
        MAD_SCALE * pl.col("mad"), MEDIAN_FLOOR * pl.col("median"), VOLUME_FLOOR * min_value * unit / 12
    )
    return (
        candidates.join(nblocks, on=WINDOW_KEYS)
        .join(median, on=WINDOW_KEYS, how="left")
        .join(mad, on=WINDOW_KEYS, how="left")
        .with_columns(pl.col("median").fill_null(0.0), pl.col("mad").fill_null(0.0))
        .with_columns(((pl.col("recent") / pl.col("blocks") - pl.col("median")) / scale).alias("z"))
        .drop("_n", "blocks")
    )


def yearly(stats: CorridorStats, hits: pl.DataFrame, keys: Sequence[str] = KEYS) -> pl.DataFrame:
    """Return each hit key's value per calendar year, zero-filled, from the first baseline year to its window."""
    year = pl.col("mi") // 12
    sums = (
        stats.series.join(hits.select(keys).unique(), on=list(keys), how="semi")
        .group_by(*keys, year.alias("year"))
        .agg(exact_sum("value"))
    )
    grid = (
        hits.select(*keys, "window")
        .unique()
        .with_columns(pl.int_ranges(stats.baseline[0], pl.col("window") + 1).alias("year"))
        .explode("year")
    )
    return grid.join(sums, on=[*keys, "year"], how="left").with_columns(pl.col("value").fill_null(0.0))


def surge(
    legs: pl.LazyFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    baseline: tuple[int, int] = (2019, 2021),
    since: date = date(2022, 1, 1),
    levels: Sequence[str] = LEVELS,
    destinations: Sequence[str] | None = None,
    min_ratio: float = 1.5,
    min_z: float = 3.0,
    min_value: float = 1_000_000.0,
    control: bool = True,
) -> pl.DataFrame:
    """Return corridor hits for windows far above their baseline (CORRIDOR_HITS columns)."""
    if min_ratio <= 0 or min_z <= 0:
        raise ValueError(f"min_ratio ({min_ratio}) and min_z ({min_z}) must be positive")
    stats = corridor_stats(legs, goods=goods, baseline=baseline, since=since, levels=levels, control=control)
    flagged = surges(stats, destinations=destinations, min_ratio=min_ratio, min_z=min_z, min_value=min_value)
    return surge_hits(stats, flagged, goods=goods, min_ratio=min_ratio, min_z=min_z, min_value=min_value)


def surges(
    stats: CorridorStats,
    *,
    levels: Sequence[str] = LEVELS,
    destinations: Sequence[str] | None = None,
    min_ratio: float = 1.5,
    min_z: float = 3.0,
    min_value: float = 1_000_000.0,
) -> pl.DataFrame:
    """Return the flagged corridor windows (with ``z`` and ``new``), finest level only."""
    into = list(destinations) if destinations is not None else [*TRANSIT_HUBS, *DESTINATIONS]
    new = pl.col("base") <= 0
    grown = (pl.col("ratio") >= min_ratio * SLACK) & (pl.col("relative") >= min_ratio * SLACK)
    floor = min_value * pl.col("n_months") / 12 * SLACK
    candidates = stats.windows.filter(
        pl.col("level").is_in(list(levels))
        & pl.col("destination").is_in(into)
        & (pl.col("recent") >= floor)
        & (new | grown.fill_null(False))
    ).with_columns(new.alias("new"))
    if candidates.height == 0 or not stats.years:
        return candidates.with_columns(pl.lit(None, pl.Float64).alias("z")).clear()
    scored = robust_z(stats, candidates, min_value)
    return finest(scored.filter(pl.col("new") | (pl.col("z") >= min_z * SLACK)), ["origin", "destination", "window"])


def surge_hits(
    stats: CorridorStats,
    flagged: pl.DataFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    min_ratio: float = 1.5,
    min_z: float = 3.0,
    min_value: float = 1_000_000.0,
) -> pl.DataFrame:
    """Return one hit per flagged corridor window, with a detail a reader understands and a sparkline."""
    if flagged.height == 0:
        return hits(flagged, pl.lit(""), pl.lit(1.0), pl.lit(""))
    spark = sparkline(yearly(stats, flagged), [*KEYS, "window"])
    frame = flagged.join(spark, on=[*KEYS, "window"], how="left")
    excess = (pl.col("relative") / min_ratio).log() + (pl.col("z").clip(lower_bound=min_z) / min_z).log()
    floor = min_value * pl.col("n_months") / 12
    score = pl.when(pl.col("new")).then(1 - 0.5 * floor / pl.col("recent")).otherwise(1 - 0.5 * (-excess).exp())
    record_id = fmt("{}>{} {} {}", "origin", "destination", "code", "window")
    return hits(frame, record_id, score, _detail(stats.baseline, goods_name(goods)))


def _detail(baseline: tuple[int, int], goods_label: str) -> pl.Expr:
    """Return the detail of a surge hit: growth, z, value, control basket and sparkline."""
    base = years_label(*baseline)
    head = fmt("{} imports of {} from {}: ", "destination", code_label(goods_label), "origin")
    growth = fmt(
        "{} (+{} %) vs the {} mean of the same months; z = {}",
        times(pl.col("ratio")),
        thousands((pl.col("ratio") - 1) * 100),
        pl.lit(base),
        pl.col("z").round(1),
    )
    new = pl.lit(f"new corridor, no trade in the same months of {base}")
    when = span(pl.col("window"), pl.col("first"), pl.col("last"))
    control = (
        pl.when(pl.col("control_ratio").is_null())
        .then(pl.lit("no control basket"))
        .otherwise(fmt("control basket {}", times(pl.col("control_ratio"))))
    )
    trend = fmt("{}–{} {}", pl.lit(baseline[0]), "window", "spark")
    return pl.concat_str(
        [
            head,
            pl.when(pl.col("new")).then(new).otherwise(growth),
            pl.lit("; "),
            money(pl.col("recent")),
            pl.lit(" in "),
            when,
            pl.lit("; "),
            control,
            pl.lit("; "),
            trend,
        ]
    )
