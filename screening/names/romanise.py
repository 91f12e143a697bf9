"""Keys that make the romanisations of one Korean, Chinese or Japanese syllable equal.

``anyascii`` writes Hangul in Revised Romanization (김정은: GIM JEONG EUN), Han in Hanyu Pinyin
(蒋经国: JIANG JING GUO) and kana in a Hepburn of its own (しんぞう: SHINZOU); lists write
McCune–Reischauer and popular forms (KIM Jong Un, PARK, LEE, RI, CHOE), Wade–Giles (CHIANG
Ching-kuo, HSU, TSAI) and Hepburn without long vowels (SHINZO). A key folds what these systems
disagree on, so that both tokens of a pair, one of them from a name written in that script, are
compared on their keys (see :mod:`.token_sims`). Keys apply to upper-case ASCII tokens as spelt
(before the skeleton, which rewrites J and Y).
"""

from __future__ import annotations

from typing import Final

import polars as pl

KEYED: Final = ("Korean", "Chinese", "Japanese")
_VOWEL: Final = "AEIOUWY"
# Korean, in this order: vowels (EO, EU, O and U are one; MR writes ŏ and ŭ as O and U, popular forms OO),
_KO_VOWELS: Final[dict[str, str]] = {
    "EO": "U",
    "EU": "U",
    "OO": "U",
    "OU": "U",
    "OE": "UE",
    "OI": "UE",
    "O": "U",
    "EE": "I",
    "AE": "E",
    "AI": "E",
}
# then consonants (plain, tense and aspirated stops are one: K/G, T/D, P/B, CH/J; R and L are one)
_KO_CONSONANTS: Final[dict[str, str]] = {
    "TCH": "J",
    "CH": "J",
    "TH": "D",
    "PH": "B",
    "KH": "G",
    "SH": "S",
    "K": "G",
    "T": "D",
    "P": "B",
    "R": "L",
}
_ZH: Final[dict[str, str]] = {
    "TZU": "ZI",
    "SSU": "SI",
    "SZU": "SI",
    "HS": "X",
    "ZH": "J",
    "CH": "J",
    "Q": "J",
    "TS": "Z",
    "TZ": "Z",
    "C": "Z",
    "P": "B",
    "T": "D",
    "K": "G",
}
_ZH_FINALS: Final[dict[str, str]] = {"ONG": "UNG", "YOU": "YU", "UEI": "UI", "UO": "O"}
_JA: Final[dict[str, str]] = {
    "SH": "S",
    "CH": "T",
    "TS": "T",
    "DZ": "Z",
    "F": "H",
    "J": "Z",
    "OU": "O",
    "OO": "O",
    "UU": "U",
    "MB": "NB",
    "MP": "NP",
}
_DOUBLES: Final[dict[str, str]] = {ch * 2: ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def korean(token: pl.Expr) -> pl.Expr:
    """Return the key of a romanised Korean syllable (GIM, KIM: GIM; LEE, YI, RI, I: I; PARK, BAG: BAG)."""
    # R stands only before a vowel (PARK's R writes a long A), RH is R; H after a vowel and before none is silent (AHN)
    plain = token.str.replace_all("RH", "R").str.replace_all(f"R([^{_VOWEL}]|$)", "${1}")
    plain = plain.str.replace_all(f"([AEIOU])H([^{_VOWEL}]|$)", "${1}${2}")
    folded = plain.str.replace_many(_KO_VOWELS, leftmost=True).str.replace_many(_KO_CONSONANTS, leftmost=True)
    # the South drops an initial L or R before I or Y (LEE, RI, I; RYU, YU) and writes N before another vowel
    # (ROH, NO); YI is I and WOO is U
    south = folded.str.replace(r"^L([IY])", "${1}").str.replace(r"^L([AEU])", "N${1}")
    return south.str.replace("^YI", "I").str.replace("^WU", "U").str.replace_many(_DOUBLES, leftmost=True)


def chinese(token: pl.Expr) -> pl.Expr:
    """Return the key of a romanised Chinese syllable, Pinyin and Wade–Giles alike (ZHOU, CHOU: JOU; XU, HSU: XU)."""
    # Wade–Giles -IH, -EH, -ERH and -IEN (CHIH, HSIEH, ERH, TIEN) are Pinyin -I, -E, -ER and -IAN
    ends = token.str.replace(r"([IE])H$", "${1}").str.replace(r"ERH$", "ER").str.replace(r"([IY])AN$", "${1}EN")
    # Wade–Giles KO, K'O, HO are Pinyin GE, KE, HE (Pinyin has no GO: GUO stays apart), and I is YI
    ends = ends.str.replace(r"^([GKH])O$", "${1}E").str.replace("^YI$", "I").str.replace_many(_ZH_FINALS, leftmost=True)
    return ends.str.replace_many(_ZH, leftmost=True).str.replace_many(_DOUBLES, leftmost=True)


def japanese(token: pl.Expr) -> pl.Expr:
    """Return the key of a romanised Japanese word, Hepburn variants alike (SHINZOU, SHINZO, SINZO: SINZO)."""
    # anyascii reads a small kana apart (きょう: KIYOU, Hepburn KYOU) and a small tsu as T (がっこう: GATKOU)
    small = token.str.replace_all("([KGNHBPMR])IY([AOU])", "${1}Y${2}")
    small = small.str.replace_all("(SH|CH|J)IY([AOU])", "${1}${2}")
    small = small.str.replace_all("T([BCDFGHJKLMNPQRSTVWXZ])", "${1}")
    # a long O written OH before a consonant or at the end (OHNO, SATOH)
    long = small.str.replace_all(f"OH([^{_VOWEL}]|$)", "O${1}")
    return long.str.replace_many(_JA, leftmost=True).str.replace_many(_DOUBLES, leftmost=True)


def syllable_key(token: pl.Expr, script: pl.Expr) -> pl.Expr:
    """Return the key of ``token`` under ``script`` (Korean, Chinese, Japanese), the token itself otherwise."""
    return (
        pl.when(script == "Korean")
        .then(korean(token))
        .when(script == "Chinese")
        .then(chinese(token))
        .when(script == "Japanese")
        .then(japanese(token))
        .otherwise(token)
    )


def syllable_keys_of(tokens: pl.Series, scripts: pl.Series) -> pl.Series:
    """Return :func:`syllable_key` of each token under its script, each distinct pair keyed once by its script's rules.

    A ``when`` chain evaluates every script's rewrites on every row; this runs each script's on its own tokens.
    """
    frame = pl.DataFrame({"t": tokens.cast(pl.String), "r": scripts.cast(pl.String)})
    distinct = frame.unique()
    rules = {"Korean": korean, "Chinese": chinese, "Japanese": japanese}
    parts = [distinct.filter(pl.col("r") == name).with_columns(k=rule(pl.col("t"))) for name, rule in rules.items()]
    other = distinct.filter((~pl.col("r").is_in(KEYED)).fill_null(value=True)).with_columns(k="t")
    table = pl.concat([*parts, other])
    keyed = frame.join(table, on=["t", "r"], how="left", nulls_equal=True, maintain_order="left")
    return keyed["k"].alias(tokens.name)
