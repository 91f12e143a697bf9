"""One query row matched in plain Python, equal to the batch path, where its normal form is supported.

:func:`match_one` answers ``match_index(pl.DataFrame([query]), index, threshold, top)`` (hand
weights, no model): the name's normal form (:mod:`.forms`), its candidate list names
(:mod:`.candidates`) and their scores, identifier matches included (:mod:`.score`). Equality with
the batch path is held by tests and by ``benchmarks/names/check_single.py`` over every committed
name. A name whose form the plain path does not support is left to the batch path (None).
"""

from __future__ import annotations

from functools import cache

import polars as pl

from screening.names.index import NameIndex
from screening.names.match import OUTPUT_COLUMNS
from screening.names.single import candidates, qualifiers, views
from screening.names.single.candidates import candidate_wids
from screening.names.single.forms import query_form
from screening.names.single.score import score_frame
from screening.schema import conform


@cache
def _empty() -> pl.DataFrame:
    """Return the batch path's answer with no hit."""
    return conform(pl.DataFrame(schema=OUTPUT_COLUMNS), OUTPUT_COLUMNS)


def prepare(index: NameIndex) -> NameIndex:
    """Return ``index`` with the plain path's per-index tables built, so that no request pays for them."""
    candidates.view(index)
    views.view(index)
    return index


def match_one(query: dict[str, str | None], index: NameIndex, threshold: float, top: int) -> pl.DataFrame | None:
    """Return ``match_index`` of one query row (id, name, schema, country, birth_date, identifier), or None.

    None: the batch path must answer this query (its name's normal form is not supported here).
    """
    name = query.get("name")
    if name is None or not qualifiers.strip(name):  # the batch path drops a blank name (polars' whitespace)
        return _empty()
    form = query_form(name)
    if form is None:
        return None
    return score_frame(query, form, candidate_wids(form, index), index, threshold, top)
