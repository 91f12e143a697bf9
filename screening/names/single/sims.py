"""The similarity of one token pair, as :func:`screening.names.token_sims.token_sims` scores a grid cell.

Edit similarity of skeletons and of spellings (the better), squared for short tokens; initials
and phonetic equality as floors; consonants where a side is written in an abjad, romanisation
keys where a side is Korean, Chinese or Japanese. Memoised: a query's tokens meet the same list
tokens across its candidates.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from screening.names.single.romanise import syllable_key
from screening.names.single.text import consonants, foreign_consonants, phonetic_key
from screening.names.single.views import Token
from screening.names.token_sims import (
    ABJAD_FACTOR,
    INITIAL_SIM,
    PHONETIC_FLOOR,
    PHONETIC_SIM,
    SYLLABLE_FACTOR,
    TYPO_COST,
    TYPO_FLOOR,
)


def edit_ratio(left: str, right: str) -> float:
    """Return the edit similarity of two tokens, a typo costing ``TYPO_COST`` (see :func:`.token_sims.bulk_ratio`)."""
    osa = OSA.normalized_similarity(left, right)
    return 1.0 - TYPO_COST * (1.0 - osa) if osa >= TYPO_FLOOR else osa


def _size(token: str) -> int:
    """Return a token's length in bytes, as the batch path counts it."""
    return len(token.encode())


def _sounds(tq: str, tw: str, base: float) -> bool:
    """Return whether two tokens are alike enough and have equal phonetic keys."""
    lo, hi = sorted((_size(tq), _size(tw)))
    may = lo >= 4 and hi - lo <= 1 and (tq[:2] == tw[:2] or base >= PHONETIC_FLOOR)
    return may and phonetic_key(tq) == phonetic_key(tw)


def _abjad(q: Token, w: Token) -> float:
    """Return the consonant similarity of two tokens, a Latin side's also read as Arabic writes it (as the batch)."""
    cq, cw = consonants(q.t) or q.t, consonants(w.t) or w.t
    foreign = q.f and w.f
    fq = foreign_consonants(q.s) or q.t if foreign and not q.a else cq
    fw = foreign_consonants(w.s) or w.t if foreign and not w.a else cw
    return max(edit_ratio(cq, cw), edit_ratio(fq, fw)) * ABJAD_FACTOR


def _syllables(sq: str, sw: str, script: str) -> float:
    """Return the similarity of two spellings' romanisation keys under ``script``."""
    kq, kw = syllable_key(sq, script), syllable_key(sw, script)
    ratio = edit_ratio(kq, kw)
    return (ratio**2 if max(_size(kq), _size(kw)) <= 4 else ratio) * SYLLABLE_FACTOR


@lru_cache(maxsize=1 << 16)
def token_sim(q: Token, w: Token) -> float:
    """Return the similarity of a query token and a list token."""
    tq, tw = q.t, w.t
    base = max(edit_ratio(tq, tw), edit_ratio(q.s, w.s))
    lo, hi = sorted((_size(tq), _size(tw)))
    sim = base**2 if hi <= 4 else base
    if lo == 1 and tq[:1] == tw[:1]:
        sim = max(sim, INITIAL_SIM)
    if _sounds(tq, tw, base):
        sim = max(sim, PHONETIC_SIM)
    if (tq == w.h or tw == q.h) and lo == 1:
        sim = max(sim, INITIAL_SIM)
    if q.a or w.a:
        sim = max(sim, _abjad(q, w))
    script = q.r if q.r is not None else w.r
    if script is not None:
        sim = max(sim, _syllables(q.s, w.s, script))
    return sim
