"""Shared parts of the entity red flags (FinCEN/BIS joint alerts): parties, CHPL goods, hit frames.

The red-flag rules (``redflags_new``, ``redflags_links``, ``redflags_contacts``,
``redflags_changes``) look at parties across all of a run's records, so they work on whole frames:

1. :func:`conform` gives a frame every canonical column (missing ones null), so the rules run on
   partial inputs too;
2. :func:`party_keys` names a party across records by its normalised name (the ``sorted`` key of
   :func:`screening.names.normalize_names`: transliterated, legal forms dropped, words sorted), so
   ``ТОО Карго Логистик`` and ``KARGO LOGISTIK TOO`` are one party; the country is an attribute,
   not part of the identity;
3. :func:`chpl_flag` tells CHPL goods (the HS-6 codes of GOODS-001 in HS2022 or HS2017, and the
   4-digit headings that contain them);
4. :func:`hit_frame` shapes each rule's result: one hit per party and rule, ``record_id`` the
   party's first offending record, ``party`` the name as written there.

At ten million records the rules cannot afford every column of every record, so the kinds read
only the records a rule can use: :func:`chpl_sql` and :func:`hub_sql` are SQL conditions that hold
for every record :func:`chpl_flag` or :func:`hub_receipts` keeps (and :func:`hub_sql` for a few
more, which the polars filters then drop). Where a rule only counts records, a row may stand for
``n_records`` records (pre-aggregated in the store; :func:`conform` keeps the column).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Final

import polars as pl

from screening.goods.reference import chpl
from screening.names import normalize_names
from screening.schema import PARTY_RECORD_COLUMNS, RUN_HIT_FRAME, TRANSACTION_COLUMNS
from screening.sql import DUCKDB, Dialect
from screening.trade.places import DESTINATIONS, RUSSIA_INVADED, TRANSIT_HUBS, bic_country

SINCE: Final = date.fromisoformat(RUSSIA_INVADED)
HUBS: Final[tuple[str, ...]] = TRANSIT_HUBS
ONWARD: Final[tuple[str, ...]] = DESTINATIONS
# The hits of a red-flag check: the kinds' HIT_FRAME plus where the record came from.
REDFLAG_HITS: Final = RUN_HIT_FRAME
# Columns that name someone a party may appear as; used for "first appearance".
APPEARANCE_COLUMNS: Final = ("consignee", "notify_party", "shipper", "originator", "beneficiary")
# How many records a pre-aggregated row stands for.
COUNT: Final = "n_records"
BARE_BIC: Final = "[A-Z0-9]+"  # a bare BIC is only these characters


def conform(frame: pl.DataFrame, columns: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    """Return the frame with every canonical transaction column (missing ones null), typed."""
    wanted = columns or TRANSACTION_COLUMNS
    count = [pl.col(COUNT).cast(pl.Int64)] if COUNT in frame.columns else []
    # one chunk: polars 2.1 can panic ("i < self.len()") formatting strings over multi-chunk columns
    return frame.rechunk().select(
        [(pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in wanted.items()] + count
    )


def counted(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with ``n_records``, how many records each row stands for (1 unless pre-aggregated)."""
    return frame if COUNT in frame.columns else frame.with_columns(pl.lit(1, pl.Int64).alias(COUNT))


def conform_parties(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with every canonical party-record column, typed."""
    return conform(frame, PARTY_RECORD_COLUMNS)


@cache
def _chpl_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the CHPL HS-6 codes (HS2022 and HS2017) and the 4-digit headings holding them."""
    table = chpl()
    codes = sorted(set(table["hs6"].to_list()) | set(table["hs6_hs2017"].to_list()))
    return tuple(codes), tuple(sorted({c[:4] for c in codes}))


def chpl_flag() -> pl.Expr:
    """Return true for records of CHPL goods: a CHPL HS-6 code, or a bare heading containing one."""
    codes, headings = _chpl_codes()
    heading = (pl.col("hs_code").str.len_chars() == 4) & pl.col("hs_code").is_in(headings)
    return (pl.col("hs6").is_in(codes) | heading).fill_null(False)


def chpl_sql() -> str:
    """Return the SQL condition (either dialect) that is true exactly for the records :func:`chpl_flag` marks."""
    codes, headings = _chpl_codes()
    heading = f"(length(hs_code) = 4 AND hs_code IN {DUCKDB.strings(headings)})"
    return f"coalesce(hs6 IN {DUCKDB.strings(codes)} OR {heading}, false)"


def bic_sql(column: str, countries: tuple[str, ...] | list[str], sql: Dialect = DUCKDB) -> str:
    """Return an SQL condition true for every record whose BIC in ``column`` is of ``countries``.

    It holds for a few more (text that is not a bare BIC), which :func:`bic_country` then settles.
    """
    # a regular expression: DuckDB's translate() took 1.3 s more over the 10M-row ledger's banks
    return f"(substr({column}, 5, 2) IN {sql.strings(countries)} OR NOT {sql.full_match(column, BARE_BIC)})"


def hub_sql(hubs: tuple[str, ...] | list[str], sql: Dialect = DUCKDB) -> str:
    """Return an SQL condition true for every record :func:`hub_receipts` keeps (and a few more)."""
    fallback = f"(consignee_country IS NULL AND {bic_sql('beneficiary_bank', hubs, sql)})"
    return (
        f"(coalesce(consignee, beneficiary) IS NOT NULL AND (consignee_country IN {sql.strings(hubs)} OR {fallback}))"
    )


def goods_code() -> pl.Expr:
    """Return the goods code to show: the HS-6, else the declared code."""
    return pl.coalesce(pl.col("hs6"), pl.col("hs_code"), pl.lit("?"))


def party_keys(names: pl.Series) -> pl.DataFrame:
    """Return ``raw`` → ``key``: the comparable key of each distinct name (null for blank names)."""
    norm = normalize_names(names)
    key = pl.when(pl.col("sorted") != "").then(pl.col("sorted")).otherwise(pl.col("core"))
    return norm.select(pl.col("raw"), pl.when(key != "").then(key).alias("key"))


def with_key(frame: pl.DataFrame, column: str, key: str, keys: pl.DataFrame | None = None) -> pl.DataFrame:
    """Add the party key of a name column as column ``key`` (null when the name is).

    ``keys`` holds keys computed already (:func:`party_keys` of the run's names); only the names
    it lacks are normalised.
    """
    if keys is None:
        table = party_keys(frame[column])
    else:
        missing = frame.select(pl.col(column).alias("raw")).unique().join(keys, on="raw", how="anti")
        table = pl.concat([keys, party_keys(missing["raw"])])
    return frame.join(table.rename({"raw": column, "key": key}), on=column, how="left")


def consignee_country() -> pl.Expr:
    """Return the consignee's country, else the country of the beneficiary's bank."""
    return pl.coalesce(pl.col("consignee_country"), bic_country(pl.col("beneficiary_bank")))


def hub_receipts(tx: pl.DataFrame, hubs: tuple[str, ...] | list[str], keys: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return records whose consignee (or, lacking one, beneficiary) sits in a hub, keyed by party."""
    frame = tx.with_columns(
        party=pl.coalesce(pl.col("consignee"), pl.col("beneficiary")),
        party_country=consignee_country(),
        chpl=chpl_flag(),
    ).filter(pl.col("party").is_not_null() & pl.col("party_country").is_in(list(hubs)))
    return with_key(frame, "party", "key", keys).filter(pl.col("key").is_not_null())


def first_appearances(tx: pl.DataFrame) -> pl.DataFrame:
    """Return per distinct name (any role) the date it first appears: ``name``, ``first_seen``."""
    long = tx.select("date", *APPEARANCE_COLUMNS).unpivot(on=list(APPEARANCE_COLUMNS), index="date", value_name="name")
    return long.drop_nulls("name").group_by("name").agg(pl.col("date").min().alias("first_seen"))


def hit_frame(frame: pl.DataFrame, score: pl.Expr, detail: pl.Expr, party: str = "party") -> pl.DataFrame:
    """Return the hits of a rule from rows holding record_id, source_file, line and the party."""
    out = frame.select(
        pl.col("record_id").cast(pl.String),
        score.cast(pl.Float64).clip(0.01, 1.0).alias("score"),
        detail.cast(pl.String).alias("detail"),
        pl.lit(None, pl.String).alias("severity"),
        pl.col(party).cast(pl.String).alias("party"),
        pl.col("source_file").cast(pl.String),
        pl.col("line").cast(pl.Int64),
    )
    return out.sort("record_id")


def empty_hits() -> pl.DataFrame:
    """Return an empty red-flag hit frame."""
    return pl.DataFrame(schema=REDFLAG_HITS)


def day(column: str) -> pl.Expr:
    """Return a date column as ISO text."""
    return pl.col(column).dt.to_string("%Y-%m-%d")


def summarise(frame: pl.DataFrame, key: str = "key") -> pl.DataFrame:
    """Return per party its first record (id, file, line, name, country, date), record count and goods codes."""
    ordered = frame.sort(key, "date", "record_id", nulls_last=True)
    codes = goods_code().unique(maintain_order=True).head(3).str.join(", ")
    return ordered.group_by(key, maintain_order=True).agg(
        pl.col("record_id", "source_file", "line", "party", "party_country", "date").first(),
        (pl.col(COUNT).sum() if COUNT in frame.columns else pl.len()).alias("n"),
        codes.alias("codes"),
    )


def long_date(value: date) -> str:
    """Return a date as people write it in the alerts: 24 Feb 2022."""
    return f"{value.day} {value:%b %Y}"
