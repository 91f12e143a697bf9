"""The numbers behind the HTML report: the compact hits payload and the frames each chart draws.

Charts about records (goods by destination, corridor series, ownership chains) need the records
themselves, which the hits only name: with the run's store they are read back with
:func:`~screening.kinds.base.run_records`; without it those frames are empty and the report says
why. Nothing here parses a hit's ``detail``: corridor hits are keyed by their ``record_id``
(``ORIGIN>DESTINATION CODE YEAR``, written by :func:`screening.trade.baseline.surge_hits`).
"""

from __future__ import annotations

import json
from typing import Any, Final

import polars as pl

from screening.engine import SEVERITY_RANK
from screening.kinds.base import ScanContext, run_records
from screening.kinds.corridors import corridor_legs
from screening.trade.corridors import LEVELS, by_level, chpl_codes, monthly

TABLE_COLUMNS: Final = ("severity", "rule_id", "score", "record_id", "party", "detail", "where")
SCORE_BINS: Final = 20
# ORIGIN>DESTINATION CODE YEAR; an origin or destination may be an ISO 3166-2 region (UA-43)
CORRIDOR_KEY: Final = r"^([A-Z]{2}(?:-[A-Z0-9]+)?)>([A-Z]{2}(?:-[A-Z0-9]+)?) (all|\d{2}|\d{4}|\d{6}) (\d{4})$"
_JSON_ESCAPES: Final = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def ordered_hits(hits: pl.DataFrame) -> pl.DataFrame:
    """Return the hits table's columns, most severe and highest-scoring first."""
    where = pl.concat_str(
        [pl.col("source_file").str.replace(r"^.*[/\\]", ""), pl.lit(":"), pl.col("line").cast(pl.String)]
    )
    return (
        hits.with_columns(pl.col("severity").replace_strict(SEVERITY_RANK, default=0).alias("_rank"))
        .sort(["_rank", "score", "rule_id", "record_id"], descending=[True, True, False, False], nulls_last=True)
        .select("severity", "rule_id", pl.col("score").round(3), "record_id", "party", "detail", where.alias("where"))
    )


def hits_payload(hits: pl.DataFrame, limit: int | None = None) -> dict[str, Any]:
    """Return the first ``limit`` hits (most severe first) as columns; repetitive text is a list of values and codes."""
    table = ordered_hits(hits).head(limit) if limit is not None else ordered_hits(hits)
    columns: dict[str, Any] = {}
    for name in TABLE_COLUMNS:
        series = table[name]
        distinct = series.unique(maintain_order=True)
        if series.dtype == pl.String and distinct.len() * 2 < max(series.len(), 1):
            index = distinct.to_frame().with_row_index("_code")
            codes = series.to_frame().join(index, on=name, how="left", maintain_order="left", nulls_equal=True)
            columns[name] = {"values": distinct.to_list(), "codes": codes["_code"].to_list()}
        else:
            columns[name] = series.to_list()
    return {"rows": table.height, "total": hits.height, "columns": columns}


def script_json(value: Any) -> str:
    """Return JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def score_bins(hits: pl.DataFrame) -> pl.DataFrame:
    """Return hit counts per rule family (the rule id's prefix) and score bin of width 1/SCORE_BINS."""
    return (
        hits.select(
            pl.col("rule_id").str.extract(r"^([A-Za-z]+)").fill_null("other").alias("family"),
            (pl.col("score") * SCORE_BINS).floor().clip(0, SCORE_BINS - 1).cast(pl.Int64).alias("bin"),
        )
        .group_by("family", "bin")
        .len()
        .sort("family", "bin")
    )


def _context(store: Any, run_id: str) -> ScanContext:
    """Return a context that reads this run's records from the store."""
    return ScanContext(record_kind="transactions", store=store, run_id=run_id)


def goods_by_destination(hits: pl.DataFrame, store: Any, run_id: str) -> pl.DataFrame:
    """Return records with a GOODS-* hit per HS chapter and destination country (``records``)."""
    flagged = hits.filter(pl.col("rule_id").str.starts_with("GOODS-")).select("record_id", "source_file", "line")
    columns = ["record_id", "source_file", "line", "hs_code", "hs6", "destination_country", "consignee_country"]
    records = run_records(_context(store, run_id), "transactions", columns)
    chapter = pl.coalesce("hs6", "hs_code").str.slice(0, 2)
    return (
        records.join(flagged.unique(), on=["record_id", "source_file", "line"], how="semi")
        .select(
            chapter.fill_null("none").alias("chapter"),
            pl.coalesce("destination_country", "consignee_country").fill_null("unknown").alias("destination"),
        )
        .group_by("chapter", "destination")
        .len("records")
        .sort("records", "chapter", descending=[True, False])
    )


def corridor_hits(hits: pl.DataFrame, top: int) -> pl.DataFrame:
    """Return the strongest corridors of ROUTE-* hits (origin, destination, level, code) with their flagged years."""
    parts = pl.col("record_id").str.extract_groups(CORRIDOR_KEY)
    level = pl.col("code").str.len_chars().replace_strict({3: "all", 2: "hs2", 4: "hs4", 6: "hs6"}, default=None)
    keys = ["origin", "destination", "level", "code"]
    return (
        hits.filter(pl.col("rule_id").str.starts_with("ROUTE-"))
        .with_columns(parts.struct.rename_fields(["origin", "destination", "code", "window"]).alias("_k"))
        .unnest("_k")
        .filter(pl.col("window").is_not_null())
        .with_columns(level.alias("level"), pl.col("window").cast(pl.Int64))
        .sort("score", "record_id", descending=[True, False])
        .group_by(keys, maintain_order=True)
        .agg(
            pl.format("{}>{} {}", pl.first("origin"), pl.first("destination"), pl.first("code")).alias("corridor"),
            pl.col("rule_id").first(),
            pl.col("score").max(),
            pl.col("window").unique().sort().alias("windows"),
        )
        .head(top)
    )


def corridor_series(keys: pl.DataFrame, store: Any, run_id: str) -> pl.DataFrame:
    """Return monthly values (``mi`` = year·12 + month − 1) of the corridors in ``keys``, from flows and records."""
    empty = pl.DataFrame(schema={"origin": pl.String, "destination": pl.String, "level": pl.String,
                                 "code": pl.String, "mi": pl.Int64, "value": pl.Float64})  # fmt: skip
    if keys.height == 0 or store is None:
        return empty
    legs = corridor_legs(_context(store, run_id))  # the rule kinds' legs: transactions grouped in the store
    series = by_level(monthly(legs), chpl_codes(), LEVELS, control=False).collect()
    wanted = keys.select("origin", "destination", "level", "code").unique()
    found = series.join(wanted, on=["origin", "destination", "level", "code"], how="semi")
    return found.select(empty.columns).cast(empty.schema).sort("origin", "destination", "code", "mi")


def ownership_edges(hits: pl.DataFrame, store: Any, run_id: str, limit: int = 40) -> pl.DataFrame:
    """Return this run's ownership links leading to parties with an OWN-* hit (owner, owned, share, flagged)."""
    flagged = hits.filter(pl.col("rule_id").str.starts_with("OWN-"))["party"].drop_nulls().unique()
    links = run_records(_context(store, run_id), "ownership", ["owner", "owned", "share"])
    links = links.drop_nulls(["owner", "owned"]).unique(["owner", "owned"], keep="first", maintain_order=True)
    reached = flagged
    for _ in range(6):  # climb the chains a few owners up; a deeper graph would not be readable anyway
        grown = pl.concat([reached, links.filter(pl.col("owned").is_in(reached.implode()))["owner"]]).unique()
        if grown.len() == reached.len():
            break
        reached = grown
    edges = links.filter(pl.col("owned").is_in(reached.implode())).head(limit)
    return edges.with_columns(pl.col("owned").is_in(flagged.implode()).alias("flagged"))
