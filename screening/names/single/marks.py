"""Legal-form marks of one query name, as :func:`screening.names.marks.form_marks` gives them.

The same steps in the same order, on one name's tokens: each distinct (token, spelling) marked
(a legal-form word, one like it, or a name word) with the same rapidfuzz calls, forms spelt letter
by letter, then ``FORM_SPREAD`` passes spreading a form over the words of its run.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screening.names.legal_forms import EDGE_EXACT_MIN, NOT_EDGE_FORMS, form_words, other_word
from screening.names.marks import FORM, FORM_EDIT_MIN, FORM_FUZZY, FORM_SPREAD, LIKE, WORD, _form_vocab


@cache
def _vocab() -> tuple[frozenset[str], list[str], frozenset[str], frozenset[str]]:
    """Return the legal-form words as a set and those of five letters or more, all spellings' words, forms by letter."""
    words = form_words()
    _, _, every, letters = _form_vocab()
    return frozenset(words), [w for w in words if len(w) >= 5], frozenset(every), frozenset(letters)


def _one_edit(token: str, words: list[str]) -> bool:
    """Return whether ``token`` is one edit or less (optimal string alignment) from one of ``words``."""
    dist = process.cdist([token], words, scorer=OSA.distance, score_cutoff=1, workers=1, dtype=np.int32)
    return bool(dist.min(axis=1)[0] <= 1)


@lru_cache(maxsize=1 << 16)  # bounded: a server meets ever new query tokens
def token_mark(t: str, s: str) -> tuple[int, bool]:
    """Return the mark of a (token, spelling) and whether it can belong to a legal form's run."""
    skel, spelt, _, _ = _form_vocab()
    exact_words, long, every, _ = _vocab()
    size, ssize = len(t.encode()), len(s.encode())
    exact = t in exact_words
    near = False
    if long and size >= FORM_EDIT_MIN:
        close = process.cdist([t], long, scorer=fuzz.ratio, workers=1, dtype=np.uint8)
        near = bool(close.max(axis=1)[0] >= FORM_FUZZY) and not other_word(t)
    near = near or (size == EDGE_EXACT_MIN and _one_edit(t, skel))
    near = near or (s != t and ssize >= EDGE_EXACT_MIN and _one_edit(s, spelt))
    mark = FORM if exact and size >= EDGE_EXACT_MIN else LIKE if exact or near else WORD
    return mark, (s in every or mark > WORD) and t not in NOT_EDGE_FORMS


def _letter_forms(spelt: list[str], marks: list[int]) -> None:
    """Mark FORM the one-letter words of each run spelling a legal form letter by letter (S. A., B. V.)."""
    letters = _vocab()[3]
    n = 0
    while n < len(spelt):
        end = n
        while end < len(spelt) and len(spelt[end].encode()) == 1:
            end += 1
        if end > n and "".join(spelt[n:end]) in letters:
            marks[n:end] = [FORM] * (end - n)
        n = max(end, n + 1)


def _spread(marks: list[int], joins: list[bool], edge: list[bool]) -> list[int]:
    """Return the marks after ``FORM_SPREAD`` passes turning run words beside a FORM (or at a cut edge) FORM."""
    for _ in range(FORM_SPREAD):
        last = len(marks) - 1
        beside = [(i > 0 and marks[i - 1] == FORM) or (i < last and marks[i + 1] == FORM) for i in range(len(marks))]
        marks = [FORM if joins[i] and (edge[i] or beside[i]) else marks[i] for i in range(len(marks))]
    return marks


def form_marks(form: Mapping[str, Any]) -> tuple[list[int], str]:
    """Return the marks of a normal form's tokens and its ``bare`` form (sorted, without legal-form words)."""
    tokens, spelt = _strings(form["tokens"]), _strings(form["spelt"])
    sorted_form = str(form["sorted"])
    if not tokens:
        return [], sorted_form
    if all(len(s.encode()) == 1 for s in spelt):  # initials (S.A.L.): none of the letters is a legal form's
        return [WORD] * len(tokens), sorted_form
    marked = [token_mark(t, s) for t, s in zip(tokens, spelt, strict=True)]
    marks, joins = [m for m, _ in marked], [j for _, j in marked]
    if any(len(s.encode()) == 1 for s in spelt):
        _letter_forms(spelt, marks)
    words = str(form["core"]).split(" ")
    last = len(tokens) - 1
    lead, trail = words[0] != spelt[0], words[-1] != spelt[-1]
    edge = [(i == 0 and lead) or (i == last and trail) for i in range(len(tokens))]
    if not any(m > WORD or (e and j) for m, e, j in zip(marks, edge, joins, strict=True)):
        return [WORD] * len(tokens), sorted_form
    marks = _spread(marks, joins, edge)
    bare = " ".join(sorted(t for t, m in zip(tokens, marks, strict=True) if m != FORM))
    return marks, bare or sorted_form


def _strings(value: object) -> list[str]:
    """Return a list-of-strings field of a normal form."""
    return [str(v) for v in value] if isinstance(value, list) else []
