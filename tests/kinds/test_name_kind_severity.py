"""NAME-001 severity by score band, topics and alias strength; party columns by entity type."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from screening.kinds.base import ScanContext
from screening.kinds.names import CRITICAL, for_scorer, name_match, same_words, severity_expr
from screening.lists import ImportOptions, import_list
from screening.names.model import shipped_sha256
from screening.rules import load_rules
from screening.store import Store, open_store

WATCH = """entity_id,name,schema,name_type
1,ROSOBORONEXPORT,Organization,
2,SEA BREEZE,Vessel,
3,ALTAIR TRADING VENTURES,Organization,
3,ATV,Organization,weak_alias
3,NORTHERN STAR MARITIME,Organization,weak_alias
4,SEA BREEZE SHIPPING,Organization,
5,MOST SGM LLC,Organization,
"""


NAME_001 = next(rule for rule in load_rules().rules if rule.id == "NAME-001").params  # the bundled rule's


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
        ("consignee", "Most SGM LLC", "generic:5", "critical"),  # exact: critical (the model's 0.949 or not)
        ("consignee", "MOST SGM, LLC", "generic:5", "critical"),
    ],
)
@pytest.mark.parametrize("scorer", ["model", "hand"])
def test_columns_and_strength(
    store: Store, column: str, party: str, entity: str | None, severity: str | None, scorer: str
) -> None:
    batch = pl.DataFrame({"record_id": ["r1"], column: [party]})
    ctx = ScanContext(record_kind="transactions", store=store)
    rule = name_match(scorer=scorer, threshold=NAME_001["threshold"], columns=[column])  # type: ignore[arg-type]
    hits = rule(batch.lazy(), ctx).collect()
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


@pytest.mark.parametrize(
    ("value", "scorer", "expected"),
    [
        (None, "model", 0.5),  # none: the default given
        (0.7, "hand", 0.7),  # one number (a rule file from before scorers): the rule's scorer, whichever
        (0.7, "model", 0.7),
        ({"model": 0.73, "hand": 0.88}, "model", 0.73),
        ({"model": 0.73, "hand": 0.88}, "hand", 0.88),
        ({"model": 0.73}, "hand", 0.5),  # no entry for the rule's scorer: its default
    ],
)
def test_a_value_per_scorer(value: float | dict[str, float] | None, scorer: str, expected: float) -> None:
    assert for_scorer(value, scorer, 0.5, "threshold") == expected


@pytest.mark.parametrize("value", [{"fuzzy": 0.7}, {"model": 1.5}])
def test_a_bad_value_per_scorer_is_named(value: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"threshold: .* is not a score from 0 to 1 per scorer"):
        name_match(threshold=value)


@pytest.mark.parametrize(
    ("party", "listed", "same"),
    [
        ("Most SGM LLC", "MOST SGM LLC", True),
        ("Sergey Besedin", "BESEDIN, Sergey", True),  # order and punctuation aside
        ("Sergey Besedin", "BESEDA, Sergey", False),
        ("Most SGM", "MOST SGM LLC", False),  # a word less is not the name
    ],
)
def test_same_words(party: str, listed: str, same: bool) -> None:
    frame = pl.DataFrame({"party": [party], "listed": [listed]})
    assert frame.select(same_words(pl.col("party"), pl.col("listed"))).item() is same


def test_name_001s_model_values_were_chosen_for_the_shipped_model() -> None:
    fit_file = Path(__file__).parents[2] / "benchmarks/names/results/thresholds_fit.json"
    fit = json.loads(fit_file.read_text(encoding="utf-8"))
    rerun = "refit: rerun benchmarks/names/choose_thresholds.py --out ...thresholds_fit.json, update NAME-001, CRITICAL"
    assert fit["model_sha256"] == shipped_sha256(), rerun
    params = load_rules().get("NAME-001").params
    chosen = fit["model_chosen"]
    assert params["threshold"]["model"] == chosen["threshold"]
    assert params["critical_score"]["model"] == chosen["critical"]
    assert CRITICAL["model"] == chosen["critical"]
