"""Triangles: the coalition/China → hub leg and the hub → Russia leg rising together for the same code.

A triangle is a pair of corridor windows (:mod:`screening.trade.baseline`) for the same HS code
(``hs6`` or ``hs4``) and window year:

- leg A: origin in the coalition, China or Hong Kong (``origins``) → a transit hub (``hubs``);
- leg B: that hub → Russia, Belarus or an occupied region (``destinations``);

each *rising*: recent value at or over ``min_value`` a year (prorated for a partial window) and
either new (no trade in the baseline's same months) or ratio and control-adjusted ratio both at or
over ``min_ratio`` (lower than a surge's: two legs rising together are the stronger evidence).
Leg B may come from the hub's export report, the destination's import report or transaction
records, whichever :func:`~screening.trade.corridors.monthly` chose. A flagged HS-6 triangle hides
the HS-4 triangle of its heading for the same route and window. Score:
1 − ½·exp(−(ln(rA / min_ratio) + ln(rB / min_ratio))), a new leg counting ln(recent / floor).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

import polars as pl

from screening.formatting import money
from screening.frames import fmt
from screening.trade.baseline import SLACK, CorridorStats, corridor_stats
from screening.trade.corridors import finest, hits
from screening.trade.places import COALITION, DESTINATIONS, TRANSIT_HUBS
from screening.trade.sparkline import span, times, years_label

ORIGINS: Final[tuple[str, ...]] = (*COALITION, "CN", "HK")
TRIANGLE_LEVELS: Final = ("hs6", "hs4")
LEG: Final = ("recent", "base", "ratio", "relative")


def triangle(
    legs: pl.LazyFrame,
    *,
    goods: str | Sequence[str] = "chpl",
    baseline: tuple[int, int] = (2019, 2021),
    since: date = date(2022, 1, 1),
    levels: Sequence[str] = TRIANGLE_LEVELS,
    origins: Sequence[str] | None = None,
    hubs: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    min_ratio: float = 1.3,
    min_value: float = 1_000_000.0,
    control: bool = True,
) -> pl.DataFrame:
    """Return triangle hits (CORRIDOR_HITS columns): both legs of a reroute rising for the same code."""
    stats = corridor_stats(legs, goods=goods, baseline=baseline, since=since, levels=levels, control=control)
    found = triangles(
        stats,
        levels=levels,
        origins=origins,
        hubs=hubs,
        destinations=destinations,
        min_ratio=min_ratio,
        min_value=min_value,
    )
    return triangle_hits(found, stats.baseline, min_ratio=min_ratio, min_value=min_value)


def triangles(
    stats: CorridorStats,
    *,
    levels: Sequence[str] = TRIANGLE_LEVELS,
    origins: Sequence[str] | None = None,
    hubs: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    min_ratio: float = 1.3,
    min_value: float = 1_000_000.0,
) -> pl.DataFrame:
    """Return the flagged triangles: origin, hub, destination, level, code, window and both legs' figures."""
    if min_ratio <= 0:
        raise ValueError(f"min_ratio ({min_ratio}) must be positive")
    hub_list = list(hubs) if hubs is not None else list(TRANSIT_HUBS)
    windows = stats.windows.filter(pl.col("level").is_in(list(levels)))
    rising = _rising(windows, min_ratio, min_value) if stats.years else windows.clear()
    leg_a = rising.filter(
        pl.col("origin").is_in(list(origins) if origins is not None else list(ORIGINS))
        & pl.col("destination").is_in(hub_list)
    ).select("origin", pl.col("destination").alias("hub"), "level", "code", "window", "first", "last",
             "n_months", *[pl.col(c).alias(f"a_{c}") for c in LEG])  # fmt: skip
    leg_b = rising.filter(
        pl.col("origin").is_in(hub_list)
        & pl.col("destination").is_in(list(destinations) if destinations is not None else list(DESTINATIONS))
    ).select(pl.col("origin").alias("hub"), "destination", "level", "code", "window",
             *[pl.col(c).alias(f"b_{c}") for c in LEG])  # fmt: skip
    found = leg_a.join(leg_b, on=["hub", "level", "code", "window"]).filter(pl.col("origin") != pl.col("destination"))
    return finest(found, ["origin", "hub", "destination", "window"])


def _rising(windows: pl.DataFrame, min_ratio: float, min_value: float) -> pl.DataFrame:
    """Return corridor windows over the volume floor that are new or grew at least ``min_ratio``."""
    floor = min_value * pl.col("n_months") / 12 * SLACK
    grown = (pl.col("ratio") >= min_ratio * SLACK) & (pl.col("relative") >= min_ratio * SLACK)
    return windows.filter((pl.col("recent") >= floor) & ((pl.col("base") <= 0) | grown.fill_null(False)))


def triangle_hits(
    found: pl.DataFrame, baseline: tuple[int, int], *, min_ratio: float, min_value: float
) -> pl.DataFrame:
    """Return one hit per triangle, the detail naming both legs' growth."""
    floor = min_value * pl.col("n_months") / 12

    def strength(leg: str) -> pl.Expr:
        """Return how far one leg is past its threshold, in log units."""
        new = pl.col(f"{leg}_base") <= 0
        return (
            pl.when(new)
            .then((pl.col(f"{leg}_recent") / floor).log())
            .otherwise((pl.col(f"{leg}_relative") / min_ratio).log())
        )

    score = 1 - 0.5 * (-(strength("a") + strength("b"))).exp()
    record_id = fmt("{}>{}>{} {} {}", "origin", "hub", "destination", "code", "window")
    return hits(found, record_id, score, _detail(baseline))


def _detail(baseline: tuple[int, int]) -> pl.Expr:
    """Return the detail of a triangle: the hub's imports and exports of the code and their growth."""

    def growth(leg: str) -> pl.Expr:
        """Return one leg's growth and value in words."""
        ratio = pl.when(pl.col(f"{leg}_base") <= 0).then(pl.lit("new")).otherwise(times(pl.col(f"{leg}_ratio")))
        return fmt("{} ({})", ratio, money(pl.col(f"{leg}_recent")))

    return fmt(
        "{}: imports of {} from {} {} and exports to {} {} in {} vs {}",
        "hub",
        "code",
        "origin",
        growth("a"),
        "destination",
        growth("b"),
        span(pl.col("window"), pl.col("first"), pl.col("last")),
        pl.lit(years_label(*baseline)),
    )
