"""One query row matched in plain Python, equal to the batch path, where its normal form is supported.

:func:`match_rows` answers ``match_index(pl.DataFrame([query]), index, threshold, top, model)``
(by hand weights by default (HAND or "hand"), by the shipped model for SHIPPED or "model";
a threshold of None is the scorer's own): the name's normal form (:mod:`.forms`), its candidate list names
(:mod:`.candidates`) and their scores, identifier matches included (:mod:`.score`). Equality with
the batch path is held by tests and by ``benchmarks/names/check_single.py`` over every committed
name. A name whose form the plain path does not support is left to the batch path (None).
:func:`match_one` gives the same rows as the batch path's frame.
"""

from __future__ import annotations

import polars as pl

from screening.names.index import NameIndex
from screening.names.model import DEFAULT_SCORER, Scorer
from screening.names.single import candidates, qualifiers, views
from screening.names.single.candidates import candidate_wids
from screening.names.single.forms import kind_of, query_form
from screening.names.single.score import Row, hit_frame, score_one


def prepare(index: NameIndex) -> NameIndex:
    """Return ``index`` with the plain path's per-index tables built, so that no request pays for them."""
    candidates.view(index)
    views.view(index)
    return index


def match_rows(
    query: dict[str, str | None],
    index: NameIndex,
    threshold: float | None = None,
    top: int = 1,
    model: Scorer = DEFAULT_SCORER,
) -> list[Row] | None:
    """Return the rows of ``match_index`` of one query row (id, name, schema, country, birth_date, identifier), or None.

    Each row is a dict of the batch path's output columns, in its order; no frame is built, so that an
    HTTP request turns them into JSON directly. None: the batch path must answer this query (its
    name's normal form is not supported here).
    """
    name = query.get("name")
    if name is None or not qualifiers.strip(name):  # the batch path drops a blank name (polars' whitespace)
        return []
    form = query_form(name, kind=kind_of(query.get("schema")))
    if form is None:
        return None
    return score_one(query, form, candidate_wids(form, index), index, threshold, top, model)


def match_one(
    query: dict[str, str | None],
    index: NameIndex,
    threshold: float | None = None,
    top: int = 1,
    model: Scorer = DEFAULT_SCORER,
) -> pl.DataFrame | None:
    """Return ``match_index`` of one query row as its frame, or None (see :func:`match_rows`)."""
    rows = match_rows(query, index, threshold, top, model)
    return None if rows is None else hit_frame(rows)
