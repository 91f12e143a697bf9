"""A past run rebuilt from the store, so any report can be rendered again from its record."""

from __future__ import annotations

import json

from screening.errors import RuleError
from screening.pipeline import FileStats, ScanResult
from screening.report.diff import require_run
from screening.rules import RuleSet, load_rules
from screening.store import Store


def load_result(store: Store, run_id: str) -> tuple[ScanResult, list[str]]:
    """Return a recorded run as a ScanResult over its stored hits, with warnings about what was not restored exactly."""
    require_run(store, run_id)
    record = store.frame("SELECT * FROM runs WHERE run_id = ?", [run_id]).row(0, named=True)
    params = json.loads(record["params"] or "{}")
    warnings: list[str] = []
    try:
        rules = load_rules(params.get("rules") or None)
    except RuleError:
        rules = load_rules()
        warnings.append(f"rules directory {params.get('rules')} is gone; rule titles come from the bundled rules")
    if rules.fingerprint != record["fingerprint"]:
        warnings.append(
            f"the rules changed since run {run_id} (fingerprint {record['fingerprint']}, now {rules.fingerprint}); "
            "hits are as recorded, rule titles are today's"
        )
        rules = RuleSet(rules=rules.rules, fingerprint=record["fingerprint"], directory=rules.directory)
    result = ScanResult(
        run_id=run_id,
        rules=rules,
        store=store,
        files=[FileStats(**f) for f in json.loads(record["inputs"] or "[]")],
        timings=json.loads(record["timings"] or "{}"),
    )
    return result, warnings
