"""Runs the ``examples`` of rule files through the real ingestion path and the rule's check.

An example is either one record (its fields beside ``expect``) or several under ``records:``;
either way the rows become one CSV file that is ingested, stored in a throwaway store and
screened by the rule alone, so run-level rules (corridors, ownership) run as in a scan.
``record_id:`` names the hit an example is about when a rule may give several.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from screening.engine import evaluate, evaluate_run
from screening.ingest import read_records
from screening.kinds.base import ScanContext
from screening.rules import Rule, RuleSet
from screening.schema import RECORD_TABLES
from screening.store import open_store

_META = ("expect", "detail", "severity", "record_id", "records")
_RUN = "example-run"


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
        _run(rule, number, example) for rule in rules.rules for number, example in enumerate(rule.examples, start=1)
    ]


def _run(rule: Rule, number: int, example: dict[str, Any]) -> ExampleOutcome:
    """Ingest the example's rows as one file, store them, apply the rule and compare."""
    rows = [_fields(r, ()) for r in example.get("records", [])] or [_fields(example)]
    if "records" not in example:
        rows[0].setdefault("record_id", example.get("record_id", f"{rule.id}-example-{number}"))
    columns = list(dict.fromkeys(c for row in rows for c in row))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "example.csv"
        pl.DataFrame(
            [{c: row.get(c, "") for c in columns} for row in rows], schema=dict.fromkeys(columns, pl.String)
        ).write_csv(path)
        ingested = read_records(path)
    one = RuleSet(rules=(rule,), fingerprint="example", directory="")
    store = open_store(":memory:")
    try:
        store.append(RECORD_TABLES[ingested.kind], ingested.records.with_columns(pl.lit(_RUN).alias("run_id")))
        ctx = ScanContext(record_kind=ingested.kind, store=store, run_id=_RUN)
        hits = pl.concat([evaluate(ingested.records, ingested.kind, one, ctx), evaluate_run(one, ctx)])
    finally:
        store.close()
    if "record_id" in example:
        hits = hits.filter(pl.col("record_id") == str(example["record_id"]))
    return _compare(rule, number, example, hits)


def _fields(row: dict[str, Any], meta: tuple[str, ...] = _META) -> dict[str, str]:
    """Return a row's record fields as text, without the example's own keys."""
    return {k: "" if v is None else str(v) for k, v in row.items() if k not in meta}


def _compare(rule: Rule, number: int, example: dict[str, Any], hits: pl.DataFrame) -> ExampleOutcome:
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
        return ExampleOutcome(rule.id, number, False, f"{label}: detail {detail!r} lacks {example['detail']!r}")
    if "severity" in example and example["severity"] != severity:
        return ExampleOutcome(rule.id, number, False, f"{label}: severity {severity}, expected {example['severity']}")
    return ExampleOutcome(rule.id, number, True, label)


def _brief(example: dict[str, Any]) -> str:
    """Return the example's record fields in one short line."""
    if "records" in example:
        return f"{{{len(example['records'])} records}}"
    return "{" + ", ".join(f"{k}: {v}" for k, v in example.items() if k not in _META) + "}"
