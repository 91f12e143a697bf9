"""Batch name screening: queries against a watchlist, best entities per query, with reasons.

Distinct query names are normalised once, blocked against the list index, their legal-form
words left inside a name marked (both sides, :func:`.marks.form_marks`), scored in bulk and
aligned; the surviving name pairs are joined back to every query row carrying that name, where
qualifiers (country, birth year, entity type) adjust them. Identifier equality (INN, IMO, LEI …)
is a match of its own, scores 1.0 and ranks first.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Final

import numpy as np
import polars as pl

from screening.cores import usable_cores
from screening.errors import InputError
from screening.names import (
    acronyms,
    align,
    blocking,
    common_words,
    explain,
    form_typos,
    in_full,
    marks,
    penalties,
    prefilter,
    qualifiers,
    romanise,
    same_script,
    titles,
)
from screening.names.identifiers import id_value
from screening.names.index import NameIndex, build_index
from screening.names.model import (
    DEFAULT_SCORER,
    HAND_THRESHOLD,
    NameModel,
    Scorer,
    initial_agrees,
    own_threshold,
    prepared,
    scorer_model,
)
from screening.names.normalize import normalize_names
from screening.schema import conform

DEFAULT_THRESHOLD: Final = HAND_THRESHOLD  # the hand scorer's default threshold (the model's: model_threshold())
WEAK_THRESHOLD: Final = 0.97  # the least score a weak alias matches at, whatever the threshold
PREFILTER: Final = 0.64
# the least name score (hand-weighted) of a pair the model is asked of; of those, it scores only the pairs of the
# query names it may score at the threshold (:func:`_reachable`)
MODEL_FLOOR: Final = 0.6
PER_QUERY: Final = 40
CHUNK: Final = 200_000
# the least distinct cores a part of a chunk holds (each part costs its own joins): at 100,000 generated
# queries (86,819 cores) two parts keep both cores busy (one part leaves one idle half the time)
PARALLEL_NAMES: Final = 12_000
THREADS: Final = 0  # threads the parts of a chunk run in (0: one per core)
OUTPUT_COLUMNS: Final[dict[str, pl.DataType]] = {
    "query_id": pl.String(),
    "entity_id": pl.String(),
    "score": pl.Float64(),
    "matched_name": pl.String(),
    "source": pl.String(),
    "detail": pl.String(),
}
QUERY_OPTIONAL: Final = ("schema", "country", "birth_date", "identifier")
FORM_COLUMNS: Final = ("core", "tokens", "spelt", "heads", "sorted", "glued", "spelt_glued", "abjad", "script")
# the names aligned once: a core, the script compared its own way, whether written family name first, and the
# row's kind (a Person's name keeps edge words that look like legal forms: same core, other tokens)
CORE: Final = ("core", "roman", "comma", "kind", form_typos.READ)


def prepare_queries(queries: pl.DataFrame) -> pl.DataFrame:
    """Return queries with string ``query_id``, ``name``, every optional column and the row's ``kind``."""
    missing = [c for c in ("id", "name") if c not in queries.columns]
    if missing:
        raise InputError(f"queries: missing column(s) {', '.join(missing)}; needs id, name")
    extra = [
        pl.col(c).cast(pl.String) if c in queries.columns else pl.lit(None, pl.String).alias(c) for c in QUERY_OPTIONAL
    ]
    base = [pl.col("id").cast(pl.String).alias("query_id"), pl.col("name").cast(pl.String)]
    frame = queries.select([*base, *extra]).with_row_index("pos")
    # a name's normal form follows its row's type (:func:`.titles.kind`): one name may be a Person's and a company's
    frame = frame.with_columns(kind=titles.kind("schema"))
    return frame.filter(pl.col("name").str.strip_chars().fill_null("") != "")


def _prefixed(norm: pl.DataFrame, key: tuple[str, ...], prefix: str) -> pl.DataFrame:
    """Return a normal-form frame with every column but the ``key`` columns prefixed."""
    return norm.rename({c: f"{prefix}{c}" for c in norm.columns if c not in key})


def prefilter_cutoff(threshold: float) -> float:
    """Return the bulk-ratio cutoff below which pairs skip token alignment (never above threshold).

    Fixed rather than tied to the threshold, so that a run at a low threshold holds every pair of
    a run at a higher one (the accuracy benchmark sweeps thresholds from one run).
    """
    return min(threshold, PREFILTER)


def name_pairs(qnorm: pl.DataFrame, index: NameIndex, threshold: float) -> pl.DataFrame:
    """Return scored (query name, list name) pairs with (hand-weighted) name score at least ``threshold``."""
    return _named(*_aligned(qnorm.with_columns(floor=pl.lit(threshold, pl.Float64)), index), index)


def _floors(q: pl.DataFrame, qnorm: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Return the query names with ``floor``: the least name score a row's qualifiers can lift to ``threshold``.

    A query without country or birth date keeps the threshold (a clean batch aligns no more pairs).
    """
    named = qnorm.join(_lifts(q), left_on=["raw", "kind"], right_on=["name", "kind"], how="left", maintain_order="left")
    return named.with_columns(floor=(threshold - pl.col("lift").fill_null(0.0)).clip(0.0)).drop("lift")


def _lifts(q: pl.DataFrame) -> pl.DataFrame:
    """Return each query name (``name``, ``kind``) with ``lift``: the most its rows' qualifiers can add."""
    return q.group_by("name", "kind").agg(lift=qualifiers.lift().max())


def _aligned(qnorm: pl.DataFrame, index: NameIndex) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return aligned pairs of distinct query cores (``nid``) whose base reaches their ``floor``, cores, names."""
    qnorm, forms = query_forms(qnorm)
    return pl.concat(_pairs_by_chunk(forms, index)), forms, qnorm


def query_forms(qnorm: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the query names with the ``CORE`` columns, and their distinct cores (least ``floor``) by ``nid``."""
    # names that differ only in case, punctuation or legal form share a core: block and align each core once,
    # once per script compared its own way (a Korean name on romanisation keys, an Arabic one on consonants)
    # and once per word order (a comma puts the family name first, which chain shifts read)
    keyed = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    qnorm = qnorm.with_columns(
        roman=keyed.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit("")),
        comma=align.family_first(pl.col("raw")),
        **{form_typos.READ: form_typos.read_bits(pl.col("kind"), pl.col("legal"))},
    )
    floor = pl.col("floor").min().over(CORE) if "floor" in qnorm.columns else pl.lit(None, pl.Float64)
    cores = qnorm.select(*FORM_COLUMNS, *CORE[1:], floor=floor)
    return qnorm, cores.unique(CORE, maintain_order=True).with_row_index("nid")


def chunk_size(names: int, threads: int) -> int:
    """Return how many distinct cores one part of a chunk of ``names`` holds: the chunk shared by ``threads``.

    A part holds at least ``PARALLEL_NAMES`` names, as each part costs its own joins against the whole
    list: a chunk is one part below two such shares, and fewer parts than threads on many cores.
    """
    parts = max(1, min(threads, names // PARALLEL_NAMES))
    return max(-(-names // parts), 1)


def _cores() -> int:
    """Return how many cores this process may run on (its affinity and its container's quota)."""
    return usable_cores()


def _pairs_by_chunk(forms: pl.DataFrame, index: NameIndex) -> list[pl.DataFrame]:
    """Return the aligned pairs of each chunk of ``CHUNK`` distinct cores, in order (1M names in 5 rounds).

    Chunks bound the memory of the blocking joins; a chunk's parts share it (:func:`_chunk_parts`).
    """
    threads = THREADS or _cores()
    starts = range(0, max(forms.height, 1), CHUNK)
    return [pairs for s in starts for pairs in _chunk_parts(forms.slice(s, CHUNK), index, threads)]


def _chunk_parts(chunk: pl.DataFrame, index: NameIndex, threads: int) -> list[pl.DataFrame]:
    """Return the aligned pairs of a chunk's parts, in order, the parts run in ``threads`` threads.

    A part's pairs depend on the rest of its chunk only through the chunk's close tokens
    (:func:`.blocking.close_tokens`), found once; polars, numpy and rapidfuzz release the
    interpreter while they work, so the parts share the cores.
    """
    size = chunk_size(chunk.height, threads)
    if size >= chunk.height:
        return [_chunk_pairs(chunk, index)]
    close = blocking.close_tokens(chunk, index.keys)
    parts = [chunk.slice(s, size) for s in range(0, chunk.height, size)]
    with ThreadPoolExecutor(len(parts)) as pool:
        return list(pool.map(lambda part: _chunk_pairs(part, index, close), parts))


def _named(feats: pl.DataFrame, forms: pl.DataFrame, qnorm: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return aligned pairs with both names' normal forms and the name score, if at least their core's ``floor``."""
    feats = feats.join(forms.select("nid", *CORE, "floor"), on="nid")
    feats = feats.join(_prefixed(qnorm.drop("floor"), CORE, "q_"), on=CORE)
    feats = feats.with_columns(q_core=pl.col("core"), q_kind=pl.col("kind")).drop(*CORE[1:], "nid")
    # list names by row (wid is the row number): a gather, not a join against the whole list
    feats = pl.concat([feats, _prefixed(index.names, ("wid",), "w_")[feats["wid"]].drop("wid")], how="horizontal")
    feats = _penalised(feats)
    feats = feats.with_columns(name_score=(pl.col("base") - pl.col("penalty")).clip(0.0, 1.0))
    feats = same_script.cap(feats, "name_score").filter(pl.col("name_score") >= pl.col("floor")).drop("floor")
    feats = feats.with_columns(score_common=common_words.score("penalty"))
    return _named_in_full(feats).drop("penalty")


def _penalised(feats: pl.DataFrame) -> pl.DataFrame:
    """Return pairs with their ``penalty``, evaluated only where :func:`.penalties.may_apply` allows one (else 0)."""
    at = feats.select(penalties.may_apply().fill_null(value=True)).to_series().arg_true()
    some = feats[at].select(penalties.penalties()).to_series()
    return feats.with_columns(penalty=pl.zeros(feats.height, pl.Float64, eager=True).scatter(at, some))


def _chunk_pairs(forms: pl.DataFrame, index: NameIndex, close: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return aligned pairs of one chunk of distinct query cores that can still reach their ``floor``.

    ``close``: the close tokens of the whole chunk where ``forms`` is a part of it.
    """
    short = acronyms.pairs(forms, index.acronyms)
    pairs = blocking.candidates(forms, index.keys, PER_QUERY, close)
    if short.height:  # an anti join over every candidate pair costs: only where a query is an acronym
        pairs = pairs.join(short, on=["nid", "wid"], how="anti")
    q = marks.form_marks(forms, "nid")
    floors = _by_nid(forms, "floor")
    kept = prefilter.prefilter(pairs, q, index.facts, np.minimum(floors, PREFILTER), floors)  # prefilter_cutoff by core
    feats = align.align(kept, q, index.tokens, index.rarity).with_columns(acronym=pl.lit(value=False))
    if short.height:
        # an acronym shares no letters' order with its name: every pair is aligned, its score raised
        found = align.align(prefilter.prefilter(short, q, index.facts, 0.0), q, index.tokens, index.rarity)
        raised = pl.max_horizontal("base", pl.lit(acronyms.ACRONYM_BASE))
        feats = pl.concat([feats, found.with_columns(base=raised, acronym=pl.lit(value=True)).select(feats.columns)])
    feats = _added_words(feats, forms, index).with_columns(base_common=common_words.base())
    # penalties only lower a score: pairs whose base misses the floor cannot reach it
    return feats.filter(pl.Series(floors).gather(feats["nid"]) <= feats["base"])


def _by_nid(forms: pl.DataFrame, column: str) -> np.ndarray:
    """Return a column of distinct cores as an array indexed by ``nid`` (zero for the nids of other chunks)."""
    nid = forms["nid"].to_numpy()
    out = np.zeros(int(nid.max()) + 1 if nid.size else 0)
    out[nid] = forms[column].to_numpy()
    return out


def _named_in_full(feats: pl.DataFrame) -> pl.DataFrame:
    """Return the pairs with the base and name score they have where the query names another organisation in full.

    Only a query of kind OTHER may be an organisation's (:mod:`.in_full` decides on its rows, which
    know its type): the others' pairs keep theirs. The same-script cap only lowers, so the lower
    score is capped as its pair's (``name_score``) is.
    """
    if not (feats["q_kind"] == titles.OTHER).any():
        return feats.with_columns(pl.col("base").alias(in_full.BASE), pl.col("name_score").alias(in_full.SCORE))
    other = pl.col("q_kind") == titles.OTHER
    feats = feats.with_columns(pl.when(other).then(align.named_in_full()).otherwise("base").alias(in_full.BASE))
    lower = (pl.col(in_full.BASE) - pl.col("penalty")).clip(0.0, 1.0)
    return feats.with_columns(pl.min_horizontal(lower, "name_score").alias(in_full.SCORE))


def _added_words(feats: pl.DataFrame, forms: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return the aligned pairs, a query adding words to a listed person's name scored as a part of it."""
    abjad = forms.filter(pl.col("abjad"))["nid"].implode()  # few: a membership test, not a join of every pair
    feats = feats.with_columns(w_person=index.people.gather(feats["wid"]), q_abjad=pl.col("nid").is_in(abjad))
    # the base before the rule: :mod:`.common_words` takes the rule back where the listed name's words are common
    feats = feats.with_columns(base=align.person_added(), base_unadded=pl.col("base"))
    return feats.drop("w_person", "q_abjad")


def qualified_pairs(q: pl.DataFrame, qnorm: pl.DataFrame, index: NameIndex, floor: float) -> pl.DataFrame:
    """Return every (query row, list name) pair with name score at least ``floor``, with its qualifiers.

    A query naming another listed organisation in full (:mod:`.in_full`) by a pair the hand scorer's
    default threshold keeps lowers its other organisation pairs.
    """
    rows = _qualified(q, name_pairs(qnorm, index, floor), index)
    return in_full.lowered(rows, _kept(pl.col("hand"), DEFAULT_THRESHOLD, DEFAULT_THRESHOLD))


def _qualified(q: pl.DataFrame, pairs: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return the pairs of (distinct) query names joined to every query row and list entity, with their qualifiers."""
    rows = index.by_wid.join(q.join(pairs, left_on=["name", "kind"], right_on=["q_raw", "q_kind"]), on="wid")
    rows = rows.with_columns(matched_name=pl.col("w_raw"))
    rows = common_words.unlifted(qualifiers.qualify(rows))
    return rows.with_columns(hand=(pl.col("name_score") + pl.col("adjust")).clip(0.0, 1.0))


def _name_hits(
    q: pl.DataFrame, qnorm: pl.DataFrame, index: NameIndex, threshold: float, model: NameModel | None
) -> pl.DataFrame | None:
    """Return name matches per query row, qualified, scored (by hand weights, or by ``model``) and explained.

    None when no pair of names comes near: most small batches of clean names skip every later stage.
    """
    # by hand weights a name below the threshold is scored where its query's qualifiers can lift it over
    named = _floors(q, qnorm, threshold) if model is None else qnorm.with_columns(floor=pl.lit(MODEL_FLOOR))
    aligned = _aligned(named, index)
    if aligned[0].is_empty():
        return None
    pairs = _named(*aligned, index) if model is None else _reachable(q, _named(*aligned, index), model, threshold)
    if pairs.is_empty():
        return None
    # the rival features read all a query row's pairs: evaluated once, as columns, before a row is dropped (its query's
    # best), for the score and the note alike
    rivals = {} if model is None else model.rivals()
    score = pl.col("hand") if model is None else model.probability(rivals)
    carried, hand_floor = (None, threshold) if model is None else (model.carried(rivals), 0.0)
    # the pair naming another organisation in full must be a hit at the default threshold, whatever the run's
    # threshold and scorer (:mod:`.in_full`): a pair's score must not depend on them; scored once, after lowering
    named_in_full = _kept(pl.col("hand"), DEFAULT_THRESHOLD, DEFAULT_THRESHOLD)
    rows = in_full.lowered(_qualified(q, pairs, index), named_in_full)
    rows = (rows if model is None else prepared(rows).with_columns(**rivals)).with_columns(score=score)
    rows = rows.filter(_kept(pl.col("score"), threshold, hand_floor))
    # the explanation costs milliseconds to evaluate even on no rows (most small batches of clean names)
    return (
        _explained(rows, carried) if rows.height else rows.with_columns(detail=pl.lit(None, pl.String), prio=pl.lit(1))
    )


def _reachable(q: pl.DataFrame, pairs: pl.DataFrame, model: NameModel, threshold: float) -> pl.DataFrame:
    """Return the named pairs of the query names some pair of which ``model`` may score at ``threshold``.

    A query name keeps all its pairs or none: the rival features compare a query row's pairs with each other.
    """
    reach = model.may_reach(pl.col("lift"), threshold).any().over("q_raw", "q_kind")
    return pairs.filter(_lifted(q, pairs).select(reach).to_series())


def _lifted(q: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Return named pairs with their query name's ``lift`` and the columns the features read of a pair alone."""
    keys = ["q_raw", "q_kind"]
    lifted = pairs.join(_lifts(q), left_on=keys, right_on=["name", "kind"], how="left", maintain_order="left")
    return lifted.with_columns(initial_agrees(), lift=pl.col("lift").fill_null(0.0), kind=pl.col("q_kind"))


def _kept(score: pl.Expr, threshold: float, hand_floor: float) -> pl.Expr:
    """Return whether a qualified row is a hit: ``score`` at ``threshold``, a weak alias's hand score higher."""
    # issue 18: a weak alias (OFAC's remarks a.k.a.'s, low-quality aliases) must score higher
    weak = (pl.col("strength") != "weak").fill_null(True) | (pl.col("hand") >= max(hand_floor, WEAK_THRESHOLD))
    return (score >= threshold) & weak


def _explained(rows: pl.DataFrame, carried: pl.Expr | None) -> pl.DataFrame:
    """Return name matches with their detail (and the model's ``carried`` note) on the rows :func:`_top` may keep.

    :func:`_top` keeps per (query, entity) a row of the highest score, then of the first matched
    name, then of the first detail: only those rows need their detail (often half of them or
    fewer), the others get none. The model's note compares a row with its query's other rows: the
    rival features it names are columns, evaluated before rows under the threshold were dropped.
    """
    group = ("query_id", "entity_id")
    rank = pl.col("score").round(9)
    best = rank == rank.max().over(group)
    first = pl.col("matched_name") == pl.when(best).then(pl.col("matched_name")).min().over(group)
    todo = np.flatnonzero(rows.select(best & first).to_series().to_numpy())
    text = rows[todo].select(explain.detail_expr()).to_series()
    if carried is not None:
        text = text + "; " + rows.select(carried).to_series().gather(todo)
    column = pl.repeat(None, rows.height, dtype=pl.String, eager=True).scatter(todo, text)
    return rows.with_columns(detail=column, prio=pl.lit(1))


def _id_hits(q: pl.DataFrame, qnorm: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return identifier matches per query row (identifiers in the name or its own column)."""
    in_name = q.join(qnorm.select("kind", name="raw", value="ids"), on=["name", "kind"]).explode("value")
    in_name = in_name.with_columns(value=id_value(pl.col("value")))
    own = q.with_columns(value=pl.col("identifier").str.to_uppercase().str.replace_all(r"[^A-Z0-9]", ""))
    both = pl.concat([in_name, own], how="diagonal_relaxed").drop_nulls("value")
    hits = both.join(index.ids, on="value").join(index.first_names, on="entity_id")
    return hits.with_columns(score=pl.lit(1.0), detail=explain.identifier_detail(), prio=pl.lit(0))


def _has_ids(q: pl.DataFrame, qnorm: pl.DataFrame) -> bool:
    """Return whether any query carries an identifier, in its name or its own column."""
    return bool(qnorm["ids"].list.len().sum()) or q["identifier"].is_not_null().any()


def _top(hits: pl.DataFrame, top: int) -> pl.DataFrame:
    """Return the best ``top`` entities per query, identifier matches first."""
    # ties (several names of one entity scoring alike) break on the names, so runs repeat exactly;
    # scores are compared to 9 places, as sums over threads can differ in the last bit from run to run
    # a query of several rows (names, dates) ranks all its rows' hits together, at its first row's place
    ranked = hits.with_columns(_rank=pl.col("score").round(9), _first=pl.col("pos").min().over("query_id"))
    order = ["_first", "query_id", "prio", "_rank", "entity_id", "matched_name", "detail"]
    best = (
        ranked.sort(order, descending=[False, False, False, True, False, False, False])
        .unique(["query_id", "entity_id"], keep="first", maintain_order=True)
        .drop("_rank", "_first")
    )
    return best.group_by("query_id", maintain_order=True).head(top)


def match_index(
    queries: pl.DataFrame,
    index: NameIndex,
    threshold: float | None = None,
    top: int = 1,
    model: Scorer = DEFAULT_SCORER,
) -> pl.DataFrame:
    """Return the best ``top`` list entities per query against a prepared index, by ``model`` (HAND: hand weights).

    A ``threshold`` of None is the scorer's own default: the model's, or ``DEFAULT_THRESHOLD`` by hand.
    """
    model = scorer_model(model)
    threshold = own_threshold(model, threshold)
    q = prepare_queries(queries)
    qnorm = normalize_names(q["name"], q["kind"]).with_row_index("nid")
    cols = ["pos", *OUTPUT_COLUMNS, "prio"]
    by_id = [_id_hits(q, qnorm, index).select(cols)] if _has_ids(q, qnorm) else []
    by_name = _name_hits(q, qnorm, index, threshold, model)
    hits = [*by_id, *([] if by_name is None else [by_name.select(cols)])]
    if not hits:
        return conform(pl.DataFrame(schema=OUTPUT_COLUMNS), OUTPUT_COLUMNS)
    return conform(_top(pl.concat(hits), top), OUTPUT_COLUMNS)


def match_names(
    queries: pl.DataFrame,
    watchlist: pl.DataFrame | NameIndex,
    threshold: float | None = None,
    top: int = 1,
    *,
    identifiers: pl.DataFrame | None = None,
    model: Scorer = DEFAULT_SCORER,
) -> pl.DataFrame:
    """Screen query names (``id,name`` + optional qualifiers) against a watchlist, by ``model`` (HAND: hand weights)."""
    index = watchlist if isinstance(watchlist, NameIndex) else build_index(watchlist, identifiers)
    return match_index(queries, index, threshold, top, model)
