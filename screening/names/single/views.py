"""Plain-Python views of a list index, made once per index, that the one-query scorer reads.

The batch index holds polars frames and numpy arrays; a query of one name reads a few dozen list
names, so their tokens, forms and facts are kept here as Python lists (strings interned, one
object per distinct token) by list name id, built on first use and cached per index.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import polars as pl

from screening.names.index import NameIndex
from screening.names.prefilter import FORMS

TOKEN_COLUMNS: Final = ("t", "s", "h", "m", "a", "r", "l", "p", "f", "c")


class Token(NamedTuple):
    """One token of a name as alignment reads it (see :func:`.token_sims.tokens`)."""

    t: str  # skeleton, ``X.`` for a letter in a run of letters
    s: str  # spelling
    h: str  # head
    m: int  # mark: WORD, LIKE or FORM
    a: bool  # abjad
    r: str | None  # script keyed by romanisation
    l: float  # noqa: E741  length times rarity, as the batch path names it
    p: bool  # patronymic
    f: bool  # its name takes part in the foreign reading (see :func:`.token_sims._foreign`)
    c: bool  # a common word: ``COMMON_ENTITIES`` listed entities or more hold it (see :func:`.token_sims.rarity`)


@dataclass(frozen=True)
class ListView:
    """A list index's names by wid: their tokens, prefilter facts and forms, and lookups of identifiers."""

    tokens: list[tuple[Token, ...]]
    count: list[int]
    initial: list[bool]
    bare: list[bool]
    abjad: list[bool]
    keyed: list[bool]
    forms: dict[str, np.ndarray]  # object arrays by wid: sorted, glued, bare, core, script
    heads: list[int]  # the first letters of each name's words as bits
    rarity: dict[str, float]
    common: frozenset[str]  # the list's common words (:func:`screening.names.token_sims.rarity`)
    ids: dict[str, list[tuple[str, str]]]  # value: (id_type, entity_id)
    first_names: dict[str, tuple[str, str | None]]  # entity_id: (name, source)
    family_first: list[bool]  # whether each name is written family name first (a comma)
    acronyms: dict[str, list[int]]  # organisations' initials: their names' wids (:mod:`..acronyms`)
    people: list[bool]  # by wid: whether every entity bearing the name is a person
    formed: list[int]  # by wid: the class bits of the name's legal forms (:func:`..form_typos.legal_bits`)


def _interned(values: list[str | None]) -> list[str | None]:
    """Return the strings with one object per distinct value."""
    seen: dict[str, str] = {}
    return [None if v is None else seen.setdefault(v, v) for v in values]


def _tokens(index: NameIndex) -> list[tuple[Token, ...]]:
    """Return each list name's tokens by wid."""
    frame = index.tokens.tokens
    cols = {
        c: _interned(frame[c].to_list()) if frame[c].dtype == pl.String else frame[c].to_list() for c in TOKEN_COLUMNS
    }
    rows = [Token(*values) for values in zip(*(cols[c] for c in TOKEN_COLUMNS), strict=True)]
    starts, counts = index.tokens.start.tolist(), index.tokens.count.tolist()
    out = [tuple(rows[s : s + n]) for s, n in zip(starts, counts, strict=True)]
    return out + [()] * (index.names.height - len(out))


def _ids(index: NameIndex) -> dict[str, list[tuple[str, str]]]:
    """Return the list's strong identifiers by value."""
    out: dict[str, list[tuple[str, str]]] = {}
    for value, id_type, entity_id in index.ids.iter_rows():
        out.setdefault(value, []).append((id_type, entity_id))
    return out


def _family_first(index: NameIndex) -> list[bool]:
    """Return whether each list name is written family name first, by wid."""
    flags: list[bool] = index.tokens.family_first.tolist()
    return flags + [False] * (index.names.height - len(flags))


def _keyed(keys: pl.DataFrame) -> dict[str, list[int]]:
    """Return acronym keys' list names, wids ascending."""
    out: dict[str, list[int]] = {}
    for key, wid in keys.iter_rows():
        out.setdefault(key, []).append(wid)
    return out


def build_view(index: NameIndex) -> ListView:
    """Return the plain views of a list index."""
    facts = index.facts
    rarity = index.rarity.frame
    firsts = index.first_names
    return ListView(
        tokens=_tokens(index),
        count=facts.count.tolist(),
        initial=facts.initial.tolist(),
        bare=facts.bare.tolist(),
        abjad=facts.abjad.tolist(),
        keyed=facts.keyed.tolist(),
        forms={f: facts.form(f) for f in FORMS},
        heads=facts.heads.tolist(),
        rarity=dict(zip(rarity["t"].to_list(), rarity["rarity"].to_list(), strict=True)),
        common=frozenset(rarity.filter(pl.col("common"))["t"].to_list()),
        ids=_ids(index),
        first_names={e: (n, s) for e, n, s in firsts.select("entity_id", "matched_name", "source").iter_rows()},
        family_first=_family_first(index),
        acronyms=_keyed(index.acronyms),
        people=index.people.to_list(),
        formed=facts.formed.tolist(),
    )


_VIEWS: dict[int, tuple[weakref.ref[NameIndex], ListView]] = {}


def view(index: NameIndex) -> ListView:
    """Return the plain views of ``index``, built on first use and kept while the index lives."""
    key = id(index)
    held = _VIEWS.get(key)
    if held is not None and held[0]() is index:
        return held[1]
    made = build_view(index)
    # the callback holds the key only: holding the index would keep it alive with its view
    _VIEWS[key] = (weakref.ref(index, lambda _: _VIEWS.pop(key, None)), made)
    return made
