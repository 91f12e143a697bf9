"""Runs the ``examples`` of rule files through the real ingestion path and the rule's check."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from screening.engine import evaluate
from screening.ingest import read_records
from screening.kinds.base import ScanContext
from screening.rules import Rule, RuleSet

_META = ("expect", "detail", "severity")


@dataclass(frozen=True)
class ExampleOutcome:
    """The outcome of one example: passed, and what was seen when it failed."""

    rule_id: str
    number: int
    passed: bool
    message: str


def run_examples(rules: RuleSet) -> list[ExampleOutcome]:
    """Run every example of every rule and return one outcome each."""
    return [
        _run(rule, number, example)
        for rule in rules.rules
        for number, example in enumerate(rule.examples, start=1)
    ]


def _run(rule: Rule, number: int, example: dict[str, Any]) -> ExampleOutcome:
    """Ingest the example's fields as a one-row file, apply the rule and compare."""
    fields = {k: "" if v is None else str(v) for k, v in example.items() if k not in _META}
    fields.setdefault("record_id", f"{rule.id}-example-{number}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "example.csv"
        pl.DataFrame([fields], schema=dict.fromkeys(fields, pl.String)).write_csv(path)
        ingested = read_records(path)
    one = RuleSet(rules=(rule,), fingerprint="example", directory="")
    hits = evaluate(ingested.records, one, ScanContext(record_kind=ingested.kind))
    return _compare(rule, number, example, hits)


def _compare(
    rule: Rule, number: int, example: dict[str, Any], hits: pl.DataFrame
) -> ExampleOutcome:
    """Compare the hits of one example with what it expects."""
    label = f"{rule.path}: example {number} {_brief(example)}"
    if example["expect"] == "miss":
        ok = hits.height == 0
        seen = "" if ok else f"expected no hit, got: {hits['detail'][0]}"
        return ExampleOutcome(rule.id, number, ok, f"{label}: {seen}" if seen else label)
    if hits.height == 0:
        return ExampleOutcome(rule.id, number, False, f"{label}: expected a hit, got none")
    detail, severity = hits["detail"][0], hits["severity"][0]
    if "detail" in example and str(example["detail"]) not in detail:
        return ExampleOutcome(
            rule.id, number, False, f"{label}: detail {detail!r} lacks {example['detail']!r}"
        )
    if "severity" in example and example["severity"] != severity:
        return ExampleOutcome(
            rule.id, number, False, f"{label}: severity {severity}, expected {example['severity']}"
        )
    return ExampleOutcome(rule.id, number, True, label)


def _brief(example: dict[str, Any]) -> str:
    """Return the example's record fields in one short line."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in example.items() if k not in _META) + "}"
