"""The prefilter of one query name's candidates, as :func:`screening.names.prefilter.prefilter` decides it.

Every ratio the batch path may compute is computed here for the few candidates (the batch path
skips those its letter bound proves too low, which changes no decision), with the same rapidfuzz
scorers and the same float32 scores; the second looks (legal-form words left out, initials by
token set, consonants of abjad names, romanisation keys) follow in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from screening.names import part_words, romanise
from screening.names.marks import FORM
from screening.names.prefilter import GLUE_RESCUE, HEAD_BITS, INITIAL_SLACK, PART_HELD, part_needs
from screening.names.single.romanise import syllable_key
from screening.names.single.text import consonants, foreign_consonants
from screening.names.single.views import ListView, Token
from screening.names.token_sims import ABJAD_FACTOR, SYLLABLE_FACTOR

Scorer = Callable[..., float]


@dataclass(frozen=True)
class QueryFacts:
    """What the prefilter reads of the query name."""

    count: int
    initial: bool
    bare: bool
    abjad: bool
    keyed: bool
    forms: dict[str, str]  # sorted, glued, spelt_glued, bare, core, script
    heads: int  # the first letters of its words as bits
    words: list[tuple[str, bool]]  # its tokens, each with whether it is a legal-form word
    typos: int = 0  # the class bits of its words a legal form misspelt may be (``forms["typo_bare"]`` without them)


def ratios(left: list[str], right: list[str], scorer: Scorer = fuzz.ratio) -> list[float]:
    """Return ``scorer`` / 100 of aligned strings as the batch path has them (float32 scores)."""
    if not left:
        return []
    scores = process.cpdist(left, right, scorer=scorer, workers=1, dtype=np.float32)
    return (scores.astype(np.float64) / 100.0).tolist()  # type: ignore[no-any-return]


def _consonants(name: str, *, foreign: bool = False) -> str:
    """Return the sorted consonant skeletons of a sorted form's words, or of a core's read as an abjad writes them."""
    read = foreign_consonants if foreign else consonants
    words = (read(w) for w in name.split(" "))
    return " ".join(sorted(w for w in words if w))


def _abjad_look(q: QueryFacts, view: ListView, wid: int) -> float:
    """Return the consonant ratio of a pair with an abjad side, a Latin side also read as an abjad writes it."""
    left, right = q.forms["sorted"], str(view.forms["sorted"][wid])
    written = ratios([_consonants(left)], [_consonants(right)])[0]
    lread = _consonants(left) if q.abjad else _consonants(q.forms["core"], foreign=True)
    rread = _consonants(right) if view.abjad[wid] else _consonants(str(view.forms["core"][wid]), foreign=True)
    return max(written, ratios([lread], [rread])[0])


@lru_cache(maxsize=1 << 14)
def _keyed(core: str, script: str, *, glued: bool) -> str:
    """Return the romanisation keys of a core's words under ``script``, sorted (or glued in order)."""
    keys = [syllable_key(w, script) for w in core.split(" ")]
    return "".join(keys) if glued else " ".join(sorted(keys))


def _syllables(q: QueryFacts, core: str, script: str, *, glued: bool) -> float:
    """Return the ratio of the romanisation keys of the query and a list core, times ``SYLLABLE_FACTOR``."""
    pair = q.forms["script"] if q.forms["script"] in romanise.KEYED else script
    left, right = _keyed(q.forms["core"], pair, glued=glued), _keyed(core, pair, glued=glued)
    return ratios([left], [right])[0] * SYLLABLE_FACTOR


def head_bits(tokens: list[str]) -> int:
    """Return the first letters of a name's words as bits (:data:`screening.names.prefilter.HEAD_BITS`)."""
    return sum({HEAD_BITS.get(t[:1], 0) for t in tokens})


def _held(q: QueryFacts, view: ListView, wid: int) -> tuple[float, float]:
    """Return the letters two glued names share over the shorter one's and the longer one's (inf: not bounded).

    A name also glued with its ordinals spelt out is not bounded, as in the batch path (:func:`.prefilter._letters`).
    """
    left, right = q.forms["glued"], str(view.forms["glued"][wid])
    spelt = q.forms["spelt_glued"] != left or str(view.forms["spelt_glued"][wid]) != right
    shared = None if spelt or not left or not right else part_words.letters_shared(left, right)
    if shared is None:
        return float("inf"), float("inf")
    return shared / min(len(left), len(right)), shared / max(len(left), len(right))


def _words_held(q: QueryFacts, listed: tuple[Token, ...]) -> bool:
    """Return whether the words of the name with fewer words are held by the other's (:func:`.part_words.held`)."""
    other = [(t.t.replace(".", ""), t.m == FORM) for t in listed]  # ``X.``: a letter in a run, the letter X
    if len(q.words) < len(other):
        return part_words.held_one(q.words, [t for t, _ in other])
    return part_words.held_one(other, [t for t, _ in q.words])


def _forms(view: ListView, form: str, wids: list[int]) -> list[str]:
    """Return the list names ``wids`` on ``form``."""
    column = view.forms[form]
    return [str(column[w]) for w in wids]


def _glue(q: QueryFacts, view: ListView, wids: list[int]) -> list[float]:
    """Return the glued ratios of the candidates, the better one with ordinals spelt out, as the batch path."""
    s_glue = ratios([q.forms["glued"]] * len(wids), _forms(view, "glued", wids))
    glued, spelt = view.forms["glued"], view.forms["spelt_glued"]
    todo = [i for i, w in enumerate(wids) if q.forms["spelt_glued"] != q.forms["glued"] or spelt[w] != glued[w]]
    if todo:
        better = ratios([q.forms["spelt_glued"]] * len(todo), [str(spelt[wids[i]]) for i in todo])
        for i, s in zip(todo, better, strict=True):
            s_glue[i] = max(s_glue[i], s)
    return s_glue


def prefilter(
    q: QueryFacts, view: ListView, wids: list[int], cutoff: float, sought: float | None = None
) -> list[tuple[int, float, float]]:
    """Return (wid, s_sort, s_glue) of the candidates that pass, in the order of ``wids`` (``sought``: the batch's)."""
    n = len(wids)
    s_sort = ratios([q.forms["sorted"]] * n, _forms(view, "sorted", wids))
    s_glue = _glue(q, view, wids)
    out = []
    for i, wid in enumerate(wids):
        differ = q.count != view.count[wid]
        floor = cutoff - INITIAL_SLACK * q.initial
        glue_floor = floor if differ else max(GLUE_RESCUE, cutoff)
        passed = s_sort[i] >= floor or s_glue[i] >= glue_floor
        few = min(q.count, int(view.count[wid]))
        if not passed and sought is not None and differ and few >= 1:
            held, longer = _held(q, view, wid)  # a name naming part of the other
            fewer = q.heads & ~view.heads[wid] if q.count < view.count[wid] else view.heads[wid] & ~q.heads
            lacking = fewer & (fewer - 1) if few >= 2 else fewer  # one first letter the other's lack at most
            passed = held >= PART_HELD and lacking == 0 and longer >= float(part_needs(np.asarray(sought)))
            passed = passed and _words_held(q, view.tokens[wid])
        passed = passed or _second_look(q, view, wid, floor)
        k_glue = 0.0
        if (q.keyed or view.keyed[wid]) and differ:
            k_glue = _syllables(q, str(view.forms["core"][wid]), str(view.forms["script"][wid]), glued=True)
            passed = passed or k_glue >= glue_floor
        if passed:
            out.append((wid, s_sort[i], max(s_glue[i], k_glue) if differ else _spelt_alike(q, view, wid)))
    return out


def _spelt_alike(q: QueryFacts, view: ListView, wid: int) -> float:
    """Return 1 where the glued forms with ordinals spelt out are equal, one spelt, as the batch path; else 0."""
    glued, spelt = str(view.forms["glued"][wid]), str(view.forms["spelt_glued"][wid])
    spelled = q.forms["spelt_glued"] != q.forms["glued"] or spelt != glued
    return 1.0 if spelled and q.forms["spelt_glued"] == spelt else 0.0


def _second_look(q: QueryFacts, view: ListView, wid: int, floor: float) -> bool:
    """Return whether a pair the ratios failed passes a second look (bare forms, initials, consonants, keys)."""
    forms = view.forms
    if (q.bare or view.bare[wid]) and ratios([q.forms["bare"]], [str(forms["bare"][wid])])[0] >= floor:
        return True
    if q.typos & view.formed[wid] and ratios([q.forms["typo_bare"]], [str(forms["bare"][wid])])[0] >= floor:
        return True
    left, right = [q.forms["sorted"]], [str(forms["sorted"][wid])]
    if q.initial and ratios(left, right, fuzz.token_set_ratio)[0] >= floor:
        return True
    if (q.abjad or view.abjad[wid]) and _abjad_look(q, view, wid) * ABJAD_FACTOR >= floor:
        return True
    if q.keyed or view.keyed[wid]:
        return _syllables(q, str(forms["core"][wid]), str(forms["script"][wid]), glued=False) >= floor
    return False
