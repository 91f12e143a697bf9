"""Combines a run's stored hits into record, party and rule summaries, computed by the store.

A record's risk is the noisy-or of its hits, ``1 - Π(1 - weight × score)``: one strong hit is
enough, several weak ones add up, and the value stays in [0, 1]. The sums run in DuckDB over the
hits table, so a run with tens of millions of hits is summed up without holding them in memory
(DuckDB spills to disk past its memory limit).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.kinds import rule_ids
from screening.rules import RuleSet
from screening.schema import SEVERITIES
from screening.stored_hits import StoredHits

# severity as a rank (low 0 … critical 3) and back, in SQL
RANK: Final = "CASE severity " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)) + " ELSE 0 END"
# ln(0) is -inf and exp(-inf) is 0, so a certain hit makes the risk exactly 1
_RISK: Final = "round(1 - exp(sum(ln(1 - least(greatest(w, 0), 1)))), 4)"
_WEIGHTED: Final = f"""weighted AS (
        SELECT h.*, coalesce(r.weight, 1.0) * h.score AS w, {RANK} AS rank, coalesce(r.lists_party, false) AS lists
        FROM run_hits h LEFT JOIN (
            SELECT unnest(?::VARCHAR[]) AS rule_id, unnest(?::DOUBLE[]) AS weight, unnest(?::BOOLEAN[]) AS lists_party
        ) r USING (rule_id)
    )"""
# the order of the report's hits table: the most severe, highest-scoring first
ORDERED: Final = f"({RANK}) DESC, score DESC, rule_id, record_id, hit_id"


def listing_rules(rules: RuleSet) -> list[str]:
    """Return the ids of the rules whose hits say a party is on a sanctions list (their kind declares it)."""
    return rule_ids(rules.rules, lambda spec: spec.lists_party)


def _weights(rules: RuleSet) -> list[list[object]]:
    """Return the rules' ids, weights and whether their kind lists parties: the parameters of the weighted view."""
    listing = set(listing_rules(rules))
    return [[r.id for r in rules.rules], [r.weight for r in rules.rules], [r.id in listing for r in rules.rules]]


def record_risk(hits: StoredHits, rules: RuleSet, top: int | None = None) -> pl.DataFrame:
    """Return one row per flagged record (risk, severity, party, rules, reason), riskiest first."""
    # risks of every record first, then text (rules, the strongest hit's detail) for the records shown only
    order = "risk DESC, source_file NULLS LAST, line NULLS LAST, record_id"
    body = f"""  -- continues the WITH run_hits AS (…) of StoredHits.sql
        , {_WEIGHTED}
        , records AS (
            SELECT record_id, source_file, line, {_RISK} AS risk, max(rank) AS rank
            FROM weighted GROUP BY record_id, source_file, line ORDER BY {order} {_limit(top)}
        )
        SELECT r.record_id, r.source_file, r.line, r.risk, {_named("r.rank")} AS severity, min(w.party) AS party,
               string_agg(DISTINCT w.rule_id, ', ' ORDER BY w.rule_id) AS rules,
               first(w.detail ORDER BY w.w DESC, w.hit_id) AS reason
        FROM records r JOIN weighted w ON w.record_id = r.record_id
            AND w.source_file IS NOT DISTINCT FROM r.source_file AND w.line IS NOT DISTINCT FROM r.line
        GROUP BY r.record_id, r.source_file, r.line, r.risk, r.rank ORDER BY {order}
    """
    return hits.sql(body, _weights(rules))


def party_risk(hits: StoredHits, rules: RuleSet, top: int | None = None) -> pl.DataFrame:
    """Return one row per named party (records, risk, severity, rules): listed parties first, then riskiest."""
    # a party matching a sanctions list (a hit of a kind that lists parties) outranks any goods or route exposure
    order = "listed DESC, rank DESC, risk DESC, records DESC, party"
    body = f"""  -- continues the WITH run_hits AS (…) of StoredHits.sql
        , {_WEIGHTED}
        , per_record AS (
            SELECT party, record_id, {_RISK} AS w, max(rank) AS rank, bool_or(lists) AS listed
            FROM weighted WHERE party IS NOT NULL GROUP BY party, record_id
        )
        , parties AS (
            SELECT party, count(*) AS records, {_RISK} AS risk, max(rank) AS rank, bool_or(listed) AS listed
            FROM per_record GROUP BY party ORDER BY {order} {_limit(top)}
        )
        SELECT p.party, p.records, p.risk, {_named("p.rank")} AS severity,
               string_agg(DISTINCT h.rule_id, ', ' ORDER BY h.rule_id) AS rules
        FROM parties p JOIN run_hits h ON h.party = p.party
        GROUP BY p.party, p.records, p.risk, p.rank, p.listed ORDER BY {order}
    """
    return hits.sql(body, _weights(rules))


def rule_counts(hits: StoredHits) -> pl.DataFrame:
    """Return hits per rule and severity."""
    body = "SELECT rule_id, severity, count(*) AS hits FROM run_hits GROUP BY ALL ORDER BY rule_id, severity"
    return hits.sql(body)


def severity_counts(hits: StoredHits) -> dict[str, int]:
    """Return the number of hits of each severity, every severity present."""
    counts = dict(hits.sql("SELECT severity, count(*) FROM run_hits GROUP BY ALL").iter_rows())
    return {name: int(counts.get(name, 0)) for name in SEVERITIES}


def records_flagged(hits: StoredHits) -> int:
    """Return how many distinct records the hits name."""
    return int(hits.sql("SELECT count(DISTINCT record_id) AS n FROM run_hits")["n"][0])


def _named(rank: str) -> str:
    """Return SQL naming the severity of a rank column."""
    return f"CASE {rank} " + " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(SEVERITIES)) + " END"


def _limit(top: int | None) -> str:
    """Return a LIMIT clause, or nothing."""
    return f"LIMIT {int(top)}" if top is not None else ""
