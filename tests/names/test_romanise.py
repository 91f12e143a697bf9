"""Romanisation keys of Korean, Chinese and Japanese names, the matches they make, and kana folded as words."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import match_names
from screening.names.romanise import syllable_key, syllable_keys_of
from screening.names.script import fold
from tests.names.conftest import by_scorer, scoring

# script, two romanisations of one syllable or word, whether their keys are equal
KEYS = [
    ("Korean", "GIM", "KIM", True),
    ("Korean", "JEONG", "JONG", True),
    ("Korean", "EUN", "UN", True),
    ("Korean", "I", "LEE", True),
    ("Korean", "I", "RI", True),
    ("Korean", "YI", "RHEE", True),
    ("Korean", "BAG", "PARK", True),
    ("Korean", "SEONG", "SUNG", True),
    ("Korean", "CHEOL", "CHOL", True),
    ("Korean", "YEONG", "YOUNG", True),
    ("Korean", "LYONG", "RYONG", True),
    ("Korean", "CHOE", "CHOI", True),
    ("Korean", "TAEG", "THAEK", True),
    ("Korean", "NO", "ROH", True),
    ("Korean", "U", "WOO", True),
    ("Korean", "GIM", "MIN", False),
    ("Korean", "JEONG", "JIN", False),
    ("Chinese", "ZHOU", "CHOU", True),
    ("Chinese", "XU", "HSU", True),
    ("Chinese", "JIANG", "CHIANG", True),
    ("Chinese", "GUO", "KUO", True),
    ("Chinese", "DONG", "TUNG", True),
    ("Chinese", "XIE", "HSIEH", True),
    ("Chinese", "ZI", "TZU", True),
    ("Chinese", "HE", "HO", True),
    ("Chinese", "YI", "I", True),
    ("Chinese", "ER", "ERH", True),
    ("Chinese", "ZHANG", "ZHONG", False),
    ("Chinese", "HE", "HU", False),
    ("Chinese", "GUO", "KO", False),
    ("Japanese", "SHINZOU", "SHINZO", True),
    ("Japanese", "TOUKIYOU", "TOKYO", True),
    ("Japanese", "GATKOU", "GAKKOU", True),
    ("Japanese", "SATOH", "SATO", True),
    ("Japanese", "FUJI", "HUZI", True),
    ("Japanese", "SATO", "SAITO", False),
    (None, "GIM", "KIM", False),  # a Latin name keeps its letters
]


@pytest.mark.parametrize(("script", "left", "right", "equal"), KEYS)
def test_key(script: str | None, left: str, right: str, equal: bool) -> None:
    frame = pl.DataFrame({"t": [left, right], "r": [script, script]}, schema={"t": pl.String, "r": pl.String})
    keys = frame.select(syllable_key(pl.col("t"), pl.col("r"))).to_series().to_list()
    assert (keys[0] == keys[1]) == equal, keys


# tokens under scripts (some repeated, null, or of a script not keyed) keyed at once
MIXED = [
    (["GIM", "KIM", "GIM", "XU"], ["Korean", "Korean", "Korean", "Chinese"]),
    (["HSU", "SHINZOU", None, "PARK"], ["Chinese", "Japanese", "Korean", None]),
    (["LEE", "LEE", "LEE", "LEE"], ["Korean", "Chinese", "Japanese", "Latin"]),
    (["SATOH", None, "ERH"], [None, None, "Chinese"]),
    ([], []),
]


@pytest.mark.parametrize(("tokens", "scripts"), MIXED)
def test_keys_of_series_equal_the_expression(tokens: list[str | None], scripts: list[str | None]) -> None:
    frame = pl.DataFrame({"t": tokens, "r": scripts}, schema={"t": pl.String, "r": pl.String})
    expected = frame.select(syllable_key(pl.col("t"), pl.col("r"))).to_series()
    assert syllable_keys_of(frame["t"], frame["r"]).to_list() == expected.to_list()


# query, listed name, whether they match at the default threshold
MATCHES = [
    ("김정은", "KIM Jong Un", True),  # Revised Romanization against McCune–Reischauer
    ("이민호", "Lee Min Ho", True),
    ("박지성", "Park Ji Sung", True),
    ("김여정", "KIM Yo Jong", True),
    ("리용호", "RI Yong Ho", True),
    ("최룡해", "CHOE Ryong Hae", True),
    ("김영철", "KIM Yong Chol", True),
    ("김동명", "KIM, Tong-Myo'ng", True),  # blocked by romanisation key: GIM ~ KIM, DONG ~ TONG, MYEONG ~ MYONG
    ("리홍섭", "RI, Hong-Sop", True),
    ("김정은", "KIM Jongun", True),  # the given name glued: keys glued
    ("박지성", "PARK Jisung", True),
    ("김정은", "KIM Jongil", False),
    ("김정은", "KIM Yo Jong", False),  # a syllable of the given name differs
    ("김정은", "KIM Jong Il", False),
    ("박지성", "PARK Ji Won", False),
    ("蒋经国", "CHIANG Ching-kuo", True),  # Pinyin against Wade–Giles
    ("毛泽东", "Mao Tse-tung", True),
    ("邓小平", "Teng Hsiao-ping", True),
    ("邓小平", "Teng Hsiao-lin", False),
    ("何志明", "HO Chih-ming", True),
    ("すずき いちろう", "SUZUKI Ichiro", True),  # a kana run is one word; Hepburn's long vowel written or not
    ("しんぞう あべ", "ABE Shinzo", True),
    ("すずき いちろう", "SUZUKI Jiro", False),
    ("GIM JEONG EUN", "KIM Jong Un", False),  # both Latin: no key, the letters differ
    ("BAG JI SEONG", "Park Ji Sung", False),
]


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "김정은-KIM Jongun-True": "0.524 under its 0.63 (hand 0.931)",
    "박지성-PARK Jisung-True": "0.547 under its 0.63 (hand 0.931)",
}


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(MATCHES, lost=MODEL_LOSES))
def test_match(query: str, listed: str, matched: bool, scorer: str) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed]})
    model, threshold = scoring(scorer, matched)
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), watch, threshold=threshold, model=model)
    assert (hits.height == 1) == matched, hits["detail"].to_list()


# a name in kana or in Han and Hangul, and its fold: a kana run stays one word, each Han or Hangul syllable one
FOLDS = [
    ("すずき いちろう", "suzuki ichirou"),
    ("ウラジーミル・プーチン", "urajimiru-puchin"),
    ("鈴木さゆり", " Ling  Mu sayuri"),
    ("김정은", " Gim  Jeong  Eun "),
]


@pytest.mark.parametrize(("name", "folded"), FOLDS)
def test_fold(name: str, folded: str) -> None:
    assert fold(name) == folded


# one batch, names sharing a core in both scripts, in either order: only the Korean one compares on keys
BATCHES = [
    (["김정은", "GIM JEONG EUN"], ["김정은"]),
    (["GIM JEONG EUN", "김정은"], ["김정은"]),
]


@pytest.mark.parametrize(("names", "matched", "scorer"), by_scorer(BATCHES))
def test_shared_core(names: list[str], matched: list[str], scorer: str) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": ["KIM Jong Un"]})
    hits = match_names(
        pl.DataFrame({"id": names, "name": names}), watch, threshold=scoring(scorer)[1], model=scoring(scorer)[0]
    )
    assert sorted(hits["query_id"].to_list()) == matched
