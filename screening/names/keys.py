"""Blocking keys of normalised names, the same functions for list names and screened names.

Every key is a string with a one-letter prefix saying its kind, hashed to a 64-bit integer (but
leave-one-out keys, which hash a struct of their parts):

- token keys (:func:`token_keys`): ``P`` the phonetic key of a token and ``D`` the token and
  its one-letter deletions, for tokens of three to twenty letters (long
  single words such as CHANTRAPRAPAPORN ~ CHATARAPRAPAPORN too), both as skeleton and as
  spelt before the skeleton (a typo can change how the skeleton rewrites a token: DORITA ~ DORIA
  is DORITA ~ DORA in skeletons), and ``R`` the romanisation key of a token under a script
  (:func:`syllable_keys`: a list token under Korean, Chinese and Japanese, a screened token
  only under its name's);
- name keys (:func:`name_keys`): ``Q`` the pair of phonetic keys of two tokens (names made only
  of common words still block), ``E`` the whole glued skeleton, ``G``/``S`` its first and last
  five letters (spacing and word-end typos);
- near keys (:func:`near_keys`): ``F`` the sorted, glued spelling of a short name and each of its
  one-letter deletions (one typo anywhere in a name of common words, in any word order), and
  ``I`` an initial beside another token (M. HAMID ~ HAMID, Mustafa; the initial of a list token
  is its head, J for JOSEPH although its skeleton is OSEF), built for every ordered token pair of
  a list name but only from the initials of a screened name;
- leave-one-out keys (:func:`dropout_keys`): the phonetic keys of all tokens of a name but
  one, with the left-out token's head and length in names of two or three tokens (one token
  misspelt or changed, the others written alike or misspelt into the same phonetic key, such as
  a typo in a word too common to post: BARI ABDAUL ~ BAKI, Abdul), and the set of the name's
  consonant skeletons (:func:`consonant_set_keys`) in names of three or more, whole and but
  one (a whole set meets only a whole set): vowels written or not (محمد يونس أحمد: MHMD YWNS 'HMD
  ~ MUHAMMAD YUNIS AHMAD), a word repeated (AL-TIKRITI, Bashir … Al-Hasan ~ BASHAR … HASAN
  AL-TIKRITI), one word respelt in a name of up to eight (PAVLIUCHENKO, Dzmitry ~ PAULICHENKA,
  Dmitri), every word common;
- ``N`` character 4-grams of the glued skeleton (:func:`gram_keys`; typos anywhere).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.names import romanise
from screening.names.phonetic import consonants, phonetic

MAX_PAIR_TOKENS: Final = 6
MAX_SET_TOKENS: Final = 8
DELETION_LENGTHS: Final = (3, 20)
FUZZY_LENGTHS: Final = (4, 16)
MAX_DROPOUT_HEAD: Final = 3
DROPOUT_SEED: Final = 11
SET_SEED: Final = 13
# the letters an abjad writes a foreign name's V and P with, as the foreign name writes them (see :func:`abjad_keys`)
ABJAD_FOREIGN: Final[dict[str, str]] = {"F": "V", "B": "P"}
MIN_SET_LEFT: Final = 2  # a set of consonant skeletons says something from two on, a name from three


def _hashed(prefix: str, text: pl.Expr) -> pl.Expr:
    """Return the 64-bit key of ``text`` under a kind ``prefix``."""
    return (pl.lit(prefix) + text).hash(seed=7)


def token_frame(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, pos, tok, spelt, head) for every token of every name (``head``: its initial, see normalize)."""
    pos = pl.int_ranges(pl.col("tokens").list.len())
    return (
        norm.select("nid", tok=pl.col("tokens"), spelt=pl.col("spelt"), head=pl.col("heads"), pos=pos)
        .explode("tok", "spelt", "head", "pos")
        .drop_nulls("tok")
    )


def deletions(frame: pl.DataFrame, column: str, prefix: str) -> pl.DataFrame:
    """Return (other columns, key): ``column`` itself and each of its one-letter deletions, as ``prefix`` keys."""
    cut = frame.with_columns(i=pl.int_ranges(0, pl.col(column).str.len_bytes() + 1)).explode("i")
    head = pl.col(column).str.slice(0, pl.col("i"))
    tail = pl.col(column).str.slice(pl.col("i") + 1)
    return cut.select(pl.exclude(column, "i"), key=_hashed(prefix, head + tail))


def token_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (tok, key) phonetic keys and deletion keys of both spellings of tokens (tok, spelt)."""
    frame = tokens.select("tok", "spelt").unique()
    phon = frame.select("tok", key=_hashed("P", phonetic(pl.col("tok"))))
    words = pl.concat([frame.select("tok", word="tok"), frame.select("tok", word="spelt")]).unique()
    short = words.filter(pl.col("word").str.len_bytes().is_between(*DELETION_LENGTHS))
    return pl.concat([phon, deletions(short, "word", "D")]).unique()


def abjad_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (tok, key): the phonetic key of tokens of names written in an abjad, without V, and with a foreign lead.

    Such a script writes long vowels with the letters that fold to W and Y (الدوري: ALDWRY, skeleton
    ALDVRI), so its tokens also look for list tokens whose phonetic key lacks the V (DURI); and
    Arabic writes a foreign V with its F and a P with its B (فلاديمير بوتين: FLADIMIR BVTIN), so a
    token also looks with its foreign spelling (:func:`foreign`: VLADIMIR PTIN).
    """
    frame = tokens.select("tok").unique()
    keys = [
        frame.select("tok", key=_hashed("P", phonetic(spelling)))
        for spelling in (pl.col("tok").str.replace_all("V", ""), foreign(pl.col("tok")))
    ]
    return pl.concat(keys).unique(maintain_order=True)


def foreign(token: pl.Expr) -> pl.Expr:
    """Return a token of a name written in an abjad spelt as the foreign name it may write (BVTIN: PTIN, LAFRVF: LAVRV).

    A W (skeleton V) after the first letter writes a vowel and goes, then F and B are V and P.
    """
    return (token.str.slice(0, 1) + token.str.slice(1).str.replace_all("V", "")).str.replace_many(ABJAD_FOREIGN)


def syllable_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (tok, key): the romanisation key of tokens (tok, spelt, script) under their script (see :mod:`.romanise`).

    A list token, whose name may romanise any of these scripts, gets one key per script (``script``
    null); a query token of a Korean, Chinese or Japanese name gets its script's.
    """
    frame = tokens.select("tok", "spelt", "script").unique()
    every = pl.DataFrame({"every": list(romanise.KEYED)})
    listed = frame.filter(pl.col("script").is_null()).drop("script").join(every, how="cross")
    keyed = pl.concat([frame.drop_nulls("script"), listed.rename({"every": "script"})])
    keyed = keyed.with_columns(syllable=romanise.syllable_keys_of(keyed["spelt"], keyed["script"]))
    return keyed.select("tok", key=_hashed("R", pl.col("script").str.slice(0, 1) + pl.col("syllable")))


def phonetic_tokens(tokens: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, pos, ph, ch, lead, head, size, count) for tokens of names of two to eight tokens.

    ``ph`` is a token's phonetic key; ``ch`` the hash of its consonant skeleton (see :mod:`.phonetic`;
    40 bits, null where it has none) and ``lead`` that of the skeleton's first letter.
    """
    small = tokens.with_columns(count=pl.len().over("nid")).filter(pl.col("count").is_between(2, MAX_SET_TOKENS))
    # the keys once per distinct token, and only the columns the keys need
    cons = consonants(pl.col("tok"))
    keyed = (
        small.select("tok")
        .unique()
        .with_columns(
            ph=phonetic(pl.col("tok")),
            ch=pl.when(cons != "").then(cons.hash(seed=7) // (1 << 24)),
            lead=cons.str.slice(0, 1).hash(seed=7),
        )
    )
    size = pl.col("tok").str.len_bytes().cast(pl.Int64)
    return small.join(keyed, on="tok", how="left").select("nid", "pos", "ph", "ch", "lead", "head", "count", size=size)


def _pair_keys(phon: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) pair keys of names from their :func:`phonetic_tokens`."""
    small = phon.filter(pl.col("count") <= MAX_PAIR_TOKENS).select("nid", "pos", "ph")
    pairs = small.join(small, on="nid", suffix="_b").filter(pl.col("pos") < pl.col("pos_b"))
    key = pl.concat_str(pl.min_horizontal("ph", "ph_b"), pl.lit("|"), pl.max_horizontal("ph", "ph_b"))
    return pairs.select("nid", key=_hashed("Q", key))


def dropout_keys(phon: pl.DataFrame, *, listed: bool) -> pl.DataFrame:
    """Return (nid, key) leave-one-out keys of names from their :func:`phonetic_tokens`.

    One key per token: the phonetic keys of all the other tokens in any order, and while fewer than
    three tokens remain (a common word or two say little alone) the left-out token's head and
    length, which a screened name gives or takes one letter (BARI ABDAUL ~ BAKI, Abdul).
    """
    few = pl.col("count") <= MAX_DROPOUT_HEAD
    # order-free: the other tokens' phonetic hashes summed, 40 bits each so that six never overflow
    h = pl.col("ph").hash(seed=7) // (1 << 24)
    frame = phon.filter(pl.col("count") <= MAX_PAIR_TOKENS).select(
        "nid", rest=h.sum().over("nid") - h, head=pl.when(few).then("head"), size=pl.when(few).then("size")
    )
    if not listed:
        odd = frame.drop_nulls("size")
        frame = pl.concat([frame, odd.with_columns(size=pl.col("size") - 1), odd.with_columns(size=pl.col("size") + 1)])
    # a struct hashed rather than a prefixed string: several times faster, and as unlikely to collide
    dropout = frame.select("nid", key=pl.struct("rest", "head", "size").hash(seed=DROPOUT_SEED))
    return pl.concat([dropout, consonant_set_keys(phon)])


def consonant_set_keys(phon: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key): the set of a name's distinct consonant skeletons, and each set but one, where three or more.

    Whole sets meet whole sets and sets but one sets but one: a set held whole by one name and but
    one by another (a word more, IBRAHIM, Muhammad ~ BAZZI, Muhammad Ibrahim) says little of
    common words; where two skeletons are left, the left-out one's first consonant must agree too
    (AL-SHAMMARI, Muhammad and AL-HAMATI, Muhammad are two). Skeletons with no consonant (a vowel
    alone) are left out; names of two words have leave-one-out keys with a head and length already.
    """
    distinct = phon.filter(pl.col("count") > MIN_SET_LEFT).drop_nulls("ch").unique(["nid", "ch"])
    # order-free: the skeletons' hashes summed, 40 bits each so that eight never overflow
    frame = distinct.select("nid", "ch", "lead", total=pl.col("ch").sum().over("nid"), n=pl.len().over("nid"))
    frame = frame.filter(pl.col("n") > MIN_SET_LEFT)
    whole = frame.unique("nid").select("nid", rest="total", lead=pl.lit(0, pl.UInt64))
    # two skeletons left may both be common words: the left-out one's first consonant must agree too
    lead = pl.when(pl.col("n") <= MAX_DROPOUT_HEAD).then("lead").otherwise(pl.lit(1, pl.UInt64))
    partial = frame.select("nid", rest=pl.col("total") - pl.col("ch"), lead=lead)
    return pl.concat([whole, partial]).select("nid", key=pl.struct("rest", "lead").hash(seed=SET_SEED))


def _glued(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, glued): each name's glued skeleton, and the one with its ordinals spelt out where it differs."""
    spelt = norm.filter(pl.col("spelt_glued") != pl.col("glued")).select("nid", glued="spelt_glued")
    return pl.concat([norm.select("nid", "glued"), spelt])


def _edge_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) whole-glued, glued-prefix and glued-suffix keys (of both glued forms, :func:`_glued`)."""
    norm = _glued(norm)
    long = norm.filter(pl.col("glued").str.len_bytes() >= 5)
    return pl.concat(
        [
            norm.select("nid", key=_hashed("E", pl.col("glued"))),
            long.select("nid", key=_hashed("G", pl.col("glued").str.slice(0, 5))),
            long.select("nid", key=_hashed("S", pl.col("glued").str.slice(-5, 5))),
        ]
    )


def name_keys(norm: pl.DataFrame, phon: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for the name-level pair and edge keys of names and their :func:`phonetic_tokens`."""
    return pl.concat([_pair_keys(phon), _edge_keys(norm)])


def fuzzy_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for the sorted, glued spelling of short names and each of its one-letter deletions."""
    glued = norm.select("nid", word=pl.col("spelt").list.eval(pl.element().sort()).list.join(""))
    return deletions(glued.filter(pl.col("word").str.len_bytes().is_between(*FUZZY_LENGTHS)), "word", "F")


def initial_keys(tokens: pl.DataFrame, *, listed: bool) -> pl.DataFrame:
    """Return (nid, key) initial keys: the first letter of a token beside another token of two letters or more.

    List names get one per ordered pair of their (two to six) tokens; screened names only where a
    token is an initial, so the many list keys meet few query keys.
    """
    if listed:
        left = tokens.filter(pl.len().over("nid").is_between(2, MAX_PAIR_TOKENS))
    else:
        left = tokens.filter(pl.col("tok").str.len_bytes() == 1)
    right = tokens.filter(pl.col("tok").str.len_bytes() >= 2).select("nid", "pos", other="tok")
    pairs = left.join(right, on="nid", suffix="_b").filter(pl.col("pos") != pl.col("pos_b"))
    return pairs.select("nid", key=_hashed("I", pl.col("head") + "|" + pl.col("other")))


def near_keys(norm: pl.DataFrame, tokens: pl.DataFrame, *, listed: bool) -> pl.DataFrame:
    """Return (nid, key) near keys (one-deletion neighbours, initials) of names and their token frame.

    A key can repeat for a name (ANNA loses either N to ANA): near keys count once per pair anyway.
    """
    return pl.concat([fuzzy_keys(norm), initial_keys(tokens, listed=listed)])


def gram_keys(norm: pl.DataFrame) -> pl.DataFrame:
    """Return distinct (nid, key) for every character 4-gram of the glued skeleton."""
    return every_gram_key(norm).unique()


def every_gram_key(norm: pl.DataFrame) -> pl.DataFrame:
    """Return (nid, key) for every character 4-gram of the glued skeleton (both forms), a gram spelt twice twice."""
    return (
        _glued(norm)
        .select("nid", "glued", pos=pl.int_ranges(0, pl.col("glued").str.len_bytes().cast(pl.Int64) - 3))
        .explode("pos")
        .drop_nulls("pos")
        .select("nid", key=_hashed("N", pl.col("glued").str.slice(pl.col("pos"), 4)))
    )
