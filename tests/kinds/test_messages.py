"""Payment-message kinds and the other rules on message records, over a real scan of the hand-written fixtures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.kinds.base import ScanContext
from screening.kinds.messages import _name_patterns, bic_country, imo_valid, remittance_text
from screening.kinds.names import watchlist_index

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "messages"


@pytest.fixture(scope="module")
def hits() -> pl.DataFrame:
    result = scan([FIXTURES / "pacs008.xml", FIXTURES / "mt103.fin"])
    return result.reported.frame().sort("rule_id", "record_id")


@pytest.mark.parametrize(
    ("rule", "record", "line", "detail"),
    [
        ("NAME-001", "MSG-0001/1", 14, "ultimate_creditor: Concern Almaz-Antey JSC ~ JOINT-STOCK COMPANY CONCERN"),
        ("GOODS-001", "MSG-0001/1", 14, "CHPL tier 3.B: 848210"),  # the HS code written in the remittance text
        ("GOODS-003", "REF0001/1", 1, "description says 'ball bearing'"),
        ("PAY-001", "MSG-0001/1", 14, "(ultimate creditor, ?, 2023-04-03, $1.2 M): money reaches a listed party"),
        ("PAY-002", "MSG-0002/1", 54, "routed through originator_bank KICBKG22XXX in KG; beneficiary OOO Romashka"),
        ("PAY-002", "REF0002/2", 19, "beneficiary OOO ROMASHKA is in RU (address)"),
        ("PAY-003", "MSG-0001/1", 14, "remittance names Russian port Novorossiysk"),
    ],
)
def test_hits_point_at_the_message(hits: pl.DataFrame, rule: str, record: str, line: int, detail: str) -> None:
    found = hits.filter((pl.col("rule_id") == rule) & (pl.col("record_id") == record))
    assert found.height == 1
    assert found["line"][0] == line
    assert detail in found["detail"][0]


def test_no_hit_on_the_ordinary_payment(hits: pl.DataFrame) -> None:
    assert hits.filter(pl.col("record_id") == "MSG-0001/2").is_empty()


@pytest.mark.parametrize(
    ("value", "country"), [("KICBKG22XXX", "KG"), ("SABRRUMM", "RU"), ("Some Bank", None), ("DEUTDEFF1", None)]
)
def test_bic_country(value: str, country: str | None) -> None:
    assert pl.select(bic_country(pl.lit(value))).item() == country


@pytest.mark.parametrize(("number", "valid"), [("9321483", True), ("8943155", True), ("8943156", False)])
def test_imo_check_digit(number: str, valid: bool) -> None:
    assert pl.select(imo_valid(pl.lit(number))).item() is valid


@pytest.mark.parametrize(("ports", "found"), [([], 0), (["Novorossiysk"], 1), (["Ust-Luga"], 0)])
def test_remittance_ports(ports: list[str], found: int) -> None:
    frame = pl.LazyFrame(
        {"record_id": ["r1"], "description": ["spares, port of Novorossiysk"], "message_type": ["pacs.008.001.08"]}
    )
    hits = remittance_text(ports=ports, min_name_chars=60)(frame, ScanContext(record_kind="transactions")).collect()
    assert hits.filter(pl.col("detail").str.contains("port")).height == found  # no port given: no crash, no hit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_remittance_names_do_not_depend_on_the_index_order(seed: int) -> None:
    index = watchlist_index(ScanContext(record_kind="transactions"))
    shuffled = replace(index, names=index.names.sample(fraction=1.0, shuffle=True, seed=seed))
    assert _name_patterns(shuffled, 8) == _name_patterns(index, 8)
