"""One query row matched in plain Python where that is proven equal to the batch path, else left to it.

:func:`match_one` answers ``match_index(pl.DataFrame([query]), index, threshold, top)`` (hand
weights, no model) for the queries it can: a name with no candidate list name at all answers
empty (no pair reaches any later stage), as does an empty name and a name none of whose
candidates passes the prefilter by the batch path's own ratios (:func:`_none_pass`, where the
prefilter takes no second look). It leaves to the batch path
(returns None) a query carrying an identifier (its own column or written in its name: identifier
matches need no candidate) and, until a plain scorer is merged, a name with candidates
(:func:`_scored`, the one place the scoring step is called).
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import polars as pl

from screening.names import prefilter, romanise
from screening.names.index import NameIndex
from screening.names.legal_forms import EDGE_EXACT_MIN
from screening.names.match import OUTPUT_COLUMNS, prefilter_cutoff
from screening.names.single.candidates import candidate_wids
from screening.names.single.forms import _form_words, query_form
from screening.schema import conform

_SPACE: Final = " \t\n\r\x0b\x0c"  # whitespace to Python and polars alike (the batch path drops such names)


@cache
def _empty() -> pl.DataFrame:
    """Return the batch path's answer with no hit."""
    return conform(pl.DataFrame(schema=OUTPUT_COLUMNS), OUTPUT_COLUMNS)


def _scored(
    query: dict[str, str | None],
    form: dict[str, object],
    wids: list[int],
    index: NameIndex,
    *,
    threshold: float,
    top: int,
) -> pl.DataFrame | None:
    """Return the hits of a name with candidates ``wids``, or None: the batch path scores them (no plain scorer yet)."""
    del query, form, wids, index, threshold, top
    return None


def _plain_pairs(form: dict[str, object]) -> bool:
    """Return whether the prefilter compares this name with no second look (the ratios alone decide).

    No second look: no initial or one-letter word (token-set ratio, a form spelt letter by letter),
    no abjad (consonants), no Korean, Chinese or Japanese (romanisation keys), and no legal-form
    word it may still hold (:func:`.marks.form_marks` marks one only for a legal-form word of four
    letters or more, or at an edge the normaliser cut form words from).
    """
    tokens, spelt, core = form["tokens"], form["spelt"], str(form["core"]).split(" ")
    assert isinstance(tokens, list) and isinstance(spelt, list)
    if form["abjad"] or form["script"] in romanise.KEYED or any(len(t) == 1 for t in [*tokens, *spelt]):
        return False
    forms = _form_words()[0]
    if any(t in forms and len(t) >= EDGE_EXACT_MIN for t in tokens):
        return False
    return not spelt or (core[0] == spelt[0] and core[-1] == spelt[-1])


def _none_pass(form: dict[str, object], wids: list[int], index: NameIndex, threshold: float) -> bool:
    """Return whether no candidate can pass the batch path's prefilter, proven by its own ratios (False: unproven)."""
    if not _plain_pairs(form):
        return False
    facts, w = index.facts, np.asarray(wids, dtype=np.int64)
    if (facts.bare[w] | facts.abjad[w] | facts.keyed[w]).any():
        return False
    floor = prefilter_cutoff(threshold)
    differ = facts.count[w] != len(form["tokens"])  # type: ignore[arg-type]
    glue_floor = np.where(differ, floor, max(prefilter.GLUE_RESCUE, floor))
    ratios = [
        prefilter._gather_ratio(np.full(w.size, form[f], dtype=object), facts.form(f)[w]) for f in ("sorted", "glued")
    ]
    return not ((ratios[0] >= floor) | (ratios[1] >= glue_floor)).any()


def match_one(query: dict[str, str | None], index: NameIndex, threshold: float, top: int) -> pl.DataFrame | None:
    """Return ``match_index`` of one query row (id, name, schema, country, birth_date, identifier), or None.

    None: the batch path must answer this query (see the module's rules).
    """
    name = query.get("name")
    if name is None or not name.strip(_SPACE):
        return _empty()
    if query.get("identifier") is not None:
        return None
    form = query_form(name)
    if form is None or form["ids"]:
        return None
    wids = candidate_wids(form, index)
    if not wids or _none_pass(form, wids, index, threshold):
        return _empty()
    return _scored(query, form, wids, index, threshold=threshold, top=top)
