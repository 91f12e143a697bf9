"""Name screening: normalise, block, score and explain matches against sanctions lists."""

from __future__ import annotations

from screening.names.index import NameIndex, build_index
from screening.names.match import DEFAULT_THRESHOLD, OUTPUT_COLUMNS, match_index, match_names
from screening.names.model import HAND, HAND_THRESHOLD, SHIPPED, model_threshold
from screening.names.normalize import normalize_names

__all__ = [
    "DEFAULT_THRESHOLD",
    "HAND",
    "HAND_THRESHOLD",
    "OUTPUT_COLUMNS",
    "SHIPPED",
    "NameIndex",
    "build_index",
    "match_index",
    "match_names",
    "model_threshold",
    "normalize_names",
]
