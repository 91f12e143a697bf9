"""Description keywords in English and Russian, with the code missing, contradicting or fitting."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from screening.kinds.base import ScanContext
from screening.rules import load_rules

CASES = [
    # description, hs_code, expected label or None, state
    ("Ball bearings 6205-2RS", "", "ball and roller bearings", "missing"),
    ("BALL BEARING, deep groove", None, "ball and roller bearings", "missing"),
    ("Шарикоподшипники радиальные 6205", "", "ball and roller bearings", "missing"),
    ("подшипник роликовый", "691110", "ball and roller bearings", "declared HS 691110"),
    ("Микросхемы интегральные", "", "integrated circuits", "missing"),
    ("Microcontroller STM32F407", "999999", "integrated circuits", "missing"),
    ("Integrated circuits", "854231", None, None),
    ("GNSS receiver module", "852691", None, None),
    ("Навигационный приемник ГЛОНАСС", "", "navigation and GNSS receivers", "missing"),
    ("Квадрокоптер DJI Mavic 3", "950300", "drones and UAV engines", "declared HS 950300"),
    ("UAV airframe parts", "", "drones and UAV engines", "missing"),
    ("Токарный станок с ЧПУ", "", "CNC machine tools", "missing"),
    ("CNC lathe", "8458", None, None),
    ("Нитроцеллюлоза", "", "nitrocellulose", "missing"),
    ("Тепловизор", "", "thermal imagers and optical sights", "missing"),
    ("Porcelain plates", "", None, None),
    ("Bearing gifts for the office", "", None, None),
    ("Kuavai tea", "", None, None),
    (None, "", None, None),
]


@pytest.fixture(scope="module")
def check() -> Any:
    return load_rules().get("GOODS-003").check


@pytest.mark.parametrize(("text", "code", "label", "state"), CASES)
def test_keywords(
    records: Any,
    check: Any,
    text: str | None,
    code: str | None,
    label: str | None,
    state: str | None,
) -> None:
    frame = records([{"description": text, "hs_code": code}])
    hits = check(frame.lazy(), ScanContext(record_kind="transactions")).collect()
    if label is None:
        assert hits.height == 0, hits["detail"].to_list()
        return
    assert hits.height == 1
    detail = hits["detail"][0]
    assert f"→ {label} (HS" in detail
    assert ("HS code missing" in detail) if state == "missing" else (state in detail)


def test_keywords_are_vectorized_over_many_rows(records: Any, check: Any) -> None:
    frame = records([{"description": d, "hs_code": ""} for d in ["Ball bearings", "Plates"] * 5000])
    hits = check(frame.lazy(), ScanContext(record_kind="transactions")).collect()
    assert hits.height == 5000
    assert hits["score"].unique().to_list() == [0.8]
    assert hits.filter(pl.col("severity") != "high").height == 0
