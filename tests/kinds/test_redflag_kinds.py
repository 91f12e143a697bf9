"""Entity red-flag kinds: their rule files' examples, and runs over a real store scoped by run id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from screening.examples import ExampleOutcome, run_examples
from screening.goods.hs import normalize_hs
from screening.kinds import redflags
from screening.kinds.base import RunCheck, ScanContext
from screening.rules import Rule, RuleSet
from screening.store import Store, open_store

RULES_DIR = Path(__file__).parent.parent.parent / "rules"
# The kinds these rules use, as the lead registers them in screening.kinds.KINDS.
REDFLAG_KINDS: dict[str, Callable[..., RunCheck]] = {
    "entity_new_party": redflags.entity_new_party,
    "entity_chpl_without_history": redflags.entity_chpl_without_history,
    "entity_russian_links": redflags.entity_russian_links,
    "entity_shared_contacts": redflags.entity_shared_contacts,
    "entity_forwarder_end_user": redflags.entity_forwarder_end_user,
    "entity_settlement": redflags.entity_settlement,
    "entity_late_change": redflags.entity_late_change,
}
SOURCES = ("FIN-2022-Alert003", "FIN-2023-NCCSUPP-01")


def _rule(path: Path) -> Rule:
    """Build a rule from its file with the red-flag kinds (independently of the global registry)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = data.get("params") or {}
    check = REDFLAG_KINDS[data["kind"]](**params)
    return Rule(
        id=data["id"], title=data["title"], kind=data["kind"], severity=data["severity"], weight=data["weight"],
        params=params, rationale=data["rationale"], path=str(path), check=check,
        references=tuple(data.get("references") or ()), examples=tuple(data.get("examples") or ()),
    )  # fmt: skip


RULES = [_rule(p) for p in sorted(RULES_DIR.glob("ENTITY-*.yaml"))]
OUTCOMES = run_examples(RuleSet(rules=tuple(RULES), fingerprint="redflags", directory=str(RULES_DIR)))


def test_seven_rules_with_sources() -> None:
    assert [r.id for r in RULES] == [f"ENTITY-00{n}" for n in range(1, 8)]
    for rule in RULES:
        assert any(source in rule.rationale for source in SOURCES), rule.path
        assert any("fincen.gov" in ref for ref in rule.references), rule.path
        assert {e["expect"] for e in rule.examples} == {"hit", "miss"}, rule.path


@pytest.mark.parametrize("outcome", OUTCOMES, ids=lambda o: f"{o.rule_id}-{o.number}")
def test_rule_example(outcome: ExampleOutcome) -> None:
    assert outcome.passed, outcome.message


def _goods(run_id: str, rows: list[dict[str, str]]) -> pl.DataFrame:
    """Return stored-shape transactions of one run from rows of text values."""
    frame = pl.DataFrame(rows).with_columns(
        pl.col("date").str.to_date(), normalize_hs(pl.col("hs_code")).alias("_hs"), pl.lit(run_id).alias("run_id")
    )
    return frame.drop("hs_code").unnest("_hs").with_columns(pl.lit("in.csv").alias("source_file"))


@pytest.fixture
def store() -> Any:
    """Return a throwaway store holding two runs: run A with a new KG forwarder, run B without."""
    db = open_store(":memory:")
    db.append("transactions", _goods("A", [
        {"record_id": "A1", "date": "2019-01-03", "consignee": "Base GmbH", "consignee_country": "DE",
         "hs_code": "691110"},
        {"record_id": "A2", "date": "2022-05-14", "consignee": "TOO KARGO LOGISTIC", "consignee_country": "KG",
         "hs_code": "848210"},
    ]))  # fmt: skip
    db.append("transactions", _goods("B", [
        {"record_id": "B1", "date": "2022-05-14", "consignee": "TOO KARGO LOGISTIC", "consignee_country": "KG",
         "hs_code": "691110"},
    ]))  # fmt: skip
    yield db
    db.close()


RUNS = [
    (redflags.entity_new_party(), "A", ["A2"]),
    (redflags.entity_new_party(), "B", []),
    (redflags.entity_forwarder_end_user(), "A", ["A2"]),
    (redflags.entity_forwarder_end_user(), "B", []),
    (redflags.entity_forwarder_end_user(hubs=["KZ"]), "A", []),
    (redflags.entity_new_party(since="2023-01-01"), "A", []),
    (redflags.entity_shared_contacts(), "A", []),
    (redflags.entity_chpl_without_history(), "A", []),
    (redflags.entity_russian_links(), "A", []),
    (redflags.entity_settlement(), "A", []),
    (redflags.entity_late_change(), "A", []),
    (redflags.entity_new_party(), "no such run", []),
]


@pytest.mark.parametrize(("check", "run_id", "expected"), RUNS)
def test_run_reads_only_its_records(check: RunCheck, run_id: str, expected: list[str], store: Store) -> None:
    hits = check.run(ScanContext(record_kind="transactions", store=store, run_id=run_id))
    assert hits["record_id"].to_list() == expected
    assert hits["source_file"].to_list() == ["in.csv"] * len(expected)
    assert {"record_id", "score", "detail", "severity", "party", "source_file", "line"} <= set(hits.columns)


def test_no_store_gives_no_hits() -> None:
    assert redflags.entity_new_party().run(ScanContext(record_kind="transactions")).height == 0


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        (redflags.entity_shared_contacts, {"min_parties": 1}, "min_parties must be at least 2"),
        (redflags.entity_settlement, {"banks": ["vessel"]}, "unknown bank columns ['vessel']"),
        (redflags.entity_late_change, {"days": -1}, "days must be 0 or more"),
        (redflags.entity_new_party, {"since": "24.02.2022"}, "Invalid isoformat"),
    ],
)
def test_bad_params(kind: Callable[..., RunCheck], params: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        kind(**params)
