"""Token similarities: the tokens of names with their weights, and the similarity of token pairs.

Per-token edit similarity (optimal string alignment, a typo costing ``TYPO_COST`` of an edit; the
better of skeleton and spelling, as the skeleton can turn one typo into two; where a side is
Korean, Chinese or Japanese, also of romanisation keys, see :mod:`.romanise`; where a side is
written in an abjad, of consonants), initials (matched on the head of a word, J. for JOSEPH) and
phonetic equality, each distinct token pair scored once.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.names import romanise, script
from screening.names.lookup import Sorted, hashed
from screening.names.parallel import workers
from screening.names.phonetic import abjad_reading, consonants, phonetic

INITIAL_SIM: Final = 0.75
PHONETIC_SIM: Final = 0.85
PHONETIC_FLOOR: Final = 0.6
TYPO_FLOOR: Final = 0.6
TYPO_COST: Final = 0.7
ABJAD_FACTOR: Final = 0.95  # consonants alike are a little less than letters alike
SYLLABLE_FACTOR: Final = 0.95  # romanisation keys alike, likewise
# the words a Latin name needs to be read as a foreign name written in Arabic (a V as ف F, a P as ب B): a word
# alone has no other word to agree with it, and reads a native Arabic name wrongly (VERES ~ فارس FARIS)
FOREIGN_WORDS: Final = 2
FOREIGN_SCRIPT: Final = script.ARABIC  # Hebrew writes P and F with one letter (פ, folded P): only Arabic writes P as B
PATRONYMIC_END: Final = r"^[A-Z]{3,}(?:OVICH|EVICH|OVYCH|EVYCH|OVNA|EVNA|ICHNA|OGLU|OGLY|KYZY|QIZI)$"
# a word this many listed entities hold is a common one (ALI, HASAN, IBRAHIM, ISLAMIC, AZIZ on the SDN list;
# not RIHS, SBERBANK or VTB, whose dozens of names are the aliases of a few entities)
COMMON_ENTITIES: Final = 30


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
        left.to_list(), right.to_list(), scorer=OSA.normalized_similarity, workers=workers(left.len()), dtype=np.float64
    )
    return pl.Series(values=np.where(osa >= TYPO_FLOOR, 1.0 - TYPO_COST * (1.0 - osa), osa), dtype=pl.Float64)


def _weights(toks: pl.DataFrame, weights: pl.DataFrame | Sorted) -> pl.DataFrame:
    """Return (t, rarity) of the distinct tokens ``t`` of ``toks`` that ``weights`` holds (a list's sorted by hash)."""
    if isinstance(weights, pl.DataFrame):
        return weights
    found = weights.join(toks.select("t").unique().with_columns(hashed("t")), on="th", suffix="_w")
    return found.filter(pl.col("t") == pl.col("t_w")).select("t", "rarity", "common")


@cache  # expressions are built once per kind of side: building them costs more than running them on a few names
def _token_exprs(key: str, script: bool, legal: bool) -> tuple[list[pl.Expr], pl.Expr, list[pl.Expr]]:
    """Return the steps of :func:`tokens` for names keyed by ``key`` (with a ``script``, ``legal`` column or not)."""
    columns = [
        pl.col(key),
        pl.col("tokens").alias("t"),
        pl.col("spelt").alias("s"),
        pl.col("heads").alias("h"),
        pl.col("marks").alias("m"),
        pl.int_ranges(pl.col("tokens").list.len()).alias("n"),
        pl.col("abjad").alias("a"),
        _foreign(script).alias("f"),
        (pl.when(pl.col("script").is_in(romanise.KEYED)).then(pl.col("script")) if script else pl.lit(None, pl.String))
        .alias("r"),
        # query cores stand for names with and without a legal form: only list names say they are companies
        (pl.col("legal").list.len() > 0 if legal else pl.lit(value=False)).alias("company"),
    ]  # fmt: skip
    # letters in a run are an abbreviation (A.W.A.; V.P. in a listed company's name), not initials (J. R. SMITH)
    single = pl.col("t").str.len_bytes() == 1
    near = {d: (single.shift(d) & (pl.col(key).shift(d) == pl.col(key))).fill_null(value=False) for d in (-2, -1, 1, 2)}
    three = (near[1] & near[2]) | (near[-1] & near[1]) | (near[-1] & near[-2])
    run = three | (pl.col("company") & (near[1] | near[-1]))
    letters = pl.when(single & run).then(pl.col("t") + ".").otherwise("t").alias("t")
    length = pl.col("t").str.len_bytes() * pl.col("rarity").fill_null(1.0)
    # one id per distinct (token, spelling): the head is the spelling's, so equal ids score alike
    tid = pl.struct("t", "s", "a", "r", "f").rank("dense").cast(pl.UInt64)
    # a patronymic after the first word (PUTIN, Vladimir VLADIMIROVICH) is often left out of a name as written
    patronymic = pl.col("s").str.contains(PATRONYMIC_END) & (pl.col("n") > 0)
    kept = [
        *map(pl.col, (key, "t", "s", "h", "m", "a", "r", "f")),
        length.alias("l"),
        tid.alias("tid"),
        patronymic.alias("p"),
        pl.col("common").fill_null(value=False).alias("c"),
    ]
    return columns, letters, kept


def _foreign(script: bool) -> pl.Expr:
    """Return whether a name takes part in the foreign reading (:func:`_abjad_sims`), from its side's view.

    A name written in the Arabic script (not Hebrew, whose letters it reads alike) and a Latin name of
    ``FOREIGN_WORDS`` words or more.
    """
    arabic = pl.col("script") == FOREIGN_SCRIPT if script else pl.lit(value=False)
    return pl.when(pl.col("abjad")).then(arabic).otherwise(pl.col("spelt").list.len() >= FOREIGN_WORDS)


def tokens(norm: pl.DataFrame, key: str, used: pl.Series, weights: pl.DataFrame | Sorted) -> pl.DataFrame:
    """Return the tokens of the names ``used``, in name and token order, with their length times their rarity."""
    columns, letters, kept = _token_exprs(key, "script" in norm.columns, "legal" in norm.columns)
    toks = norm.join(used.to_frame(key), on=key, how="semi").select(columns)
    toks = toks.explode("t", "s", "h", "m", "n").drop_nulls("t").sort(key, "n").with_columns(letters)
    toks = toks.join(_weights(toks, weights), on="t", how="left", maintain_order="left")
    return toks.select(kept)


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


@cache
def _sound_exprs(tq: str, tw: str) -> tuple[pl.Expr, pl.Expr]:
    """Return whether token pairs may sound alike, and whether their phonetic keys are equal."""
    return _may_sound_alike(pl.col(tq), pl.col(tw)), phonetic(pl.col(tq)) == phonetic(pl.col(tw))


def _sounds(frame: pl.DataFrame, tq: str, tw: str) -> np.ndarray:
    """Return whether token pairs sound alike: alike enough, with equal phonetic keys (computed only for those)."""
    may, same = _sound_exprs(tq, tw)
    maybe = np.flatnonzero(frame.select(may).to_series().to_numpy())
    out = np.zeros(frame.height, dtype=bool)
    if maybe.size:
        out[maybe] = frame[maybe].select(same).to_series().to_numpy()
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


@cache
def _sim_expr() -> pl.Expr:
    """Return the sim of distinct token pairs (``tq``, ``tw``, heads ``hq``, ``hw``) from ``base`` and ``sounds``."""
    # an initial stands for a word with its head (J. for JOSEPH, whose skeleton OSEF starts otherwise)
    initial = ((pl.col("tq") == pl.col("hw")) | (pl.col("tw") == pl.col("hq"))) & (
        pl.min_horizontal(pl.col("tq").str.len_bytes(), pl.col("tw").str.len_bytes()) == 1
    )
    sim = _pair_sims(pl.col("tq"), pl.col("tw"))
    return pl.when(initial).then(pl.max_horizontal(sim, INITIAL_SIM)).otherwise(sim)


def token_sims(qrow: np.ndarray, wrow: np.ndarray, qt: pl.DataFrame, wt: pl.DataFrame) -> np.ndarray:
    """Return the sim of every cell of a token grid (its query and list token rows), once per distinct token pair."""
    qtid, wtid = qt["tid"].to_numpy()[qrow], wt["tid"].to_numpy()[wrow]
    pair_key = qtid * np.uint64(int(wt["tid"].max() or 0) + 1) + wtid  # type: ignore[arg-type]
    first, inverse = _distinct(pair_key)
    cols = ("t", "s", "h", "a", "r", "f")
    q, w = qt.select(cols)[qrow[first]], wt.select(cols)[wrow[first]]
    distinct = pl.DataFrame({"tq": q["t"], "sq": q["s"], "hq": q["h"], "tw": w["t"], "sw": w["s"], "hw": w["h"]})
    # the skeleton can make one typo two (SNACHI ~ SANCHI is SNACI ~ SANCI): the spelling counts too
    spelt = bulk_ratio(distinct["sq"], distinct["sw"]).to_numpy()
    distinct = distinct.with_columns(base=np.maximum(bulk_ratio(distinct["tq"], distinct["tw"]).to_numpy(), spelt))
    distinct = distinct.with_columns(sounds=_sounds(distinct, "tq", "tw"))
    sims = distinct.select(_sim_expr()).to_series()
    foreign = (q["f"] & w["f"]).to_numpy()
    abjad = _abjad_sims(distinct, q["a"].to_numpy(), w["a"].to_numpy(), foreign)
    out: np.ndarray = np.maximum(sims.to_numpy(), abjad)
    out = np.maximum(out, _syllable_sims(distinct, q["r"].fill_null(w["r"])))
    cells: np.ndarray = out[inverse.reshape(-1)]
    return cells


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a row of each distinct key (keys sorted) and each row's distinct key number.

    Any row of a key stands for it (equal token ids score alike), so no stable sort is needed to find the first.
    """
    distinct, inverse = np.unique(keys, return_inverse=True)
    some = np.empty(distinct.size, dtype=np.int64)
    some[inverse] = np.arange(keys.size)
    return some, inverse


def _syllable_sims(distinct: pl.DataFrame, script: pl.Series) -> np.ndarray:
    """Return the similarity of token pairs' romanisation keys where a side is Korean, Chinese or Japanese, else 0.

    Both tokens are keyed as that script romanises (:mod:`.romanise`); short keys count as short
    tokens do (squared), and keys alike count a little less than letters alike.
    """
    out = np.zeros(distinct.height)
    todo = np.flatnonzero(script.is_not_null().to_numpy())
    if todo.size:
        part = distinct[todo].with_columns(r=script.gather(todo))
        keyed = romanise.syllable_keys_of
        keys = pl.DataFrame({"q": keyed(part["sq"], part["r"]), "w": keyed(part["sw"], part["r"])})
        ratio = bulk_ratio(keys["q"], keys["w"]).to_numpy()
        short = keys.select(pl.max_horizontal(pl.all().str.len_bytes()) <= 4).to_series().to_numpy()
        out[todo] = np.where(short, ratio**2, ratio) * SYLLABLE_FACTOR
    return out


def _abjad_sims(distinct: pl.DataFrame, qa: np.ndarray, wa: np.ndarray, foreign: np.ndarray) -> np.ndarray:
    """Return the consonant similarity of token pairs with a side written in an abjad (flags ``qa``, ``wa``), else 0.

    Both sides' consonants as written, and where both names take part in the foreign reading
    (``foreign``, see :func:`_foreign`) the Latin side's also as Arabic writes them
    (:func:`.phonetic.foreign_consonants`): the better of the two readings counts.
    """
    out = np.zeros(distinct.height)
    todo = np.flatnonzero(qa | wa)
    if todo.size:
        part = distinct[todo].with_columns(qa=qa[todo], wa=wa[todo], f=foreign[todo])
        cons = part.select(
            q=consonants(pl.col("tq")),
            w=consonants(pl.col("tw")),
            fq=abjad_reading(pl.col("tq"), pl.col("sq"), ~pl.col("qa") & pl.col("f")),
            fw=abjad_reading(pl.col("tw"), pl.col("sw"), ~pl.col("wa") & pl.col("f")),
        )
        # a token of vowels alone (an Arabic AL, written A) keeps its letters
        kept = cons.select(
            pl.when(pl.col(c) == "").then(part[t]).otherwise(c).alias(c)
            for c, t in (("q", "tq"), ("w", "tw"), ("fq", "tq"), ("fw", "tw"))
        )
        best = np.maximum(bulk_ratio(kept["q"], kept["w"]).to_numpy(), bulk_ratio(kept["fq"], kept["fw"]).to_numpy())
        out[todo] = best * ABJAD_FACTOR
    return out


def rarity(norm: pl.DataFrame, owners: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return (t, rarity, common) of list names' tokens: weights by the names holding them, common by entities.

    The weight is 1 for rare tokens, down to 0.25; a token is common where ``COMMON_ENTITIES``
    entities or more hold it, ``owners`` giving each name's (``wid``) entities (each name its own without).
    """
    n = max(norm.height, 2)
    words = norm.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("wid"), t=pl.col("tokens").list.unique())
    words = words.explode("t")
    counts = words.group_by("t").len()
    if owners is not None:
        held = words.join(owners.select("wid", "entity_id"), on="wid").group_by("t").agg(pl.col("entity_id").n_unique())
        counts = counts.join(held, on="t", how="left").with_columns(pl.col("entity_id").fill_null(0))
    else:
        counts = counts.with_columns(entity_id=pl.col("len"))
    weight = (1.0 - (pl.col("len") + 1).log() / math.log(n)).clip(0.25, 1.0)
    return counts.select("t", rarity=weight, common=pl.col("entity_id") >= COMMON_ENTITIES)
