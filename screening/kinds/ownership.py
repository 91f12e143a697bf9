"""Rule kind ``ownership_exposure``: parties owned 50 % or more by listed parties (OFAC, EU).

Once per run (a resource of the run's ``ctx``) the kind builds the ownership graph from the lists' own links
(the store's ``ownership`` table, else the bundled sample's) and this run's ownership files
(``ownership_records``), computes the exposure with :mod:`screening.network.ownership`, and flags:

- rows of this run's ownership files whose ``owned`` entity is exposed (so a register extract
  alone shows which subsidiaries are blocked);
- records of this run's transactions (every party column) and counterparty files (``name``)
  whose party matches an exposed entity's name, through the names module (transliterated and
  legal-form variants match too) against a watchlist of the exposed entities' names.

Input parties become graph nodes this way: an ``owner_id``/``owned_id`` that is a list entity id
is that entity; else the name (and id, as identifier) is matched against the listed entities and
the entities named by list links at the default name threshold; else the node is keyed by its
id, or by its normalised name (:mod:`screening.network.keys`). Scores: 0.9 × name score for an
exposure on known stakes; 0.5 × name score and severity ``medium`` for an unknown stake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, cast

import polars as pl

from screening.frames import fmt
from screening.kinds.base import Count, Resource, RunCheck, ScanContext, Score, ScorerName, Store, run_records
from screening.kinds.names import watchlist_index
from screening.kinds.parties import records_naming, run_party_names
from screening.names import NameIndex, build_index, match_index
from screening.names.model import DEFAULT_SCORER, NameModel, named_scorer
from screening.network.graph import build_graph
from screening.network.keys import id_key, name_keys
from screening.network.ownership import METHODS, Method, exposure
from screening.schema import RUN_HIT_FRAME

EXPOSED_SCORE: Final = 0.9
UNKNOWN_SCORE: Final = 0.5


@dataclass(frozen=True)
class ListSide:
    """The list data the graph needs: entities, list links and the names of linked entities."""

    entities: pl.DataFrame  # entity_id, caption, listed, source, programs
    links: pl.DataFrame  # owner_id, owned_id, share
    names: pl.DataFrame  # entity_id, name (entities named by a link)
    identifiers: pl.DataFrame  # entity_id, id_type, value, raw (entities named by a link)


@dataclass(frozen=True)
class Exposure:
    """One run's exposure: exposed entities, ownership rows with node keys, exposed-name index."""

    exposed: pl.DataFrame  # EXPOSURE_COLUMNS of screening.network.ownership
    rows: pl.DataFrame  # this run's ownership rows: record_id, source_file, line, owned, owned_key
    index: NameIndex | None  # the exposed entities' names, None when nothing is exposed


def _store_side(store: Store) -> ListSide:
    """Read the list side from the store."""
    frame = store.frame
    linked = "WHERE entity_id IN (SELECT owner_id FROM ownership UNION SELECT owned_id FROM ownership)"
    return ListSide(
        entities=frame("SELECT entity_id, caption, listed, source, programs FROM list_entities"),
        links=frame("SELECT owner_id, owned_id, share FROM ownership"),
        names=frame(f"SELECT entity_id, name FROM list_names {linked}"),
        identifiers=frame(f"SELECT entity_id, id_type, value, raw FROM list_identifiers {linked}"),
    )


def _build_list_side(ctx: ScanContext) -> ListSide:
    """Return the run's list side: the store's lists, else the bundled sample (as ``watchlist_index`` does)."""
    from screening import lists  # noqa: PLC0415 - lists import the store, keep kinds light

    if ctx.store is not None and lists.has_lists(ctx.store):
        return _store_side(ctx.store)
    imp = lists.sample_watchlist()
    ends = pl.concat([imp.ownership["owner_id"], imp.ownership["owned_id"]])
    return ListSide(
        entities=imp.entities.select("entity_id", "caption", "listed", "source", "programs"),
        links=imp.ownership.select("owner_id", "owned_id", "share"),
        names=imp.names.filter(pl.col("entity_id").is_in(ends.implode())).select("entity_id", "name"),
        identifiers=imp.identifiers.filter(pl.col("entity_id").is_in(ends.implode())),
    )


def _build_link_index(ctx: ScanContext) -> NameIndex:
    """Return the name index of the entities the lists' ownership links name."""
    side = ctx.resource(LIST_SIDE)
    return build_index(side.names, side.identifiers)


LIST_SIDE: Final = Resource("ownership list side", _build_list_side)
LINK_INDEX: Final = Resource("ownership link index", _build_link_index)


def _matches(queries: pl.DataFrame, ctx: ScanContext, side: ListSide, model: NameModel | None) -> pl.DataFrame:
    """Return the best list entity per query (id, name, identifier) among listed and linked entities, by ``model``."""
    indexes = [watchlist_index(ctx)]
    if side.names.height:
        indexes.append(ctx.resource(LINK_INDEX))
    found = pl.concat([match_index(queries, index, None, 1, model) for index in indexes])
    return found.sort("score", descending=True).unique("query_id", keep="first")


def _resolve(parties: pl.DataFrame, ctx: ScanContext, side: ListSide, model: NameModel | None) -> pl.DataFrame:
    """Return each distinct (name, pid) of the input files with its node key."""
    queries = parties.unique().with_row_index("n").with_columns(id=pl.col("n").cast(pl.String))
    direct = queries.join(side.entities.select(pid="entity_id"), on="pid", how="semi").select(
        "id", entity=pl.col("pid")
    )
    todo = queries.join(direct, on="id", how="anti")
    matched = pl.DataFrame(schema={"id": pl.String(), "entity": pl.String()})
    if todo.height:
        found = _matches(todo.select("id", "name", identifier="pid"), ctx, side, model)
        matched = found.select(id="query_id", entity="entity_id")
    keyed = queries.join(pl.concat([direct, matched]), on="id", how="left").join(
        name_keys(queries["name"]).rename({"raw": "name", "key": "name_key"}), on="name", how="left"
    )
    return keyed.select("name", "pid", key=pl.coalesce("entity", id_key(pl.col("pid")), "name_key"))


def _graph_inputs(rows: pl.DataFrame, keys: pl.DataFrame, side: ListSide) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the raw edges and nodes of the list links and this run's ownership rows."""
    edges = pl.concat(
        [
            side.links.select(owner="owner_id", owned="owned_id", share="share"),
            rows.select(owner="owner_key", owned="owned_key", share="share"),
        ]
    )
    label = pl.concat_str(["source", "programs"], separator=" ", ignore_nulls=True)
    listed = side.entities.select(key="entity_id", name="caption", listed="listed", label=label)
    named = keys.select("key", "name", listed=pl.lit(value=False), label=pl.lit(None, pl.String))
    return edges, pl.concat([listed, named], how="vertical_relaxed")


def _watch_names(exposed: pl.DataFrame, keys: pl.DataFrame, side: ListSide) -> pl.DataFrame:
    """Return every known name of the exposed entities: list names, node names, names as written."""
    both = pl.concat(
        [
            side.names.select(entity_id="entity_id", name="name"),
            keys.select(entity_id="key", name="name"),
            exposed.select(entity_id="key", name="name"),
        ]
    )
    return both.join(exposed.select(entity_id="key"), on="entity_id", how="semi").unique()


def compute_exposure(
    ctx: ScanContext, threshold: float, method: Method, max_depth: int, scorer: str = DEFAULT_SCORER
) -> Exposure:
    """Build the run's ownership graph (names resolved by ``scorer``) and return its exposure, rows and name index."""
    side = ctx.resource(LIST_SIDE)
    rows = run_records(ctx, "ownership")
    parties = pl.concat(
        [rows.select(name="owner", pid="owner_id"), rows.select(name="owned", pid="owned_id")]
    ).drop_nulls("name")
    keys = (
        _resolve(parties, ctx, side, named_scorer(scorer))
        if parties.height
        else parties.with_columns(key=pl.lit(None, pl.String))
    )
    for end in ("owner", "owned"):
        names = keys.rename({"name": end, "pid": f"{end}_id", "key": f"{end}_key"})
        rows = rows.join(names, on=[end, f"{end}_id"], how="left", nulls_equal=True)
    edges, nodes = _graph_inputs(rows, keys, side)
    exposed = exposure(build_graph(edges, nodes), threshold, method, max_depth)
    watch = _watch_names(exposed, keys, side)
    index = build_index(watch) if watch.height else None
    return Exposure(exposed=exposed, rows=rows, index=index)


def _scored(frame: pl.DataFrame, name_score: pl.Expr) -> pl.DataFrame:
    """Add score and severity by exposure status: known stakes score high, unknown stakes lower."""
    unknown = pl.col("status") == "unknown stake"
    factor = pl.when(unknown).then(UNKNOWN_SCORE).otherwise(EXPOSED_SCORE)
    return frame.with_columns(
        score=(factor * name_score).clip(0.0, 1.0),
        severity=pl.when(unknown).then(pl.lit("medium")),
    )


def _row_hits(state: Exposure) -> pl.DataFrame:
    """Return hits on this run's ownership rows whose owned entity is exposed."""
    rows = state.rows.join(state.exposed, left_on="owned_key", right_on="key")
    detail = fmt("{} (owned entity of this row): {}", "owned", "detail")
    return _scored(rows, pl.lit(1.0)).select(
        "record_id", "score", detail=detail, severity="severity", party="owned", source_file="source_file", line="line"
    )


def _record_hits(
    ctx: ScanContext, state: Exposure, name_threshold: float | None, model: NameModel | None
) -> pl.DataFrame:
    """Return hits on this run's records whose party names match an exposed entity."""
    if state.index is None:
        return pl.DataFrame(schema=RUN_HIT_FRAME)
    names = run_party_names(ctx)
    found = match_index(pl.DataFrame({"id": names, "name": names}), state.index, name_threshold, 1, model)
    long = records_naming(ctx, found["query_id"])
    if long.is_empty():
        return pl.DataFrame(schema=RUN_HIT_FRAME)
    joined = long.join(found, left_on="party", right_on="query_id").join(
        state.exposed.rename({"detail": "exposure"}), left_on="entity_id", right_on="key"
    )
    # a payment message's record names the role the party was found in, as name_match does
    exposure = fmt("{}: {}", "detail", "exposure")
    detail = pl.when(pl.col("role").is_not_null()).then(fmt("{}: {}", "role", exposure)).otherwise(exposure)
    return _scored(joined, pl.col("score")).select(
        "record_id", "score", detail=detail, severity="severity", party="party", source_file="source_file", line="line"
    )


def ownership_exposure(
    *,
    threshold: Score = 0.5,
    method: str = "ofac",
    max_depth: Count = 6,
    name_threshold: Score | None = None,
    unknown: bool = True,
    scorer: ScorerName = DEFAULT_SCORER,
) -> RunCheck:
    """Return a run check that flags records of entities owned ≥ threshold by listed parties."""
    if method not in METHODS:
        raise ValueError(f"param 'method' is {method!r}; one of {', '.join(METHODS)}")
    if not 0 < threshold <= 1:
        raise ValueError(f"param 'threshold' is {threshold}; a fraction in (0, 1], e.g. 0.5")
    chosen = cast(Method, method)
    model = named_scorer(scorer)
    exposure_of = Resource(
        f"ownership exposure {threshold} {method} {max_depth} {scorer}",
        lambda ctx: compute_exposure(ctx, threshold, chosen, max_depth, scorer),
    )

    def run(ctx: ScanContext) -> pl.DataFrame:
        state = ctx.resource(exposure_of)
        hits = pl.concat([_row_hits(state), _record_hits(ctx, state, name_threshold, model)]).cast(RUN_HIT_FRAME)  # type: ignore[arg-type]
        if not unknown:
            hits = hits.filter(pl.col("severity").is_null())
        return hits.sort("score", descending=True).unique(["record_id", "party"], keep="first", maintain_order=True)

    return RunCheck(run=run)
