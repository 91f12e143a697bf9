"""Token alignment of one name pair, as :func:`screening.names.align.align` scores it.

The pair's grid of token sims (:func:`.sims.token_sim`), each token's best list token (the first
of the greatest), tokens matched both ways not reused, coverage of each side weighted by length,
rarity and legal-form marks, word order from the query's side, then the name score ``base``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from screening.names import form_typos, romanise
from screening.names.align import (
    COVERED,
    FORM_GONE,
    FORM_MATCHED,
    FORM_WEIGHT,
    GLUE_FACTOR,
    IN_FULL,
    JOIN_PART,
    JOIN_SIM,
    PATRONYMIC_GONE,
    SUBSET_BASE,
    SUBSET_SLOPE,
    SUBSET_TOKEN,
)
from screening.names.marks import FORM, LIKE, WORD
from screening.names.penalties import APART_SIM, BROTHER_SIM, CHAIN_LINKS
from screening.names.single.sims import edit_ratio, token_sim
from screening.names.single.views import Token
from screening.names.token_sims import FOREIGN_SCRIPT, FOREIGN_WORDS, INITIAL_SIM, PATRONYMIC_END

_PATRONYMIC = re.compile(PATRONYMIC_END)
_GOOD = 0.8  # a query token this well matched tells the word order


class Coverage(NamedTuple):
    """How much of one side's tokens the other name covers."""

    cov: float
    n: int
    low: float
    gone: int
    common: bool  # every word but its legal-form ones is a common one
    typos: int = 0  # words read as the other name's legal form misspelt (:mod:`screening.names.form_typos`)
    worded: float = 1.0  # the least sim of the words not lettered: no initial, none best matched by one (J ~ JOHN)


class Aligned(NamedTuple):
    """The alignment features of a pair and its name score."""

    q: Coverage
    w: Coverage
    reordered: bool
    base: float
    shifted: bool  # a chain of given names shifted by a name (:func:`screening.names.align._chain_shifted`)
    acronym: bool = False  # one name an acronym of the other, scored at least ``ACRONYM_BASE``
    in_full: bool = False  # lowered as the query names another listed organisation in full (:func:`named_in_full`)
    unlifted: float | None = None  # the base without the subset lift where :mod:`..common_words` takes it back
    common: bool = False  # lowered so on its qualified row (no birth date agrees), and noted


def query_tokens(
    form: Mapping[str, Any], marks: list[int], rarity: dict[str, float], common: frozenset[str]
) -> tuple[Token, ...]:
    """Return the query name's tokens as alignment reads them (a query is never taken for a company)."""
    tokens, spelt, heads = (list(map(str, form[c])) for c in ("tokens", "spelt", "heads"))
    script = str(form["script"])
    keyed = script if script in romanise.KEYED else None
    single = [len(t.encode()) == 1 for t in tokens]
    abjad = bool(form["abjad"])
    foreign = script == FOREIGN_SCRIPT if abjad else len(spelt) >= FOREIGN_WORDS

    def near(i: int) -> bool:
        return 0 <= i < len(tokens) and single[i]

    out = []
    for n, (t, s, h) in enumerate(zip(tokens, spelt, heads, strict=True)):
        three = (near(n - 1) and near(n - 2)) or (near(n + 1) and near(n - 1)) or (near(n + 1) and near(n + 2))
        shown = t + "." if single[n] and three else t
        length = len(shown.encode()) * rarity.get(shown, 1.0)
        patronymic = n > 0 and _PATRONYMIC.search(s) is not None
        out.append(Token(shown, s, h, marks[n], abjad, keyed, length, patronymic, foreign, shown in common))
    return tuple(out)


def _length(best: float, token: Token) -> float:
    """Return a token's weight: length times rarity, by its mark, less for a patronymic the other name lacks."""
    form = FORM_WEIGHT if best >= FORM_MATCHED else FORM_GONE
    factor = form if token.m == FORM else FORM_WEIGHT if token.m == LIKE else 1.0
    # multiplied in the batch path's order, so that the weights agree to the last bit
    return token.l * factor * (PATRONYMIC_GONE if token.p and best < FORM_MATCHED else 1.0)


_FIRST = np.zeros(1, dtype=np.intp)
_SHORT = 8  # numpy sums up to this many values as its first plus the rest left to right


def _sum(values: list[float]) -> float:
    """Return the sum of values as ``numpy.add.reduceat`` gives it (pairwise beyond ``_SHORT`` values)."""
    if len(values) > _SHORT:
        return float(np.add.reduceat(np.array(values), _FIRST)[0])
    rest = 0.0
    for value in values[1:]:
        rest += value
    return values[0] + rest if len(values) > 1 else values[0]


def _coverage(best: list[float], tokens: tuple[Token, ...], lettered: list[bool], formed: int = 0) -> Coverage:
    """Return the rarity- and length-weighted best-match coverage of one side's tokens.

    ``lettered``: the tokens a single letter, or best matched by one; ``formed``: the class bits of the other
    name's legal forms, a first or last word unmatched that one misspelt may be (:mod:`screening.names.form_typos`)
    read as a legal-form word (FORM).
    """
    lengths, weighted, kept, worded, gone, typos, common = [], [], [], [], 0, 0, True
    last = len(tokens) - 1
    for n, (b, token, letter) in enumerate(zip(best, tokens, lettered, strict=True)):
        edge = n in (0, last)
        misspelt = formed and edge and token.m != FORM and b < FORM_MATCHED and formed & form_typos.word_bits(token.s)
        tok = token._replace(m=FORM) if misspelt else token
        length = _length(b, tok)
        lengths.append(length)
        weighted.append(b * length)
        if tok.m != FORM:
            kept.append(b)
            worded += [] if letter else [b]
            common = common and tok.c
        elif misspelt:
            typos += 1
        elif b < FORM_MATCHED:
            gone += 1
    # summed as the batch path sums (numpy, not left to right): a coverage of 0.95 one bit either
    # side decides the subset rule
    cov = _sum(weighted) / _sum(lengths)
    return Coverage(cov, len(tokens), min(kept, default=1.0), gone, common, typos, min(worded, default=1.0))


def _usable_best(sim: list[list[float]]) -> tuple[list[float], list[float], list[int], list[int]]:
    """Return each query and list token's best usable sim, and each token's best token of the other name.

    A token with a mutual best match can use only that match; the others use the tokens of the
    other side that have none (see :func:`screening.names.align._exclusive`).
    """
    cols = [list(col) for col in zip(*sim, strict=True)]
    best_w = [row.index(max(row)) for row in sim]
    best_q = [col.index(max(col)) for col in cols]
    taken_q = [best_q[j] == i for i, j in enumerate(best_w)]
    taken_w = [best_w[i] == j for j, i in enumerate(best_q)]
    free_w = [j for j, taken in enumerate(taken_w) if not taken]
    free_q = [i for i, taken in enumerate(taken_q) if not taken]
    bq = [row[best_w[i]] if taken_q[i] else max((row[j] for j in free_w), default=0.0) for i, row in enumerate(sim)]
    bw = [col[best_q[j]] if taken_w[j] else max((col[i] for i in free_q), default=0.0) for j, col in enumerate(cols)]
    return bq, bw, best_w, best_q


def _lettered(tokens: tuple[Token, ...], other: tuple[Token, ...], best: list[int]) -> list[bool]:
    """Return which tokens are a single letter or best matched by one of the other name (an initial's word)."""
    return [len(tok.s.encode()) == 1 or len(other[j].s.encode()) == 1 for tok, j in zip(tokens, best, strict=True)]


def _joined_at(whole: tuple[Token, ...], parts: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Return (i, j): ``whole``'s token i is spelt as ``parts``' tokens j and j + 1 joined, each long enough."""
    joined: dict[str, list[int]] = {}
    for j, (a, b) in enumerate(itertools.pairwise(parts)):
        if len(a.s.encode()) >= JOIN_PART and len(b.s.encode()) >= JOIN_PART:
            joined.setdefault(a.s + b.s, []).append(j)
    if not joined:
        return []
    return [(i, j) for i, tok in enumerate(whole) for j in joined.get(tok.s, ())]


def _joins(q: tuple[Token, ...], w: tuple[Token, ...], bq: list[float], bw: list[float]) -> None:
    """Raise to ``JOIN_SIM`` the best sims of tokens spelt as two neighbours of the other name joined, and theirs."""
    for i, j in _joined_at(q, w):
        bq[i], bw[j], bw[j + 1] = max(bq[i], JOIN_SIM), max(bw[j], JOIN_SIM), max(bw[j + 1], JOIN_SIM)
    for j, i in _joined_at(w, q):
        bw[j], bq[i], bq[i + 1] = max(bw[j], JOIN_SIM), max(bq[i], JOIN_SIM), max(bq[i + 1], JOIN_SIM)


def _reordered(best: list[float], to: list[int]) -> bool:
    """Return whether well-matched query tokens map to list tokens out of order."""
    good = [j for b, j in zip(best, to, strict=True) if b >= _GOOD]
    return any(b < a for a, b in itertools.pairwise(good))


def _joins_ending(tokens: tuple[Token, ...]) -> list[tuple[str, str, int]]:
    """Return the skeletons and spellings of the n last words joined, and n, for each n (as ``align._joins_ending``)."""
    n = len(tokens)
    return [("".join(tok.t for tok in tokens[k:]), "".join(tok.s for tok in tokens[k:]), n - k) for k in range(n)]


def _glued_sim(own: tuple[Token, ...], ahead: tuple[Token, ...]) -> float:
    """Return a given name's best edit sim, alone or joined to the words before it, with the other's given names.

    As :func:`screening.names.align._glued_sims` for one given name.
    """
    pairs = itertools.product(_joins_ending(own), _joins_ending(ahead))
    sims = (max(edit_ratio(t, to), edit_ratio(s, so)) for (t, s, n), (to, so, no) in pairs if n > 1 or no > 1)
    return max(sims, default=0.0)


def _chain_shifted(
    best: list[float], partner: list[int], tokens: tuple[Token, ...], other: tuple[Token, ...], comma: bool
) -> bool:
    """Return whether one side's unmatched given name stands right before the other name's chain.

    As :func:`screening.names.align._chain_shifted` on one side of one pair (``other``: the other name's tokens).
    """
    matched = [b >= INITIAL_SIM for b in best]
    small = [len(tok.t.encode()) == 1 or tok.t in CHAIN_LINKS for tok in tokens]
    for u in range(len(tokens) - 2):
        exempt = small[u] or (u > 0 and small[u - 1]) or (comma and u == 0)
        if matched[u] or exempt:
            continue
        h, h2 = u + 1, u + 2
        chain = matched[h] and not small[h] and matched[h2] and partner[h2] == partner[h] + 1
        runs_on = u > 0 and matched[u - 1] and partner[u - 1] < partner[h]
        if not chain or runs_on:
            continue
        ahead = other[: partner[h]]
        if not ahead or (best[u] < BROTHER_SIM and _glued_sim(tokens[: u + 1], ahead) < APART_SIM):
            return True
    return False


def _shifted(
    q: tuple[Token, ...],
    w: tuple[Token, ...],
    best: tuple[list[float], list[float], list[int], list[int]],
    commas: tuple[bool, bool],
) -> bool:
    """Return whether a pair of names without legal-form words has a chain of given names shifted by a name.

    ``best``: each side's best usable sims and each side's best token of the other name.
    """
    if any(tok.m != WORD for tok in q + w):
        return False
    return _chain_shifted(best[0], best[2], q, w, commas[0]) or _chain_shifted(best[1], best[3], w, q, commas[1])


def align(
    q: tuple[Token, ...],
    w: tuple[Token, ...],
    s_glue: float,
    commas: tuple[bool, bool] = (False, False),
    *,
    formed: int = 0,
) -> Aligned | None:
    """Return the alignment of a pair, None where a side has no tokens (the batch path drops the pair).

    ``commas``: whether the query and the list name are written family name first; ``formed``: the class
    bits of the list name's legal forms.
    """
    if not q or not w:
        return None
    sim = [[token_sim(a, b) for b in w] for a in q]
    bq, bw, best_w, best_q = _usable_best(sim)
    _joins(q, w, bq, bw)
    cq, cw = _coverage(bq, q, _lettered(q, w, best_w), formed), _coverage(bw, w, _lettered(w, q, best_q))
    initials = all(len(t.s.encode()) == 1 for t in (*q, *w))  # both names single letters (T S A)
    base = _base(cq, cw, s_glue, initials=initials)
    part = part_shape(cq, cw, initials=initials) and cq.common and cw.n > cq.n
    unlifted = min(base, _base(cq, cw, s_glue, initials=initials, lifted=False)) if part else None
    shifted = _shifted(q, w, (bq, bw, best_w, best_q), commas)
    return Aligned(cq, cw, _reordered(bq, best_w), base, shifted, unlifted=unlifted)


def part_shape(q: Coverage, w: Coverage, *, initials: bool) -> bool:
    """Return whether a query names part of a list name, as the subset rule reads it (not ``initials``)."""
    return min(q.n, w.n) >= 2 and q.cov >= COVERED and q.low >= SUBSET_TOKEN and not initials


def _base(q: Coverage, w: Coverage, s_glue: float, *, initials: bool, lifted: bool = True) -> float:
    """Return the name score from coverage, subset (unless ``initials`` or not ``lifted``) and glue, as the batch."""
    top, bottom = max(q.cov, w.cov), min(q.cov, w.cov)
    aligned = (top + bottom) / 2
    if lifted and part_shape(q, w, initials=initials):
        aligned = max(aligned, SUBSET_BASE + SUBSET_SLOPE * bottom)
    return max(aligned, s_glue * GLUE_FACTOR)  # s_glue: 0 for pairs the glue rule does not read


def named_in_full(pair: Aligned, s_glue: float) -> Aligned:
    """Return the pair of a listed organisation's name where the query names another in full, as the batch scores it.

    A pair below ``IN_FULL`` loses the subset rule; a query adding words to the list name scores by its
    lesser coverage or its glue (:func:`screening.names.align.named_in_full`).
    """
    if pair.base >= IN_FULL or pair.acronym:
        return pair
    glue = s_glue * GLUE_FACTOR
    if pair.q.n > pair.w.n and pair.w.cov >= COVERED and pair.w.low >= SUBSET_TOKEN:
        base = max(min(pair.q.cov, pair.w.cov), glue)
    else:
        base = _base(pair.q, pair.w, s_glue, initials=False, lifted=False)
    base = min(base, pair.base)
    return pair._replace(base=base, in_full=base < pair.base)


def person_added(pair: Aligned) -> Aligned:
    """Return the pair, scored as a part of the name where the query adds words to a listed person's (as the batch)."""
    added = pair.q.n - pair.w.n
    covered = pair.w.n >= 3 and pair.w.cov >= COVERED and pair.w.low >= SUBSET_TOKEN
    if covered and added > 0 and not pair.reordered and not pair.shifted:
        return pair._replace(base=max(pair.base, SUBSET_BASE + SUBSET_SLOPE * min(pair.q.cov, pair.w.cov)))
    return pair
