"""NAME-001 severity by score band, topics and alias strength; party columns by entity type."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.kinds.base import ScanContext
from screening.kinds.names import name_match, severity_expr
from screening.lists import ImportOptions, import_list
from screening.store import Store, open_store

WATCH = """entity_id,name,schema,name_type
1,ROSOBORONEXPORT,Organization,
2,SEA BREEZE,Vessel,
3,ALTAIR TRADING VENTURES,Organization,
3,ATV,Organization,weak_alias
3,NORTHERN STAR MARITIME,Organization,weak_alias
4,SEA BREEZE SHIPPING,Organization,
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return a store with a small generic list: a company, a vessel and a company with a weak alias."""
    path = tmp_path / "watch.csv"
    path.write_text(WATCH, encoding="utf-8")
    store = open_store(":memory:")
    import_list(store, path, options=ImportOptions(version="2026-01-01"))
    return store


@pytest.mark.parametrize(
    ("column", "party", "entity", "severity"),
    [
        ("consignee", "Rosoboronexport", "generic:1", "critical"),
        ("consignee", "Sea Breeze", None, None),  # a consignee is not a vessel
        ("vessel", "Sea Breeze", "generic:2", "critical"),
        ("vessel", "Sea Breeze Shipping", None, None),  # a vessel is not a company
        ("consignee", "ATV", "generic:3", "medium"),  # a weak alias: exact only, medium
        ("consignee", "Northern Star Maritime", "generic:3", "medium"),
        ("consignee", "Northern Star Maritme", None, None),  # 0.95 against a weak alias: no match
    ],
)
def test_columns_and_strength(store: Store, column: str, party: str, entity: str | None, severity: str | None) -> None:
    batch = pl.DataFrame({"record_id": ["r1"], column: [party]})
    ctx = ScanContext(record_kind="transactions", store=store)
    hits = name_match(threshold=0.88, columns=[column])(batch.lazy(), ctx).collect()
    assert hits.select("entity_id", "severity").rows() == ([(entity, severity)] if entity else [])


@pytest.mark.parametrize(
    ("score", "strength", "topics", "expected"),
    [
        (1.0, "strong", None, "critical"),
        (0.95, "strong", "sanction;debarment", "critical"),
        (0.93, "strong", None, "high"),
        (1.0, "weak", None, "medium"),
        (1.0, "strong", "role.pep", "low"),
        (1.0, "strong", "sanction.linked", "low"),
        (1.0, "strong", "none", "low"),
    ],
)
def test_severity_expr(score: float, strength: str, topics: str | None, expected: str) -> None:
    frame = pl.DataFrame(
        {"score": [score], "strength": [strength], "topics": [topics]}, schema_overrides={"topics": pl.String}
    )
    assert frame.select(severity_expr(0.95, "high", "medium", "low"))["literal"][0] == expected


def test_a_bad_severity_parameter_is_named() -> None:
    with pytest.raises(ValueError, match="weak_alias_severity: 'urgent' is not one of"):
        name_match(weak_alias_severity="urgent")
