"""The run summary, shared by every output format (a versioned, documented JSON object).

Schema ``screening.run-summary/1``: ``run_id``, ``engine_version``, ``fingerprint`` (of the rule
set), ``rules`` (id, title, severity; ``scorer``, hand or model, for a rule matching names),
``name_model`` (the shipped name model file and its sha256, which a rule by the model ran),
``files`` (path, sha256, kind, rows_read, stored,
quarantined, noted, ignored columns, ``columns``: source column -> canonical column), ``skipped``
(path, reason: inputs not read), ``counts`` (rows_read, stored, quarantined, noted: fields
nulled and noted in stored rows, hits, suppressed, records_flagged), ``hits_by_severity``,
``hits_by_rule`` (rule_id, severity, hits) and ``timings_s`` per stage. Fields are only ever
added, never renamed, within a schema version.
"""

from __future__ import annotations

from typing import Any, Final

from screening import __version__
from screening.names.model import MODEL_FILE, shipped_sha256
from screening.pipeline import ScanResult
from screening.rules import Rule, name_scorer
from screening.scoring import records_flagged, rule_counts, severity_counts

SUMMARY_SCHEMA: Final = "screening.run-summary/1"


def run_summary(result: ScanResult) -> dict[str, Any]:
    """Return counts, files with hashes, hits by severity and rule, fingerprint and timings."""
    return {
        "schema": SUMMARY_SCHEMA,
        "run_id": result.run_id,
        "engine_version": __version__,
        "fingerprint": result.rules.fingerprint,
        "rules": [_rule(r) for r in result.rules.rules],
        "name_model": {"file": f"screening/data/{MODEL_FILE}", "sha256": shipped_sha256()},
        "files": [vars(f) for f in result.files],
        "skipped": [vars(s) for s in result.skipped],
        "counts": {
            "rows_read": result.rows_read,
            "stored": result.stored,
            "quarantined": result.quarantined,
            "noted": result.noted,
            "hits": result.reported.count(),
            "suppressed": result.cleared.count(),
            "records_flagged": records_flagged(result.reported),
        },
        "hits_by_severity": severity_counts(result.reported),
        "hits_by_rule": rule_counts(result.reported).to_dicts(),
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
    }


def _rule(rule: Rule) -> dict[str, Any]:
    """Return a rule's summary entry: id, title, severity, and the name scorer it ran where it matches names."""
    scorer = name_scorer(rule)
    return {"id": rule.id, "title": rule.title, "severity": rule.severity} | ({"scorer": scorer} if scorer else {})
