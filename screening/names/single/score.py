"""Scoring of one query's candidates in plain Python, equal to the batch matcher (by hand weights or a model).

``score_one`` returns the rows ``match_index(pl.DataFrame([query]), index, threshold, top, model)``
returns, from the query's normal form and the candidate wids blocking proposes. It mirrors
:mod:`screening.names.match` stage by stage, in this order:

1. identifier hits (``_id_hits``): identifiers lifted from the name and the query's own
   ``identifier`` column, equal to a list identifier, score 1.0 and rank first;
2. legal-form marks of the query (:mod:`.marks`, as :func:`screening.names.marks.form_marks`);
3. prefilter of the candidates at ``prefilter_cutoff(floor)`` (:mod:`.prefilter`), the floor
   being the threshold less the most the query's qualifiers can add (:func:`.qualifiers.lift`),
   or ``MODEL_FLOOR`` where a model scores;
4. token alignment and the name score ``base`` (:mod:`.align`, :mod:`.sims`), kept from the floor;
5. penalties and the same-script cap (``name_score``), kept from the floor (:mod:`.explain`);
6. every entity row of each list name, its qualifiers (:mod:`.qualifiers`) and the hand score,
   lowered where an organisation's query names another listed organisation in full by a hit
   (:mod:`screening.names.in_full`);
7. the score: the hand score, or the model's probability from the row's features and the
   query's other rows (:mod:`.model`), kept from ``threshold``, a weak alias only where its hand
   score reaches ``WEAK_THRESHOLD`` (and the threshold, by hand);
8. the explanation (the model's note after it), then ``_top``: identifier matches first, score
   (to 9 places) down, entity, matched name, detail; the best row per entity, ``top`` entities.

List-side data comes from plain views built once per index (:mod:`.views`).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from screening.names import acronyms, form_typos, romanise, titles
from screening.names.align import IN_FULL, written_family_first
from screening.names.index import NameIndex
from screening.names.marks import FORM
from screening.names.match import DEFAULT_THRESHOLD, MODEL_FLOOR, OUTPUT_COLUMNS, WEAK_THRESHOLD, prefilter_cutoff
from screening.names.model import DEFAULT_SCORER, NameModel, Scorer, own_threshold, scorer_model
from screening.names.single import align, explain, marks, prefilter, qualifiers
from screening.names.single import model as learned
from screening.names.single.model import Features, Scored
from screening.names.single.views import ListView, view
from screening.schema import conform

Row = dict[str, object]
Query = Mapping[str, str | None]
_NOT_ID = re.compile(r"[^A-Z0-9]")
_ID_TYPE = re.compile(r"^[A-Z_]+:")
HIT_KEYS = ("entity_id", "score", "matched_name", "source", "detail")


def _query_facts(form: Mapping[str, Any], bare: str, query_marks: list[int]) -> prefilter.QueryFacts:
    """Return what the prefilter reads of the query name."""
    tokens: list[str] = form["tokens"]
    spelt: list[str] = form["spelt"]
    read = form_typos.form_read_bits(str(form["kind"]), list(form["legal"]))
    bits = [form_typos.word_bits(s) & read if n in (0, len(spelt) - 1) else 0 for n, s in enumerate(spelt)]
    typos = functools.reduce(operator.or_, bits, 0)
    kept = sorted(t for t, m, b in zip(tokens, query_marks, bits, strict=True) if not b and m != FORM)
    typo_bare = bare if not typos else " ".join(kept) if kept else str(form["sorted"])
    return prefilter.QueryFacts(
        count=len(tokens),
        initial=any(len(t.encode()) == 1 for t in tokens),
        bare=bare != form["sorted"],
        abjad=bool(form["abjad"]),
        keyed=form["script"] in romanise.KEYED,
        heads=prefilter.head_bits(tokens),
        words=[(t, m == FORM) for t, m in zip(tokens, query_marks, strict=True)],
        typos=typos,
        forms={
            "sorted": form["sorted"],
            "glued": form["glued"],
            "spelt_glued": form["spelt_glued"],
            "bare": bare,
            "typo_bare": typo_bare,
            "core": form["core"],
            "script": form["script"],
        },
    )


def _id_values(query: Query, form: Mapping[str, Any]) -> list[str]:
    """Return the identifier values of a query: those in its name, then its own column's."""
    values = [_ID_TYPE.sub("", v, count=1) for v in form["ids"]]
    own = query.get("identifier")
    return values + ([] if own is None else [_NOT_ID.sub("", own.upper())])


def _id_hits(query: Query, form: Mapping[str, Any], lists: ListView) -> list[Row]:
    """Return identifier matches of the query (identifiers in its name or its own column)."""
    out: list[Row] = []
    for value in _id_values(query, form):
        for id_type, entity_id in lists.ids.get(value, []):
            # the batch path's inner join drops an identifier whose entity has no name served (delisted)
            if entity_id not in lists.first_names:
                continue
            matched, source = lists.first_names[entity_id]
            detail = f"{query['name']} ~ {matched} (1.00): identifier {id_type} {value} on both"
            out.append(_row(query, 0, (entity_id, 1.0, matched, source, detail)))
    return out


def _row(query: Query, prio: int, hit: tuple[object, float, object, object, object]) -> Row:
    """Return one hit row (entity, score, matched name, source, detail) with its priority (0: identifier, 1: name)."""
    return {"query_id": query["id"], **dict(zip(HIT_KEYS, hit, strict=True)), "prio": prio}


class Pair(NamedTuple):
    """A candidate whose name score reaches the threshold, with the list name's normal form.

    ``ratios``: the prefilter's ``s_sort`` and ``s_glue``; ``full``: the alignment and name score where
    the query names another organisation in full (:mod:`screening.names.in_full`), None where that
    changes nothing; ``common``: the name score without the subset lift (:mod:`screening.names.common_words`),
    None where the rule does not apply.
    """

    wid: int
    aligned: align.Aligned
    ratios: tuple[float, float]
    score: float
    w: dict[str, Any]
    full: tuple[align.Aligned, float] | None = None
    common: float | None = None


def _aligned(
    form: Mapping[str, Any], candidates: tuple[list[int], set[int]], lists: ListView, threshold: float
) -> list[tuple[int, align.Aligned, tuple[float, float]]]:
    """Return (wid, alignment, (s_sort, s_glue)) of the candidates (blocked, acronyms) whose base reaches ``threshold``.

    Blocked candidates pass the prefilter first; an acronym pair skips it and scores at least ``ACRONYM_BASE``.
    """
    wids, short = candidates
    query_marks, bare = marks.form_marks(form)
    facts = _query_facts(form, bare, query_marks)
    blocked = [w for w in wids if w not in short]
    passed = prefilter.prefilter(facts, lists, blocked, prefilter_cutoff(threshold), threshold)
    qtokens = align.query_tokens(form, query_marks, lists.rarity, lists.common)
    comma = written_family_first(str(form["raw"]))
    read, kept = form_typos.form_read_bits(str(form["kind"]), list(form["legal"])), []

    def aligned(wid: int, s_glue: float) -> align.Aligned | None:
        """Return the query aligned with one list name."""
        pair = (comma, lists.family_first[wid])
        return align.align(qtokens, lists.tokens[wid], s_glue, pair, formed=lists.formed[wid] & read)

    for wid, s_sort, s_glue in passed:
        pair = aligned(wid, s_glue)
        if pair is not None and lists.people[wid] and not form["abjad"]:
            pair = _added(pair)
        if pair is not None and pair.base >= threshold:
            kept.append((wid, pair, (s_sort, s_glue)))
    for wid, s_sort, s_glue in prefilter.prefilter(facts, lists, sorted(short), 0.0):
        pair = aligned(wid, s_glue)
        if pair is not None:
            pair = pair._replace(base=max(pair.base, acronyms.ACRONYM_BASE), acronym=True, unlifted=None)
        if pair is not None and pair.base >= threshold:
            kept.append((wid, pair, (s_sort, s_glue)))
    return kept


def _added(pair: align.Aligned) -> align.Aligned:
    """Return a listed person's pair as :func:`.align.person_added` scores it, keeping the base before it."""
    added = align.person_added(pair)
    return added._replace(unlifted=pair.base) if added.base > pair.base and pair.w.common else added


def _acronym_wids(form: Mapping[str, Any], lists: ListView) -> set[int]:
    """Return the list names whose initials the query name is (:func:`screening.names.acronyms.pairs`)."""
    key = acronyms.query_key(form["spelt"], abjad=bool(form["abjad"]), kind=str(form["kind"]))
    return set() if key is None else set(lists.acronyms.get(key, []))


def _named(form: Mapping[str, Any], wids: list[int], index: NameIndex, threshold: float) -> list[Pair]:
    """Return the candidates whose name score (penalties taken, same-script cap) reaches ``threshold``."""
    lists = view(index)
    short = _acronym_wids(form, lists)
    kept = _aligned(form, (wids, short), lists, threshold) if wids or short else []
    if not kept:
        return []
    out = []
    for wid, pair, ratios in kept:
        w = index.names.row(wid, named=True)
        penalty = explain.penalties(form, w, shifted=pair.shifted, acronym=pair.acronym)
        score = explain.same_script_cap(form, w, min(max(pair.base - penalty, 0.0), 1.0))
        if score >= threshold:
            full = align.named_in_full(pair, ratios[1]) if form["kind"] == titles.OTHER else pair
            # the same-script cap only lowers: the lower score capped as the pair's is (as the batch)
            lower = min(max(full.base - penalty, 0.0), 1.0, score)
            common = None if pair.unlifted is None else min(max(pair.unlifted - penalty, 0.0), 1.0, score)
            out.append(Pair(wid, pair, ratios, score, w, (full, lower) if full.in_full else None, common))
    return out


def _entities(index: NameIndex, wids: list[int]) -> list[list[dict[str, Any]]]:
    """Return the entity rows of each list name ``wids``."""
    at, rows = index.by_wid.rows(np.array(wids, dtype=np.uint32))
    out: list[list[dict[str, Any]]] = [[] for _ in wids]
    # a row at a time: a gather costs a millisecond or more on the list's frame, a row microseconds
    for pos, row in zip(at.tolist(), rows.tolist(), strict=True):
        out[pos].append(index.by_wid.rest.row(row, named=True))
    return out


def _qualified(query: Query, form: Mapping[str, Any], pairs: list[Pair], index: NameIndex) -> list[Scored]:
    """Return the entity rows of every pair, qualified, lowered where an organisation's query names another in full."""
    rows = []
    for pair, entities in zip(pairs, _entities(index, [p.wid for p in pairs]), strict=True):
        for entity in entities:
            qualified = qualifiers.qualify(query, entity)
            own = _unlifted(pair, query, entity)
            rows.append((own, entity, qualified, min(max(own.score + qualified.adjust, 0.0), 1.0)))
    full = _names_in_full(query, [(p, e, hand) for p, e, _, hand in rows])
    out = []
    for pair, entity, qualified, given in rows:
        (aligned, name_score), hand = (pair.aligned, pair.score), given
        if full and pair.full is not None and titles.is_organisation(entity["entity_schema"]):
            (aligned, name_score), hand = pair.full, min(max(pair.full[1] + qualified.adjust, 0.0), 1.0)
        birth = query.get("birth_date")
        out.append(Scored(form, pair.w, aligned, pair.ratios, name_score, hand, qualified, entity, birth))
    return out


def _scores(rows: list[Scored], model: NameModel | None) -> list[tuple[float, tuple[NameModel, Features] | None]]:
    """Return each row's score (its hand score, or the ``model``'s probability) and the model with the features read."""
    if model is None:
        return [(row.hand, None) for row in rows]
    query = learned.rivals(rows)
    feats = [learned.features(row, query) for row in rows]
    return [(learned.probability(model, f), (model, f)) for f in feats]


def _name_hits(  # noqa: PLR0917 - the query, its rows and how they are scored
    query: Query,
    form: Mapping[str, Any],
    pairs: list[Pair],
    index: NameIndex,
    threshold: float,
    model: NameModel | None,
) -> list[Row]:
    """Return the name matches of the query's entity rows, qualified, scored (by hand or ``model``) and explained."""
    rows = _qualified(query, form, pairs, index)
    hand_floor = threshold if model is None else 0.0
    out: list[Row] = []
    for row, (score, read) in zip(rows, _scores(rows, model), strict=True):
        if not _hit(row.entity, (score, row.hand), threshold, hand_floor):
            continue
        pair = (row.pair, row.ratios[1])
        detail = explain.detail(str(query["name"]), form, row.w, pair=pair, score=score, qualified=row.qualified.notes)
        if read is not None:
            detail = f"{detail}; {learned.carried(*read)}"
        out.append(_row(query, 1, (row.entity["entity_id"], score, row.w["raw"], row.entity["source"], detail)))
    return out


def _unlifted(pair: Pair, query: Query, entity: Mapping[str, Any]) -> Pair:
    """Return the pair as an entity row scores it: without the subset lift where no birth year agrees (as the batch)."""
    if pair.common is None or pair.common >= pair.score:
        return pair
    listed = entity.get("birth_dates")
    if qualifiers.birth_year_agrees(query.get("birth_date"), None if listed is None else str(listed)):
        return pair
    full = None if pair.full is None else (pair.full[0]._replace(common=True), min(pair.full[1], pair.common))
    return pair._replace(aligned=pair.aligned._replace(common=True), score=pair.common, full=full)


def _hit(entity: Mapping[str, Any], scores: tuple[float, float], threshold: float, hand_floor: float) -> bool:
    """Return whether a row scoring (score, hand score) is a hit: the score at ``threshold``, a weak alias's higher.

    A weak alias's hand score must reach ``WEAK_THRESHOLD`` and ``hand_floor`` (as :func:`screening.names.match._kept`).
    """
    score, hand = scores
    return score >= threshold and not (entity["strength"] == "weak" and hand < max(hand_floor, WEAK_THRESHOLD))


def _names_in_full(query: Query, rows: list[tuple[Pair, Mapping[str, Any], float]]) -> bool:
    """Return whether an organisation's query names a listed organisation in full by a hit (:mod:`..in_full`).

    A hit at the default threshold, whatever the threshold in force, as the batch asks.
    """
    return titles.is_organisation(query.get("schema")) and any(
        titles.is_organisation(entity["entity_schema"])
        and pair.aligned.base >= IN_FULL
        and _hit(entity, (hand, hand), DEFAULT_THRESHOLD, DEFAULT_THRESHOLD)
        for pair, entity, hand in rows
    )


def _key(row: Row) -> tuple[Any, ...]:
    """Return the rank of a hit: identifier matches first, score (to 9 places) down, then entity, name, detail."""
    text = [(v is not None, v or "") for v in (row["entity_id"], row["matched_name"], row["detail"])]
    return (row["prio"], -round(float(row["score"]), 9), *text)  # type: ignore[arg-type]


def _top(hits: list[Row], top: int) -> list[Row]:
    """Return the best ``top`` entities, the best row of each."""
    seen: set[object] = set()
    out: list[Row] = []
    for row in sorted(hits, key=_key):
        if row["entity_id"] not in seen and len(out) < top:
            seen.add(row["entity_id"])
            out.append({k: v for k, v in row.items() if k != "prio"})
    return out


def score_one(  # noqa: PLR0917 - the one-query path's shared interface, as the plan gives it
    query: Query,
    form: Mapping[str, Any],
    wids: list[int],
    index: NameIndex,
    threshold: float | None = None,
    top: int = 1,
    model: Scorer = DEFAULT_SCORER,
) -> list[Row]:
    """Return the rows ``match_index`` gives one query row (by ``model``; HAND: by hand) from its form and wids."""
    model = scorer_model(model)
    threshold = own_threshold(model, threshold)
    name = query.get("name")
    if name is None or qualifiers.strip(name) == "":
        return []
    hits = _id_hits(query, form, view(index))
    # by hand a name below the threshold is scored where the query's qualifiers can lift it over (as the batch path)
    floor = max(threshold - qualifiers.lift(query), 0.0) if model is None else MODEL_FLOOR
    pairs = _named(form, wids, index, floor)
    if pairs:
        hits += _name_hits(query, form, pairs, index, threshold, model)
    return _top(hits, top)


def score_frame(  # noqa: PLR0917 - as score_one
    query: Query,
    form: Mapping[str, Any],
    wids: list[int],
    index: NameIndex,
    threshold: float | None = None,
    top: int = 1,
    model: Scorer = DEFAULT_SCORER,
) -> pl.DataFrame:
    """Return :func:`score_one`'s rows as the frame ``match_index`` returns."""
    return hit_frame(score_one(query, form, wids, index, threshold, top, model))


def hit_frame(rows: Sequence[Row]) -> pl.DataFrame:
    """Return hit rows as the frame ``match_index`` returns."""
    return conform(pl.DataFrame(rows, schema=OUTPUT_COLUMNS), OUTPUT_COLUMNS)
