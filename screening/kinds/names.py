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
from screening.kinds.base import Check, Count, Resource, ScanContext, Score, ScorerName, empty_hits, has_columns
from screening.names import NameIndex, build_index, match_index
from screening.names.model import DEFAULT_SCORER, NameModel, named_scorer, own_threshold
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
# the least score of a critical hit where a rule gives none: the hand scorer's, and the model's NAME-001 cut that
# benchmarks/names/choose_thresholds.py chose on the fit split (rerun it after a refit and copy its figure here)
CRITICAL: Final[dict[str, float]] = {"hand": 0.95, "model": 0.95}
# a rule's value per scorer: one number (whichever scorer), or one per scorer ({model: 0.74, hand: 0.88})
PerScorer = Score | dict[str, float] | None


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


def for_scorer(value: PerScorer, scorer: str, default: float, name: str) -> float:
    """Return a rule's value for its scorer: the number, the scorer's entry, or ``default`` (None, or no entry)."""
    if not isinstance(value, dict):
        return default if value is None else float(value)
    unknown = sorted(set(value) - {"model", "hand"})
    if unknown or not all(isinstance(v, int | float) and 0.0 <= v <= 1.0 for v in value.values()):
        raise ValueError(f"{name}: {value!r} is not a score from 0 to 1 per scorer (model, hand)")
    return float(value.get(scorer, default))


def _memo(scorer: str, threshold: float, top: int) -> Resource[_Memo]:
    """Return the resource of the names a rule with these params has screened in this run."""
    return Resource(f"names memo {scorer} {threshold} {top}", lambda _: _Memo())


def _match_new(  # noqa: PLR0917 - a batch, its run, and the rule's matching params
    names: pl.DataFrame, ctx: ScanContext, model: NameModel | None, threshold: float, top: int, memo: _Memo
) -> pl.DataFrame:
    """Return the matches of a batch's distinct (name, schema) pairs, matching only those not screened yet."""
    new = names.join(memo.names, on=["name", "schema"], how="anti")
    index = watchlist_index(ctx)
    queries = new.select(id=pl.col("name") + "\x1f" + pl.col("schema"), name="name", schema="schema")
    found = _with_list_facts(match_index(queries, index, threshold, top, model), index)
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


def name_words(name: pl.Expr) -> pl.Expr:
    """Return a name's words (letters and digits), upper-cased and sorted, joined by a space."""
    return name.str.to_uppercase().str.extract_all(r"[\p{L}\p{N}]+").list.sort().list.join(" ")


def same_words(party: pl.Expr, listed: pl.Expr) -> pl.Expr:
    """Return whether a party names the listed name exactly: the same words, case, punctuation and order aside."""
    return name_words(party) == name_words(listed)


def severity_expr(
    critical_score: float, below: str, weak: str, other_topic: str, exact: pl.Expr | None = None
) -> pl.Expr:
    """Return a hit's severity from its score band (or an ``exact`` name), the entry's topics and name strength."""
    topics = pl.col("topics").str.split(";")
    sanctioned = pl.col("topics").is_null() | topics.list.contains(SANCTION_TOPIC)
    critical = pl.col("score") >= critical_score
    return (
        pl.when(~sanctioned)
        .then(pl.lit(other_topic))
        .when(pl.col("strength") == "weak")
        .then(pl.lit(weak))
        .when(critical if exact is None else critical | exact.fill_null(value=False))
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
    scorer: ScorerName = DEFAULT_SCORER,
    threshold: PerScorer = None,
    columns: list[str] | None = None,
    top: Count = 1,
    critical_score: PerScorer = None,
    below_critical_severity: str = "high",
    weak_alias_severity: str = "medium",
    other_topic_severity: str = "medium",
) -> Check:
    """Return a check that flags records whose party names match a listed entity, with a severity per hit.

    ``threshold`` and ``critical_score`` are one number or one per scorer; None (or no entry for the
    rule's scorer) is the scorer's own: its default threshold, and :data:`CRITICAL`. A strong name of a
    sanctions entry is critical where it scores ``critical_score`` or names the listed name exactly
    (:func:`same_words`): the model scores an exact short or common name lower (SHEIN, Win 0.74).
    """
    _check_severities(
        below_critical_severity=below_critical_severity,
        weak_alias_severity=weak_alias_severity,
        other_topic_severity=other_topic_severity,
    )
    model = named_scorer(scorer)
    cut = for_scorer(threshold, scorer, own_threshold(model), "threshold")
    critical = for_scorer(critical_score, scorer, CRITICAL[scorer], "critical_score")
    exact = same_words(pl.col("party"), pl.col("matched_name"))
    severity = severity_expr(critical, below_critical_severity, weak_alias_severity, other_topic_severity, exact)

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
        hits = _match_new(names, ctx, model, cut, top, ctx.resource(_memo(scorer, cut, top)))
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
