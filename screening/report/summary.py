"""The run summary, shared by every output format (a versioned, documented JSON object)."""

from __future__ import annotations

from typing import Any, Final

from screening.pipeline import ScanResult
from screening.scoring import rule_counts, severity_counts

SUMMARY_SCHEMA: Final = "screening.run-summary/1"


def run_summary(result: ScanResult) -> dict[str, Any]:
    """Return counts, files with hashes, hits by severity and rule, fingerprint and timings."""
    return {
        "schema": SUMMARY_SCHEMA,
        "run_id": result.run_id,
        "fingerprint": result.rules.fingerprint,
        "rules": [
            {"id": r.id, "title": r.title, "severity": r.severity} for r in result.rules.rules
        ],
        "files": [vars(f) for f in result.files],
        "counts": {
            "rows_read": result.rows_read,
            "stored": result.stored,
            "quarantined": result.quarantined,
            "hits": result.hits.height,
            "records_flagged": result.hits["record_id"].n_unique(),
        },
        "hits_by_severity": severity_counts(result.hits),
        "hits_by_rule": rule_counts(result.hits).to_dicts(),
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
    }
