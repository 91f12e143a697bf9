"""The words of a name naming part of another: how well one word of the other holds each of its words.

The prefilter lets a pair whose token counts differ through however low its ratios where it has the
shape of a name naming part of the other (:func:`.prefilter.prefilter`); the rules that raise such a
pair (the subset rule, a listed person's name with words added, a patronymic or legal form left out:
:mod:`.align`) all need each word of the name with fewer words matched by a word of the other. Here
that is read on letters: a word's share held is the letters it shares with its best word of the other
name over the longer of the two, an upper bound on their edit similarity (each edit changes one
letter); a one-letter word whose letter heads a word of the other holds ``INITIAL_SIM``. Legal-form
words are left out (the subset rule leaves them out too).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from screening.names.marks import FORM
from screening.names.token_sims import INITIAL_SIM

# the least share a word of the name with fewer words holds, and the least length-weighted mean share of them:
# of the pairs the part shape lets through (100,000 generated names; the names dev set's real names, alone and
# its fit split at 0.86), 0.5 and 0.8 keep 1,512 of the 1,529 alignment raises to their floor (none of those lost
# scored at 0.86 on the fit split: check_threshold unchanged) and drop 83 % of the others (94 % of generated ones)
WORD_HELD: Final = 0.5
WORDS_HELD: Final = 0.8
HELD_SLACK: Final = 1e-9  # both paths sum shares in their own order: a mean at the bar passes in both
SYMBOLS: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_BLOCK: Final = 1 << 16  # words counted per block (a block's counts are words x symbols integers)


@dataclass(frozen=True)
class Words:
    """The words of one side's names by integer name id: where each name's words start, their letters.

    ``length`` is -1 for a word holding another character than :data:`SYMBOLS` (no bound).
    """

    start: np.ndarray
    count: np.ndarray
    letters: np.ndarray  # words x symbols letter counts
    length: np.ndarray
    head: np.ndarray  # each word's first byte
    form: np.ndarray  # whether each word is a legal-form word

    @classmethod
    def of(cls, frame: pl.DataFrame, key: str) -> Words:
        """Return the words of marked names (``tokens``, ``marks``) by ``key``."""
        keys = frame[key].to_numpy()
        size = int(keys.max()) + 1 if keys.size else 0
        toks = frame.sort(key).select(key, t="tokens", m="marks").explode("t", "m").drop_nulls("t")
        count = np.bincount(toks[key].to_numpy().astype(np.int64), minlength=size)
        text = toks["t"]
        length = text.str.len_bytes().to_numpy().astype(np.int64)
        letters, head = letter_counts(text, length, np.uint8)
        other = letters[:, -1] > 0
        return cls(
            start=np.cumsum(count) - count,
            count=count,
            letters=letters[:, :-1],
            length=np.where(other, -1, length),
            head=head,
            form=(toks["m"] == FORM).to_numpy(),
        )


def letter_counts(
    text: pl.Series, length: np.ndarray, dtype: type[np.unsignedinteger]
) -> tuple[np.ndarray, np.ndarray]:
    """Return each string's letter and digit counts as ``dtype`` (capped; last column: other bytes), its first byte."""
    symbol = np.full(256, len(SYMBOLS), dtype=np.int64)
    symbol[np.frombuffer(SYMBOLS, dtype=np.uint8)] = np.arange(len(SYMBOLS))
    width, cap = len(SYMBOLS) + 1, np.iinfo(dtype).max
    out = np.zeros((text.len(), width), dtype=dtype)
    head = np.zeros(text.len(), dtype=np.uint8)
    for start in range(0, text.len(), _BLOCK):
        part = text.slice(start, _BLOCK)
        sizes = length[start : start + part.len()]
        data = np.frombuffer(str(part.str.join("").item()).encode(), dtype=np.uint8)
        cells = np.repeat(np.arange(part.len()), sizes) * width + symbol[data]
        counts = np.bincount(cells, minlength=part.len() * width).reshape(part.len(), width)
        out[start : start + part.len()] = np.minimum(counts, cap)
        firsts = np.minimum(np.cumsum(sizes) - sizes, max(data.size - 1, 0))  # an empty string's head: unread
        head[start : start + part.len()] = data[firsts] if data.size else 0
    return out, head


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return the concatenated ranges ``starts[i] .. starts[i] + counts[i]``."""
    firsts = np.cumsum(counts) - counts
    return np.repeat(starts - firsts, counts) + np.arange(int(counts.sum()))


def held(fewer: Words, f_ids: np.ndarray, longer: Words, l_ids: np.ndarray) -> np.ndarray:
    """Return per pair whether the name with fewer words (``f_ids`` of ``fewer``) has its words held by the other's.

    Each of its words (legal forms aside) holds at least :data:`WORD_HELD` and all of them on length-weighted
    mean at least :data:`WORDS_HELD`; a word of other characters holds without bound. The other name has
    more words.
    """
    if f_ids.size == 0:
        return np.zeros(0, dtype=np.bool_)
    nf = fewer.count[f_ids]
    fw = _ranges(fewer.start[f_ids], nf)  # one row per word of the fewer-word names
    per_word = np.repeat(l_ids, nf)
    nl = longer.count[per_word]
    lw = _ranges(longer.start[per_word], nl)  # one cell per (word, other name's word)
    cell_fw = np.repeat(fw, nl)
    shared = np.einsum("ij->i", np.minimum(fewer.letters[cell_fw], longer.letters[lw]), dtype=np.int32)
    lf, ll = fewer.length[cell_fw], longer.length[lw]
    share = shared / np.maximum(np.maximum(lf, ll), 1)
    share = np.where((lf == 1) & (fewer.head[cell_fw] == longer.head[lw]), np.maximum(share, INITIAL_SIM), share)
    share = np.where((lf < 0) | (ll < 0), np.inf, share)
    best = np.maximum.reduceat(share, np.cumsum(nl) - nl) if share.size else share
    weight = np.where(fewer.form[fw], 0, np.maximum(fewer.length[fw], 0))
    starts = np.cumsum(nf) - nf
    low = np.minimum.reduceat(np.where(fewer.form[fw], np.inf, best), starts)
    total = np.add.reduceat(weight, starts)
    mean = np.add.reduceat(np.where(weight > 0, best, 0.0) * weight, starts) / np.maximum(total, 1)
    mean = np.where((total == 0) | np.isinf(low), np.inf, mean)
    return (low >= WORD_HELD) & (mean >= WORDS_HELD - HELD_SLACK)


def held_one(fewer: list[tuple[str, bool]], longer: list[str]) -> bool:
    """Return :func:`held` of one pair: the fewer-word name's (word, legal form) and the other name's words."""
    low, weighted, total = float("inf"), 0.0, 0
    for word, form in fewer:
        if form:
            continue
        best = max(_share(word, other) for other in longer)
        low = min(low, best)
        size = len(word.encode()) if all(b in SYMBOLS for b in word.encode()) else 0
        weighted += best * size if size else 0.0
        total += size
    mean = float("inf") if total == 0 or math.isinf(low) else weighted / total
    return low >= WORD_HELD and mean >= WORDS_HELD - HELD_SLACK


def _share(word: str, other: str) -> float:
    """Return the share of ``word`` held by ``other`` (:func:`held`'s cell)."""
    shared = letters_shared(word, other)
    if shared is None:
        return float("inf")
    share = shared / max(len(word), len(other), 1)
    return max(share, INITIAL_SIM) if len(word) == 1 and other[:1] == word else share


def letters_shared(left: str, right: str) -> int | None:
    """Return how many letters and digits two strings share (None where either holds another character)."""
    sides = left.encode(), right.encode()
    if any(byte not in SYMBOLS for side in sides for byte in side):
        return None
    return sum((Counter(sides[0]) & Counter(sides[1])).values())
