"""Stage one of scoring: bulk string ratios of candidate pairs, and the cheap bounds that skip most of them.

Candidate pairs are scored with ``rapidfuzz.process.cpdist`` (sorted skeleton tokens, and the
glued skeleton in written order; all cores for many pairs) and kept when scoring at least ``cutoff`` (the
glued form, with equal token counts, from ``GLUE_RESCUE``; the sorted forms without legal-form
words; initials by token set; consonants of abjad names; romanisation keys of Korean, Chinese and
Japanese names); a bound from the letters two names share skips the ratios that cannot reach the
cutoff (most pairs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names import form_typos, part_words, romanise
from screening.names.align import SUBSET_BASE, SUBSET_SLOPE
from screening.names.marks import FORM
from screening.names.parallel import workers
from screening.names.phonetic import consonants, foreign_consonants
from screening.names.token_sims import ABJAD_FACTOR, SYLLABLE_FACTOR

Scorer = Callable[..., float]
Bounds = tuple[np.ndarray, np.ndarray]

INITIAL_SLACK: Final = 0.1
GLUE_RESCUE: Final = 0.8
# the least share of the shorter name's letters the other holds for a pair whose token counts differ to pass
# whatever its ratios: a name naming part of the other (or a listed person's with words added) scores from
# ``align.SUBSET_BASE`` however low its ratios (SUSHKO, Andrey ~ SUSHKO, Andriy Volodymyrovych). Not a bound
# (a word matched at ``align.SUBSET_TOKEN`` holds 0.6 of its letters, phonetic matches fewer): at 0.6 the
# share let five times the pairs the ratios pass through on 100,000 generated names; 0.8 finds as many there
PART_HELD: Final = 0.8
# and of the longer name's letters: at least what the subset score needs of its coverage at the score sought
# (``align.SUBSET_BASE`` + ``align.SUBSET_SLOPE`` x coverage), less this slack (rare words weigh more than letters)
PART_SLACK: Final = 0.15
BOUND_SLACK: Final = 1e-6  # ratios are float32: a bound this far below the floor still skips safely
BOUND_BLOCK: Final = 1 << 17  # pairs per block of the letter bound
_SYMBOLS: Final = part_words.SYMBOLS
HEAD_BITS: Final = {chr(c): 1 << i for i, c in enumerate(_SYMBOLS)}  # a word's first letter as one bit


FORMS: Final = ("sorted", "glued", "spelt_glued", "bare", "core", "script")  # the forms ratios and second looks read


def _objects(frame: pl.DataFrame, key: str, column: str) -> np.ndarray:
    """Return the strings of ``column`` as an object array indexed by the integer ``key``."""
    keys = frame[key].to_numpy()
    out = np.full(int(keys.max()) + 1 if keys.size else 0, "", dtype=object)
    out[keys] = np.array(frame[column].to_list(), dtype=object)
    return out


def _gather_ratio(left: np.ndarray, right: np.ndarray, scorer: Scorer = fuzz.ratio) -> np.ndarray:
    """Return ``scorer`` / 100 (``fuzz.ratio`` unless told) of aligned object arrays of strings."""
    if left.size == 0:
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(left.tolist(), right.tolist(), scorer=scorer, workers=workers(left.size), dtype=np.float32)
    return scores.astype(np.float64) / 100.0


def _dense(frame: pl.DataFrame, key: str, values: pl.Series, dtype: type[np.generic]) -> np.ndarray:
    """Return ``values`` of names scattered into an array indexed by the integer ``key`` (zero where absent)."""
    keys = frame[key].to_numpy()
    out = np.zeros(int(keys.max()) + 1 if keys.size else 0, dtype=dtype)
    out[keys] = values.to_numpy()
    return out


def _letters(frame: pl.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Return how often each letter and digit occurs in each glued name, and its length, by ``key``.

    Glued names are ASCII letters and digits; a name with any other character gets length -1
    (no bound: the ratio counts characters, not bytes), as does one also glued with its ordinals
    spelt out (:func:`.words.spelt_glued`: that form holds other letters).
    """
    keys = frame[key].to_numpy()
    size = int(keys.max()) + 1 if keys.size else 0
    lengths = frame["glued"].str.len_bytes().to_numpy().astype(np.int64)
    spelt = (frame["spelt_glued"] != frame["glued"]).to_numpy()
    rows, _ = part_words.letter_counts(frame["glued"], lengths, np.uint32)
    counts = np.zeros((size, rows.shape[1]), dtype=np.int64)
    counts[keys] = rows
    glued = np.zeros(size, dtype=np.int64)
    glued[keys] = lengths
    glued[counts[:, -1] > 0] = -1
    glued[keys[spelt]] = -1
    return counts[:, :-1], glued


def _packed(counts: np.ndarray, small: type[np.unsignedinteger]) -> np.ndarray:
    """Return letter counts as ``small`` integers packed in 64-bit words (fast to gather)."""
    per_word = 8 // np.dtype(small).itemsize
    width = -(-counts.shape[1] // per_word) * per_word
    out = np.zeros((counts.shape[0], width), dtype=small)
    out[:, : counts.shape[1]] = counts
    return out.view(np.uint64)


@dataclass(frozen=True)
class Facts:
    """One side's names as the prefilter reads them, in arrays by integer name id (a list's made once).

    ``letters``: each name's letter and digit counts (:func:`_letters`) packed as ``small``
    integers; ``glued``: the glued form's length (-1: no letter bound).
    """

    frame: pl.DataFrame
    key: str
    count: np.ndarray  # tokens of each name
    initial: np.ndarray  # whether it holds a one-letter token
    bare: np.ndarray  # whether it holds legal-form words (its ``bare`` form differs from ``sorted``)
    abjad: np.ndarray
    keyed: np.ndarray  # written in a script :mod:`.romanise` keys
    letters: np.ndarray
    small: type[np.unsignedinteger]
    glued: np.ndarray
    spelt: np.ndarray  # whether it is also glued with its ordinals spelt out (``spelt_glued`` differs)
    heads: np.ndarray  # the first letters of its words as bits (:data:`HEAD_BITS`; other characters none)
    formed: np.ndarray  # the class bits of its legal forms (:func:`.form_typos.legal_bits`; list names)
    typos: np.ndarray  # the class bits of its words a legal form misspelt may be (query names; ``typo_bare``)
    forms: dict[str, np.ndarray] = field(default_factory=dict)  # object arrays of forms, filled on first use
    parts: dict[str, part_words.Words] = field(default_factory=dict)  # its words' letters, made on first use

    @classmethod
    def of(
        cls, frame: pl.DataFrame, key: str, forms: tuple[str, ...] = (), *, words: bool = False, query: bool = False
    ) -> Facts:
        """Return the facts of marked names (:func:`.marks.form_marks`) by ``key``, a ``query``'s or a list's."""
        toks = frame["tokens"]
        counts, glued = _letters(frame, key)
        small = np.uint8 if int(counts.max(initial=0)) <= 255 else np.uint16
        script = frame["script"] if "script" in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
        facts = cls(
            frame=frame,
            key=key,
            count=_dense(frame, key, toks.list.len(), np.int32),
            initial=_dense(frame, key, toks.list.eval(pl.element().str.len_bytes() == 1).list.any(), np.bool_),
            bare=_dense(frame, key, frame["bare"] != frame["sorted"], np.bool_),
            abjad=_dense(frame, key, frame["abjad"], np.bool_),
            keyed=_dense(frame, key, script.is_in(romanise.KEYED).fill_null(value=False), np.bool_),
            letters=_packed(counts, small),
            small=small,
            glued=glued,
            spelt=_dense(frame, key, frame["spelt_glued"] != frame["glued"], np.bool_),
            heads=_dense(frame, key, _head_bits(toks), np.int64),
            formed=np.zeros(0, dtype=np.int64)
            if query or "legal" not in frame.columns
            else _dense(frame, key, frame.select(form_typos.legal_bits(pl.col("legal"))).to_series(), np.int64),
            typos=np.zeros(0, dtype=np.int64),
        )
        if query:
            facts = _with_typos(facts)
        for form in forms:
            facts.form(form)
        if words:
            facts.word_table()
        return facts

    def form(self, form: str) -> np.ndarray:
        """Return the names on ``form`` as an object array by name id, made once."""
        if form not in self.forms:
            self.forms[form] = _objects(self.frame, self.key, form)
        return self.forms[form]

    def word_table(self) -> part_words.Words:
        """Return its words' letters (:class:`.part_words.Words`), made once."""
        if "words" not in self.parts:
            self.parts["words"] = part_words.Words.of(self.frame, self.key)
        return self.parts["words"]

    def words(self, small: type[np.unsignedinteger]) -> np.ndarray:
        """Return the packed letter counts as ``small`` integers."""
        if small is self.small:
            return self.letters
        counts = self.letters.view(self.small)[:, : len(_SYMBOLS)]
        return _packed(counts, small)


def _with_typos(facts: Facts) -> Facts:
    """Return query names' facts with ``typos`` and the ``typo_bare`` form: ``bare`` without those words too.

    Only a name's first or last word may be a form misspelt, of the classes it reads (:func:`.form_typos.read_bits`):
    the class bits of those words alone are found, and only the few names holding one are cut word by word.
    """
    frame, key = facts.frame, facts.key
    read = form_typos.read_column(frame.columns)
    edges = frame.select(pl.col("spelt").list.first().alias("f"), pl.col("spelt").list.last().alias("l"))
    bits = form_typos.class_bits(pl.concat([edges["f"], edges["l"]]))
    first, last = (pl.Series(x, dtype=pl.Int64) for x in np.split(bits, 2))
    b = frame.select(b=(pl.lit(first) & read) | (pl.lit(last) & read))["b"]
    frame = frame.with_columns(typo_bare=pl.col("bare"))
    some = (b != 0).fill_null(value=True)  # a null ``read`` goes the word-by-word way too
    typos = np.zeros(facts.count.size, dtype=np.int64)
    if some.any():
        cut = _typo_words(frame.filter(some), key, read)
        frame = frame.update(cut.select(key, "typo_bare"), on=key)
        typos[cut[key].to_numpy()] = cut["b"].fill_null(0).to_numpy()
    return replace(facts, frame=frame, typos=typos)


def _typo_words(frame: pl.DataFrame, key: str, read: pl.Expr) -> pl.DataFrame:
    """Return names with their edge words' bits ``b`` and ``typo_bare``: ``bare`` without the words read as forms."""
    words = frame.select(key, "tokens", "spelt", "marks", read=read).explode("tokens", "spelt", "marks")
    words = words.drop_nulls("tokens")
    at = pl.int_range(pl.len()).over(key)
    edge = (at == 0) | (at == pl.len().over(key) - 1)
    bits = pl.Series(form_typos.class_bits(words["spelt"]), dtype=pl.Int64)
    words = words.with_columns(b=pl.when(edge).then(bits & pl.col("read")).otherwise(0))
    kept = pl.col("tokens").filter((pl.col("b") == 0) & (pl.col("marks") != FORM))
    named = words.group_by(key).agg(b=pl.col("b").bitwise_or(), kept=kept.sort().str.join(" "), n=kept.len())
    frame = frame.join(named, on=key, how="left", maintain_order="left")
    bare = pl.when(pl.col("b") == 0).then("bare").when(pl.col("n") > 0).then("kept").otherwise("sorted")
    return frame.with_columns(typo_bare=bare.fill_null(pl.col("bare")))


def _head_bits(tokens: pl.Series) -> pl.Series:
    """Return the first letters of each name's words as bits (:data:`HEAD_BITS`), summed once each."""
    bit = pl.element().str.slice(0, 1).replace_strict(HEAD_BITS, default=None, return_dtype=pl.Int64)
    return tokens.list.eval(bit.drop_nulls().unique()).list.sum()


def _ratio_bounds(q: Facts, w: Facts, nid: np.ndarray, wid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return upper bounds on the sorted-form and glued-form ratios of pairs, and the letters they share.

    The ratio is twice the longest common subsequence over the summed lengths, and a common
    subsequence uses each letter at most as often as the name holding it fewer times; both forms
    hold the same letters, the sorted one with a space between tokens. Pairs go in blocks small
    enough to stay in cache.
    """
    small = q.small if q.small is w.small else np.uint16
    words = q.words(small), w.words(small)
    spaces = np.maximum(q.count - 1, 0), np.maximum(w.count - 1, 0)
    by_sort, by_glue, common = np.empty(nid.size), np.empty(nid.size), np.empty(nid.size, dtype=np.int32)
    for start in range(0, nid.size, BOUND_BLOCK):
        part = slice(start, start + BOUND_BLOCK)
        n, m = nid[part], wid[part]
        pair = np.take(words[0], n, axis=0).view(small), np.take(words[1], m, axis=0).view(small)
        # einsum sums the short rows several times faster than ``sum(axis=1)`` (same integers)
        shared = np.einsum("ij->i", np.minimum(*pair), dtype=np.int32)
        lengths = q.glued[n], w.glued[m]
        by_sort[part], by_glue[part] = _bounds_of(shared, lengths, (spaces[0][n], spaces[1][m]))
        common[part] = shared
    return by_sort + BOUND_SLACK, by_glue + BOUND_SLACK, common


def _bounds_of(shared: np.ndarray, lengths: Bounds, spaces: Bounds) -> Bounds:
    """Return the sorted-form and glued-form bounds of pairs from their ``shared`` letters, glued lengths and spaces."""
    (qlen, wlen), (qspace, wspace) = lengths, spaces
    glued = qlen + wlen
    total = glued + qspace + wspace
    # no bound for two empty names (alike) or a name with other characters
    plain = (qlen >= 0) & (wlen >= 0)
    by_sort = np.where(plain & (total > 0), 2.0 * (shared + np.minimum(qspace, wspace)) / np.maximum(total, 1), np.inf)
    return by_sort, np.where(plain & (glued > 0), 2.0 * shared / np.maximum(glued, 1), np.inf)


def prefilter(
    pairs: pl.DataFrame,
    q: pl.DataFrame | Facts,
    w: pl.DataFrame | Facts,
    cutoff: float | np.ndarray,
    sought: np.ndarray | None = None,
) -> pl.DataFrame:
    """Return candidate pairs with ``s_sort`` or ``s_glue`` at least ``cutoff`` (one, or an array by query ``nid``).

    ``sought``: the least name score sought by query ``nid``, where a pair whose token counts differ also
    passes on the letters it shares (:func:`_part_shape`) where one word of the other name holds each word of
    the name with fewer words (:mod:`.part_words`): a name naming part of the other.

    ``s_glue`` compares the glued names in their written order (spacing made irrelevant); it scores
    only pairs whose token counts differ (and is 1 for pairs of as many words whose glued forms with
    ordinals spelt out are equal: 1STBANK ~ FIRSTBANK), but with equal counts it still lets a pair through from
    ``GLUE_RESCUE``: a typo that moves a token in the sorted form (MRITZA sorts after MONTOYA,
    MARITZA before) does not move it in the written one. Query names with an initial (K. ATABEKOV)
    get ``INITIAL_SLACK`` more room, as an initial for a whole given name lowers the string ratio
    more than the token alignment. Two second looks at the pairs that fail: names holding
    legal-form words (see :func:`form_marks`) compare their sorted forms without them (``bare``),
    and query names with an initial compare by ``token_set_ratio`` (M. MIRE holds all but the
    given name of MIRE, Mohamed: the plain ratio of M MIRE ~ MIRE MOHAMED is 0.44). Ratios are
    computed only for pairs whose letter bound (:func:`_ratio_bounds`) reaches the floor. Either
    side may come as its :class:`Facts` (a list's, made once) or as marked names.
    """
    q = q if isinstance(q, Facts) else Facts.of(q, "nid", query=True)
    w = w if isinstance(w, Facts) else Facts.of(w, "wid")
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    differ = q.count[nid] != w.count[wid]
    cut = np.asarray(cutoff)[nid] if np.ndim(cutoff) else np.full(nid.size, cutoff)
    floor = cut - INITIAL_SLACK * q.initial[nid]
    glue_floor = np.where(differ, floor, np.maximum(GLUE_RESCUE, cut))
    sort_bound, glue_bound, shared = _ratio_bounds(q, w, nid, wid)
    ratio = _PairRatio(q, w, nid, wid)
    s_sort = ratio.fill("sorted", np.zeros(nid.size), np.flatnonzero(sort_bound >= floor))
    # the glued form scores pairs whose token counts differ, and rescues the others that fail
    glue = differ | (s_sort < floor)
    s_glue = ratio.glue(np.zeros(nid.size), np.flatnonzero(glue & (glue_bound >= glue_floor)))
    passed = (s_sort >= floor) | (s_glue >= glue_floor)
    if sought is not None:  # the shape of a name naming part of the other, its words held by the other's
        look = np.flatnonzero(~passed & differ)
        look = look[_part_shape(q, w, (nid[look], wid[look]), shared[look], sought)]
        passed[look] = _words_held(q, w, nid[look], wid[look])
    look = np.flatnonzero(~passed & (q.bare[nid] | w.bare[wid]))
    passed[look] = ratio.fill("bare", np.zeros(nid.size), look)[look] >= floor[look]
    look = np.flatnonzero(~passed & q.initial[nid])
    passed[look] = ratio.fill("sorted", np.zeros(nid.size), look, fuzz.token_set_ratio)[look] >= floor[look]
    # a query word its list name's legal form misspelt may be (:mod:`.form_typos`) is left out as a form word is
    if q.typos.size and w.formed.size:
        look = np.flatnonzero(~passed & ((q.typos[nid] & w.formed[wid]) != 0))
        passed[look] = ratio.fill("typo_bare", np.zeros(nid.size), look, w_form="bare")[look] >= floor[look]
    # a name written in an abjad compares by its consonants (MHMD BN SLMN ~ MOHAMED BIN SALMAN)
    look = np.flatnonzero(~passed & (q.abjad[nid] | w.abjad[wid]))
    if look.size:
        passed[look] = ratio.consonants(look) * ABJAD_FACTOR >= floor[look]
    keyed = q.keyed[nid] | w.keyed[wid]
    k_glue = _romanised_look(ratio, (keyed, differ), passed, (floor, glue_floor)) if keyed.any() else 0.0
    # the ratios the bounds skipped, of pairs a second look let through
    ratio.fill("sorted", s_sort, np.flatnonzero(passed & (sort_bound < floor)))
    ratio.glue(s_glue, np.flatnonzero(passed & glue & (glue_bound < glue_floor)))
    s_glue = np.where(differ, np.maximum(s_glue, k_glue), _spelt_alike(q, w, nid, wid))
    scored = pl.DataFrame({"nid": nid, "wid": wid, "s_sort": s_sort, "s_glue": s_glue})
    return scored.filter(passed)


def _spelt_alike(q: Facts, w: Facts, nid: np.ndarray, wid: np.ndarray) -> np.ndarray:
    """Return 1 for pairs whose glued forms with ordinals spelt out are equal, one spelt (1STBANK ~ FIRSTBANK)."""
    out = np.zeros(nid.size)
    look = np.flatnonzero(q.spelt[nid] | w.spelt[wid])
    if look.size:
        left, right = q.form("spelt_glued")[nid[look]], w.form("spelt_glued")[wid[look]]
        out[look] = left == right
    return out


def _part_shape(q: Facts, w: Facts, pair: Bounds, shared: np.ndarray, sought: np.ndarray) -> np.ndarray:
    """Return per pair of names whose token counts differ whether it has the shape of a name naming part of the other.

    A word each or more (a rare word carries a company's name: EUROBET LTD ~ EUROBET PARTNERS), :data:`PART_HELD`
    of the shorter name's letters ``shared`` with the other and of the longer's what :func:`part_needs` (inf where
    not bounded), the first letters of the name with fewer words all opening words of the other's but one (a
    subset's words match at 0.75; a typo may change one first letter: BUTIN ~ PUTIN; letters are counted, not
    words: BLADIMIR BUTIN lacks one, B), a one-word name's word as one.
    """
    nid, wid = pair
    count, lengths = (q.count[nid], w.count[wid]), (q.glued[nid], w.glued[wid])
    few = np.minimum(*count)
    shorter = np.minimum(*lengths)
    held = np.where(shorter > 0, shared / np.maximum(shorter, 1), np.inf)
    longer = np.where(shorter > 0, shared / np.maximum(np.maximum(*lengths), 1), np.inf)
    words = few >= 1
    part: np.ndarray = words & (held >= PART_HELD) & (longer >= part_needs(sought[nid]))
    fewer = np.where(count[0] < count[1], q.heads[nid] & ~w.heads[wid], w.heads[wid] & ~q.heads[nid])
    part &= np.where(few >= 2, fewer & (fewer - 1), fewer) == 0  # one first letter the other's lack at most
    return part


def _words_held(q: Facts, w: Facts, nid: np.ndarray, wid: np.ndarray) -> np.ndarray:
    """Return per pair whether the words of the name with fewer words are held by the other's (:mod:`.part_words`)."""
    by_q = q.count[nid] < w.count[wid]
    out = np.empty(nid.size, dtype=np.bool_)
    out[by_q] = part_words.held(q.word_table(), nid[by_q], w.word_table(), wid[by_q])
    out[~by_q] = part_words.held(w.word_table(), wid[~by_q], q.word_table(), nid[~by_q])
    return out


def part_needs(sought: np.ndarray) -> np.ndarray:
    """Return the least share of the longer name's letters a name naming part of it holds to score ``sought``."""
    return (sought - SUBSET_BASE) / SUBSET_SLOPE - PART_SLACK


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


def _sorted_words(names: np.ndarray, word: pl.Expr) -> np.ndarray:
    """Return names' words through ``word``, empty ones dropped, sorted and joined (object arrays in and out)."""
    words = pl.col("n").str.split(" ").list.eval(word.filter(word != "").sort())
    frame = pl.DataFrame({"n": names.tolist()}, schema={"n": pl.String()})
    return frame.select(words.list.join(" ")).to_series().to_numpy().astype(object)


def _abjad_words(sorted_names: np.ndarray, cores: np.ndarray, abjad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted forms' consonants as written, and as an abjad writes them where not ``abjad`` (from the cores).

    See :func:`.phonetic.foreign_consonants`: a name written in an abjad is read once, as written.
    """
    written = _sorted_words(sorted_names, consonants(pl.element()))
    read = np.where(abjad, written, _sorted_words(cores, foreign_consonants(pl.element())))
    return written, read.astype(object)


class _PairRatio:
    """String ratios of chosen pairs on one normal form of both names."""

    def __init__(self, q: Facts, w: Facts, nid: np.ndarray, wid: np.ndarray) -> None:
        """Hold both sides' names and the pairs' name ids."""
        self.q, self.w, self.nid, self.wid = q, w, nid, wid

    def _form(self, form: str, w_form: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return both sides' names on ``form`` (the list's on ``w_form`` where given) as object arrays by name id."""
        return self.q.form(form), self.w.form(w_form or form)

    def fill(
        self, form: str, out: np.ndarray, todo: np.ndarray, scorer: Scorer = fuzz.ratio, *, w_form: str | None = None
    ) -> np.ndarray:
        """Write ``scorer`` / 100 of the pairs ``todo`` on ``form`` (the list's: ``w_form``) into ``out``."""
        left, right = self._form(form, w_form)
        out[todo] = _gather_ratio(left[self.nid[todo]], right[self.wid[todo]], scorer)
        return out

    def glue(self, out: np.ndarray, todo: np.ndarray) -> np.ndarray:
        """Write the glued ratios of the pairs ``todo`` into ``out`` (the better with ordinals spelt out); return it."""
        self.fill("glued", out, todo)
        spelt = todo[self.q.spelt[self.nid[todo]] | self.w.spelt[self.wid[todo]]]
        if spelt.size:
            out[spelt] = np.maximum(out[spelt], self.fill("spelt_glued", np.zeros(out.size), spelt)[spelt])
        return out

    def consonants(self, todo: np.ndarray) -> np.ndarray:
        """Return the ratio of the pairs ``todo`` on the consonants of their sorted forms (see :func:`_abjad_words`)."""
        nid, wid = self.nid[todo], self.wid[todo]
        (left, right), (lcore, rcore) = self._form("sorted"), self._form("core")
        q = _abjad_words(left[nid], lcore[nid], self.q.abjad[nid])
        w = _abjad_words(right[wid], rcore[wid], self.w.abjad[wid])
        best: np.ndarray = np.maximum(_gather_ratio(q[0], w[0]), _gather_ratio(q[1], w[1]))
        return best

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
    keyed = words.with_columns(t=romanise.syllable_keys_of(words["t"], words["r"]))
    form = pl.col("t").str.join("") if glued else pl.col("t").sort().str.join(" ")
    joined = keyed.group_by("i", maintain_order=True).agg(form)
    return joined["t"].to_numpy().astype(object)
