"""Stage two of scoring: token alignment of the pairs that passed the prefilter, in array arithmetic.

The tokens of each pair are aligned on the pair's grid of token pairs; a token matched both ways
is not reused by another token. It measures how much of each name the other covers, weighting
tokens by length and rarity, words like legal-form ones (LIITED) at ``FORM_WEIGHT`` and
legal-form words the other name lacks at ``FORM_GONE``; so does a query word left unmatched that the list
name's legal form misspelt may be (:mod:`.form_typos`: KALA LIMTIDE ~ KALA LIMITED). A word spelt as
two neighbouring words of the other name joined (RAHNEGAR ~ RAH NEGAR, MOHAMMADREZA ~ MOHAMMAD REZA)
covers both, and is covered, at ``JOIN_SIM``. A query naming part of a list name (each of its words
matching one of the list name's at ``SUBSET_TOKEN`` or better) scores at least ``SUBSET_BASE``
(:mod:`.common_words` takes that back where its words are all common ones); a query adding words to a
list name does not, but where the list name is a person's (:func:`person_added`, applied by the
matcher, which knows the list side's entities); nor do initials naming some of another name's
initials (T.S. ~ T.S.A.).
Penalties (:mod:`.penalties`) and qualifiers are applied later by the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Final, NamedTuple

import numpy as np
import polars as pl

from screening.names import form_typos
from screening.names.lookup import Sorted
from screening.names.marks import FORM, LIKE, WORD
from screening.names.penalties import APART_SIM, BROTHER_SIM, CHAIN_LINKS
from screening.names.token_sims import INITIAL_SIM, bulk_ratio, token_sims, tokens

FORM_WEIGHT: Final = 0.2
GLUE_FACTOR: Final = 0.98
SUBSET_BASE: Final = 0.8
SUBSET_SLOPE: Final = 0.15
SUBSET_TOKEN: Final = 0.75  # every query word of a "part of a list name" query must match one of its words
COVERED: Final = 0.95  # the coverage of a side whose every word the other name holds
# the least base of a query naming a listed organisation in full: the same words at most spaced another way
# (the glue rule's best) or a legal form aside
IN_FULL: Final = GLUE_FACTOR
IN_FULL_NOTE: Final = "another listed organisation named in full"
PATRONYMIC_GONE: Final = 0.1  # weight of a patronymic the other name lacks
FORM_GONE: Final = 0.02  # weight of a legal-form word the other name lacks (its form is compared apart)
FORM_MATCHED: Final = 0.8
JOIN_SIM: Final = 0.9  # a word spelling two of the other name's joined: a spacing difference
JOIN_PART: Final = 2  # letters each joined word needs at least (two initials joined are no word)


def _starts(keys: pl.Series, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the first row and the row count of each key in rows sorted by key."""
    count = np.bincount(keys.to_numpy(), minlength=size)
    return np.cumsum(count) - count, count


@dataclass(frozen=True)
class Side:
    """One side's tokens (:func:`.token_sims.tokens`) in name and token order, and each name's first row and count.

    ``spelt`` holds each token's spelling length and ``joined`` the length of its spelling joined
    to the next token's in its name (-1 for a name's last token, or where a word is shorter than
    ``JOIN_PART``): what word joins (:func:`_joins`) read. ``family_first`` tells by name whether
    it is written family name first (``AL-FAY, Idris Ali``: a comma), as chain shifts read it;
    ``formed`` the class bits of its legal forms (:func:`.form_typos.legal_bits`; list names only) and
    ``readable`` the classes its edge words may be read as a form misspelt of (:func:`.form_typos.read_bits`; queries).
    """

    tokens: pl.DataFrame
    start: np.ndarray
    count: np.ndarray
    spelt: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    family_first: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    formed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    readable: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


# the commas that put a family name first: the Latin, the Arabic (U+060C) and the full-width (U+FF0C)
FAMILY_COMMAS: Final = ",\u060c\uff0c"


def family_first(raw: pl.Expr) -> pl.Expr:
    """Return whether names are written family name first, before a comma (``AL-FAY, Idris Ali``)."""
    return raw.str.contains(f"[{FAMILY_COMMAS}]")


def written_family_first(raw: str) -> bool:
    """Return whether one name is written family name first, as :func:`family_first` reads it."""
    return any(comma in raw for comma in FAMILY_COMMAS)


def side(norm: pl.DataFrame, key: str, used: pl.Series, weights: pl.DataFrame | Sorted, *, query: bool = False) -> Side:
    """Return the tokens of the names ``used`` by ``key``: a query's, or a list's made once for all its names."""
    toks = tokens(norm, key, used, weights)
    start, count = _starts(toks[key], int(used.to_numpy().max(initial=0)) + 1)
    keys, spelt = toks[key].to_numpy(), toks["s"].str.len_bytes().cast(pl.Int32).to_numpy()
    # the next token belongs to the same name, and both words are long enough to be words
    nxt = np.append((keys[1:] == keys[:-1]) & (spelt[1:] >= JOIN_PART) & (spelt[:-1] >= JOIN_PART), False)
    joined = np.where(nxt, spelt + np.append(spelt[1:], 0), -1).astype(np.int32)
    # query cores carry the flag (names with and without a comma are aligned apart), list names their raw form
    comma = np.zeros(start.size, dtype=bool)
    if "comma" in norm.columns or "raw" in norm.columns:
        flag = pl.col("comma") if "comma" in norm.columns else family_first(pl.col("raw"))
        first = norm.select(key, flag).filter(pl.col(key) < start.size)
        comma[first[key].to_numpy()] = first.to_series(1).to_numpy()
    formed, readable = np.zeros(start.size, dtype=np.int64), np.zeros(start.size, dtype=np.int64)
    if query:
        read = norm.select(key, form_typos.read_column(norm.columns)).filter(pl.col(key) < start.size)
        readable[read[key].to_numpy()] = read.to_series(1).to_numpy()
    elif "legal" in norm.columns:
        legal = norm.select(key, form_typos.legal_bits(pl.col("legal"))).filter(pl.col(key) < start.size)
        formed[legal[key].to_numpy()] = legal.to_series(1).to_numpy()
    return Side(toks, start, count, spelt, joined, comma, formed, readable)


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


def _grid(pairs: pl.DataFrame, q: Side, w: Side) -> _Grid:
    """Return the token grid of the pairs, from both sides' tokens in name and token order."""
    nid, wid = pairs["nid"].to_numpy(), pairs["wid"].to_numpy()
    (qstart, qcount), (wstart, wcount) = (q.start, q.count), (w.start, w.count)
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


def _exclusive(sim: np.ndarray, grid: _Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return which cells are usable, each query token's best cell and each list token's (the first of the best).

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
    return mutual | ~taken, best_w, best_q


def _form_factor(best: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Return the weight factor of tokens from their mark: a legal-form word the other name lacks weighs nothing."""
    unmatched = np.where(best >= FORM_MATCHED, FORM_WEIGHT, FORM_GONE)
    return np.where(marks == FORM, unmatched, np.where(marks == LIKE, FORM_WEIGHT, 1.0))


def _coverage(
    best: np.ndarray,
    tokens: pl.DataFrame,
    counts: np.ndarray,
    tag: str,
    *,
    misspelt: np.ndarray | None = None,
    lettered: np.ndarray | None = None,
) -> pl.DataFrame:
    """Return per pair one side's weighted coverage, word count, least sim, forms gone and whether its words are common.

    The coverage is the rarity- and length-weighted mean of the side's best sims; the least sim
    leaves legal-form words aside, the forms gone count legal-form words the other name lacks, and
    ``common`` says every word but the legal-form ones is a common one (:func:`.token_sims.rarity`).

    ``best`` holds each token run's best usable sim, ``tokens`` the tokens of the runs,
    ``counts`` how many runs each pair has and ``misspelt`` which runs read as a legal-form word
    of the pair's other name misspelt (:func:`_misspelt_forms`): marked FORM where left unmatched, and
    counted as ``typo_`` (``gone_`` counts the legal-form words the name holds spelt as one). ``worded_`` is the
    least sim of the runs ``lettered`` leaves out (an initial, or a word best matched by one: J ~ JOHN).
    """
    marks = tokens["m"].to_numpy()
    gone_runs = (marks == FORM) & (best < FORM_MATCHED)  # counted apart from words read as a form misspelt
    read = np.zeros(best.size, dtype=bool) if misspelt is None else misspelt & (best < FORM_MATCHED)
    marks = np.where(read, FORM, marks)
    patronymic_gone = tokens["p"].to_numpy() & (best < FORM_MATCHED)
    length = tokens["l"].to_numpy() * _form_factor(best, marks) * np.where(patronymic_gone, PATRONYMIC_GONE, 1.0)
    starts = np.cumsum(counts) - counts
    low = np.minimum.reduceat(np.where(marks != FORM, best, np.inf), starts)
    letter = np.zeros(best.size, dtype=bool) if lettered is None else lettered
    worded = np.minimum.reduceat(np.where((marks != FORM) & ~letter, best, np.inf), starts)
    gone, typos = np.add.reduceat(gone_runs, starts), np.add.reduceat(read, starts)
    common = np.logical_and.reduceat((marks == FORM) | tokens["c"].to_numpy(), starts)
    return pl.DataFrame(
        {
            f"cov_{tag}": np.add.reduceat(best * length, starts) / np.add.reduceat(length, starts),
            f"n_{tag}": pl.Series(counts, dtype=pl.UInt32),
            f"low_{tag}": np.where(np.isinf(low), 1.0, low),
            f"worded_{tag}": np.where(np.isinf(worded), 1.0, worded),
            f"gone_{tag}": pl.Series(gone, dtype=pl.UInt32),
            f"common_{tag}": common,
            f"typo_{tag}": pl.Series(typos, dtype=pl.UInt32),
        }
    )


def _misspelt_forms(
    q: Side, qrow: np.ndarray, by_pair: tuple[np.ndarray, np.ndarray], counts: np.ndarray
) -> np.ndarray:
    """Return per query token run (tokens ``qrow``) whether it may be its pair's list name's legal form misspelt.

    ``by_pair`` holds the pairs' query name ids and the class bits of their list names' legal forms, ``counts``
    the runs of each pair; only a query's first or last word may be one, of the classes it reads (``Side.readable``).
    """
    nid, formed = (np.repeat(x, counts) for x in by_pair)
    formed = formed & q.readable[nid]
    at = qrow - q.start[nid]
    edge = (at == 0) | (at == q.count[nid] - 1)
    todo = np.flatnonzero((formed != 0) & edge & (q.tokens["m"].to_numpy()[qrow] != FORM))
    out = np.zeros(qrow.size, dtype=bool)
    if todo.size:
        bits = form_typos.class_bits(q.tokens["s"].gather(qrow[todo]))
        out[todo] = (bits & formed[todo]) != 0
    return out


def _reordered(best: np.ndarray, j: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return per pair whether well-matched query tokens map to list tokens out of order."""
    runs = np.repeat(np.arange(counts.size), counts)
    good = np.flatnonzero(best >= 0.8)
    back = (runs[good][1:] == runs[good][:-1]) & (j[good][1:] < j[good][:-1])
    out = np.zeros(counts.size, dtype=bool)
    out[runs[good][1:][back]] = True
    return out


Runs = tuple[pl.DataFrame, np.ndarray]  # one side's token runs in name order, and their count by pair


def _chain_shifted(best: np.ndarray, partner: np.ndarray, runs: Runs, other: Runs, comma: np.ndarray) -> np.ndarray:
    """Return per pair whether one side's unmatched given name stands right before the other name's chain.

    Runs are one side's tokens in name order with their count by pair (``other``: the other
    side's): whether each is ``matched`` and the position of its best token in the other name
    (``partner``). An unmatched word U followed by two words H, H' that
    match two neighbours of the other name is a given name in front of the shared chain (a son,
    SA'D SABAWI IBRAHIM ~ SABAWI IBRAHIM; a father read from the other side; a brother where the
    other name has its own word there), unless the word before U matches a word before H's
    partner: then the chain runs on across U (a middle name dropped or spelt apart). Initials,
    articles, link words, the word after one of them (the family name of AL-TIKRITI) are
    never U, nor the first word of a name written family name first (``comma`` by pair); H is no
    article or link word. Where the other name has words before the chain (a brother), U must be
    unlike every word of it (best sim below ``BROTHER_SIM``) and unlike them with the words of
    either side joined (:func:`_glued_sims`, below ``APART_SIM``): a given name spelt another way
    (YOUSSEF ~ YUSUF 0.72) or spelt apart (ABDULAZIZ ~ ABD AL-AZIZ, 0.92 to ABDALAZIZ; ABDUL RAHMAN
    ~ ABDELRAHMAN) is the same person.
    """
    (toks, counts), matched = runs, best >= INITIAL_SIM
    starts = np.cumsum(counts) - counts
    pair = np.repeat(np.arange(counts.size), counts)
    pos = np.arange(pair.size) - starts[pair]
    words = toks["t"]
    small = ((words.str.len_bytes() == 1) | words.is_in(sorted(CHAIN_LINKS))).to_numpy()
    after_small = np.append(False, small[:-1]) & (pos > 0)
    exempt = small | after_small | (comma[pair] & (pos == 0))
    u = np.flatnonzero(~matched & ~exempt & (pos + 2 < counts[pair]))
    h, h2, before = u + 1, u + 2, np.maximum(u - 1, 0)
    chain = matched[h] & ~small[h] & matched[h2] & (partner[h2] == partner[h] + 1)
    runs_on = (pos[u] > 0) & matched[before] & (partner[before] < partner[h])
    shifted = chain & ~runs_on
    # a brother's given name is told only where the other name has words before the chain
    ahead = shifted & (partner[h] > 0)
    alike = np.zeros(u.size, dtype=bool)
    alike[ahead] = best[u[ahead]] >= BROTHER_SIM
    glued = np.flatnonzero(ahead & ~alike)
    if glued.size:
        at = pair[u[glued]]
        own = (toks, starts[at], pos[u[glued]] + 1)
        theirs = (other[0], (np.cumsum(other[1]) - other[1])[at], partner[h[glued]])
        alike[glued] = _glued_sims(own, theirs) >= APART_SIM
    out = np.zeros(counts.size, dtype=bool)
    out[pair[u[shifted & ~alike]]] = True
    return out


def _lettered(toks: pl.DataFrame, counts: np.ndarray) -> np.ndarray:
    """Return per pair whether one side's name is single letters only (initials: T S A)."""
    starts = np.cumsum(counts) - counts
    lettered: np.ndarray = np.logical_and.reduceat((toks["s"].str.len_bytes() == 1).to_numpy(), starts)
    return lettered


def _joins_ending(toks: pl.DataFrame, start: np.ndarray, size: np.ndarray) -> pl.DataFrame:
    """Return (c, t, s, n): for each run c of ``size`` words from ``start``, its n last words joined, for each n."""
    join_of = np.repeat(np.arange(size.size), size)
    first = np.arange(join_of.size) - np.repeat(np.cumsum(size) - size, size)
    length = size[join_of] - first
    word = (
        np.repeat(start[join_of] + first, length)
        + np.arange(length.sum())
        - np.repeat(np.cumsum(length) - length, length)
    )
    joined = toks.select("t", "s")[word].with_columns(join=np.repeat(np.arange(join_of.size), length))
    out: pl.DataFrame = joined.group_by("join", maintain_order=True).agg(
        pl.col("t").str.join(""), pl.col("s").str.join("")
    )
    return out.with_columns(c=join_of, n=length).drop("join")


Words = tuple[pl.DataFrame, np.ndarray, np.ndarray]  # tokens, and by run its first token and its count


def _glued_sims(runs: Words, other: Words) -> np.ndarray:
    """Return each given name's best edit sim, alone or joined to the words before it, with the other's given names.

    Each side is (tokens, first word, word count) by given name: its name's words up to the given
    name, and the other name's words before the chain. Words joined from any of them to the last
    (ABD AL-AZIZ: ABDALAZIZ, ALAZIZ, AZIZ) are compared, a side's two words or more joined at least
    (one word with one is the token sim's), skeletons and spellings (the better), as
    :func:`.token_sims.token_sims` compares words; 0 where no side has two words.
    """
    left, right = _joins_ending(*runs), _joins_ending(*other)
    pairs = left.join(right, on="c", suffix="_o", maintain_order="left").filter((pl.col("n") > 1) | (pl.col("n_o") > 1))
    sims = np.maximum(bulk_ratio(pairs["t"], pairs["t_o"]).to_numpy(), bulk_ratio(pairs["s"], pairs["s_o"]).to_numpy())
    best = np.zeros(runs[1].size)
    np.maximum.at(best, pairs["c"].to_numpy(), sims)
    return best


def _formed(toks: pl.DataFrame, counts: np.ndarray) -> np.ndarray:
    """Return per pair whether one side's name holds a legal-form word (an organisation: no chain of given names)."""
    starts = np.cumsum(counts) - counts
    formed: np.ndarray = np.logical_or.reduceat(toks["m"].to_numpy() != WORD, starts)
    return formed


def _spelt_joined(whole: Side, wrow: np.ndarray, parts: Side, prow: np.ndarray) -> np.ndarray:
    """Return the cells whose ``whole`` token is spelt as their ``parts`` token and the next one joined."""
    # lengths first: only the few cells whose lengths add up compare their spellings
    todo = np.flatnonzero(whole.spelt[wrow] == parts.joined[prow])
    if todo.size == 0:
        return todo
    spelt = parts.tokens["s"]
    joined = spelt.gather(prow[todo]) + spelt.gather(prow[todo] + 1)
    same: np.ndarray = todo[(whole.tokens["s"].gather(wrow[todo]) == joined).to_numpy()]
    return same


def _joins(grid: _Grid, q: Side, w: Side, best_q: np.ndarray, best_w: np.ndarray) -> None:
    """Raise to ``JOIN_SIM`` the best sims of tokens spelt as two neighbours of the other name joined, and theirs."""
    cells = grid.nq * grid.nw
    base = np.cumsum(cells) - cells
    qbase, wbase = np.cumsum(grid.nq) - grid.nq, np.cumsum(grid.nw) - grid.nw

    def runs(at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the query and list token runs (pair, token) of cells: the next token's run is the next run."""
        pair = np.searchsorted(base, at, side="right") - 1
        return qbase[pair] + (at - base[pair]) // grid.nw[pair], wbase[pair] + grid.iw[at]

    qrun, wrun = runs(_spelt_joined(q, grid.qrow, w, grid.wrow))
    for best, run in ((best_q, qrun), (best_w, wrun), (best_w, wrun + 1)):
        np.maximum.at(best, run, JOIN_SIM)
    qrun, wrun = runs(_spelt_joined(w, grid.wrow, q, grid.qrow))
    for best, run in ((best_w, wrun), (best_q, qrun), (best_q, qrun + 1)):
        np.maximum.at(best, run, JOIN_SIM)


def _best_usable(sim: np.ndarray, usable: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Return each run's greatest usable sim, 0 when none is usable."""
    best = np.maximum.reduceat(np.where(usable, sim, -np.inf), starts)
    return np.where(np.isinf(best), 0.0, best)


def align(pairs: pl.DataFrame, q: pl.DataFrame, w: pl.DataFrame | Side, weights: pl.DataFrame | Sorted) -> pl.DataFrame:
    """Add token-alignment features and the name score ``base`` to prefiltered pairs (``w``: names or a list's Side)."""
    pairs = pairs.with_row_index("pid")
    if pairs.is_empty():
        return _coverage_empty(pairs)
    qside = side(q, "nid", pairs["nid"].unique(), weights, query=True)
    wside = w if isinstance(w, Side) else side(w, "wid", pairs["wid"].unique(), weights)
    grid = _grid(pairs, qside, wside)
    qt, wt = qside.tokens, wside.tokens
    if grid.pairs.size == 0:
        return _coverage_empty(pairs)
    sim = token_sims(grid.qrow, grid.wrow, qt, wt)
    usable, best_w, best_qcell = _exclusive(sim, grid)
    best_q = _best_usable(sim, usable, grid.qseg)
    best_wside = _best_usable(sim[grid.wperm], usable[grid.wperm], grid.wseg)
    _joins(grid, qside, wside, best_q, best_wside)
    qruns, wruns = qt[grid.qrow[grid.qseg]], wt[grid.wrow[grid.wperm[grid.wseg]]]
    kept = pairs[grid.pairs]
    formed = wside.formed[kept["wid"].to_numpy()] if wside.formed.size else np.zeros(grid.pairs.size, dtype=np.int64)
    misspelt = _misspelt_forms(qside, grid.qrow[grid.qseg], (kept["nid"].to_numpy(), formed), grid.nq)
    # a word matched at its best by a single letter is an initial's word (J ~ JOHN): no word of its own misspelt
    letter_q, letter_w = qside.spelt[grid.qrow] == 1, wside.spelt[grid.wrow] == 1
    by_letter_q = letter_q[grid.qseg] | letter_w[best_w]
    by_letter_w = letter_w[grid.wperm[grid.wseg]] | letter_q[best_qcell]
    cov_q = _coverage(best_q, qruns, grid.nq, "q", misspelt=misspelt, lettered=by_letter_q)
    cov_w = _coverage(best_wside, wruns, grid.nw, "w", lettered=by_letter_w)
    # word order is told from the query's side only
    reordered = _reordered(best_q, grid.iw[best_w], grid.nq)
    cells = grid.nq * grid.nw
    pair_of = np.repeat(np.arange(cells.size), grid.nw)
    to_q = (best_qcell - (np.cumsum(cells) - cells)[pair_of]) // grid.nw[pair_of]
    qcomma, wcomma = qside.family_first[kept["nid"].to_numpy()], wside.family_first[kept["wid"].to_numpy()]
    qside_runs, wside_runs = (qruns, grid.nq), (wruns, grid.nw)
    shifted = _chain_shifted(best_q, grid.iw[best_w], qside_runs, wside_runs, qcomma) | _chain_shifted(
        best_wside, to_q, wside_runs, qside_runs, wcomma
    )
    shifted &= ~(_formed(qruns, grid.nq) | _formed(wruns, grid.nw))
    initials = _lettered(qruns, grid.nq) & _lettered(wruns, grid.nw)
    feats = pl.concat([kept, cov_q, cov_w], how="horizontal").with_columns(
        reordered_q=reordered, chain_shifted=shifted, initials=initials
    )
    return feats.with_columns(base=base_score())


def _coverage_empty(pairs: pl.DataFrame) -> pl.DataFrame:
    """Return no pairs, with the columns :func:`align` adds."""
    columns = {
        **{f"{c}_{t}": pl.Float64() for c in ("cov", "low", "worded") for t in ("q", "w")},
        **{f"{c}_{t}": pl.UInt32() for c in ("n", "gone", "typo") for t in ("q", "w")},
        **{f"common_{t}": pl.Boolean() for t in ("q", "w")},
        "reordered_q": pl.Boolean(),
        "chain_shifted": pl.Boolean(),
        "initials": pl.Boolean(),
    }
    empty = pl.concat([pairs.clear(), pl.DataFrame(schema=columns)], how="horizontal")
    return empty.with_columns(base=base_score())


@cache  # the expression is built once: building it costs more than running it on a few pairs
def base_score(*, lifted: bool = True) -> pl.Expr:
    """Return the name score from coverage, subset (unless not ``lifted``) and glue features."""
    cov_max = pl.max_horizontal("cov_q", "cov_w")
    cov_min = pl.min_horizontal("cov_q", "cov_w")
    # a query naming part of a list name (no middle name, one of two surnames) keeps a high score;
    # a query adding words to a list name is another name more often (Crystal Pioneer Logistics)
    subset = part_shape()
    mean = (cov_max + cov_min) / 2
    raised = pl.when(subset).then(pl.max_horizontal(mean, SUBSET_BASE + SUBSET_SLOPE * cov_min)).otherwise(mean)
    return pl.max_horizontal(raised if lifted else mean, _glue())


def part_shape() -> pl.Expr:
    """Return whether a pair's query names part of its list name, as the subset rule reads it.

    Not initials naming some of other initials (T.S. is not T.S.A.).
    """
    shape = (pl.min_horizontal("n_q", "n_w") >= 2) & (pl.col("cov_q") >= COVERED) & (pl.col("low_q") >= SUBSET_TOKEN)
    return shape & ~pl.col("initials")


def _glue() -> pl.Expr:
    """Return the glue score of a pair: a spacing difference, or an ordinal spelt another way (``s_glue``, else 0).

    The prefilter gives ``s_glue`` to pairs counting other numbers of words, and to pairs of as many words
    whose glued forms with ordinals spelt out are equal (1STBANK ~ FIRSTBANK); to no other pair.
    """
    return pl.col("s_glue") * GLUE_FACTOR


@cache  # the expression is built once: building it costs more than running it on a few pairs
def named_in_full() -> pl.Expr:
    """Return the base of a pair where its query names another listed organisation in full (:mod:`.in_full`).

    Such a query is that organisation, neither a part of another listed organisation's name (a branch,
    a sub-unit: BANK SEPAH ~ BANK SEPAH INTERNATIONAL PLC), which the subset rule then does not raise, nor
    another's name with words added (its parent: PETROCHEMICAL COMMERCIAL COMPANY (U.K.) LIMITED ~
    PETROCHEMICAL COMMERCIAL COMPANY), which scores by its lesser coverage or its glue. A pair of
    ``IN_FULL`` or more and an acronym's pair keep their base.
    """
    added = (pl.col("n_q") > pl.col("n_w")) & (pl.col("cov_w") >= COVERED) & (pl.col("low_w") >= SUBSET_TOKEN)
    lesser = pl.max_horizontal(pl.min_horizontal("cov_q", "cov_w"), _glue())
    scored = pl.min_horizontal(pl.when(added).then(lesser).otherwise(base_score(lifted=False)), "base")
    return pl.when(~pl.col("acronym") & (pl.col("base") < IN_FULL)).then(scored).otherwise("base")


@cache  # the expression is built once: building it costs more than running it on a few pairs
def person_added() -> pl.Expr:
    """Return the name score where a query adds words to a listed person's name (``w_person``): as a part of it.

    A listed person's aliases add given names (KATRANGI, Maher Hachem ~ KATRANGI, Maher); a company
    adding words is another company as often as not (a bureau of a ministry), so only people's names
    of three words or more (LEI, Zhang names thousands), matched in their written order (BAZZI,
    Muhammad Ibrahim is not IBRAHIM, Muhammad), and only a query not written in an abjad
    (``q_abjad``: one family's names differ in words its vowels do not show); never a given name added
    in front of the listed name's chain (``chain_shifted``: a son, AHMED MUHAMMAD ALI HASSAN).
    """
    added = pl.col("n_q").cast(pl.Int64) - pl.col("n_w").cast(pl.Int64)
    covered = (pl.col("n_w") >= 3) & (pl.col("cov_w") >= COVERED) & (pl.col("low_w") >= SUBSET_TOKEN)
    latin = ~pl.col("q_abjad")
    rule = pl.col("w_person") & latin & covered & (added > 0) & ~pl.col("reordered_q") & ~pl.col("chain_shifted")
    raised = SUBSET_BASE + SUBSET_SLOPE * pl.min_horizontal("cov_q", "cov_w")
    return pl.when(rule).then(pl.max_horizontal("base", raised)).otherwise("base")
