"""The alert queue: a run's hits, filtered in the store and grouped into cases.

A hit's state is its standing decision: ``open`` (none), ``escalated``, ``cleared``, ``confirmed``,
or ``reopened`` (cleared, but its list entry or party changed since). A case gathers the hits of one
party, one record or one corridor (a ROUTE hit's origin>destination and goods code).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Final

import polars as pl

from screening.lists import listed_relations
from screening.schema import SEVERITIES
from screening.store import Store

STATES: Final = ("open", "escalated", "reopened", "confirmed", "cleared")
ACTIVE: Final = ("open", "escalated", "reopened")  # what the queue shows unless asked otherwise
GROUPS: Final = ("party", "record", "corridor")
PAGE_CASES: Final = 50  # cases on one page of the queue
CASE_ROWS: Final = 20  # hits shown per case on the queue (the case page and the export have them all)
MAX_PAGE: Final = 10**9  # a page asked past this is past the last one anyway: its row offset must fit 64 bits
_LATEST: Final = """
    latest AS (SELECT rule_id, subject, entity_id, decision FROM decisions
               QUALIFY row_number() OVER (PARTITION BY rule_id, subject, entity_id
                                          ORDER BY decided_at DESC, decision_id DESC) = 1)
"""
_CASE_KEY: Final = {
    "party": "coalesce(h.party, h.record_id)",
    "record": "h.record_id",
    "corridor": "CASE WHEN h.rule_id LIKE 'ROUTE-%' THEN regexp_extract(h.record_id, '^(\\S+>\\S+ \\S+)', 1) "
    "ELSE coalesce(h.party, h.record_id) END",
}


@dataclass(frozen=True)
class Filters:
    """The queue's filters, as the form sends them (empty: no filter)."""

    run: str = ""
    rule: str = ""
    severity: str = ""
    source: str = ""
    programme: str = ""
    min_score: str = ""
    max_score: str = ""
    state: str = "active"
    group: str = "party"

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        """Return the filters of a request's query parameters, unknown values dropped."""
        given = {f.name: str(params.get(f.name, "")).strip() for f in fields(cls) if params.get(f.name) is not None}
        filters = cls(**given)
        state = filters.state if filters.state in (*STATES, "active", "any") else "active"
        group = filters.group if filters.group in GROUPS else "party"
        severity = filters.severity if filters.severity in SEVERITIES else ""
        return cls(**{**given, "state": state, "group": group, "severity": severity})

    def query(self) -> dict[str, str]:
        """Return the non-empty filters, for links and the export."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def _score(text: str) -> float | None:
    """Return a score bound from a form field, or None when empty or not a number."""
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _where(filters: Filters) -> tuple[str, list[Any]]:
    """Return the SQL conditions and parameters of the filters (the run's is always first)."""
    conds: list[str] = ["h.run_id = ?"]
    params: list[Any] = [filters.run]
    plain = {"h.rule_id = ?": filters.rule, "h.severity = ?": filters.severity, "h.list_source = ?": filters.source}
    for cond, value in plain.items():
        if value:
            conds.append(cond)
            params.append(value)
    if filters.programme:
        conds.append("contains(lower(coalesce(h.programs, '')), lower(?))")
        params.append(filters.programme)
    for cond, bound in (("h.score >= ?", _score(filters.min_score)), ("h.score <= ?", _score(filters.max_score))):
        if bound is not None:
            conds.append(cond)
            params.append(bound)
    if filters.state in STATES:
        conds.append("h.state = ?")
        params.append(filters.state)
    elif filters.state == "active":
        conds.append(f"h.state IN {ACTIVE}")
    return " AND ".join(conds), params


def _rows_sql(store: Store, filters: Filters, *, materialized: bool = False) -> tuple[str, list[Any]]:
    """Return the SQL of the filtered hits (a ``WITH`` clause ending in ``f``, evaluated once if ``materialized``)."""
    entities = listed_relations(store, filters.run).entities
    where, params = _where(filters)
    rank = "CASE h.severity " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)) + " END"
    sql = f"""
        WITH {_LATEST}, rows AS (
            SELECT h.*, e.source AS list_source, e.programs, {_CASE_KEY[filters.group]} AS case_key,
                CASE WHEN l.decision = 'escalated' THEN 'escalated' ELSE coalesce(h.review, 'open') END AS state,
                {rank} AS severity_rank
            FROM hits h LEFT JOIN {entities} e ON e.entity_id = h.entity_id
            LEFT JOIN latest l ON l.rule_id = h.rule_id
                AND l.subject IS NOT DISTINCT FROM coalesce(h.party, h.record_id)
                AND l.entity_id IS NOT DISTINCT FROM h.entity_id),
        f AS {"MATERIALIZED" if materialized else ""} (SELECT * FROM rows h WHERE {where})
    """
    return sql, params


def queue(store: Store, filters: Filters) -> pl.DataFrame:
    """Return every filtered hit of a run, worst first, with its list source, programmes, state and case key."""
    sql, params = _rows_sql(store, filters)
    return store.frame(f"{sql} SELECT * FROM f ORDER BY severity_rank DESC, score DESC, hit_id", params)


@dataclass(frozen=True)
class Page:
    """One page of a queue's cases, each with its worst hits, and the queue's totals."""

    cases: list[dict[str, Any]]
    number: int
    pages: int
    total_cases: int
    total_hits: int


def _page_rows(store: Store, sql: str, params: list[Any], number: int) -> pl.DataFrame:
    """Return one page's hits with their case's totals and the queue's, in one evaluation of the filtered hits."""
    return store.frame(
        f"""{sql}, cases AS (
                SELECT case_key, count(*) AS hits, max(score) AS best,
                       string_agg(DISTINCT rule_id, ', ' ORDER BY rule_id) AS rules,
                       count(*) OVER () AS total_cases, sum(count(*)) OVER () AS total_hits
                FROM f GROUP BY case_key ORDER BY best DESC, case_key
                LIMIT {PAGE_CASES} OFFSET {(number - 1) * PAGE_CASES})
            SELECT f.*, c.hits AS case_hits, c.best, c.rules, c.total_cases, c.total_hits
            FROM f JOIN cases c USING (case_key)
            QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY severity_rank DESC, score DESC, hit_id)
                <= {CASE_ROWS}
            ORDER BY best DESC, case_key, severity_rank DESC, score DESC, hit_id""",
        params,
    )


def page(store: Store, filters: Filters, number: int) -> Page:
    """Return one page of the queue's cases, best score first, with at most CASE_ROWS hits each."""
    sql, params = _rows_sql(store, filters, materialized=True)
    number = min(max(number, 1), MAX_PAGE)
    rows = _page_rows(store, sql, params, number)
    if rows.height == 0 and number > 1:  # past the last page (a stale link): count the cases, show the last page
        total = store.frame(f"{sql} SELECT count(DISTINCT case_key) AS n FROM f", params)["n"][0]
        number = max(1, -(-total // PAGE_CASES))
        rows = _page_rows(store, sql, params, number)
    total_cases, total_hits = (int(rows["total_cases"][0]), int(rows["total_hits"][0])) if rows.height else (0, 0)
    pages = max(1, -(-total_cases // PAGE_CASES))
    return Page(cases(rows).to_dicts(), number, pages, total_cases, total_hits)


def cases(rows: pl.DataFrame) -> pl.DataFrame:
    """Return the cases of a page's rows: one row per case key with its hit count, best score, rules and shown hits."""
    if rows.height == 0:
        return pl.DataFrame(schema={"case_key": pl.String, "hits": pl.Int64, "score": pl.Float64})
    return rows.group_by("case_key", maintain_order=True).agg(
        pl.col("case_hits").first().alias("hits"),
        pl.col("best").first().alias("score"),
        pl.col("severity").first(),
        pl.col("rules").first(),
        pl.struct("hit_id", "rule_id", "severity", "score", "state", "detail", "list_source").alias("items"),
    )


def runs(store: Store) -> pl.DataFrame:
    """Return the runs, newest first, with their hit counts by state."""
    return store.frame(
        """SELECT r.run_id, r.started_at, r.command, r.status, r.fingerprint, count(h.hit_id) AS hits,
               count(h.hit_id) FILTER (WHERE h.review IS NULL OR h.review = 'reopened') AS open,
               count(h.hit_id) FILTER (WHERE h.review = 'cleared') AS cleared,
               count(h.hit_id) FILTER (WHERE h.review = 'confirmed') AS confirmed
           FROM runs r LEFT JOIN hits h USING (run_id)
           GROUP BY ALL ORDER BY r.started_at DESC, r.run_id DESC"""
    )


def choices(store: Store, run_id: str) -> dict[str, list[str]]:
    """Return the values the queue's filters offer for a run: its rules, and its hits' lists and programmes."""
    listed = listed_relations(store, run_id).entities
    rules = store.frame("SELECT DISTINCT rule_id FROM hits WHERE run_id = ? ORDER BY 1", [run_id])
    entries = store.frame(
        f"""SELECT DISTINCT e.source, e.programs FROM hits h JOIN {listed} e USING (entity_id)
            WHERE h.run_id = ?""",
        [run_id],
    )
    programmes = entries["programs"].str.split("; ").explode().drop_nulls().unique().sort()
    return {
        "rule": rules["rule_id"].to_list(),
        "source": entries["source"].unique().sort().to_list(),
        "programme": [p for p in programmes.to_list() if p],
    }
