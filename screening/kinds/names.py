"""Rule kind ``name_match``: screen every party-name column against the sanctions watchlist.

The watchlist comes from the store's list tables when they hold names, else from the bundled
sample lists; its matching index is built once per run (:data:`NAME_INDEX`). Each batch is screened
on its distinct names only, then the matches are joined back to every record carrying them. The
names already screened in the run are remembered with their matches (up to ``MEMO_NAMES``
names), so a name that recurs across batches is matched once: each 1M-row slice of the synthetic
10M-row ledger holds 126k distinct names, the whole ledger 162k.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, cast

import polars as pl

from screening import schema
from screening.frames import compact
from screening.kinds.base import Check, Count, Resource, ScanContext, Score, empty_hits, has_columns
from screening.names import DEFAULT_THRESHOLD, NameIndex, build_index, match_index
from screening.schema import HIT_FRAME, SEVERITIES

if TYPE_CHECKING:
    from screening.store import Store as StoredLists

SANCTION_TOPIC: Final = "sanction"
CRAFT: Final = frozenset({"Vessel", "Aircraft"})
VESSEL_COLUMNS: Final = frozenset({"vessel"})
# a person or a company, unknown which: the matcher's entity-type qualifier rules out vessels and aircraft, and
# its name is read untyped (an opening title goes where no legal form and two words or more remain: Dr Ahmad Hassan)
PARTY_SCHEMA: Final = "LegalEntity"
QUERY_KEY: Final[dict[str, pl.DataType]] = {"name": pl.String(), "schema": pl.String()}
MEMO_NAMES: Final = 5_000_000  # past this many names a run stops remembering new ones (memory bound)


@dataclass
class _Memo:
    """The names a rule has screened in this run and their matches."""

    names: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUERY_KEY))
    hits: pl.DataFrame | None = None


def _build_watchlist_index(ctx: ScanContext) -> NameIndex:
    """Return the name index of the store's lists, or of the bundled sample when the store has none."""
    from screening import lists  # noqa: PLC0415 - lists import the store, keep kinds light

    if ctx.store is not None and lists.has_lists(ctx.store):
        frame = lists.watchlist_frame(cast("StoredLists", ctx.store))  # it reads the store's frames only
        ids = ctx.store.frame("SELECT entity_id, id_type, value, raw FROM list_identifiers")
        return build_index(frame, ids)
    imp = lists.sample_watchlist()
    return build_index(lists.watchlist_from_import(imp), imp.identifiers)


# The run's watchlist index: built once on the driver (from the store's lists) and shipped to Spark's workers.
NAME_INDEX: Final = Resource("name index", _build_watchlist_index)


def watchlist_index(ctx: ScanContext) -> NameIndex:
    """Return the run's name index, from the store's lists or the bundled sample."""
    return ctx.resource(NAME_INDEX)


def _memo(threshold: float, top: int) -> Resource[_Memo]:
    """Return the resource of the names a rule with these params has screened in this run."""
    return Resource(f"names memo {threshold} {top}", lambda _: _Memo())


def _match_new(names: pl.DataFrame, ctx: ScanContext, threshold: float, top: int, memo: _Memo) -> pl.DataFrame:
    """Return the matches of a batch's distinct (name, schema) pairs, matching only those not screened yet."""
    new = names.join(memo.names, on=["name", "schema"], how="anti")
    index = watchlist_index(ctx)
    queries = new.select(id=pl.col("name") + "\x1f" + pl.col("schema"), name="name", schema="schema")
    found = _with_list_facts(match_index(queries, index, threshold, top), index)
    if memo.hits is None:
        memo.hits = found.clear()
    keys = names.select(query_id=pl.col("name") + "\x1f" + pl.col("schema"))
    known = memo.hits.join(keys, on="query_id", how="semi")
    if memo.names.height + new.height <= MEMO_NAMES:
        memo.names = pl.concat([memo.names, compact(new)])  # not the batch's buffers: the memo outlives it
        memo.hits = pl.concat([memo.hits, compact(found)])
    return pl.concat([known, found])


def _with_list_facts(hits: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Add the matched name's strength and its entity's type and topics, and drop type mismatches."""
    facts = index.entities.select(
        "entity_id", matched_name="name", strength="strength", topics="topics", kind="entity_schema"
    )
    # one row per name: a name listed strong and weak counts as strong ("strong" sorts before "weak")
    facts = facts.sort("entity_id", "matched_name", "strength", nulls_last=True).unique(
        ["entity_id", "matched_name"], keep="first", maintain_order=True
    )
    joined = hits.join(facts, on=["entity_id", "matched_name"], how="left")
    schema = pl.col("query_id").str.split("\x1f").list.get(1)
    return joined.filter(_types_agree(schema, pl.col("kind")))


def _types_agree(query: pl.Expr, listed: pl.Expr) -> pl.Expr:
    """Return whether a party column's type can be the listed entity's (a vessel is only a vessel)."""
    craft = listed.is_in(list(CRAFT))
    return (
        pl.when(query == "Vessel")
        .then(craft | listed.is_in(["Unknown"]) | listed.is_null())
        .otherwise(~craft.fill_null(False))
    )


def _columns(frame: pl.LazyFrame, ctx: ScanContext, columns: list[str] | None) -> list[str]:
    """Return the name columns present in the batch."""
    parties = [*schema.PARTY_COLUMNS, *schema.MESSAGE_PARTY_COLUMNS]
    wanted = columns or (parties if ctx.record_kind == "transactions" else ["name"])
    present = set(frame.collect_schema().names())
    return [c for c in wanted if c in present]


def severity_expr(critical_score: float, below: str, weak: str, other_topic: str) -> pl.Expr:
    """Return a hit's severity from its score band, the entry's topics and the matched name's strength."""
    topics = pl.col("topics").str.split(";")
    sanctioned = pl.col("topics").is_null() | topics.list.contains(SANCTION_TOPIC)
    return (
        pl.when(~sanctioned)
        .then(pl.lit(other_topic))
        .when(pl.col("strength") == "weak")
        .then(pl.lit(weak))
        .when(pl.col("score") >= critical_score)
        .then(pl.lit("critical"))
        .otherwise(pl.lit(below))
    )


def _check_severities(**chosen: str) -> None:
    """Raise ValueError naming a parameter whose value is not a severity."""
    for name, value in chosen.items():
        if value not in SEVERITIES:
            raise ValueError(f"{name}: {value!r} is not one of {', '.join(SEVERITIES)}")


def name_match(
    *,
    threshold: Score = DEFAULT_THRESHOLD,
    columns: list[str] | None = None,
    top: Count = 1,
    critical_score: Score = 0.95,
    below_critical_severity: str = "high",
    weak_alias_severity: str = "medium",
    other_topic_severity: str = "medium",
) -> Check:
    """Return a check that flags records whose party names match a listed entity, with a severity per hit."""
    _check_severities(
        below_critical_severity=below_critical_severity,
        weak_alias_severity=weak_alias_severity,
        other_topic_severity=other_topic_severity,
    )
    severity = severity_expr(critical_score, below_critical_severity, weak_alias_severity, other_topic_severity)

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        cols = _columns(frame, ctx, columns)
        if not cols:
            return empty_hits()
        index = ["record_id", *(["message_type"] if has_columns(frame, "message_type") else [])]
        text = frame.select(*index, *[pl.col(c).cast(pl.String) for c in cols])
        long = (
            text.unpivot(on=cols, index=index, variable_name="column", value_name="party")
            .drop_nulls("party")
            .with_columns(schema=_column_schema(pl.col("column")))
            .collect()
        )
        names = long.select(name=pl.col("party"), schema="schema").unique()
        hits = _match_new(names, ctx, threshold, top, ctx.resource(_memo(threshold, top)))
        joined = long.with_columns(query_id=pl.col("party") + "\x1f" + pl.col("schema")).join(hits, on="query_id")
        return (
            joined.select("record_id", "score", _with_role(joined), severity.alias("severity"), "party", "entity_id")
            .cast({**HIT_FRAME, "entity_id": pl.String()})  # type: ignore[dict-item]
            .lazy()
        )

    return check


def _column_schema(column: pl.Expr) -> pl.Expr:
    """Return the query type of a party column: a vessel column holds vessels, the others legal entities."""
    return pl.when(column.is_in(list(VESSEL_COLUMNS))).then(pl.lit("Vessel")).otherwise(pl.lit(PARTY_SCHEMA))


def _with_role(hits: pl.DataFrame) -> pl.Expr:
    """Return the detail, led by the party's role (its column) on a payment message's record."""
    if "message_type" not in hits.columns:
        return pl.col("detail")
    role = pl.col("column") + pl.lit(": ") + pl.col("detail")
    return pl.when(pl.col("message_type").is_not_null()).then(role).otherwise(pl.col("detail")).alias("detail")
