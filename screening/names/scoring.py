"""Scores of candidate pairs: bulk string similarity, then token alignment of the survivors.

Legal-form words a name still holds (moved inside it, or left in place as a typo broke the run
the normaliser strips from an edge: CLOSED JOINT STOCK COMPABNY IFD KAPITAL) are marked first
(:func:`form_marks`). Stage one scores candidate pairs with ``rapidfuzz.process.cpdist``
(sorted skeleton tokens, and the glued skeleton in written order; ``workers=-1``) and keeps pairs
scoring at least ``cutoff`` (the glued form, with equal token counts, from ``GLUE_RESCUE``; the
sorted forms without legal-form words; initials by token set); a bound from the letters two names
share skips the ratios that cannot reach the cutoff (most pairs). Stage two aligns the tokens of
the survivors on each pair's grid of token pairs, in array arithmetic, each distinct token pair
scored once: per-token edit similarity (optimal string alignment, a typo costing
``TYPO_COST`` of an edit; the better of skeleton and spelling, as the skeleton can turn one typo
into two; where a side is Korean, Chinese or Japanese, also of romanisation keys, see
:mod:`.romanise`), initials (matched on the head of a word, J. for JOSEPH; letters in a run of three,
or two in a listed company's name, are an abbreviation, not initials), phonetic equality; a token
matched both ways is not reused by another token. It measures how much of each name the other
covers, weighting tokens by length and rarity, words like legal-form ones (LIITED) at
``FORM_WEIGHT`` and legal-form words the other name lacks at ``FORM_GONE`` (legal forms are
compared apart), and applies legal-form and number penalties. A query naming part of a list name
(each of its words matching one of the list name's at ``SUBSET_TOKEN`` or better) scores at least
``SUBSET_BASE``; a query adding words to a list name does not. Country, birth date and entity
type are qualifiers applied later by the matcher.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Final, NamedTuple

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from screening.names import romanise
from screening.names.legal_forms import EDGE_EXACT_MIN, NOT_EDGE_FORMS, NOT_FORMS, form_words, fuzzy_form, own_spellings
from screening.names.phonetic import consonants, phonetic

Scorer = Callable[..., float]
Bounds = tuple[np.ndarray, np.ndarray]

INITIAL_SIM: Final = 0.75
PHONETIC_SIM: Final = 0.85
PHONETIC_FLOOR: Final = 0.6
FORM_WEIGHT: Final = 0.2
FORM_FUZZY: Final = 80.0
NUMBER_PENALTY: Final = 0.2
LEGAL_PENALTY: Final = 0.05
GLUE_FACTOR: Final = 0.98
SUBSET_BASE: Final = 0.8
SUBSET_SLOPE: Final = 0.15
SUBSET_TOKEN: Final = 0.75  # every query word of a "part of a list name" query must match one of its words
TYPO_FLOOR: Final = 0.6
TYPO_COST: Final = 0.7
INITIAL_SLACK: Final = 0.1
GLUE_RESCUE: Final = 0.8
PATRONYM_PENALTY: Final = 0.25  # a patronymic chain read in another order names another person
# words linking a name to a parent's (skeletons: BIN, IBN, BINT; the abjad's BN, BNT; ABU; OULD; OGLU, KIZI)
PATRONYMIC: Final = frozenset({"BIN", "IBN", "BN", "BINT", "BNT", "ABU", "ULD", "OGLU", "OGLI", "KIZI"})
ABJAD_FACTOR: Final = 0.95  # consonants alike are a little less than letters alike
SYLLABLE_FACTOR: Final = 0.95  # romanisation keys alike, likewise
PATRONYMIC_END: Final = r"^[A-Z]{3,}(?:OVICH|EVICH|OVYCH|EVYCH|OVNA|EVNA|ICHNA|OGLU|OGLY|KYZY|QIZI)$"
PATRONYMIC_GONE: Final = 0.1  # weight of a patronymic the other name lacks
FORM_GONE: Final = 0.02  # weight of a legal-form word the other name lacks (its form is compared apart)
FORM_MATCHED: Final = 0.8
FORM_EDIT_MIN: Final = 5  # legal-form words this long are recognised one edit away
FORM_SPREAD: Final = 2  # passes spreading a legal form over the words of its run
BOUND_SLACK: Final = 1e-6  # ratios are float32: a bound this far below the floor still skips safely
BOUND_BLOCK: Final = 1 << 17  # pairs per block of the letter bound
_SYMBOLS: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
WORD, LIKE, FORM = 0, 1, 2  # token marks: a name word; like a legal-form word; a legal-form word


def bulk_ratio(left: pl.Series, right: pl.Series) -> pl.Series:
    """Return the edit similarity of aligned token pairs, computed in bulk on all cores.

    Optimal string alignment (a swap of neighbours is one edit) over the longer length, so a
    short token spelt inside a long one (RAN in URBAN) is not taken for a typo of it; a token
    at least ``TYPO_FLOOR`` alike loses only ``TYPO_COST`` of each edit (one typo in a six-letter
    token keeps 0.88, a name rarely differs from a listed one by a letter by chance).
    """
    if left.len() == 0:
        return pl.Series(values=[], dtype=pl.Float64)
    osa = process.cpdist(
        left.to_list(), right.to_list(), scorer=OSA.normalized_similarity, workers=-1, dtype=np.float64
    )
    return pl.Series(values=np.where(osa >= TYPO_FLOOR, 1.0 - TYPO_COST * (1.0 - osa), osa), dtype=pl.Float64)


def _objects(frame: pl.DataFrame, key: str, column: str) -> np.ndarray:
    """Return the strings of ``column`` as an object array indexed by the integer ``key``."""
    keys = frame[key].to_numpy()
    out = np.full(int(keys.max()) + 1 if keys.size else 0, "", dtype=object)
    out[keys] = np.array(frame[column].to_list(), dtype=object)
    return out


def _gather_ratio(left: np.ndarray, right: np.ndarray, scorer: Scorer = fuzz.ratio) -> np.ndarray:
    """Return ``scorer`` / 100 (``fuzz.ratio`` unless told) of aligned object arrays of strings, on all cores."""
    if left.size == 0:
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(left.tolist(), right.tolist(), scorer=scorer, workers=-1, dtype=np.float32)
    return scores.astype(np.float64) / 100.0


def _flag(frame: pl.DataFrame, key: str, column: str) -> np.ndarray:
    """Return a boolean column of names as an array indexed by the integer ``key``."""
    keys = frame[key].to_numpy()
    out = np.zeros(int(keys.max()) + 1 if keys.size else 0, dtype=bool)
    out[keys] = frame[column].to_numpy()
    return out


def _keyed(frame: pl.DataFrame, key: str) -> np.ndarray:
    """Return whether each name, by ``key``, is written in a script :mod:`.romanise` keys."""
    if "script" not in frame.columns:
        return np.zeros(int(frame[key].to_numpy().max(initial=-1)) + 1, dtype=bool)
    return _flag(frame.with_columns(keyed=pl.col("script").is_in(romanise.KEYED)), key, "keyed")


def _has_bare(frame: pl.DataFrame, key: str) -> np.ndarray:
    """Return whether each name, by ``key``, holds legal-form words (its ``bare`` form differs from ``sorted``)."""
    keys = frame[key].to_numpy()
    out = np.zeros(int(keys.max()) + 1 if keys.size else 0, dtype=bool)
    out[keys] = (frame["bare"] != frame["sorted"]).to_numpy()
    return out


def _facts(frame: pl.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the token counts of names and whether they hold a one-letter token, by ``key``."""
    keys = frame[key].to_numpy()
    size = int(keys.max()) + 1 if keys.size else 0
    count, initial = np.zeros(size, dtype=np.int32), np.zeros(size, dtype=bool)
    count[keys] = frame["tokens"].list.len().to_numpy()
    initial[keys] = frame["tokens"].list.eval(pl.element().str.len_bytes() == 1).list.any().to_numpy()
    return count, initial


def _letters(frame: pl.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return how often each letter and digit occurs in each glued name, and its length, by ``key``.

    Glued names are ASCII letters and digits; a name with any other character gets length -1
    (no bound: the ratio counts characters, not bytes).
    """
    keys = frame[key].to_numpy()
    size = int(keys.max()) + 1 if keys.size else 0
    lengths = frame["glued"].str.len_bytes().to_numpy().astype(np.int64)
    text = np.frombuffer(str(frame["glued"].str.join("").item()).encode(), dtype=np.uint8)
    symbol = np.full(256, len(_SYMBOLS), dtype=np.int64)  # any other byte: the spare bucket
    symbol[np.frombuffer(_SYMBOLS, dtype=np.uint8)] = np.arange(len(_SYMBOLS))
    width = len(_SYMBOLS) + 1
    cells = np.repeat(keys.astype(np.int64), lengths) * width + symbol[text]
    counts = np.bincount(cells, minlength=size * width).reshape(size, width)
    glued = np.zeros(size, dtype=np.int64)
    glued[keys] = lengths
    glued[counts[:, -1] > 0] = -1
    return counts[:, :-1], glued


def _words(q: np.ndarray, w: np.ndarray, small: type[np.unsignedinteger]) -> tuple[np.ndarray, np.ndarray]:
    """Return the letter counts both sides use, as ``small`` integers packed in 64-bit words (fast to gather)."""
    both = np.flatnonzero(q.any(axis=0) & w.any(axis=0))
    per_word = 8 // np.dtype(small).itemsize
    width = -(-max(both.size, 1) // per_word) * per_word
    packed = []
    for side in (q, w):
        out = np.zeros((side.shape[0], width), dtype=small)
        out[:, : both.size] = side[:, both]
        packed.append(out.view(np.uint64))
    return packed[0], packed[1]


def _ratio_bounds(q: pl.DataFrame, w: pl.DataFrame, nid: np.ndarray, wid: np.ndarray, counts: Bounds) -> Bounds:
    """Return upper bounds on the sorted-form and glued-form ratios of pairs.

    The ratio is twice the longest common subsequence over the summed lengths, and a common
    subsequence uses each letter at most as often as the name holding it fewer times; both forms
    hold the same letters, the sorted one with a space between tokens (``counts``: the token
    counts of query and list names). Pairs go in blocks small enough to stay in cache.
    """
    (qletters, qlen), (wletters, wlen) = _letters(q, "nid"), _letters(w, "wid")
    qspace, wspace = np.maximum(counts[0] - 1, 0), np.maximum(counts[1] - 1, 0)
    small = np.uint8 if max(int(qletters.max(initial=0)), int(wletters.max(initial=0))) <= 255 else np.uint16
    qwords, wwords = _words(qletters, wletters, small)
    by_sort, by_glue = np.empty(nid.size), np.empty(nid.size)
    for start in range(0, nid.size, BOUND_BLOCK):
        part = slice(start, start + BOUND_BLOCK)
        n, m = nid[part], wid[part]
        pair = np.take(qwords, n, axis=0).view(small), np.take(wwords, m, axis=0).view(small)
        shared = np.minimum(*pair).sum(axis=1, dtype=np.int32)
        glued, spaces = qlen[n] + wlen[m], np.minimum(qspace[n], wspace[m])
        total = glued + qspace[n] + wspace[m]
        # no bound for two empty names (alike) or a name with other characters
        plain = (qlen[n] >= 0) & (wlen[m] >= 0)
        by_sort[part] = np.where(plain & (total > 0), 2.0 * (shared + spaces) / np.maximum(total, 1), np.inf)
        by_glue[part] = np.where(plain & (glued > 0), 2.0 * shared / np.maximum(glued, 1), np.inf)
    return by_sort + BOUND_SLACK, by_glue + BOUND_SLACK


def prefilter(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, cutoff: float) -> pl.DataFrame:
    """Return candidate pairs with ``s_sort`` or ``s_glue`` at least ``cutoff``.

    ``s_glue`` compares the glued names in their written order (spacing made irrelevant); it scores
    only pairs whose token counts differ, but with equal counts it still lets a pair through from
    ``GLUE_RESCUE``: a typo that moves a token in the sorted form (MRITZA sorts after MONTOYA,
    MARITZA before) does not move it in the written one. Query names with an initial (K. ATABEKOV)
    get ``INITIAL_SLACK`` more room, as an initial for a whole given name lowers the string ratio
    more than the token alignment. Two second looks at the pairs that fail: names holding
    legal-form words (see :func:`form_marks`) compare their sorted forms without them (``bare``),
    and query names with an initial compare by ``token_set_ratio`` (M. MIRE holds all but the
    given name of MIRE, Mohamed: the plain ratio of M MIRE ~ MIRE MOHAMED is 0.44). Ratios are
    computed only for pairs whose letter bound (:func:`_ratio_bounds`) reaches the floor.
    """
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    (qcount, qinit), (wcount, _) = _facts(q, "nid"), _facts(w, "wid")
    differ = qcount[nid] != wcount[wid]
    floor = cutoff - INITIAL_SLACK * qinit[nid]
    glue_floor = np.where(differ, floor, max(GLUE_RESCUE, cutoff))
    sort_bound, glue_bound = _ratio_bounds(q, w, nid, wid, (qcount, wcount))
    ratio = _PairRatio(q, w, nid, wid)
    s_sort = ratio.fill("sorted", np.zeros(nid.size), np.flatnonzero(sort_bound >= floor))
    # the glued form scores pairs whose token counts differ, and rescues the others that fail
    glue = differ | (s_sort < floor)
    s_glue = ratio.fill("glued", np.zeros(nid.size), np.flatnonzero(glue & (glue_bound >= glue_floor)))
    passed = (s_sort >= floor) | (s_glue >= glue_floor)
    look = np.flatnonzero(~passed & (_has_bare(q, "nid")[nid] | _has_bare(w, "wid")[wid]))
    passed[look] = ratio.fill("bare", np.zeros(nid.size), look)[look] >= floor[look]
    look = np.flatnonzero(~passed & qinit[nid])
    passed[look] = ratio.fill("sorted", np.zeros(nid.size), look, fuzz.token_set_ratio)[look] >= floor[look]
    # a name written in an abjad compares by its consonants (MHMD BN SLMN ~ MOHAMED BIN SALMAN)
    look = np.flatnonzero(~passed & (_flag(q, "nid", "abjad")[nid] | _flag(w, "wid", "abjad")[wid]))
    passed[look] = ratio.consonants(look) * ABJAD_FACTOR >= floor[look]
    keyed = _keyed(q, "nid")[nid] | _keyed(w, "wid")[wid]
    k_glue = _romanised_look(ratio, (keyed, differ), passed, (floor, glue_floor)) if keyed.any() else 0.0
    # the ratios the bounds skipped, of pairs a second look let through
    ratio.fill("sorted", s_sort, np.flatnonzero(passed & (sort_bound < floor)))
    ratio.fill("glued", s_glue, np.flatnonzero(passed & glue & (glue_bound < glue_floor)))
    s_glue = np.maximum(s_glue, k_glue)
    scored = pl.DataFrame({"nid": nid, "wid": wid, "s_sort": s_sort, "s_glue": np.where(differ, s_glue, 0.0)})
    return scored.filter(passed)


def _romanised_look(
    ratio: _PairRatio, flags: tuple[np.ndarray, np.ndarray], passed: np.ndarray, floors: Bounds
) -> np.ndarray:
    """Let pairs with a Korean, Chinese or Japanese side pass on romanisation keys (``flags``: keyed, counts differ).

    Sorted keys as the sorted form (GIM JEONG EUN ~ KIM JONG UN), glued keys as the glued form
    where the token counts differ (PARK JISUNG); returns the glued keys' ratios, 0 for other pairs.
    """
    (keyed, differ), (floor, glue_floor) = flags, floors
    look = np.flatnonzero(~passed & keyed)
    passed[look] = ratio.syllables(look) * SYLLABLE_FACTOR >= floor[look]
    k_glue = np.zeros(keyed.size)
    look = np.flatnonzero(keyed & differ)
    k_glue[look] = ratio.syllables(look, glued=True) * SYLLABLE_FACTOR
    passed |= k_glue >= glue_floor
    return k_glue


_TWO: Final = {"q": pl.String(), "w": pl.String()}


class _PairRatio:
    """String ratios of chosen pairs on one normal form of both names."""

    def __init__(self, q: pl.DataFrame, w: pl.DataFrame, nid: np.ndarray, wid: np.ndarray) -> None:
        """Hold both sides' names and the pairs' name ids."""
        self.q, self.w, self.nid, self.wid = q, w, nid, wid
        self.forms: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _form(self, form: str) -> tuple[np.ndarray, np.ndarray]:
        """Return both sides' names on ``form`` as object arrays by name id, made once."""
        if form not in self.forms:
            self.forms[form] = _objects(self.q, "nid", form), _objects(self.w, "wid", form)
        return self.forms[form]

    def fill(self, form: str, out: np.ndarray, todo: np.ndarray, scorer: Scorer = fuzz.ratio) -> np.ndarray:
        """Write ``scorer`` / 100 of the pairs ``todo`` on ``form`` into ``out`` and return it."""
        left, right = self._form(form)
        out[todo] = _gather_ratio(left[self.nid[todo]], right[self.wid[todo]], scorer)
        return out

    def consonants(self, todo: np.ndarray) -> np.ndarray:
        """Return the ratio of the pairs ``todo`` on the consonants of their sorted forms (see :func:`.consonants`)."""
        left, right = self._form("sorted")
        pairs = pl.DataFrame({"q": left[self.nid[todo]].tolist(), "w": right[self.wid[todo]].tolist()}, schema=_TWO)
        word = consonants(pl.element())
        cons = pairs.select(pl.all().str.split(" ").list.eval(word.filter(word != "").sort()).list.join(" "))
        return _gather_ratio(cons["q"].to_numpy().astype(object), cons["w"].to_numpy().astype(object))

    def syllables(self, todo: np.ndarray, *, glued: bool = False) -> np.ndarray:
        """Return the ratio of the pairs ``todo`` on the romanisation keys of their words, sorted (or glued)."""
        (left, right), (lscript, rscript) = self._form("core"), self._form("script")
        own = lscript[self.nid[todo]]
        script = np.where(np.isin(own, romanise.KEYED), own, rscript[self.wid[todo]])
        pairs = pl.DataFrame(
            {"q": left[self.nid[todo]].tolist(), "w": right[self.wid[todo]].tolist(), "r": script.tolist()},
            schema={**_TWO, "r": pl.String()},
        )
        return _gather_ratio(_keyed_words(pairs, "q", glued=glued), _keyed_words(pairs, "w", glued=glued))


def _keyed_words(pairs: pl.DataFrame, side: str, *, glued: bool) -> np.ndarray:
    """Return the romanisation keys of the words of names ``side`` (under their pair script ``r``), sorted or glued."""
    words = pairs.with_row_index("i").select("i", "r", t=pl.col(side).str.split(" ")).explode("t")
    keyed = words.with_columns(t=romanise.syllable_key(pl.col("t"), pl.col("r")))
    form = pl.col("t").str.join("") if glued else pl.col("t").sort().str.join(" ")
    joined = keyed.group_by("i", maintain_order=True).agg(form)
    return joined["t"].to_numpy().astype(object)


@cache
def _form_vocab() -> tuple[list[str], list[str], list[str], list[str]]:
    """Return the long legal-form words as skeletons and as spelt, every spelling's words, and forms spelt by letter."""
    words = {w for s in own_spellings() for w in s.split()}
    skel = [w for w in form_words() if len(w) >= FORM_EDIT_MIN]
    spelt = sorted(w for w in words - NOT_FORMS if len(w) >= FORM_EDIT_MIN)
    letters = {s.replace(" ", "") for s in own_spellings() if " " in s and max(len(w) for w in s.split()) == 1}
    return skel, spelt, sorted(words), sorted(letters)


def _one_edit(tokens: pl.Series, words: list[str], todo: np.ndarray) -> np.ndarray:
    """Return whether each token marked ``todo`` is one edit or less (optimal string alignment) from a word."""
    out = np.zeros(tokens.len(), dtype=bool)
    idx = np.flatnonzero(todo)
    if idx.size:
        some = tokens.gather(idx).to_list()
        dist = process.cdist(some, words, scorer=OSA.distance, score_cutoff=1, workers=-1, dtype=np.int32)
        out[idx] = dist.min(axis=1) <= 1
    return out


def _token_marks(distinct: pl.DataFrame) -> pl.DataFrame:
    """Return distinct (t, s) tokens with their ``mark`` and whether they can belong to a legal form's run."""
    skel, spelt, every, _ = _form_vocab()
    t, s = distinct["t"], distinct["s"]
    exact = t.is_in(form_words()).to_numpy()
    strong = exact & (t.str.len_bytes() >= EDGE_EXACT_MIN).to_numpy()
    # one edit from a word of five letters or more is FORM_FUZZY alike already: only four-letter tokens need a look
    four = (t.str.len_bytes() == EDGE_EXACT_MIN).to_numpy()
    near = fuzzy_form(t, FORM_FUZZY, FORM_EDIT_MIN) | _one_edit(t, skel, four)
    # and the spelling, where the skeleton rewrote the token (JDOINT is IDOINT, two edits from OINT)
    near |= _one_edit(s, spelt, ((s != t) & (s.str.len_bytes() >= EDGE_EXACT_MIN)).to_numpy())
    mark = pl.Series(values=np.where(strong, FORM, np.where(exact | near, LIKE, WORD)), dtype=pl.Int8)
    joins = (s.is_in(every) | (mark > WORD)) & ~t.is_in(sorted(NOT_EDGE_FORMS))  # PARTNERS is no form's word
    return distinct.with_columns(mark=mark, joins=joins)


def _letter_forms(toks: pl.DataFrame, key: str) -> pl.DataFrame:
    """Return (key, n) of one-letter tokens in a run spelling a legal form letter by letter (S. A., B. V.)."""
    single = toks.filter(pl.col("s").str.len_bytes() == 1).sort(key, "n")
    start = (pl.col(key) != pl.col(key).shift()) | (pl.col("n") != pl.col("n").shift() + 1)
    single = single.with_columns(run=start.fill_null(value=True).cum_sum())
    runs = single.group_by("run").agg(pl.col("s").str.join(""), key=pl.col(key).first(), n=pl.col("n"))
    runs = runs.filter(pl.col("s").is_in(_form_vocab()[3])).explode("n")
    return runs.select(pl.col("key").alias(key), "n", letter=pl.lit(FORM, pl.Int8))


def _spread(toks: pl.DataFrame, key: str) -> pl.DataFrame:
    """Return the tokens of names holding legal-form words, words of a form's run beside a FORM marked FORM."""
    edge = pl.col("edge") & pl.col("joins")
    toks = toks.join(toks.filter((pl.col("mark") > WORD) | edge).select(key).unique(), on=key, how="semi")
    toks = toks.sort(key, "n")
    for _ in range(FORM_SPREAD):
        beside = [((pl.col(key).shift(d) == pl.col(key)) & (pl.col("mark").shift(d) == FORM)) for d in (1, -1)]
        run = pl.col("joins") & (pl.col("edge") | (beside[0] | beside[1]).fill_null(value=False))
        toks = toks.with_columns(mark=pl.when(run).then(pl.lit(FORM, pl.Int8)).otherwise("mark"))
    return toks


def form_marks(norm: pl.DataFrame, key: str) -> pl.DataFrame:
    """Add ``marks`` (WORD, LIKE or FORM per token) and ``bare`` (the sorted name without legal-form words).

    Legal forms inside a name (word order changed, or left in place as a typo broke the run the
    normaliser strips from an edge) are found here: a legal-form word of four letters or more,
    or a form spelt letter by letter, marks FORM; a word one edit from a long form word, or a
    short one, marks LIKE; words of legal forms (OPEN, S, VE) and LIKE words beside a FORM, or
    at an edge the normaliser cut form words from, become FORM too (OPEN JOIT STOCK COMPNY;
    AKTSIONERNOE OQBSHEHESTVO GENBANK, whose first word the normaliser took as a form).
    """
    words, spelt = pl.col("core").str.split(" "), pl.col("spelt")
    toks = norm.select(
        key,
        t="tokens",
        s="spelt",
        n=pl.int_ranges(pl.col("tokens").list.len()),
        a="abjad",
        last=pl.col("tokens").list.len() - 1,
        lead=words.list.first() != spelt.list.first(),
        trail=words.list.last() != spelt.list.last(),
    )
    toks = toks.explode("t", "s", "n").drop_nulls("t")
    toks = toks.join(_token_marks(toks.select("t", "s").unique()), on=["t", "s"], how="left")
    toks = toks.join(_letter_forms(toks, key), on=[key, "n"], how="left")
    edge = ((pl.col("n") == 0) & pl.col("lead")) | ((pl.col("n") == pl.col("last")) & pl.col("trail"))
    toks = _spread(toks.with_columns(mark=pl.coalesce("letter", "mark"), edge=edge.fill_null(value=False)), key)
    marked = toks.group_by(key).agg(
        marks=pl.col("mark"), bare=pl.col("t").filter(pl.col("mark") != FORM).sort().str.join(" ")
    )
    zeros = pl.col("tokens").list.eval(pl.element().str.len_bytes().cast(pl.Int8) * 0)
    return norm.join(marked, on=key, how="left").with_columns(
        marks=pl.coalesce("marks", zeros),
        bare=pl.when(pl.col("bare").fill_null("") == "").then("sorted").otherwise("bare"),
    )


def _tokens(norm: pl.DataFrame, key: str, used: pl.Series, weights: pl.DataFrame) -> pl.DataFrame:
    """Return the tokens of the names ``used``, in name and token order, with their length times their rarity."""
    toks = norm.join(used.to_frame(key), on=key, how="semi").select(
        key,
        t="tokens",
        s="spelt",
        h="heads",
        m="marks",
        n=pl.int_ranges(pl.col("tokens").list.len()),
        a="abjad",
        r=_keyed_script(norm),
        # query cores stand for names with and without a legal form: only list names say they are companies
        company=pl.col("legal").list.len() > 0 if "legal" in norm.columns else pl.lit(value=False),
    )
    toks = toks.explode("t", "s", "h", "m", "n").drop_nulls("t").sort(key, "n")
    # letters in a run are an abbreviation (A.W.A.; V.P. in a listed company's name), not initials (J. R. SMITH)
    single = pl.col("t").str.len_bytes() == 1
    near = {d: (single.shift(d) & (pl.col(key).shift(d) == pl.col(key))).fill_null(value=False) for d in (-2, -1, 1, 2)}
    three = (near[1] & near[2]) | (near[-1] & near[1]) | (near[-1] & near[-2])
    run = three | (pl.col("company") & (near[1] | near[-1]))
    toks = toks.with_columns(t=pl.when(single & run).then(pl.col("t") + ".").otherwise("t"))
    toks = toks.join(weights, on="t", how="left", maintain_order="left")
    length = pl.col("t").str.len_bytes() * pl.col("rarity").fill_null(1.0)
    # one id per distinct (token, spelling): the head is the spelling's, so equal ids score alike
    tid = pl.struct("t", "s", "a", "r").rank("dense").cast(pl.UInt64)
    # a patronymic after the first word (PUTIN, Vladimir VLADIMIROVICH) is often left out of a name as written
    patronymic = pl.col("s").str.contains(PATRONYMIC_END) & (pl.col("n") > 0)
    return toks.select(key, "t", "s", "h", "m", "a", "r", l=length, tid=tid, p=patronymic)


def _starts(keys: pl.Series, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the first row and the row count of each key in rows sorted by key."""
    count = np.bincount(keys.to_numpy(), minlength=size)
    return np.cumsum(count) - count, count


class _Grid(NamedTuple):
    """Every (query token, list token) cell of every pair, in (pair, query token, list token) order.

    A pair's cells form its query tokens × list tokens grid, so the runs of one query token are
    contiguous and the runs of one list token are read through ``wperm`` (the grid transposed).
    """

    pairs: np.ndarray  # the pairs with tokens on both sides (row numbers of the pairs frame)
    nq: np.ndarray  # query tokens of each of those pairs
    nw: np.ndarray  # list tokens of each of those pairs
    qrow: np.ndarray  # query token row of each cell
    wrow: np.ndarray  # list token row of each cell
    iw: np.ndarray  # list token position of each cell
    qseg: np.ndarray  # first cell of each (pair, query token) run
    wperm: np.ndarray  # cells in (pair, list token, query token) order
    wseg: np.ndarray  # first position in ``wperm`` of each (pair, list token) run


def _grid(pairs: pl.DataFrame, qt: pl.DataFrame, wt: pl.DataFrame) -> _Grid:
    """Return the token grid of the pairs, from both sides' tokens in name and token order."""
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    qstart, qcount = _starts(qt["nid"], int(nid.max()) + 1)
    wstart, wcount = _starts(wt["wid"], int(wid.max()) + 1)
    kept = np.flatnonzero((qcount[nid] > 0) & (wcount[wid] > 0))
    nid, wid = nid[kept], wid[kept]
    nq, nw = qcount[nid], wcount[wid]
    cells = nq * nw
    base = np.cumsum(cells) - cells
    pair = np.repeat(np.arange(kept.size), cells)
    off = np.arange(int(cells.sum())) - base[pair]
    pq, pw = nq[pair], nw[pair]
    iq, iw = off // pw, off % pw
    return _Grid(
        pairs=kept,
        nq=nq,
        nw=nw,
        qrow=qstart[nid][pair] + iq,
        wrow=wstart[wid][pair] + iw,
        iw=iw,
        qseg=np.flatnonzero(iw == 0),
        wperm=base[pair] + (off % pq) * pw + off // pq,
        wseg=np.flatnonzero(off % pq == 0),
    )


def _lengths(tq: pl.Expr, tw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Return the shorter and the longer length of token pairs."""
    return (
        pl.min_horizontal(tq.str.len_bytes(), tw.str.len_bytes()),
        pl.max_horizontal(tq.str.len_bytes(), tw.str.len_bytes()),
    )


def _may_sound_alike(tq: pl.Expr, tw: pl.Expr) -> pl.Expr:
    """Return whether token pairs are alike enough for equal phonetic keys to count (see :func:`_pair_sims`)."""
    lo, hi = _lengths(tq, tw)
    # vowels spelt differently (TREID, TRADE) but not any two names with the same consonants (MORE, MAIER)
    same_start = tq.str.slice(0, 2) == tw.str.slice(0, 2)
    alike = same_start | (pl.col("base") >= PHONETIC_FLOOR)
    return (lo >= 4) & (hi - lo <= 1) & alike


def _sounds(frame: pl.DataFrame, tq: str, tw: str) -> np.ndarray:
    """Return whether token pairs sound alike: alike enough, with equal phonetic keys (computed only for those)."""
    maybe = np.flatnonzero(frame.select(_may_sound_alike(pl.col(tq), pl.col(tw))).to_series().to_numpy())
    out = np.zeros(frame.height, dtype=bool)
    out[maybe] = frame[maybe].select(phonetic(pl.col(tq)) == phonetic(pl.col(tw))).to_series().to_numpy()
    return out


def _pair_sims(tq: pl.Expr, tw: pl.Expr) -> pl.Expr:
    """Return the sim of token pairs from their ``base`` edit ratio, initials and ``sounds`` (:func:`_sounds`)."""
    lo, hi = _lengths(tq, tw)
    initial = (lo == 1) & (tq.str.slice(0, 1) == tw.str.slice(0, 1))
    sim = pl.when(hi <= 4).then(pl.col("base") ** 2).otherwise("base")
    return pl.max_horizontal(
        sim,
        pl.when(initial).then(INITIAL_SIM).otherwise(0.0),
        pl.when(pl.col("sounds")).then(PHONETIC_SIM).otherwise(0.0),
    )


def _token_sims(grid: _Grid, qt: pl.DataFrame, wt: pl.DataFrame) -> np.ndarray:
    """Return the sim of every cell of the grid, computed once per distinct pair of tokens."""
    qtid, wtid = qt["tid"].to_numpy()[grid.qrow], wt["tid"].to_numpy()[grid.wrow]
    pair_key = qtid * np.uint64(int(wt["tid"].max() or 0) + 1) + wtid  # type: ignore[arg-type]
    _, first, inverse = np.unique(pair_key, return_index=True, return_inverse=True)
    cols = ("t", "s", "h", "a", "r")
    q, w = qt.select(cols)[grid.qrow[first]], wt.select(cols)[grid.wrow[first]]
    distinct = pl.DataFrame({"tq": q["t"], "sq": q["s"], "hq": q["h"], "tw": w["t"], "sw": w["s"], "hw": w["h"]})
    # the skeleton can make one typo two (SNACHI ~ SANCHI is SNACI ~ SANCI): the spelling counts too
    spelt = bulk_ratio(distinct["sq"], distinct["sw"]).to_numpy()
    distinct = distinct.with_columns(base=np.maximum(bulk_ratio(distinct["tq"], distinct["tw"]).to_numpy(), spelt))
    distinct = distinct.with_columns(sounds=_sounds(distinct, "tq", "tw"))
    # an initial stands for a word with its head (J. for JOSEPH, whose skeleton OSEF starts otherwise)
    initial = ((pl.col("tq") == pl.col("hw")) | (pl.col("tw") == pl.col("hq"))) & (
        pl.min_horizontal(pl.col("tq").str.len_bytes(), pl.col("tw").str.len_bytes()) == 1
    )
    sim = _pair_sims(pl.col("tq"), pl.col("tw"))
    sims = distinct.select(pl.when(initial).then(pl.max_horizontal(sim, INITIAL_SIM)).otherwise(sim)).to_series()
    out: np.ndarray = np.maximum(sims.to_numpy(), _abjad_sims(distinct, (q["a"] | w["a"]).to_numpy()))
    out = np.maximum(out, _syllable_sims(distinct, q["r"].fill_null(w["r"])))
    return out[inverse.reshape(-1)]


def _keyed_script(norm: pl.DataFrame) -> pl.Expr:
    """Return the script of names whose romanisations :mod:`.romanise` folds, null for others (and without a script)."""
    if "script" not in norm.columns:
        return pl.lit(None, pl.String)
    return pl.when(pl.col("script").is_in(romanise.KEYED)).then(pl.col("script"))


def _syllable_sims(distinct: pl.DataFrame, script: pl.Series) -> np.ndarray:
    """Return the similarity of token pairs' romanisation keys where a side is Korean, Chinese or Japanese, else 0.

    Both tokens are keyed as that script romanises (:mod:`.romanise`); short keys count as short
    tokens do (squared), and keys alike count a little less than letters alike.
    """
    out = np.zeros(distinct.height)
    todo = np.flatnonzero(script.is_not_null().to_numpy())
    if todo.size:
        part = distinct[todo].with_columns(r=script.gather(todo))
        keys = part.select(
            q=romanise.syllable_key(pl.col("sq"), pl.col("r")), w=romanise.syllable_key(pl.col("sw"), pl.col("r"))
        )
        ratio = bulk_ratio(keys["q"], keys["w"]).to_numpy()
        short = keys.select(pl.max_horizontal(pl.all().str.len_bytes()) <= 4).to_series().to_numpy()
        out[todo] = np.where(short, ratio**2, ratio) * SYLLABLE_FACTOR
    return out


def _abjad_sims(distinct: pl.DataFrame, abjad: np.ndarray) -> np.ndarray:
    """Return the consonant similarity of the token pairs with a side written in an abjad, 0 for the others."""
    out = np.zeros(distinct.height)
    todo = np.flatnonzero(abjad)
    if todo.size:
        cons = distinct[todo].select(q=consonants(pl.col("tq")), w=consonants(pl.col("tw")))
        # a token of vowels alone (an Arabic AL, written A) keeps its letters
        both = cons.with_columns(
            q=pl.when(pl.col("q") == "").then(distinct[todo]["tq"]).otherwise("q"),
            w=pl.when(pl.col("w") == "").then(distinct[todo]["tw"]).otherwise("w"),
        )
        out[todo] = bulk_ratio(both["q"], both["w"]).to_numpy() * ABJAD_FACTOR
    return out


def _run_ids(starts: np.ndarray, size: int) -> np.ndarray:
    """Return the run number of each of ``size`` positions, runs beginning at ``starts``."""
    flags = np.zeros(size, dtype=np.int64)
    flags[starts] = 1
    return np.cumsum(flags) - 1


def _first_max(values: np.ndarray, starts: np.ndarray, runs: np.ndarray) -> np.ndarray:
    """Return the position of the first greatest value of each run."""
    top = np.maximum.reduceat(values, starts)
    at = np.where(values == top[runs], np.arange(values.size), values.size)
    return np.minimum.reduceat(at, starts)


def _exclusive(sim: np.ndarray, grid: _Grid) -> tuple[np.ndarray, np.ndarray]:
    """Return which cells are usable, and each query token's best cell (the first of its best list tokens).

    A token pair is usable when its tokens are each other's best match, or when neither token has
    one: a token matched both ways is not reused (in AMBER TIMBER ~ TIMBER the list's TIMBER
    counts for the query's TIMBER only; in SADEH SALEH ~ SALEH SALEH the second SALEH stays free).
    Ties go to the first token.
    """
    qruns, wruns = _run_ids(grid.qseg, sim.size), _run_ids(grid.wseg, sim.size)
    best_w = _first_max(sim, grid.qseg, qruns)
    best_q = grid.wperm[_first_max(sim[grid.wperm], grid.wseg, wruns)]
    mutual, for_w = np.zeros(sim.size, dtype=bool), np.zeros(sim.size, dtype=bool)
    mutual[best_w], for_w[best_q] = True, True
    mutual &= for_w
    taken_w = np.empty(sim.size, dtype=bool)
    taken_w[grid.wperm] = np.logical_or.reduceat(mutual[grid.wperm], grid.wseg)[wruns]
    taken = np.logical_or.reduceat(mutual, grid.qseg)[qruns] | taken_w
    return mutual | ~taken, best_w


def _form_factor(best: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Return the weight factor of tokens from their mark: a legal-form word the other name lacks weighs nothing."""
    unmatched = np.where(best >= FORM_MATCHED, FORM_WEIGHT, FORM_GONE)
    return np.where(marks == FORM, unmatched, np.where(marks == LIKE, FORM_WEIGHT, 1.0))


def _coverage(best: np.ndarray, tokens: pl.DataFrame, counts: np.ndarray, tag: str) -> pl.DataFrame:
    """Return per pair the rarity- and length-weighted best-match coverage of one side's tokens.

    ``best`` holds each token run's best usable sim, ``tokens`` the tokens of the runs and
    ``counts`` how many runs each pair has.
    """
    marks = tokens["m"].to_numpy()
    patronymic_gone = tokens["p"].to_numpy() & (best < FORM_MATCHED)
    length = tokens["l"].to_numpy() * _form_factor(best, marks) * np.where(patronymic_gone, PATRONYMIC_GONE, 1.0)
    starts = np.cumsum(counts) - counts
    low = np.minimum.reduceat(np.where(marks != FORM, best, np.inf), starts)
    gone = np.add.reduceat((marks == FORM) & (best < FORM_MATCHED), starts)
    return pl.DataFrame(
        {
            f"cov_{tag}": np.add.reduceat(best * length, starts) / np.add.reduceat(length, starts),
            f"n_{tag}": pl.Series(counts, dtype=pl.UInt32),
            f"low_{tag}": np.where(np.isinf(low), 1.0, low),
            f"gone_{tag}": pl.Series(gone, dtype=pl.UInt32),
        }
    )


def _reordered(best: np.ndarray, j: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return per pair whether well-matched query tokens map to list tokens out of order."""
    runs = np.repeat(np.arange(counts.size), counts)
    good = np.flatnonzero(best >= 0.8)
    back = (runs[good][1:] == runs[good][:-1]) & (j[good][1:] < j[good][:-1])
    out = np.zeros(counts.size, dtype=bool)
    out[runs[good][1:][back]] = True
    return out


def _best_usable(sim: np.ndarray, usable: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Return each run's greatest usable sim, 0 when none is usable."""
    best = np.maximum.reduceat(np.where(usable, sim, -np.inf), starts)
    return np.where(np.isinf(best), 0.0, best)


def align(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Add token-alignment features and the name score ``base`` to prefiltered pairs."""
    pairs = pairs.with_row_index("pid")
    if pairs.is_empty():
        return _coverage_empty(pairs)
    qt = _tokens(q, "nid", pairs["nid"].unique(), weights)
    wt = _tokens(w, "wid", pairs["wid"].unique(), weights)
    grid = _grid(pairs, qt, wt)
    if grid.pairs.size == 0:
        return _coverage_empty(pairs)
    sim = _token_sims(grid, qt, wt)
    usable, best_w = _exclusive(sim, grid)
    best_q = _best_usable(sim, usable, grid.qseg)
    best_wside = _best_usable(sim[grid.wperm], usable[grid.wperm], grid.wseg)
    cov_q = _coverage(best_q, qt[grid.qrow[grid.qseg]], grid.nq, "q")
    cov_w = _coverage(best_wside, wt[grid.wrow[grid.wperm[grid.wseg]]], grid.nw, "w")
    # word order is told from the query's side only
    reordered = _reordered(best_q, grid.iw[best_w], grid.nq)
    feats = pl.concat([pairs[grid.pairs], cov_q, cov_w], how="horizontal").with_columns(reordered_q=reordered)
    return feats.with_columns(base=_base_score())


def _coverage_empty(pairs: pl.DataFrame) -> pl.DataFrame:
    """Return no pairs, with the columns :func:`align` adds."""
    columns = {
        **{f"{c}_{t}": pl.Float64() for c in ("cov", "low") for t in ("q", "w")},
        **{f"{c}_{t}": pl.UInt32() for c in ("n", "gone") for t in ("q", "w")},
        "reordered_q": pl.Boolean(),
    }
    empty = pl.concat([pairs.clear(), pl.DataFrame(schema=columns)], how="horizontal")
    return empty.with_columns(base=_base_score())


def _base_score() -> pl.Expr:
    """Return the name score from coverage, subset and glue features."""
    cov_max = pl.max_horizontal("cov_q", "cov_w")
    cov_min = pl.min_horizontal("cov_q", "cov_w")
    # a query naming part of a list name (no middle name, one of two surnames) keeps a high score;
    # a query adding words to a list name is another name more often (Crystal Pioneer Logistics)
    subset = (pl.min_horizontal("n_q", "n_w") >= 2) & (pl.col("cov_q") >= 0.95) & (pl.col("low_q") >= SUBSET_TOKEN)
    aligned = (
        pl.when(subset)
        .then(pl.max_horizontal((cov_max + cov_min) / 2, SUBSET_BASE + SUBSET_SLOPE * cov_min))
        .otherwise((cov_max + cov_min) / 2)
    )
    glue = pl.when(pl.col("n_q") != pl.col("n_w")).then(pl.col("s_glue") * GLUE_FACTOR)
    return pl.max_horizontal(aligned, glue.otherwise(0.0))


def rarity(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (t, rarity) token weights of list names: 1 for rare tokens, down to 0.25."""
    n = max(norm.height, 2)
    counts = norm.select(t=pl.col("tokens").list.unique()).explode("t").group_by("t").len()
    weight = (1.0 - (pl.col("len") + 1).log() / math.log(n)).clip(0.25, 1.0)
    return counts.select("t", rarity=weight)


def _link(tokens: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Return the consonants of the words before and after a name's first patronymic link word (null without one)."""
    links = tokens.list.eval(pl.element().is_in(sorted(PATRONYMIC)))
    at, linked = links.list.arg_max(), links.list.any()
    before = tokens.list.get(at - 1, null_on_oob=True)
    after = tokens.list.get(at + 1, null_on_oob=True)
    return (
        pl.when(linked & (at > 0)).then(consonants(before)),
        pl.when(linked).then(consonants(after)),
    )


def patronym_swapped(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return whether the names around a patronymic link swapped places (SALIM BIN AHMAD ~ AHMAD BIN SALIM)."""
    (qb, qa), (wb, wa) = _link(pl.col(f"{q_prefix}tokens")), _link(pl.col(f"{w_prefix}tokens"))
    return ((qb == wa) & (qa == wb) & (qb != qa)).fill_null(value=False)


def penalties(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return the penalty for numbers that differ, legal forms that disagree and patronymic chains reordered."""
    qn, wn = pl.col(f"{q_prefix}numbers"), pl.col(f"{w_prefix}numbers")
    both_num = (qn.list.len() > 0) & (wn.list.len() > 0)
    one_num = (qn.list.len() > 0) != (wn.list.len() > 0)
    num = pl.when(both_num & (qn != wn)).then(NUMBER_PENALTY).when(one_num).then(0.05)
    ql, wl = pl.col(f"{q_prefix}legal"), pl.col(f"{w_prefix}legal")
    legal_clash = (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
    patronym = pl.when(patronym_swapped(q_prefix, w_prefix)).then(PATRONYM_PENALTY).otherwise(0.0)
    return num.otherwise(0.0) + pl.when(legal_clash).then(LEGAL_PENALTY).otherwise(0.0) + patronym
