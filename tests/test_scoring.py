"""Record and party risk summed up by the store: noisy-or of weighted scores, listed parties first, cleared hits out."""

from __future__ import annotations

import math

import polars as pl
import pytest

from screening.rules import RuleSet, load_rules
from screening.schema import HIT_COLUMNS
from screening.scoring import party_risk, record_risk, records_flagged, rule_counts, severity_counts
from screening.store import Store, open_store
from screening.stored_hits import StoredHits

RUN = "run-scoring"
# record, line, party, rule, severity, score, detail, review
HITS = [
    ("R1", 1, "Acme Trading LLC", "GOODS-001", "critical", 0.9, "CHPL 854231", None),
    ("R1", 1, "Acme Trading LLC", "DEST-001", "high", 0.5, "to RU", None),
    ("R2", 2, "Vostok OOO", "NAME-001", "critical", 0.4, "name ~ VOSTOK", None),
    ("R3", 3, "Acme Trading LLC", "DEST-001", "high", 0.3, "to BY", None),
    ("R4", 4, "Acme Trading LLC", "GOODS-001", "critical", 1.0, "CHPL 848210", "cleared"),
]


@pytest.fixture(scope="module")
def stored() -> tuple[StoredHits, RuleSet]:
    """Return the table's hits in a store, with the bundled rules that weigh them."""
    columns = ["record_id", "line", "party", "rule_id", "severity", "score", "detail", "review"]
    frame = pl.DataFrame(HITS, schema={c: HIT_COLUMNS[c] for c in columns}, orient="row")
    frame = frame.with_columns(run_id=pl.lit(RUN), source_file=pl.lit("tx.csv"))
    store: Store = open_store(":memory:")
    store.append("hits", frame.with_columns(pl.format("h{}-{}", "line", "rule_id").alias("hit_id")))
    return StoredHits(store, RUN), load_rules()


def noisy_or(rules: RuleSet, hits: list[tuple[str, float]]) -> float:
    """Return the expected risk of (rule, score) pairs."""
    return round(1 - math.prod(1 - min(max(rules.get(rule).weight * score, 0), 1) for rule, score in hits), 4)


def test_record_risk_is_the_noisy_or_of_weighted_scores(stored: tuple[StoredHits, RuleSet]) -> None:
    hits, rules = stored
    expected = {
        "R1": noisy_or(rules, [("GOODS-001", 0.9), ("DEST-001", 0.5)]),
        "R2": noisy_or(rules, [("NAME-001", 0.4)]),
        "R3": noisy_or(rules, [("DEST-001", 0.3)]),
    }  # R4's only hit was cleared by review
    records = record_risk(hits, rules)
    assert dict(zip(records["record_id"], records["risk"], strict=True)) == pytest.approx(expected)
    assert records["risk"].to_list() == sorted(expected.values(), reverse=True)


@pytest.mark.parametrize(
    ("record", "rules_text", "reason", "severity"),
    [
        ("R1", "DEST-001, GOODS-001", "CHPL 854231", "critical"),  # the strongest weighted hit gives the reason
        ("R2", "NAME-001", "name ~ VOSTOK", "critical"),
        ("R3", "DEST-001", "to BY", "high"),
    ],
)
def test_record_risk_names_rules_and_strongest_reason(
    stored: tuple[StoredHits, RuleSet], record: str, rules_text: str, reason: str, severity: str
) -> None:
    hits, rules = stored
    row = record_risk(hits, rules).filter(pl.col("record_id") == record).row(0, named=True)
    assert (row["rules"], row["reason"], row["severity"]) == (rules_text, reason, severity)


def test_listed_party_comes_first_however_low_its_risk(stored: tuple[StoredHits, RuleSet]) -> None:
    hits, rules = stored
    parties = party_risk(hits, rules)
    assert parties["party"].to_list() == ["Vostok OOO", "Acme Trading LLC"]
    acme = parties.row(1, named=True)
    r1 = noisy_or(rules, [("GOODS-001", 0.9), ("DEST-001", 0.5)])
    r3 = noisy_or(rules, [("DEST-001", 0.3)])
    assert acme["records"] == 2
    assert acme["risk"] == pytest.approx(round(1 - (1 - r1) * (1 - r3), 4))
    assert acme["rules"] == "DEST-001, GOODS-001"


@pytest.mark.parametrize("top", [1, 2])
def test_top_keeps_the_riskiest(stored: tuple[StoredHits, RuleSet], top: int) -> None:
    hits, rules = stored
    assert record_risk(hits, rules, top).equals(record_risk(hits, rules).head(top))
    assert party_risk(hits, rules, top).equals(party_risk(hits, rules).head(top))


def test_counts_leave_cleared_hits_out(stored: tuple[StoredHits, RuleSet]) -> None:
    hits, _ = stored
    assert severity_counts(hits) == {"low": 0, "medium": 0, "high": 2, "critical": 2}
    assert records_flagged(hits) == 3
    expected = [("DEST-001", "high", 2), ("GOODS-001", "critical", 1), ("NAME-001", "critical", 1)]
    assert rule_counts(hits).rows() == expected
    cleared = StoredHits(hits.store, RUN, cleared=True)
    assert (cleared.count(), cleared.frame()["record_id"].to_list()) == (1, ["R4"])
