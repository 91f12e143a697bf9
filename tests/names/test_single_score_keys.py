"""Romanisation keys in plain Python equal the batch path's polars expressions, token for token."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.names import romanise
from screening.names.normalize import normalize_names
from screening.names.single.romanise import syllable_key

DEV = Path(__file__).resolve().parents[2] / "benchmarks" / "names" / "dev"
SCRIPTS = ("Korean", "Chinese", "Japanese", "Latin")
TOKENS = [
    *("RHEE", "PARK", "AHN", "LEE", "RYU", "WOO", "YI", "CHIH", "HSIEH", "ERH", "TIEN", "KO", "SHINZOU", "GATKOU"),
    *("KIYOU", "OHNO", "SATOH", "JIANG", "ZHOU", "TSAI", "", "R", "H", "OH", "CHOE", "RIEN", "SZU", "TZUYU"),
]


def batch_keys(tokens: list[str], script: str) -> list[str]:
    """Return the batch path's keys of tokens under a script."""
    frame = pl.DataFrame({"t": tokens}, schema={"t": pl.String()})
    return frame.select(romanise.syllable_key(pl.col("t"), pl.lit(script)))["t"].to_list()


@pytest.mark.parametrize("script", SCRIPTS)
def test_hand_tokens(script: str) -> None:
    assert [syllable_key(t, script) for t in TOKENS] == batch_keys(TOKENS, script)


@pytest.mark.parametrize("script", SCRIPTS[:3])
def test_every_dev_token(script: str) -> None:
    names = pl.read_csv(DEV / "queries.csv", infer_schema=False)["name"]
    norm = normalize_names(names.filter(names.str.contains(r"[^\x00-\x7f]")))
    tokens = norm["spelt"].explode().drop_nulls().unique().sort().to_list()
    assert len(tokens) > 500
    assert [syllable_key(t, script) for t in tokens] == batch_keys(tokens, script)
