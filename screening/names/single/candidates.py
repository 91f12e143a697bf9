"""The candidate list names of one query name in plain Python: :func:`.blocking.candidates` of a batch of one.

The same keys (:mod:`.keys`), weights and blocking score as the batch path, looked up by binary
search in the index's sorted key tables and summed per list name in a dict: no polars query per
stage, only one call hashing the query's key strings (polars' own string hash, so keys equal the
list's) and one hashing its leave-one-out structs. Tokens and postings of the list are read
through integer codes built once per index (:func:`view`). The romanisation keys of a Korean,
Chinese or Japanese name's tokens are :func:`.keys.syllable_keys`' texts, made in plain Python
(:func:`.single.romanise.syllable_key`) and hashed with the other keys.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names import blocking, romanise
from screening.names import keys as k
from screening.names.index import NameIndex
from screening.names.lookup import Sorted
from screening.names.match import PER_QUERY
from screening.names.single.romanise import syllable_key
from screening.names.single.text import consonants, phonetic_key

_U64: Final = np.uint64
_SHIFT: Final = _U64(1 << 24)
# float32 factors compared as the batch path's float32 columns are (the values as Python floats, exactly)
_LEAST: Final = float(np.float32(blocking.CLOSE_MIN * blocking.CLOSE_TOKEN))
_ROMAN: Final = float(np.float32(blocking.CLOSE_TOKEN))
_FOREIGN: Final = str.maketrans(k.ABJAD_FOREIGN)


@dataclass(frozen=True)
class View:
    """Plain arrays of one index's blocking tables, built once: token codes, postings by token, common tokens."""

    vocab: list[str]  # distinct posted list tokens, sorted: a token's code is its place here
    token_code: np.ndarray  # the code of each row of ``keys.tokens`` (by key)
    token_df: np.ndarray  # how many list names hold each row's token
    post_start: np.ndarray  # postings of token code c: rows post_start[c]:post_start[c + 1]
    post_wid: np.ndarray
    post_w: np.ndarray
    common: frozenset[str]  # list tokens too common to post
    gram_keys: np.ndarray  # the 4-gram key of each rank, rarest first
    # the columns of the sorted key tables, as arrays (no copy)
    gram_rank: np.ndarray
    names_wid: np.ndarray
    names_w: np.ndarray
    near_wid: np.ndarray
    near_w: np.ndarray
    key_w: np.ndarray
    nbytes: int  # memory of the arrays and strings, for the benchmark


_VIEWS: dict[int, tuple[weakref.ref[NameIndex], View]] = {}
_LOCK: Final = threading.Lock()


def _build(index: NameIndex) -> View:
    """Return the plain view of an index's token tables."""
    table = index.keys
    posted = table.postings.frame.select("tok", "wid", "w")
    vocab = posted["tok"].unique().sort()
    code = vocab.search_sorted(posted["tok"]).cast(pl.Int64).to_numpy()
    order = np.argsort(code, kind="stable")
    start = np.searchsorted(code[order], np.arange(vocab.len() + 1))
    token_code = vocab.search_sorted(table.tokens.rest["tok"]).cast(pl.Int64).to_numpy()
    words = vocab.to_list()
    view = View(
        vocab=words,
        token_code=token_code,
        token_df=table.tokens.rest["df"].cast(pl.Int64).to_numpy(),
        post_start=start,
        post_wid=posted["wid"].to_numpy()[order],
        post_w=posted["w"].to_numpy()[order],
        common=frozenset(table.common["tok"].to_list()),
        gram_keys=table.gram_rank["key"].to_numpy(),
        gram_rank=table.gram_ranks.rest["rank"].to_numpy(),
        names_wid=table.names.rest["wid"].to_numpy(),
        names_w=table.names.rest["w"].to_numpy(),
        near_wid=table.near.rest["wid"].to_numpy(),
        near_w=table.near.rest["w"].to_numpy(),
        key_w=table.key_w.rest["w"].to_numpy(),
        nbytes=0,
    )
    size = sum(a.nbytes for a in (token_code, view.token_df, start, view.post_wid, view.post_w, view.gram_keys))
    size += sum(len(w) + 49 for w in words) + sum(len(w) + 49 for w in view.common)
    return View(**{**view.__dict__, "nbytes": size})


def view(index: NameIndex) -> View:
    """Return the plain view of an index, built on first use and kept while the index lives."""
    found = _VIEWS.get(id(index))
    if found is not None and found[0]() is index:
        return found[1]
    with _LOCK:
        found = _VIEWS.get(id(index))
        if found is not None and found[0]() is index:
            return found[1]
        built = _build(index)
        key = id(index)
        _VIEWS[key] = (weakref.ref(index, lambda _: _VIEWS.pop(key, None)), built)
        return built


def _hash(texts: list[str]) -> np.ndarray:
    """Return the 64-bit keys of strings, as the batch path hashes them."""
    return _column_hash(pl.Series(texts, dtype=pl.String), 7)


def _struct_hash(frame: pl.DataFrame, seed: int) -> np.ndarray:
    """Return the 64-bit key of each row of a frame, as the batch path's ``pl.struct(*columns).hash(seed)``."""
    return _column_hash(frame.to_struct(), seed)


def _column_hash(column: pl.Series, seed: int) -> np.ndarray:
    """Return ``column.hash(seed)`` as an array, computed eagerly."""
    # a one-column frame's row hash is its column's hash (tests/names/test_single_candidates.py checks
    # it); Series.hash goes through the lazy engine, a collect per call
    return column.to_frame().hash_rows(seed=seed).to_numpy()


def _lookup(table: Sorted, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (position in ``keys``, table row) of every match of ``keys`` in a sorted table."""
    if not keys.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return table.rows(keys.astype(_U64))


def _deletions(word: str) -> list[str]:
    """Return each one-letter deletion of a word and the word itself, as :func:`.keys.deletions` orders them."""
    return [word[:i] + word[i + 1 :] for i in range(len(word) + 1)]


class _Keys:
    """The key strings of one query name, hashed together in one call."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.groups: dict[str, tuple[int, int]] = {}

    def add(self, group: str, texts: Iterable[str]) -> None:
        """Add a group of key strings (in order, repeats kept)."""
        start = len(self.texts)
        self.texts.extend(texts)
        self.groups[group] = (start, len(self.texts))

    def hashed(self) -> dict[str, np.ndarray]:
        """Return the 64-bit keys of each group."""
        every = _hash(self.texts) if self.texts else np.zeros(0, dtype=_U64)
        return {group: every[a:b] for group, (a, b) in self.groups.items()}


def _token_words(tokens: list[str], spelt: list[str], common: frozenset[str]) -> dict[str, list[str]]:
    """Return each distinct non-common query token's phonetic and deletion key texts (as :func:`.keys.token_keys`)."""
    words: dict[str, set[str]] = defaultdict(set)
    for tok, word in zip(tokens, spelt, strict=True):
        if tok not in common:
            words[tok].update(w for w in (tok, word) if k.DELETION_LENGTHS[0] <= len(w) <= k.DELETION_LENGTHS[1])
    return {
        tok: ["P" + phonetic_key(tok), *sorted({"D" + d for w in found for d in _deletions(w)})]
        for tok, found in words.items()
    }


def _name_texts(form: dict[str, object], keys: _Keys) -> None:
    """Add the pair, edge, 4-gram, fuzzy and initial key texts of a name."""
    tokens, spelt, heads = _list(form, "tokens"), _list(form, "spelt"), _list(form, "heads")
    glued = [str(form["glued"]), str(form["spelt_glued"])]
    glued = glued[:1] if glued[0] == glued[1] else glued  # both forms where the ordinals spelt out differ
    phs = [phonetic_key(t) for t in tokens] if 2 <= len(tokens) <= k.MAX_PAIR_TOKENS else []
    pairs = [min(a, b) + "|" + max(a, b) for i, a in enumerate(phs) for b in phs[i + 1 :]]
    edges = [c + e for g in glued for c, e in zip("EGS", [g, *([g[:5], g[-5:]] if len(g) >= 5 else [])], strict=False)]
    keys.add("names", [*("Q" + p for p in pairs), *edges])
    keys.add("grams", ["N" + g[p : p + 4] for g in glued for p in range(len(g) - 3)])
    word = "".join(sorted(spelt))
    fuzzy = _deletions(word) if k.FUZZY_LENGTHS[0] <= len(word) <= k.FUZZY_LENGTHS[1] else []
    initials = [
        "I" + heads[i] + "|" + other
        for i, tok in enumerate(tokens)
        if len(tok) == 1
        for j, other in enumerate(tokens)
        if j != i and len(other) >= 2
    ]
    keys.add("near", [*("F" + f for f in fuzzy), *initials])


def _list(form: dict[str, object], key: str) -> list[str]:
    """Return a list column of a normal form."""
    value = form[key]
    assert isinstance(value, list)
    return value


def _phon_texts(tokens: list[str], keys: _Keys) -> None:
    """Add the texts hashed for leave-one-out keys: phonetic keys, consonant skeletons and their first letters."""
    count = len(tokens)
    small = tokens if 2 <= count <= k.MAX_PAIR_TOKENS else []
    keys.add("ph", [phonetic_key(t) for t in small])
    sets = tokens if k.MIN_SET_LEFT < count <= k.MAX_SET_TOKENS else []
    cons = [c for c in (consonants(t) for t in sets) if c]
    keys.add("cons", cons)
    keys.add("lead", [c[:1] for c in cons])


def _dropout_keys(tokens: list[str], heads: list[str], hashed: dict[str, np.ndarray]) -> np.ndarray:
    """Return the leave-one-out keys of a query name, as :func:`.keys.dropout_keys` (listed=False)."""
    h = hashed["ph"] // _SHIFT
    if not h.size:
        return np.zeros(0, dtype=_U64)
    few = len(tokens) <= k.MAX_DROPOUT_HEAD
    rest = [int(v) for v in (h.sum(dtype=_U64) - h)]
    rows = [(r, heads[i] if few else None, len(tokens[i]) if few else None) for i, r in enumerate(rest)]
    rows += [(r, hd, s + d) for d in (-1, 1) for r, hd, s in rows if s is not None]
    frame = pl.DataFrame(rows, schema={"rest": pl.UInt64, "head": pl.String, "size": pl.Int64}, orient="row")
    return _struct_hash(frame, k.DROPOUT_SEED)


def _set_keys(hashed: dict[str, np.ndarray]) -> np.ndarray:
    """Return the consonant-set keys of a query name, as :func:`.keys.consonant_set_keys`."""
    found: dict[int, int] = {}
    for ch, lead in zip((hashed["cons"] // _SHIFT).tolist(), hashed["lead"].tolist(), strict=True):
        found.setdefault(ch, lead)
    if len(found) <= k.MIN_SET_LEFT:
        return np.zeros(0, dtype=_U64)
    total = sum(found) % (1 << 64)
    few = len(found) <= k.MAX_DROPOUT_HEAD
    rows = [(total, 0)] + [((total - ch) % (1 << 64), lead if few else 1) for ch, lead in found.items()]
    frame = pl.DataFrame(rows, schema={"rest": pl.UInt64, "lead": pl.UInt64}, orient="row")
    return _struct_hash(frame, k.SET_SEED)


def _rare_grams(grams: np.ndarray, index: NameIndex, plain: View) -> np.ndarray:
    """Return the keys of the two rarest list-known 4-grams of the query name."""
    _, rows = _lookup(index.keys.gram_ranks, grams)
    ranks = np.unique(plain.gram_rank[rows])[: blocking.GRAMS_KEPT]
    return plain.gram_keys[ranks.astype(np.int64)]


def _romanised(form: dict[str, object], common: frozenset[str], keys: _Keys) -> list[str]:
    """Add the romanisation key texts of a Korean, Chinese or Japanese name's tokens; return each one's token.

    The texts are :func:`.keys.syllable_keys`' (``R``, the script's initial, the syllable key of the
    spelling), made by :func:`.single.romanise.syllable_key`; none for other scripts.
    """
    written = str(form["script"])
    spelt = zip(_list(form, "tokens"), _list(form, "spelt"), strict=True)
    pairs = dict.fromkeys((t, s) for t, s in spelt if t not in common) if written in romanise.KEYED else {}
    keys.add("roman", ["R" + written[:1] + syllable_key(s, written) for _, s in pairs])
    return [t for t, _ in pairs]


def _close(
    owners: list[str],
    keys: np.ndarray,
    roman: tuple[list[str], np.ndarray],
    index: NameIndex,
    plain: View,
    *,
    abjad: bool = False,
) -> dict[str, list[tuple[int, float, int]]]:
    """Return, per query token, (code, f, df) of the list tokens equal or close to it, as ``blocking._close_tokens``.

    ``owners`` names the query token each of the token ``keys`` belongs to; ``roman`` holds the
    romanisation keys of a Korean, Chinese or Japanese name's tokens, whose list tokens are close at least
    ``CLOSE_TOKEN``; a token of a name written in an abjad is as close as its foreign spelling at least.
    """
    at, rows = _lookup(index.keys.tokens, keys)
    codes, dfs = plain.token_code[rows].tolist(), plain.token_df[rows].tolist()
    pairs = list(dict.fromkeys(zip([owners[a] for a in at.tolist()], codes, dfs, strict=True)))
    sims = _similar([tok for tok, _, _ in pairs], [plain.vocab[code] for _, code, _ in pairs])
    if abjad:
        led = [i for i, (tok, _, _) in enumerate(pairs) if "F" in tok or "B" in tok or "V" in tok[1:]]
        foreign = _similar([_foreign(pairs[i][0]) for i in led], [plain.vocab[pairs[i][1]] for i in led])
        sims[led] = np.maximum(sims[led], foreign)
    found = {(tok, code): (df, f) for (tok, code, df), f in zip(pairs, sims.tolist(), strict=True)}
    at, rows = _lookup(index.keys.tokens, roman[1])
    for a, r in zip(at.tolist(), rows.tolist(), strict=True):
        tok, code, df = roman[0][a], int(plain.token_code[r]), int(plain.token_df[r])
        found[(tok, code)] = (df, max(found.get((tok, code), (df, _ROMAN))[1], _ROMAN))
    by_tok: dict[str, list[tuple[float, int, str, int]]] = defaultdict(list)
    for (tok, code), (df, near) in found.items():
        other = plain.vocab[code]
        f = 1.0 if tok == other else near
        if f >= _LEAST:
            by_tok[tok].append((-f, df, other, code))
    return {tok: _reach(sorted(rows), index.keys.max_df) for tok, rows in by_tok.items()}


def _foreign(token: str) -> str:
    """Return a token of an abjad name spelt as the foreign name it may write (as :func:`.keys.foreign`)."""
    return (token[:1] + token[1:].replace("V", "")).translate(_FOREIGN)


def _similar(tokens: list[str], others: list[str]) -> np.ndarray:
    """Return the close-token factors of token pairs, in float32 as the batch path computes them."""
    if not tokens:
        return np.zeros(0, dtype=np.float32)
    sims = process.cpdist(tokens, others, scorer=fuzz.ratio).astype(np.float32)
    # polars divides a float32 column by a scalar as a product with its reciprocal
    return sims * np.float32(1 / 100) * np.float32(blocking.CLOSE_TOKEN)


def _reach(ordered: list[tuple[float, int, str, int]], max_df: int) -> list[tuple[int, float, int]]:
    """Return (code, f, df) of the closest list tokens until they reach ``max_df`` names (equal tokens always)."""
    kept, reach = [], 0
    for neg_f, df, _, code in ordered:
        reach += df
        if neg_f == -1.0 or reach <= max_df // blocking.CLOSE_SHARE:
            kept.append((code, -neg_f, df))
    return kept


def _token_texts(form: dict[str, object], plain: View, keys: _Keys) -> list[str]:
    """Add the token key texts of a query name's tokens and return the token each belongs to."""
    words = _token_words(_list(form, "tokens"), _list(form, "spelt"), plain.common)
    pairs = [(tok, text) for tok, found in words.items() for text in found]
    if form["abjad"]:
        pairs += [(tok, "P" + phonetic_key(tok.replace("V", ""))) for tok in words]
        pairs += [(tok, "P" + phonetic_key(_foreign(tok))) for tok in words]
    keys.add("tokens", [text for _, text in pairs])
    return [tok for tok, _ in pairs]


def _query_self(
    name_keys: np.ndarray,
    near: np.ndarray,
    close: dict[str, list[tuple[int, float, int]]],
    index: NameIndex,
    plain: View,
) -> np.float32:
    """Return the query name's own weight: its list-known keys, its rarest near key and its best close tokens."""
    _, rows = _lookup(index.keys.key_w, name_keys)
    parts = [float(w) for w in plain.key_w[rows]]
    _, near_rows = _lookup(index.keys.key_w, near)
    if near_rows.size:
        parts.append(float(plain.key_w[near_rows].max()))
    max_df = index.keys.max_df
    for found in close.values():
        best = max(f * math.log(1.0 + max_df / df) for _, f, df in found)
        parts.append(float(np.float32(best)))
    return np.float32(math.fsum(parts))


def _token_hits(
    tokens: list[str], close: dict[str, list[tuple[int, float, int]]], plain: View
) -> tuple[np.ndarray, np.ndarray]:
    """Return (wid, w) of the postings of list tokens close to each distinct query token, weighed by closeness."""
    wids, ws = [], []
    for tok in dict.fromkeys(tokens):
        for code, f, _ in close.get(tok, ()):
            a, b = plain.post_start[code], plain.post_start[code + 1]
            wids.append(plain.post_wid[a:b])
            ws.append(plain.post_w[a:b] * np.float32(f))
    if not wids:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32)
    return np.concatenate(wids), np.concatenate(ws)


def _shared(
    name_keys: np.ndarray, near: np.ndarray, token_hits: tuple[np.ndarray, np.ndarray], index: NameIndex, plain: View
) -> tuple[np.ndarray, np.ndarray]:
    """Return (wids, shared weight) of the list names sharing evidence with the query name (near keys: the most)."""
    _, rows = _lookup(index.keys.names, name_keys)
    _, near_rows = _lookup(index.keys.near, near)
    near_wid, near_w = plain.near_wid[near_rows], plain.near_w[near_rows]
    order = np.lexsort((-near_w, near_wid))
    first = np.ones(order.size, dtype=bool)
    first[1:] = near_wid[order][1:] != near_wid[order][:-1]
    wid = np.concatenate([plain.names_wid[rows], token_hits[0], near_wid[order][first]]).astype(np.int64)
    w = np.concatenate([plain.names_w[rows], token_hits[1], near_w[order][first]]).astype(np.float64)
    wids, at = np.unique(wid, return_inverse=True)
    return wids, np.bincount(at, weights=w, minlength=wids.size)


def _best(wids: np.ndarray, shared: np.ndarray, qself: np.float32, qlen: int, index: NameIndex) -> list[int]:
    """Return the ``PER_QUERY`` list names of highest blocking score, at least ``MIN_SCORE`` (as ``candidates``)."""
    ql, wl = np.float32(qlen), index.keys.wlen[wids]
    length = np.minimum(ql, wl) / np.maximum(np.maximum(ql, wl), np.float32(1.0))
    score = shared / (qself + index.keys.wself[wids]).astype(np.float64) * length.astype(np.float64)
    kept = score >= blocking.MIN_SCORE
    wids, score = wids[kept], score[kept]
    if wids.size > PER_QUERY:
        ranked = score - wids.astype(np.float64) * 1e-12
        wids = wids[np.argsort(-ranked, kind="stable")[:PER_QUERY]]
    return sorted(int(w) for w in wids)


def candidate_wids(form: dict[str, object], index: NameIndex) -> list[int]:
    """Return the wids (ascending) the batch path blocks for one name (``blocking.candidates`` in ``_aligned``)."""
    plain = view(index)
    tokens, heads = _list(form, "tokens"), _list(form, "heads")
    keys = _Keys()
    _name_texts(form, keys)
    _phon_texts(tokens, keys)
    owners = _token_texts(form, plain, keys)
    roman = _romanised(form, plain.common, keys)
    hashed = keys.hashed()
    name_keys = np.concatenate([hashed["names"], _rare_grams(hashed["grams"], index, plain)])
    close = _close(owners, hashed["tokens"], (roman, hashed["roman"]), index, plain, abjad=bool(form["abjad"]))
    qself = _query_self(name_keys, hashed["near"], close, index, plain)
    near = np.concatenate([hashed["near"], _dropout_keys(tokens, heads, hashed), _set_keys(hashed)])
    wids, shared = _shared(name_keys, near, _token_hits(tokens, close, plain), index, plain)
    return _best(wids, shared, qself, len(str(form["sorted"])), index)
