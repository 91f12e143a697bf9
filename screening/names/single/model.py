"""The learned model's features, probability and note of one query's rows, as :mod:`screening.names.model` gives them.

Each feature group mirrors its namesake in :mod:`screening.names.model`, feature for feature and
by the same names; the weights, means and knots are read from the :class:`.NameModel` and the
batch module. A row is one (query row, list entity) pair, qualified and lowered as the batch path
scores it (:class:`Scored`); the rival features read all the query's rows the model scores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from screening.names import qualifiers as batch_qualifiers
from screening.names import titles
from screening.names.model import (
    _FOREIGN,
    AGREE_FROM,
    HAND_HINGES,
    HINGES,
    LOW_HINGES,
    NEAR_WORD,
    RIVAL_GAP,
    SHOWN,
    NameModel,
)
from screening.names.same_script import SYLLABIC
from screening.names.single import explain, qualifiers
from screening.names.single.align import Aligned

Features = dict[str, float]


class Scored(NamedTuple):
    """One qualified row of a query: both names' normal forms, the pair as the row scores it, and its qualifiers.

    ``pair``: the alignment, lowered where the query names another organisation in full; ``ratios``: the
    prefilter's ``s_sort`` and ``s_glue``; ``name_score`` and ``hand``: the row's name and qualified scores.
    """

    q: Mapping[str, Any]
    w: Mapping[str, Any]
    pair: Aligned
    ratios: tuple[float, float]
    name_score: float
    hand: float
    qualified: qualifiers.Qualified
    entity: Mapping[str, Any]
    birth_date: str | None  # the query row's


def _flag(value: bool) -> float:
    """Return a condition as 1.0 or 0.0."""
    return 1.0 if value else 0.0


def _over(value: float, knot: float) -> float:
    """Return how far a value lies above a knot (0 below it)."""
    return max(value - knot, 0.0)


def _numbers(row: Scored) -> tuple[float, float]:
    """Return the feature of both names' numbers differing and of a number on one side only (as the penalty)."""
    qn, wn = explain.paired_numbers(row.q, row.w)
    return _flag(bool(qn) and bool(wn) and qn != wn), _flag(bool(qn) != bool(wn) and not row.pair.acronym)


def _name_features(row: Scored) -> Features:
    """Return the features the name alignment and penalties give."""
    q, w, pair = row.q, row.w, row.pair
    low = min(pair.q.low, pair.w.low)
    ql, wl = q["legal"], w["legal"]
    numbers_differ, number_one_side = _numbers(row)
    return {
        "base": pair.base,
        **{f"base_over_{k}": _over(pair.base, k) for k in HINGES},
        "penalty": pair.base - row.name_score,
        "cov_min": min(pair.q.cov, pair.w.cov),
        "cov_max": max(pair.q.cov, pair.w.cov),
        "low_min": low,
        **{f"low_over_{k}": _over(low, k) for k in LOW_HINGES},
        "sorted_ratio": row.ratios[0],
        "glued_ratio": row.ratios[1],
        "one_token": _flag(min(pair.q.n, pair.w.n) <= 1),
        "token_gap": min(float(abs(pair.q.n - pair.w.n)), 3.0),
        "short_name": _flag(len(q["glued"]) <= 8),
        "same_core": _flag(q["core"] == w["core"]),
        "same_skeleton": _flag(q["sorted"] == w["sorted"]),
        "reordered": _flag(pair.reordered),
        "form_words_gone": _flag(pair.q.gone + pair.w.gone > 0),
        "numbers_differ": numbers_differ,
        "number_one_side": number_one_side,
        "legal_clash": _flag(bool(ql) and bool(wl) and not set(ql) & set(wl)),
        "patronym_swapped": _flag(explain.patronym_swapped(q, w)),
        "named_in_full": _flag(pair.in_full),
        "acronym": _flag(pair.acronym),
    }


def _initial_of(one: Sequence[str], other: Sequence[str]) -> bool:
    """Return whether every single letter of one side's words begins a word of the other side (K. HAK ~ KYONG HAK)."""
    letters = {word for word in one if len(word) == 1}
    return bool(letters) and letters <= {word[0] for word in other if len(word) > 1}


def initial_agrees(row: Scored) -> bool:
    """Return whether an initial of either name begins a word of the other (the batch's ``initial_agrees_``)."""
    return _initial_of(row.q["spelt"], row.w["spelt"]) or _initial_of(row.w["spelt"], row.q["spelt"])


def _hand_features(row: Scored, initial: bool) -> Features:
    """Return the hand scorer's qualified score and its hinges, and whether an initial agrees with a given name."""
    return {
        "hand_score": row.hand,
        **{f"hand_over_{k}": _over(row.hand, k) for k in HAND_HINGES},
        "initial_agrees": _flag(initial),
    }


def _spelt_share(row: Scored) -> float:
    """Return the share of the longer name's distinct spellings the other name holds too."""
    q, w = set(row.q["spelt"]), set(row.w["spelt"])
    longer = max(len(q), len(w))
    return len(q & w) / longer if longer else 0.0


def _token_features(row: Scored, initial: bool) -> Features:
    """Return the features of the words both names spell alike, and of who the parties are."""
    q, w, pair = row.q, row.w, row.pair
    person = _flag(titles.PERSON in (q["kind"], w["kind"]))
    latin = q["script"] in _FOREIGN and w["script"] in _FOREIGN
    same_script = _flag(q["script"] == w["script"] or latin)
    share = _spelt_share(row)
    # where an initial agrees, the worst word is told without it and the word it begins (W. ~ WEI is no near word)
    low = min(pair.q.worded, pair.w.worded) if initial else min(pair.q.low, pair.w.low)
    near_word = _flag(low < NEAR_WORD)
    return {
        "spelt_share": share * same_script,
        "near_word": near_word,
        "person_near_word": person * near_word,
        "person": person,
        "person_inexact": person * (1.0 - share) * same_script,
        "short_inexact": _flag(len(q["glued"]) <= 8 and q["core"] != w["core"]),
    }


def _script_features(row: Scored) -> Features:
    """Return the features of the scripts both names are written in."""
    scripts = (row.q["script"], row.w["script"])
    foreign = [s not in _FOREIGN for s in scripts]
    return {
        "abjad": _flag(bool(row.q["abjad"]) or bool(row.w["abjad"])),
        "other_script": _flag(foreign[0] or foreign[1]),
        "cross_script": _flag(foreign[0] != foreign[1]),
        "both_syllabic": _flag(all(s in SYLLABIC for s in scripts)),
    }


def _qualifier_features(row: Scored) -> Features:
    """Return the graded qualifier features (country, birth date, entity type) as indicators."""
    country, birth, schema = row.qualified.parts
    close = min(max((row.pair.base - AGREE_FROM) / (1.0 - AGREE_FROM), 0.0), 1.0)
    few = birth in (batch_qualifiers.BIRTH_FEW, batch_qualifiers.BIRTH_FEW_CLASH)
    contradicts = few or birth == batch_qualifiers.BIRTH_FAR
    near = birth == batch_qualifiers.BIRTH_NEAR
    year_listed = qualifiers.year_listed(row.birth_date, qualifiers.text(row.entity, "birth_dates"))
    return {
        "country_agrees": _flag(country == batch_qualifiers.COUNTRY_AGREE) * close * _flag(not contradicts),
        "country_differs": _flag(country == batch_qualifiers.COUNTRY_DIFFER),
        "birth_same_day": _flag(birth == batch_qualifiers.BIRTH_SAME_DAY) * close,
        "birth_year_agrees": _flag(birth == batch_qualifiers.BIRTH_AGREE or (near and year_listed)) * close,
        "birth_near": _flag(near and not year_listed),
        "birth_few_years": _flag(few),
        "birth_far": _flag(birth == batch_qualifiers.BIRTH_FAR),
        "schema_clash": _flag(schema == batch_qualifiers.SCHEMA_CLASH),
        "weak_alias": _flag(row.entity.get("strength") == "weak"),
    }


class Rivals(NamedTuple):
    """What the rival features read of all a query's rows: its best hand score, its rival entities near its best."""

    best_hand: float
    near: float  # the other entities whose base lies within ``RIVAL_GAP`` of the best, at most 3


def rivals(rows: Sequence[Scored]) -> Rivals:
    """Return the best hand score of a query's rows and how many other entities have a base near its best."""
    best = max(r.pair.base for r in rows)
    near = {r.entity["entity_id"] for r in rows if best - r.pair.base <= RIVAL_GAP}
    return Rivals(max(r.hand for r in rows), float(min(max(len(near) - 1, 0), 3)))


def _rival_features(row: Scored, query: Rivals) -> Features:
    """Return how far a row lies behind its query's best hand score, and how many rival entities are near its best."""
    return {"behind_best": query.best_hand - row.hand, "rivals": query.near}


def features(row: Scored, query: Rivals) -> Features:
    """Return every named feature of a query's row, ``query`` what its rival features read of all its rows."""
    initial = initial_agrees(row)
    return (
        _name_features(row)
        | _hand_features(row, initial)
        | _token_features(row, initial)
        | _script_features(row)
        | _qualifier_features(row)
        | _rival_features(row, query)
    )


def rounded(value: float, places: int) -> float:
    """Return a value rounded as polars rounds: the value times 10**places rounded half to even, divided back.

    Not as Python's ``round(value, places)``, which rounds the decimal the float stands for: 0.05 gives 0.1 there
    (0.05000000000000000277) and 0.0 in polars (0.05 * 10 is 0.5, rounded to even).
    """
    scaled = value * 10.0**places
    return math.copysign(round(scaled), scaled) / 10.0**places  # -0.04 rounds to -0.0, as in polars


def probability(model: NameModel, feats: Features) -> float:
    """Return the model's calibrated probability of a row's features, to 9 places (as :meth:`.NameModel.probability`).

    The batch path's ``pl.sum_horizontal`` repeats exactly from run to run, but neither a left-to-right sum nor
    the exact one (``fsum``, taken here) matches it bit for bit: the 9 places absorb the last bits except where a
    probability lies that close to a rounding boundary (about 1e-7 of rows), whose 9th place may then differ.
    """
    logit = math.fsum([model.intercept, *(feats[name] * weight for name, weight in model.weights.items())])
    try:
        odds_against = math.exp(-logit)
    except OverflowError:  # below a logit of about -709.8; polars' exp gives inf there, and the probability 0.0
        return 0.0
    return rounded(1.0 / (1.0 + odds_against), 9)


def shown(contribution: float) -> str:
    """Return a contribution to one place, signed, as the batch writes it (``+1.2``, ``-0.4``)."""
    text = str(rounded(contribution, 1))
    return f"+{text}" if text[0].isdigit() else text


def carried(model: NameModel, feats: Features) -> str:
    """Return the note naming the features that moved a row's log-odds most (as :meth:`.NameModel.carried`)."""
    parts = [
        (name, (feats[name] - model.origin(name)) * weight)
        for name, weight in model.weights.items()
        if weight and feats[name] != 0
    ]
    ranked = sorted(parts, key=lambda part: abs(part[1]), reverse=True)
    named = [f"{name} {shown(c)}" for name, c in ranked if rounded(c, 1) != 0][:SHOWN]
    return "model: " + ", ".join(named)
