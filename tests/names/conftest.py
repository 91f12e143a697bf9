"""Helpers of the name tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
import pytest
from _pytest.mark.structures import ParameterSet
from polars.testing import assert_frame_equal

from screening.names import match_index
from screening.names.index import NameIndex, build_index
from screening.names.model import DEFAULT_SCORER, SCORERS, NameModel, named_scorer, own_threshold
from screening.names.single.serve import match_one
from screening.rules import load_rules

# the model's threshold in a scan (NAME-001's): a table's positive must hold there, its negative at the API's own
SCAN_THRESHOLD: float = load_rules().get("NAME-001").params["threshold"]["model"]


def scoring(scorer: str, matched: bool = False) -> tuple[NameModel | None, float]:
    """Return a scorer's model (None: the hand weights) and the threshold a case is judged at.

    The scorer's own default threshold; a case that must match (``matched``) by the model: NAME-001's, which a
    scan by the model alerts at (a negative stays quiet at the API's lower own threshold).
    """
    model = named_scorer(scorer)
    return model, SCAN_THRESHOLD if model is not None and matched else own_threshold(model)


def case_id(values: tuple[Any, ...]) -> str:
    """Return a table case's test id (its values joined by '-'), by which ``lost`` may name it."""
    return "-".join(map(str, values))


def _lost_why(lost: Mapping[Any, str], values: tuple[Any, ...]) -> str | None:
    """Return why the model loses a case (looked up by its id, its tuple or its first value), or None."""
    for key in (case_id(values), values, values[0]):
        try:
            if key in lost:
                return lost[key]
        except TypeError:  # a case holding a list is looked up by its first value
            continue
    return None


HAND_ONLY: tuple[str, ...] = ("hand",)  # a table of the hand scorer's own scores or notes


def by_scorer(
    cases: Iterable[Any], lost: Mapping[Any, str] | None = None, scorers: tuple[str, ...] = SCORERS
) -> list[ParameterSet]:
    """Return each table case once per scorer (the scorer's name last), a case the model loses a strict xfail.

    ``lost`` maps a case (its id, its tuple, or its first value) the shipped model gets wrong today to why: the xfail
    turns into a failure once a refit mends it, so that the mark is then removed.
    """
    out = []
    for case in cases:
        values = case if isinstance(case, tuple) else (case,)
        why = _lost_why(lost or {}, values)
        for scorer in scorers:
            marks = [pytest.mark.xfail(strict=True, reason=f"model: {why}")] if why and scorer == "model" else []
            out.append(pytest.param(*values, scorer, marks=marks, id=f"{case_id(values)}-{scorer}"))
    return out


def both_paths(query: str, listed: str, threshold: float | None = None, scorer: str = DEFAULT_SCORER) -> pl.DataFrame:
    """Return the batch path's hits of one query against one listed name, checked equal to the one-query path's."""
    index = build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed]}))
    return both_paths_in(index, query, threshold=threshold, scorer=scorer)


def both_paths_in(
    index: NameIndex,
    query: str,
    schema: str | None = None,
    top: int = 5,
    threshold: float | None = None,
    facts: tuple[str | None, str | None] = (None, None),
    scorer: str = DEFAULT_SCORER,
) -> pl.DataFrame:
    """Return the batch hits of one query (of an entity type) in an index, checked equal to the one-query path's.

    ``facts``: the query's country and birth date; ``scorer``: model or hand, at its own threshold where
    ``threshold`` is None. There, by the model, no hit may score under NAME-001's model threshold: a positive
    must hold at the scan's threshold, a negative stay quiet at the API's (the model's own, lower).
    """
    model, own = scoring(scorer)
    threshold = own if threshold is None else threshold
    row: dict[str, str | None] = {
        "id": "q",
        "name": query,
        "schema": schema,
        "country": facts[0],
        "birth_date": facts[1],
    }
    batch = match_index(pl.DataFrame([row], schema=dict.fromkeys(row, pl.String())), index, threshold, top, model)
    single = match_one(row | {"identifier": None}, index, threshold, top, model)
    assert single is not None
    assert_frame_equal(single, batch)
    if model is not None and threshold == own:
        _outside_the_band(batch, own)
    return batch


def _outside_the_band(hits: pl.DataFrame, own: float) -> None:
    """Assert no hit scores between the model's own threshold and the scan's: a negative or a lost positive there."""
    band = hits.filter(pl.col("score") < SCAN_THRESHOLD)
    scores = ", ".join(f"{e} {s:.3f}" for e, s in zip(band["entity_id"], band["score"], strict=True))
    assert band.is_empty(), f"scored from {own} (a negative alerts) to under NAME-001's {SCAN_THRESHOLD}: {scores}"
