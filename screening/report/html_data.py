"""The numbers behind the HTML report: the compact hits payload and the frames each chart draws.

Everything is read from the run's store: the hits table's rows and the score bins from the hits,
and, for the charts about records (goods by destination, corridor series, ownership chains), the
records the hits only name; goods are counted in the store, so a big run's flagged records never
leave it. A store without the run's records gives empty frames and the report says why. Nothing
here parses a hit's ``detail``: corridor hits are keyed by their ``record_id`` (``ORIGIN>DESTINATION
CODE YEAR``, written by :func:`screening.trade.baseline.surge_hits`), and a name hit's matched name
is the listed name of its entry that the detail opens with (``PARTY ~ NAME (0.93): …``, written by
:func:`screening.names.explain.detail_expr`), as hits do not store it.
"""

from __future__ import annotations

import json
from typing import Any, Final

import polars as pl

from screening.frames import fmt
from screening.kinds import in_family, rule_ids
from screening.kinds.base import Family, ScanContext, Store, run_records
from screening.kinds.corridors import corridor_legs
from screening.report.message_refs import has_messages, with_refs
from screening.rules import RuleSet
from screening.scoring import ORDERED
from screening.sql import DUCKDB
from screening.stored_hits import StoredHits
from screening.trade.corridors import LEVELS, by_level, chpl_codes, monthly

TABLE_COLUMNS: Final = (
    "severity", "rule_id", "score", "record_id", "party", "list", "programme", "strength", "detail", "where"
)  # fmt: skip
SCORE_BINS: Final = 20
# ORIGIN>DESTINATION CODE YEAR; an origin or destination may be an ISO 3166-2 region (UA-43)
CORRIDOR_KEY: Final = r"^([A-Z]{2}(?:-[A-Z0-9]+)?)>([A-Z]{2}(?:-[A-Z0-9]+)?) (all|\d{2}|\d{4}|\d{6}) (\d{4})$"
LIST_COLUMNS: Final = ("list", "programme", "strength")
# the list tables' rows about the entries a run's hits name (a list's size at most, however many hits)
_HIT_ENTRIES: Final = "SELECT DISTINCT {} FROM {} WHERE entity_id IN (SELECT entity_id FROM run_hits) ORDER BY ALL"
BASENAME: Final = r"^.*[/\\]"  # a path up to its file name, for polars and DuckDB alike
_JSON_ESCAPES: Final = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
# records with a hit of a goods rule, read in the store: a big run's flagged records never leave it
_GOODS_BY_DESTINATION: Final = """
    SELECT coalesce(substr(coalesce(t.hs6, t.hs_code), 1, 2), 'none') AS chapter,
           coalesce(t.destination_country, t.consignee_country, 'unknown') AS destination, count(*) AS records
    FROM transactions t
    WHERE t.run_id = ? AND EXISTS (
        SELECT 1 FROM run_hits h WHERE list_contains(?::VARCHAR[], h.rule_id)
        AND h.record_id = t.record_id AND h.source_file = t.source_file AND h.line = t.line)
    GROUP BY ALL ORDER BY records DESC, chapter, destination
"""


def family_rules(rules: RuleSet, family: Family) -> list[str]:
    """Return the ids of the rules whose kind's hits belong in a report family's chart (goods, corridors, ownership)."""
    return rule_ids(rules.rules, in_family(family))


def family_where(rules: RuleSet, family: Family) -> str:
    """Return an SQL condition on ``rule_id`` true for the hits of a report family's rules."""
    return f"rule_id IN {DUCKDB.strings(family_rules(rules, family))}"


def table_rows(hits: StoredHits, limit: int) -> pl.DataFrame:
    """Return the hits table: its columns for the ``limit`` most severe, highest-scoring hits."""
    where = pl.concat_str(
        [pl.col("source_file").str.replace(BASENAME, ""), pl.lit(":"), pl.col("line").cast(pl.String)]
    )
    top = hits.frame(order=ORDERED, limit=limit)
    listed = list_columns(top, *list_facts(hits))
    if has_messages(hits.store, hits.run_id):  # a hit on a payment message says where in the message
        listed = with_refs(hits.store, hits.run_id, listed)
        where = pl.concat_str([where, _in_message()], ignore_nulls=True)
    return listed.with_columns(pl.col("score").round(3), where.alias("where")).select(TABLE_COLUMNS)


def _in_message() -> pl.Expr:
    """Return a hit's place in its payment message (message, end-to-end id, UETR, role at XPath), null elsewhere."""
    parts = [
        fmt(" message {}", "message_id"),
        fmt(" @{}", pl.col("message_offset").cast(pl.String)),
        fmt(" e2e {}", "end_to_end_id"),
        fmt(" uetr {}", "uetr"),
        fmt(" · {}", "role"),
        fmt(" at {}", "xpath"),
    ]
    return pl.when(pl.col("message_id").is_not_null()).then(pl.concat_str(parts, ignore_nulls=True))


def list_facts(hits: StoredHits) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the list entries the hits name (source, version, programmes) and their names with strengths."""
    from screening.lists import listed_relations  # noqa: PLC0415 - the lists import the store

    listed = listed_relations(hits.store, hits.run_id)
    entities = hits.sql(_HIT_ENTRIES.format("entity_id, source, list_version, programs", listed.entities))
    names = hits.sql(_HIT_ENTRIES.format("entity_id, name, strength", listed.names))
    return entities, names


def list_columns(top: pl.DataFrame, entities: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Return the hits with their entry's list (source and version), programmes and matched name's strength."""
    rows = top.with_row_index("_row")
    # a name hit's detail opens with "PARTY ~ MATCHED NAME (0.93)": the longest listed name that fits is the matched one
    opens = pl.concat_str([pl.col("party"), pl.lit(" ~ "), pl.col("name"), pl.lit(" (")])
    strength = (
        rows.select("_row", "entity_id", "party", "detail")
        .join(names, on="entity_id")
        .filter(pl.col("detail").str.starts_with(opens))
        .sort("_row", pl.col("name").str.len_chars(), "strength", descending=[False, True, False])
        .unique("_row", keep="first")
        .select("_row", "strength")
    )
    version = pl.col("list_version").fill_null("version unknown")
    entries = entities.unique("entity_id", keep="first").select(
        "entity_id", list=fmt("{} {}", "source", version), programme="programs"
    )
    joined = rows.join(entries, on="entity_id", how="left").join(strength, on="_row", how="left")
    return joined.sort("_row").drop("_row")


def hits_payload(table: pl.DataFrame, total: int) -> dict[str, Any]:
    """Return the table's hits as columns, repetitive text as a list of values and codes; ``total`` counts all hits."""
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
    return {"rows": table.height, "total": total, "columns": columns}


def script_json(value: Any) -> str:
    """Return JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def score_bins(hits: StoredHits) -> pl.DataFrame:
    """Return hit counts (``len``) per rule family (the rule id's prefix) and score bin of width 1/SCORE_BINS."""
    return hits.sql(f"""
        SELECT coalesce(nullif(regexp_extract(rule_id, '^([A-Za-z]+)', 1), ''), 'other') AS family,
               least(greatest(floor(score * {SCORE_BINS}), 0), {SCORE_BINS - 1})::BIGINT AS bin, count(*) AS len
        FROM run_hits GROUP BY ALL ORDER BY family, bin
    """)


def _context(store: Store, run_id: str) -> ScanContext:
    """Return a context that reads this run's records from the store."""
    return ScanContext(record_kind="transactions", store=store, run_id=run_id)


def goods_by_destination(hits: StoredHits, rules: RuleSet) -> pl.DataFrame:
    """Return records with a hit of a goods rule per HS chapter and destination country (``records``)."""
    return hits.sql(_GOODS_BY_DESTINATION, [hits.run_id, family_rules(rules, "goods")])


def corridor_hits(hits: pl.DataFrame, top: int) -> pl.DataFrame:
    """Return the strongest corridors (origin, destination, level, code) of corridor hits, with their flagged years.

    A corridor hit is known by its ``record_id``, a corridor key (:data:`CORRIDOR_KEY`); other hits are left out.
    """
    parts = pl.col("record_id").str.extract_groups(CORRIDOR_KEY)
    level = pl.col("code").str.len_chars().replace_strict({3: "all", 2: "hs2", 4: "hs4", 6: "hs6"}, default=None)
    keys = ["origin", "destination", "level", "code"]
    return (
        hits.with_columns(parts.struct.rename_fields(["origin", "destination", "code", "window"]).alias("_k"))
        .unnest("_k")
        .filter(pl.col("window").is_not_null())
        .with_columns(level.alias("level"), pl.col("window").cast(pl.Int64))
        .sort("score", "record_id", descending=[True, False])
        .group_by(keys, maintain_order=True)
        .agg(
            fmt("{}>{} {}", pl.first("origin"), pl.first("destination"), pl.first("code")).alias("corridor"),
            pl.col("rule_id").first(),
            pl.col("score").max(),
            pl.col("window").unique().sort().alias("windows"),
        )
        .head(top)
    )


def corridor_series(keys: pl.DataFrame, store: Store | None, run_id: str) -> pl.DataFrame:
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


def ownership_edges(hits: StoredHits, rules: RuleSet, limit: int = 40) -> pl.DataFrame:
    """Return this run's ownership links leading to parties with an ownership hit (owner, owned, share, flagged)."""
    flagged = hits.frame(family_where(rules, "ownership"))["party"].drop_nulls().unique()
    links = run_records(_context(hits.store, hits.run_id), "ownership", ["owner", "owned", "share"])
    links = links.drop_nulls(["owner", "owned"]).unique(["owner", "owned"], keep="first", maintain_order=True)
    reached = flagged
    for _ in range(6):  # climb the chains a few owners up; a deeper graph would not be readable anyway
        grown = pl.concat([reached, links.filter(pl.col("owned").is_in(reached.implode()))["owner"]]).unique()
        if grown.len() == reached.len():
            break
        reached = grown
    edges = links.filter(pl.col("owned").is_in(reached.implode())).head(limit)
    return edges.with_columns(pl.col("owned").is_in(flagged.implode()).alias("flagged"))
