"""Names written on both sides in Han, kana or Hangul are compared in that script too.

Romanisation loses what these scripts tell apart: 王小明 and 王小名 both read WANG XIAO MING, and
Korean names one syllable apart differ by a letter or two in Latin letters. When both names of a
pair hold such characters, the pair's name score is capped by the similarity of those characters.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names.parallel import workers

SYLLABIC: Final = frozenset({"Chinese", "Japanese", "Korean"})
_NOT_SYLLABIC: Final = r"[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


def cap(pairs: pl.DataFrame, score: str) -> pl.DataFrame:
    """Return the pairs with ``score`` capped by the similarity of both names' characters where both are syllabic."""
    both = (pl.col("q_script").is_in(list(SYLLABIC)) & pl.col("w_script").is_in(list(SYLLABIC))).fill_null(value=False)
    todo = np.flatnonzero(pairs.select(both).to_series().to_numpy())
    if not todo.size:
        return pairs
    chars = pairs[todo].select(
        q=pl.col("q_raw").str.replace_all(_NOT_SYLLABIC, ""), w=pl.col("w_raw").str.replace_all(_NOT_SYLLABIC, "")
    )
    same = process.cpdist(chars["q"].to_list(), chars["w"].to_list(), scorer=fuzz.ratio, workers=workers(todo.size))
    same = same / 100.0
    capped = np.minimum(pairs[score].to_numpy()[todo], same)
    return pairs.with_columns(pairs[score].scatter(todo, capped))
