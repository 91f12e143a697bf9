"""Goods kinds: every CHPL code at its tier from several spellings, HS2017 codes, EU bans, code quality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from screening.goods.reference import chpl
from screening.kinds.base import ScanContext
from screening.kinds.goods import chpl_goods, eu_export_ban, hs_code_quality

TIER_SEVERITY = {
    "1": "critical",
    "2": "critical",
    "3.A": "high",
    "3.B": "high",
    "4.A": "medium",
    "4.B": "medium",
}
SPELLINGS: list[Callable[[str], str]] = [
    lambda c: c,
    lambda c: f"{c[:4]}.{c[4:]}",
    lambda c: f"{c[:4]}.{c[4:]}.00",
    lambda c: f"{c[:4]} {c[4:]} 0000",
    lambda c: f"{c}0000.0",
    lambda c: f"{c[:2]}-{c[2:4]}-{c[4:]}",
]
CTX = ScanContext(record_kind="transactions")


def _hits(check: Any, frame: pl.DataFrame) -> pl.DataFrame:
    return check(frame.lazy(), CTX).collect()


def test_chpl_has_fifty_codes_in_six_tiers() -> None:
    table = chpl()
    assert table.height == 50
    assert dict(table.group_by("tier").len().iter_rows()) == {
        "1": 4,
        "2": 5,
        "3.A": 16,
        "3.B": 9,
        "4.A": 11,
        "4.B": 5,
    }


@pytest.mark.parametrize("spell", SPELLINGS)
def test_every_chpl_code_hits_at_its_tier(records: Any, spell: Callable[[str], str]) -> None:
    table = chpl()
    frame = records([{"hs_code": spell(code)} for code in table["hs6"]])
    hits = _hits(chpl_goods(), frame)
    assert hits.height == 50
    expected = [f"CHPL tier {t}: {c}" for t, c in zip(table["tier"], table["hs6"], strict=True)]
    assert [d[: len(e)] for d, e in zip(hits["detail"], expected, strict=True)] == expected
    assert hits["severity"].to_list() == [TIER_SEVERITY[t] for t in table["tier"]]
    assert hits["score"].to_list() == [1.0] * 50


HS2017 = [
    ("854890", "854800"),
    ("852580", "852589"),
    ("854140", "854149"),
    ("854150", "854151"),
    ("880330", "880730"),
]


@pytest.mark.parametrize(("old", "new"), HS2017)
def test_hs2017_equivalents_hit_with_partial_score(records: Any, old: str, new: str) -> None:
    hits = _hits(chpl_goods(), records([{"hs_code": old}]))
    assert hits.height == 1
    assert f": {new} " in hits["detail"][0]
    assert f"declared as HS2017 {old}" in hits["detail"][0]
    assert hits["score"][0] == 0.8


@pytest.mark.parametrize(
    ("code", "hit"),
    [
        ("691110", False),
        ("8542", True),
        ("6911", False),
        ("", False),
        ("999999", False),
        ("84821000", True),
    ],
)
def test_chpl_misses_and_headings(records: Any, code: str, hit: bool) -> None:
    assert (_hits(chpl_goods(), records([{"hs_code": code}])).height == 1) is hit


def test_chpl_tier_filter_and_bad_tier(records: Any) -> None:
    frame = records([{"hs_code": "854231"}, {"hs_code": "848210"}])
    assert _hits(chpl_goods(tiers=["3.B"]), frame)["detail"].str.contains("848210").to_list() == [True]
    with pytest.raises(ValueError, match="unknown CHPL tiers"):
        chpl_goods(tiers=["9"])


def test_repaired_code_note_is_in_the_detail(records: Any) -> None:
    hits = _hits(chpl_goods(), records([{"hs_code": "8482100"}]))
    assert "7 digits '8482100', read as 848210" in hits["detail"][0]


@pytest.mark.parametrize(
    ("code", "dest", "hit"),
    [
        ("848210", "RU", True),
        ("848210", "BY", True),
        ("848210", "KZ", False),
        ("010121", "RU", False),
        ("", "RU", False),
    ],
)
def test_eu_export_ban(records: Any, code: str, dest: str, hit: bool) -> None:
    frame = records([{"hs_code": code, "destination_country": dest}])
    hits = _hits(eu_export_ban(), frame)
    assert (hits.height == 1) is hit
    if hit:
        assert hits["detail"][0].startswith("EU 833/2014 ban since 2022-")


def test_eu_luxury_only_when_asked(records: Any) -> None:
    frame = records([{"hs_code": "010121", "destination_country": "RU"}])
    assert _hits(eu_export_ban(categories=["luxury"]), frame).height == 1
    with pytest.raises(ValueError, match="unknown EU categories"):
        eu_export_ban(categories=["toys"])


@pytest.mark.parametrize(("code", "hit"), [("999999", True), ("8542", False), ("854231", False), ("3912200", False)])
def test_hs_code_quality(records: Any, code: str, hit: bool) -> None:
    assert (_hits(hs_code_quality(), records([{"hs_code": code}])).height == 1) is hit
