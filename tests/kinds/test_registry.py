"""The kind registry: each kind's declared capabilities, read by scoring and reports instead of rule ids."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from screening.kinds import KINDS, KindSpec, in_family, rule_ids
from screening.kinds.base import RunCheck
from screening.pipeline import ScanResult, scan
from screening.report.html_data import family_rules, goods_by_destination
from screening.rules import load_rules
from screening.scoring import listing_rules, party_risk

# Two rules of a user's own, with ids no bundled rule has: a CHPL goods rule and a name rule.
USER_RULES = {
    "MYCO-001-chips.yaml": "id: MYCO-001\ntitle: Our CHPL check\nkind: chpl_goods\nseverity: high\nparams: {}\n"
    "rationale: Our own copy of the CHPL rule.\n",
    "WATCH-001-names.yaml": "id: WATCH-001\ntitle: Our name check\nkind: name_match\nseverity: critical\n"
    "params: {threshold: 0.88}\nrationale: Our own watchlist screening.\n",
}
LEDGER = (
    "record_id,date,hs_code,shipper,shipper_country,consignee,consignee_country,value,currency\n"
    "T1,2023-04-15,854231,Orion Trade LLC,CN,Amur Snab OOO,KG,1200.00,USD\n"
    "T2,2023-04-16,691110,Ege Impex AS,TR,Concern Almaz-Antey JSC,RU,50.00,USD\n"
)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kinds_declared_level_is_what_its_checks_are(kind: str) -> None:
    bundled = [rule for rule in load_rules().rules if rule.kind == kind]
    for rule in bundled:
        assert isinstance(rule.check, RunCheck) == (KINDS[kind].level == "run"), rule.id
    assert not KINDS[kind].engine_reads - KINDS[kind].reads  # an engine answers only reads the kind makes


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        (in_family("goods"), ["GOODS-001", "GOODS-002", "GOODS-003", "GOODS-004"]),
        (in_family("corridors"), ["ROUTE-001", "ROUTE-002", "ROUTE-003"]),
        (in_family("ownership"), ["OWN-001"]),
        (lambda spec: spec.lists_party, ["NAME-001", "PAY-003", "PAY-004"]),
    ],
)
def test_the_bundled_rules_of_a_capability_are_found_by_kind(
    test: Callable[[KindSpec], bool], expected: list[str]
) -> None:
    assert sorted(rule_ids(load_rules().rules, test)) == expected


@pytest.fixture(scope="module")
def user_run(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """Return a scan of a small ledger with the user's own two rules only."""
    folder = tmp_path_factory.mktemp("user")
    rules = folder / "rules"
    rules.mkdir()
    for name, text in USER_RULES.items():
        (rules / name).write_text(text, encoding="utf-8")
    ledger = folder / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    return scan([ledger], rules=load_rules(rules))


def test_a_user_goods_rule_lands_in_the_goods_chart(user_run: ScanResult) -> None:
    result = user_run
    assert family_rules(result.rules, "goods") == ["MYCO-001"]
    counts = goods_by_destination(result.reported, result.rules)
    assert counts.select("chapter", "destination", "records").rows() == [("85", "KG", 1)]


def test_a_user_name_rule_marks_its_party_listed(user_run: ScanResult) -> None:
    result = user_run
    assert listing_rules(result.rules) == ["WATCH-001"]
    parties = party_risk(result.reported, result.rules)
    # the listed party first: same records, risk and severity, and the goods party's name sorts first
    assert parties.select("party", "rules").rows() == [
        ("Concern Almaz-Antey JSC", "WATCH-001"),
        ("Amur Snab OOO", "MYCO-001"),
    ]


def test_a_rule_of_an_unknown_kind_has_no_capability() -> None:
    class Rule:
        id, kind = "X-001", "no_such_kind"

    assert rule_ids([Rule()], lambda spec: True) == []
    assert pl.Series(rule_ids(load_rules().rules, lambda spec: spec.level == "row")).len() > 0
