"""Corridor legs: one frame of trade from origin to destination, from flow tables and transaction records.

A *leg* is trade from one country to another in one HS code and period (:data:`LEGS`). Both input
shapes become legs:

- flow tables (customs statistics: reporter, partner, flow, code, period, value):
  an import report gives partner → reporter (``reporter='importer'``), an export report
  reporter → partner (``'exporter'``);
- transaction records: monthly sums (``period`` = the month of ``date``); origin is
  ``origin_country``, else ``shipper_country``; destination ``destination_country``, else
  ``consignee_country`` (a column the records lack counts as empty); a record with a
  ``transit_country`` (other than both ends) gives two legs, origin → transit and transit →
  destination (``'records'``). Records are first summed by route and
  month, and only then split into legs, so the split works on the small aggregate. Values are summed
  in US dollars: a value in another currency at its year's average rate (:mod:`screening.ingest.rates`),
  one in a currency with no rate left out (and noted), as the flow tables are stored in dollars.

Then the analyses see the legs as monthly series (:func:`monthly`):

1. a period of several months (quarter, year) is spread evenly over its months, so annual and
   monthly data compare on the same months (an annual baseline prorated to Jan–Jun of a partial year);
2. one source per corridor and calendar year: the importer's report, else the exporter's, else
   transaction records (customs practice: imports are the better-recorded side); choosing for the
   corridor-year as a whole keeps ``8482`` from one side and ``848210`` from the other from adding
   up, and keeps the control basket on the same source as the goods it is compared with;
3. ``months`` keeps the coarsest native period of the row (1, 3 or 12), the unit robust z-scores use.

Goods levels (:func:`by_level`): a selection of HS-6 codes (by default the CHPL, HS2022 and HS2017
codes) is counted at ``hs6``, ``hs4``, ``hs2`` and ``all``; a code declared coarser than six digits
(``8482``) counts at its own level and coarser ones when its heading or chapter contains a selected
code. Everything else is the corridor's *control basket* of ordinary goods (level ``control``);
coarse codes that contain selected codes belong to neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

import polars as pl

from screening.frames import exact_sum, fmt
from screening.goods.reference import chpl
from screening.schema import RUN_HIT_FRAME

LEGS: Final[dict[str, pl.DataType]] = {
    "origin": pl.String(),
    "destination": pl.String(),
    "hs_code": pl.String(),
    "hs6": pl.String(),
    "period": pl.Date(),
    "period_months": pl.Int64(),
    "value": pl.Float64(),
    "reporter": pl.String(),
}
LEG_KEYS: Final = ("origin", "destination", "hs_code", "hs6", "period", "period_months", "reporter")
REPORTER_RANK: Final = {"importer": 0, "exporter": 1, "records": 2}
LEVELS: Final[tuple[str, ...]] = ("hs6", "hs4", "hs2", "all")
LEVEL_DIGITS: Final = {"hs6": 6, "hs4": 4, "hs2": 2, "all": 0}
CONTROL: Final = "control"
# The hits of a corridor analysis: the kinds' HIT_FRAME, with no file or line (a corridor is no record).
CORRIDOR_HITS: Final = RUN_HIT_FRAME


def legs_from_flows(flows: pl.LazyFrame) -> pl.LazyFrame:
    """Return the legs of a flow table: imports run partner → reporter, exports reporter → partner."""
    imports = pl.col("flow") == "import"
    return _summed(
        flows.filter(pl.col("flow").is_in(["import", "export"]) & (pl.col("value") >= 0)).select(
            pl.when(imports).then(pl.col("partner_country")).otherwise(pl.col("reporter_country")).alias("origin"),
            pl.when(imports).then(pl.col("reporter_country")).otherwise(pl.col("partner_country")).alias("destination"),
            "hs_code",
            "hs6",
            "period",
            pl.col("period_months").fill_null(12),
            "value",
            pl.when(imports).then(pl.lit("importer")).otherwise(pl.lit("exporter")).alias("reporter"),
        )
    )


def legs_from_transactions(tx: pl.LazyFrame, rates: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Return the monthly legs of transaction records, a transit country splitting a route in two.

    With ``rates`` (currency, year, usd_per_unit; :func:`screening.ingest.rates.usd_rates`) values are
    summed in US dollars, and a record in a currency with no rate for its year is left out.
    """
    present = set(tx.collect_schema().names())
    if rates is not None and "currency" in present:
        tx = in_usd(tx, rates)

    def col(name: str) -> pl.Expr:
        """Return a country column, null when the records lack it."""
        return pl.col(name) if name in present else pl.lit(None, pl.String)

    routes = (
        tx.select(
            pl.coalesce(col("origin_country"), col("shipper_country")).alias("origin"),
            col("transit_country").alias("transit"),
            pl.coalesce(col("destination_country"), col("consignee_country")).alias("destination"),
            "hs_code",
            "hs6",
            pl.col("date").dt.month_start().alias("period"),
            "value",
        )
        .filter(pl.col("value") >= 0)
        .group_by("origin", "transit", "destination", "hs_code", "period")  # hs6 follows from hs_code
        .agg(exact_sum("value"), pl.col("hs6").first())
    )
    via = pl.col("transit").is_not_null() & (pl.col("transit") != pl.col("origin"))
    via = via & (pl.col("transit") != pl.col("destination"))
    direct = routes.filter(~via.fill_null(False))
    split = routes.filter(via.fill_null(False))
    parts = [
        direct.drop("transit"),
        split.drop("destination").rename({"transit": "destination"}),
        split.drop("origin").rename({"transit": "origin"}),
    ]
    legs = pl.concat([p.select("origin", "destination", "hs_code", "hs6", "period", "value") for p in parts])
    return _summed(legs.with_columns(period_months=pl.lit(1, pl.Int64), reporter=pl.lit("records")))


def in_usd(tx: pl.LazyFrame, rates: pl.LazyFrame) -> pl.LazyFrame:
    """Return records with ``value`` in US dollars (as declared without a currency or in USD), unpriced ones dropped."""
    keyed = tx.with_columns(pl.col("date").dt.year().cast(pl.Int64).alias("_year"))
    joined = keyed.join(rates, left_on=["currency", "_year"], right_on=["currency", "year"], how="left")
    as_declared = pl.col("currency").is_null() | (pl.col("currency") == "USD")
    usd = pl.when(as_declared).then(pl.col("value")).otherwise(pl.col("value") * pl.col("usd_per_unit"))
    return joined.with_columns(usd.alias("value")).filter(pl.col("value").is_not_null()).drop("_year", "usd_per_unit")


def _summed(legs: pl.LazyFrame) -> pl.LazyFrame:
    """Drop incomplete and domestic legs, sum values by leg key and give the frame the LEGS types."""
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in ("origin", "destination", "hs_code", "period"))
    return (
        legs.filter(complete & pl.col("value").is_not_null() & (pl.col("origin") != pl.col("destination")))
        .group_by(LEG_KEYS)
        .agg(exact_sum("value"))
        .select([pl.col(c).cast(t) for c, t in LEGS.items()])
    )


def empty_legs() -> pl.LazyFrame:
    """Return a legs frame without rows."""
    return pl.LazyFrame(schema=LEGS)


@cache
def chpl_codes() -> tuple[str, ...]:
    """Return the CHPL HS-6 codes, HS2022 and HS2017."""
    table = chpl()
    return tuple(sorted(set(table["hs6"].to_list()) | set(table["hs6_hs2017"].to_list())))


def goods_codes(goods: str | Sequence[str]) -> tuple[str, ...] | None:
    """Return the selected HS-6 codes: ``"chpl"`` the CHPL, ``"all"`` None (every good), else the codes given."""
    if isinstance(goods, str):
        if goods not in ("chpl", "all"):
            raise ValueError(f"goods {goods!r}: use 'chpl', 'all' or a list of HS-6 codes")
        return chpl_codes() if goods == "chpl" else None
    codes = tuple(sorted({"".join(ch for ch in str(c) if ch.isdigit()) for c in goods}))
    if not codes or any(len(c) != 6 for c in codes):
        raise ValueError(f"goods {list(goods)!r}: every code must have six digits (e.g. '848210')")
    return codes


def spread(legs: pl.LazyFrame) -> pl.LazyFrame:
    """Return legs as monthly values (``mi`` = year·12 + month − 1), longer periods spread evenly, ranked by source."""
    code = pl.coalesce("hs6", pl.col("hs_code").str.slice(0, 6))
    start = pl.col("period").dt.year().cast(pl.Int64) * 12 + pl.col("period").dt.month().cast(pl.Int64) - 1
    frame = legs.select(
        "origin",
        "destination",
        code.alias("code"),
        start.alias("mi"),
        pl.col("period_months").clip(1, 12).alias("months"),
        "value",
        pl.col("reporter").replace_strict(REPORTER_RANK, default=3, return_dtype=pl.Int8).alias("rank"),
    )
    one = frame.filter(pl.col("months") == 1)
    longer = (
        frame.filter(pl.col("months") > 1)
        .with_columns(pl.int_ranges(0, pl.col("months")).alias("_k"), pl.col("value") / pl.col("months"))
        .explode("_k")
        .with_columns(pl.col("mi") + pl.col("_k"))
        .drop("_k")
    )
    return pl.concat([one, longer])


def monthly(legs: pl.LazyFrame) -> pl.LazyFrame:
    """Return monthly values from one source per corridor and year (importer, exporter, records).

    The source is chosen for the corridor-year as a whole, not per HS heading, so the control
    basket always comes from the same source as the goods it is compared with.
    """
    scope = ["origin", "destination", pl.col("mi") // 12]
    months = spread(legs)
    return months.filter(pl.col("rank") == pl.col("rank").min().over(scope)).drop("rank")


def by_level(series: pl.LazyFrame, codes: tuple[str, ...] | None, levels: Sequence[str], control: bool) -> pl.LazyFrame:
    """Return monthly series keyed by ``level`` and ``code`` (selected goods per level, plus the control basket)."""
    digits = pl.col("code").str.len_chars()
    if codes is None:
        selected = pl.lit(True)
    else:
        prefixes = sorted({c[:n] for c in codes for n in (2, 4, 6)})
        selected = pl.col("code").is_in(prefixes) & digits.is_in([2, 4, 6])
    tagged = series.with_columns(selected.alias("_sel"), digits.alias("_k"))
    parts = [
        tagged.filter(pl.col("_sel") & (pl.col("_k") >= LEVEL_DIGITS[level])).with_columns(
            pl.lit(level).alias("level"),
            (pl.col("code").str.slice(0, LEVEL_DIGITS[level]) if level != "all" else pl.lit("all")).alias("code"),
        )
        for level in levels
    ]
    if control and codes is not None:
        rest = tagged.filter(~pl.col("_sel")).with_columns(
            pl.lit(CONTROL).alias("level"), pl.lit(CONTROL).alias("code")
        )
        parts.append(rest)
    keys = ["origin", "destination", "level", "code", "mi"]
    return pl.concat(parts).group_by(keys).agg(exact_sum("value"), pl.col("months").max())


def finest(flagged: pl.DataFrame, group: Sequence[str]) -> pl.DataFrame:
    """Drop flagged rows whose code contains a flagged finer code of the same group (no hs4 beside its hs6)."""
    parts = [
        flagged.filter(pl.col("level").replace_strict(LEVEL_DIGITS, default=0) > LEVEL_DIGITS[coarse]).select(
            *group,
            pl.lit(coarse).alias("level"),
            pl.col("code").str.slice(0, LEVEL_DIGITS[coarse]) if coarse != "all" else pl.lit("all").alias("code"),
        )
        for coarse in ("hs4", "hs2", "all")
    ]
    covered = pl.concat(parts).unique()
    return flagged.join(covered, on=[*group, "level", "code"], how="anti")


def code_label(goods_name: str) -> pl.Expr:
    """Return the goods a corridor row is about in words: the code, ``chapter 84`` or ``all CHPL goods``."""
    return (
        pl.when(pl.col("level") == "hs2")
        .then(fmt("chapter {}", pl.col("code")))
        .when(pl.col("level") == "all")
        .then(pl.lit(f"all {goods_name}"))
        .otherwise(pl.col("code"))
    )


def goods_name(goods: str | Sequence[str]) -> str:
    """Return how details name the selected goods as a whole."""
    if isinstance(goods, str):
        return "CHPL goods" if goods == "chpl" else "goods"
    return "selected goods"


def hits(frame: pl.DataFrame, record_id: pl.Expr, score: pl.Expr, detail: pl.Expr) -> pl.DataFrame:
    """Return corridor hits with the columns of CORRIDOR_HITS, ordered by record id."""
    if frame.height == 0:
        return pl.DataFrame(schema=CORRIDOR_HITS)
    shaped = frame.select(record_id.alias("record_id"), score.clip(1e-6, 1.0).alias("score"), detail.alias("detail"))
    nulls = [pl.lit(None).cast(CORRIDOR_HITS[c]).alias(c) for c in ("severity", "party", "source_file", "line")]
    return shaped.with_columns(nulls).select(list(CORRIDOR_HITS)).sort("record_id")
