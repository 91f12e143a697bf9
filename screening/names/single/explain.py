"""Penalties, the same-script cap and the explanation of one name pair, as the batch path writes them.

Mirrors :func:`screening.names.penalties.penalties`, :func:`screening.names.same_script.cap` and
:func:`screening.names.explain.detail_expr` on one pair: ``q`` and ``w`` are both names' normal
forms (:data:`screening.names.normalize.NORM_COLUMNS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from screening.names import titles
from screening.names.align import IN_FULL_NOTE
from screening.names.common_words import ADDED_NOTE, NOTE
from screening.names.explain import TYPO_NOTE
from screening.names.penalties import (
    CHAIN_MARKS,
    CHAIN_PENALTY,
    CHAIN_SCRIPT,
    LEGAL_PENALTY,
    NUMBER_PENALTY,
    PATRONYM_PENALTY,
    PATRONYMIC,
    SHIFTED_NOTE,
)
from screening.names.same_script import _NOT_SYLLABIC, SYLLABIC
from screening.names.single.align import Aligned
from screening.names.single.text import consonants

Form = Mapping[str, Any]
_NOT_SYLLABIC_RE = re.compile(_NOT_SYLLABIC)


def _link(tokens: list[str]) -> tuple[str | None, str | None]:
    """Return the consonants of the words before and after a name's first patronymic link word."""
    at = next((i for i, t in enumerate(tokens) if t in PATRONYMIC), None)
    if at is None:
        return None, None
    before = consonants(tokens[at - 1]) if at > 0 else None
    after = consonants(tokens[at + 1]) if at + 1 < len(tokens) else None
    return before, after


def patronym_swapped(q: Form, w: Form) -> bool:
    """Return whether the names around a patronymic link swapped places (SALIM BIN AHMAD ~ AHMAD BIN SALIM)."""
    (qb, qa), (wb, wa) = _link(q["tokens"]), _link(w["tokens"])
    if qb is None or qa is None or wb is None or wa is None:
        return False
    return qb == wa and qa == wb and qb != qa


def chain(q: Form, w: Form) -> bool:
    """Return whether a pair reads as Arabic name chains (:func:`screening.names.penalties.chain`)."""
    arabic = CHAIN_SCRIPT in (q["script"], w["script"])
    marked = any(t in CHAIN_MARKS for t in [*q["tokens"], *w["tokens"]])
    return (arabic or marked) and w["kind"] != titles.OTHER


def paired_numbers(q: Form, w: Form) -> tuple[list[str], list[str]]:
    """Return the numbers of both names, each with its held-apart numbers where the other holds one, as the batch."""
    qn, wn = list(q["numbers"]), list(w["numbers"])
    q_read = {*qn, q["numeral"]} if q["numeral"] is not None and wn else {*qn}
    w_read = {*wn, w["numeral"]} if w["numeral"] is not None and qn else {*wn}
    q_read |= set(q["opening"]) if wn or w["opening"] else set()
    w_read |= set(w["opening"]) if qn or q["opening"] else set()
    return sorted(q_read), sorted(w_read)


def penalties(q: Form, w: Form, *, shifted: bool, acronym: bool = False) -> float:
    """Return the penalty for numbers that differ, legal forms that disagree, patronymic chains reordered or shifted.

    ``acronym``: one name is the other's acronym, which writes a number by a letter (no number on one side only).
    """
    qn, wn = paired_numbers(q, w)
    one_side = bool(qn) != bool(wn) and not acronym
    number = NUMBER_PENALTY if qn and wn and qn != wn else 0.05 if one_side else 0.0
    ql, wl = q["legal"], w["legal"]
    legal = LEGAL_PENALTY if ql and wl and not set(ql) & set(wl) else 0.0
    patronym = PATRONYM_PENALTY if patronym_swapped(q, w) else 0.0
    return number + legal + patronym + (CHAIN_PENALTY if shifted and chain(q, w) else 0.0)


def same_script_cap(q: Form, w: Form, score: float) -> float:
    """Return ``score`` capped by the similarity of both names' characters where both are syllabic."""
    if q["script"] not in SYLLABIC or w["script"] not in SYLLABIC:
        return score
    left, right = _NOT_SYLLABIC_RE.sub("", q["raw"]), _NOT_SYLLABIC_RE.sub("", w["raw"])
    same = process.cpdist([left], [right], scorer=fuzz.ratio, workers=1) / 100.0
    return float(np.minimum(np.array([score]), same)[0])


def _script_note(q: Form, w: Form) -> str | None:
    """Return the transliteration note, naming the non-Latin script of either side."""
    foreign_q, foreign_w = q["script"] not in ("ASCII", "Latin"), w["script"] not in ("ASCII", "Latin")
    if foreign_q or foreign_w:
        return f"transliterated {q['script'] if foreign_q else w['script']}"
    return "diacritics removed" if "Latin" in (q["script"], w["script"]) else None


def _legal_note(q: Form, w: Form) -> str | None:
    """Return the legal-form note: on both, equivalent, different or on one side only."""
    ql, wl = q["legal_label"], w["legal_label"]
    if ql != "" and wl != "":
        if ql == wl:
            return f"legal form {ql} on both"
        if set(q["legal"]) & set(w["legal"]):
            return f"legal forms {ql} ~ {wl} agree"
        return f"legal forms differ ({ql} vs {wl})"
    if ql != "":
        return f"legal form {ql} only in query"
    return f"legal form {wl} only in list name" if wl != "" else None


def _spelling_note(q: Form, w: Form, pair: Aligned, s_glue: float) -> str | None:
    """Return the note on how the spellings differ."""
    if q["core"] == w["core"]:
        return None
    if q["sorted"] == w["sorted"]:
        return "romanisation variant"
    glued = s_glue * 0.98 >= pair.base and q["skel"] != w["skel"]
    spaced = "spacing differs" if q["glued"] == w["glued"] else None
    spaced = spaced or ("ordinal spelt out" if q["spelt_glued"] == w["spelt_glued"] else None)
    if glued and spaced:
        return spaced
    covered, low = max(pair.q.cov, pair.w.cov) >= 0.95, min(pair.q.low, pair.w.low)
    if covered and low >= 0.8 and pair.q.gone + pair.w.gone + pair.q.typos > 0:
        return None
    if covered:
        return "extra tokens" if low >= 0.8 else "tokens missing"
    return "misspelt"


def _notes(q: Form, w: Form, pair: Aligned, s_glue: float) -> list[str | None]:
    """Return the name notes of a pair, None where one says nothing."""
    qn, wn = (" ".join(numbers) for numbers in paired_numbers(q, w))
    order = (
        "patronymic chain in another order"
        if patronym_swapped(q, w)
        else "tokens reordered"
        if pair.reordered
        else None
    )
    return [
        _script_note(q, w),
        "look-alike letters repaired" if q["lookalike"] or w["lookalike"] else None,
        _legal_note(q, w),
        "legal-form words inside the name ignored" if pair.q.gone + pair.w.gone > 0 else None,
        TYPO_NOTE if pair.q.typos > 0 else None,
        f"identifiers in name: {', '.join(q['ids'])}" if q["ids"] else None,
        order,
        SHIFTED_NOTE if pair.shifted and chain(q, w) else None,
        IN_FULL_NOTE if pair.in_full else None,
        "acronym" if pair.acronym else _spelling_note(q, w, pair, s_glue),
        (ADDED_NOTE if pair.q.n > pair.w.n else NOTE) if pair.common else None,
        f"numbers differ ({qn} vs {wn})" if qn != wn else None,
    ]


def score_text(score: float) -> str:
    """Return the score with two decimals, e.g. ``0.93``."""
    cents = round(score * 100)
    return "1.00" if cents >= 100 else f"0.{cents:02d}"


def detail(name: str, q: Form, w: Form, *, pair: tuple[Aligned, float], score: float, qualified: list[str]) -> str:
    """Return the explanation of a name match."""
    notes = [n for n in _notes(q, w, *pair) if n is not None] + qualified
    return f"{name} ~ {w['raw']} ({score_text(score)}): {', '.join(notes) or 'same name'}"
