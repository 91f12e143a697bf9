"""The registry of rule kinds: one literal dict, so grep finds where every kind comes from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from screening.kinds.base import Check, RunCheck
from screening.kinds.destination import destination_country
from screening.kinds.goods import chpl_goods, eu_export_ban, hs_code_quality
from screening.kinds.keywords import goods_keywords
from screening.kinds.names import name_match

KINDS: Final[dict[str, Callable[..., Check | RunCheck]]] = {
    "chpl_goods": chpl_goods,
    "eu_export_ban": eu_export_ban,
    "hs_code_quality": hs_code_quality,
    "goods_keywords": goods_keywords,
    "destination_country": destination_country,
    "name_match": name_match,
}

__all__ = ["KINDS", "Check", "RunCheck"]
