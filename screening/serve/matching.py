"""Matching FtM query examples against the served lists, answered in yente's shapes."""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from screening.names.model import NameModel, scorer_label
from screening.names.single.serve import match_rows
from screening.serve import ftm
from screening.serve.batching import Batcher
from screening.serve.live import ListState

ALL_DATASETS: Final = ("default", "sanctions", "all")
MAX_BATCH: Final = 100
MAX_LIMIT: Final = 500
BATCHER: Final = Batcher()  # concurrent requests share matcher calls
WIDEN: Final = 5  # a dataset filter applies after ranking, so that many more candidates are ranked
FEATURES: Final = {
    "name_match": {
        "description": "Name similarity after normalisation, transliteration and legal-form folding, "
        "adjusted by birth date, country and entity type (screening.names)",
        "coefficient": 1.0,
        "url": None,
    },
    "identifier_match": {
        "description": "A strong identifier (IMO, INN, OGRN, LEI, BIC, passport, national or tax id) "
        "equal on both sides",
        "coefficient": 1.0,
        "url": None,
    },
}


def matcher(model: NameModel | None) -> dict[str, dict[str, Any]]:
    """Return the response's matcher features, the name feature naming its scorer (and the model's file sha256)."""
    name = FEATURES["name_match"]
    described = f"{name['description']}, scored by {scorer_label(model)}"
    return {**FEATURES, "name_match": {**name, "description": described}}


def dataset_sources(state: ListState, dataset: str) -> set[str] | None:
    """Return the list sources a dataset name covers (None: all), or raise KeyError when it names none."""
    if dataset in ALL_DATASETS:
        return None
    if dataset not in state.sources and not state.entities.filter(pl.col("source") == dataset).height:
        raise KeyError(dataset)
    return {dataset}


def _ranked(  # noqa: PLR0917 - a request's queries, its dataset, cutoff, limit and scorer
    state: ListState,
    queries: list[dict[str, str | None]],
    cutoff: float,
    limit: int,
    sources: set[str] | None,
    model: NameModel | None,
) -> list[dict[str, Any]]:
    """Return the best matches per query row id at or above ``cutoff`` by ``model`` (None: by hand), as plain rows.

    Only the wanted sources' matches are kept.
    A request of one query row goes the plain one-query way where that is proven equal
    (:func:`.single.serve.match_rows`: no frame is built); the others are matched in batches with
    concurrent requests.
    """
    if not queries:
        return []
    top = limit * WIDEN if sources else limit
    hits = match_rows(queries[0], state.index, cutoff, top, model) if len(queries) == 1 else None
    if hits is None:
        hits = BATCHER.match(state.index, ftm.queries_frame(queries), cutoff, top, model).to_dicts()
    return _of_sources(hits, sources, limit) if sources else hits


def _of_sources(hits: list[dict[str, Any]], sources: set[str], limit: int) -> list[dict[str, Any]]:
    """Return the first ``limit`` hits of each query that come from the wanted sources, in order."""
    kept: list[dict[str, Any]] = []
    count: dict[str, int] = {}
    for hit in hits:  # at most ``limit * WIDEN`` rows per query
        if hit["source"] in sources and count.get(hit["query_id"], 0) < limit:
            count[hit["query_id"]] = count.get(hit["query_id"], 0) + 1
            kept.append(hit)
    return kept


def scored(state: ListState, hit: dict[str, Any], threshold: float) -> dict[str, Any]:
    """Return one match as yente's ``ScoredEntityResponse``, with our explanation in ``detail``."""
    row = state.entity(hit["entity_id"]) or {"entity_id": hit["entity_id"], "source": hit["source"]}
    by_id = "identifier" in (hit["detail"] or "") and hit["score"] >= 1.0
    score = round(float(hit["score"]), 4)
    features = {"identifier_match": 1.0} if by_id else {"name_match": score}
    extra = {"score": score, "match": score >= threshold, "features": features}
    return {**ftm.entity(row), **extra, "matched_name": hit["matched_name"], "detail": hit["detail"]}


def match_examples(
    state: ListState,
    examples: dict[str, dict[str, Any]],
    *,
    threshold: float,
    cutoff: float,
    limit: int,
    dataset: str,
    model: NameModel | None,
) -> dict[str, Any]:
    """Return yente's ``EntityMatchResponse`` for parsed query examples, scored by ``model`` (None: by hand)."""
    sources = dataset_sources(state, dataset)
    rows = [row for key, ex in examples.items() for row in ftm.query_rows(key, ex)]
    hits = _ranked(state, rows, min(cutoff, threshold), limit, sources, model)
    found: dict[str, list[dict[str, Any]]] = {key: [] for key in examples}
    for hit in hits:  # at most ``limit`` rows per query
        found[hit["query_id"]].append(scored(state, hit, threshold))
    responses = {
        key: {"status": 200, "results": res, "total": {"value": len(res), "relation": "eq"}, "query": examples[key]}
        for key, res in found.items()
    }
    return {"responses": responses, "matcher": matcher(model), "limit": limit}


def search(
    state: ListState, text: str, *, limit: int, offset: int, dataset: str, cutoff: float, model: NameModel | None
) -> dict[str, Any]:
    """Return yente's ``SearchResponse`` for a free-text name query, scored by ``model`` (None: by hand)."""
    sources = dataset_sources(state, dataset)
    query = {"id": "q", "name": text, **dict.fromkeys(("schema", "country", "birth_date", "identifier"))}
    hits = _ranked(state, [query], cutoff, limit + offset, sources, model)[offset : offset + limit]
    results = [scored(state, hit, cutoff) for hit in hits]
    return {
        "limit": limit,
        "offset": offset,
        "total": {"value": offset + len(results), "relation": "gte" if len(results) == limit else "eq"},
        "results": results,
        "facets": {},
    }
