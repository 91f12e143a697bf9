"""The HTML risk report: one self-contained file (no network, no CDN) that any browser opens offline.

Decisions:

- **Templating**: Jinja2 with autoescape on (hit details carry names from untrusted files); the
  only unescaped pieces are the SVG charts (matplotlib escapes their text) and the hits payload,
  JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes so no name can close the
  ``<script>`` element that holds it.
- **Charts**: matplotlib drawn into inline SVG (:mod:`screening.report.charts`): no JavaScript, a
  few tens of kB each, rendered by every browser and printable.
- **Hits table**: every hit up to :data:`TABLE_HITS` (the most severe and highest-scoring; the
  report says how many more the exports hold), as an embedded JSON array in columns, text columns with many repeats
  stored once with codes into them; a few lines of vanilla JavaScript page through it (100 rows a
  page), filter by text and severity, and build rows with ``textContent`` (never ``innerHTML``).
  100,000 hits make a file of a few MB (measured in ``tests/report/test_html.py``). A name hit also
  shows its list entry's list (source and version), programmes and the strength of the matched name,
  read from the store's list tables (or the bundled sample lists a run without imported lists
  screened); other hits leave those cells empty.
- **Sections**: header (run, date, engine version, rule-set fingerprint, inputs with SHA-256, list
  versions), counts (rows read, stored, quarantined; hits by severity and rule), riskiest parties
  and records with reasons (:mod:`screening.scoring`), charts (score distribution per rule family;
  records with hits of goods rules per HS chapter and destination; corridor series with the
  2019–21 baseline mean and the flagged year; ownership chains as a graph — each chart takes the
  hits of the rules whose kind declares its family, ``KindSpec.family``), the hits table
  and the quarantine.
- **Store**: every number is read from the run's store while it is open: the hits are summed up
  there (:mod:`screening.scoring`) and only the table's hits are read out, so a run with tens of
  millions of hits renders in bounded memory. Goods, corridor and ownership charts draw the records
  the hits name; a store without them (a Spark run keeps its transactions in its input files) gets
  a note in place of each such chart (the corridor scores are still drawn as bars). Run date and
  list versions come from the store's ``runs`` row, else from ``summary``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import polars as pl
from jinja2 import Environment, PackageLoader

from screening import __version__
from screening.kinds.base import Family
from screening.pipeline import ScanResult
from screening.report import charts
from screening.report.atomic import write_text
from screening.report.html_data import (
    BASENAME,
    corridor_hits,
    corridor_series,
    family_where,
    goods_by_destination,
    hits_payload,
    ownership_edges,
    score_bins,
    script_json,
    table_rows,
)
from screening.report.summary import run_summary
from screening.schema import RECORD_TABLES, RecordKind
from screening.scoring import party_risk, record_risk

TOP: Final = 25
CORRIDOR_PANELS: Final = 6
PAGE_SIZE: Final = 100
# The hits table holds the most severe, highest-scoring hits up to this many (a 10M-row run has
# over a million hits: a browser cannot page them); every hit is in the JSON/CSV/Parquet outputs.
TABLE_HITS: Final = 100_000
NO_RECORDS: Final = "Not drawn: the chart reads the run's records, and this store does not hold them."


def render_html(result: ScanResult, path: Path, *, summary: dict[str, Any] | None = None, top: int = TOP) -> Path:
    """Write the report of a run to ``path`` as one self-contained HTML file and return the path."""
    env = Environment(loader=PackageLoader("screening.report", "templates"), autoescape=True)
    page = env.get_template("report.html.j2").render(**report_context(result, summary, top))
    return write_text(path, page)


def report_context(result: ScanResult, summary: dict[str, Any] | None, top: int) -> dict[str, Any]:
    """Return everything the template shows."""
    info = summary or run_summary(result)
    table = table_rows(result.reported, TABLE_HITS)
    return {
        "header": _header(result, info),
        "summary": info,
        "files": [{**vars(f), "name": Path(f.path).name} for f in result.files],
        "titles": {rule.id: rule.title for rule in result.rules.rules},
        "parties": party_risk(result.reported, result.rules, top).to_dicts(),
        "records": record_risk(result.reported, result.rules, top).to_dicts(),
        "charts": _charts(result),
        "quarantine": _quarantine(result),
        "notes": _notes(result),
        "hits_json": script_json(hits_payload(table, result.reported.count())),
        "hits_shown": table.height,
        "page_size": PAGE_SIZE,
    }


def _header(result: ScanResult, summary: dict[str, Any]) -> dict[str, Any]:
    """Return the run's identity: id, date, engine version, fingerprint and list versions."""
    rows = result.store.frame("SELECT started_at, engine_version, lists FROM runs WHERE run_id = ?", [result.run_id])
    run: dict[str, Any] = rows.row(0, named=True) if rows.height else {}
    lists = json.loads(run["lists"]) if run.get("lists") else summary.get("lists", [])
    started = run.get("started_at") or summary.get("started_at")
    return {
        "run_id": result.run_id,
        "started": str(started)[:19] if started else None,
        "written": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "engine": run.get("engine_version") or summary.get("engine_version") or __version__,
        "fingerprint": result.rules.fingerprint,
        "rules": len(result.rules.rules),
        "lists": lists,
    }


def _charts(result: ScanResult) -> list[dict[str, str]]:
    """Return the charts as titled SVG snippets, or a note saying why one is not drawn."""
    hits = result.reported
    scores = {"key": "scores", "title": "Score distribution per rule family"}
    goods = {"key": "goods", "title": "Dual-use goods (hits of goods rules) by HS chapter and destination"}
    owners = {"key": "ownership", "title": "Ownership chains to parties blocked under the 50 % rule (ownership hits)"}
    counts, edges, bins = (
        goods_by_destination(hits, result.rules),
        ownership_edges(hits, result.rules),
        score_bins(hits),
    )
    goods_note = _missing(result, "goods", ("transactions",), "No hits of goods rules.")
    owners_note = _missing(result, "ownership", ("ownership",), "No ownership hits.")
    return [
        _draw(scores, bins.height > 0, lambda: charts.score_chart(bins), "No hits."),
        _draw(goods, counts.height > 0, lambda: charts.goods_chart(counts), goods_note),
        _corridors(result),
        _draw(owners, edges.height > 0, lambda: charts.ownership_chart(edges), owners_note),
    ]


def _corridors(result: ScanResult) -> dict[str, str]:
    """Return the corridor series chart, or the corridor scores when the series cannot be read."""
    keys = corridor_hits(result.reported.frame(family_where(result.rules, "corridors")), CORRIDOR_PANELS)
    series = corridor_series(keys, result.store, result.run_id)
    if keys.height and series.height:
        chart = {"key": "corridors", "title": "Corridor surges (corridor hits): monthly value, baseline, flagged years"}
        return _draw(chart, True, lambda: charts.corridor_chart(keys, series), "")
    chart = {"key": "corridors", "title": "Corridor surges (corridor hits) by score"}
    entry = _draw(chart, keys.height > 0, lambda: charts.corridor_scores_chart(keys), "No corridor hits.")
    note = _missing(result, "corridors", ("transactions", "flows"), "No monthly series found for these corridors.")
    return {**entry, "note": note} if keys.height else entry


def _missing(result: ScanResult, family: Family, kinds: tuple[RecordKind, ...], reason: str) -> str:
    """Return why a chart about records is not drawn: no hit of the family, or a store without the records."""
    probe = "SELECT count(*) FROM (SELECT 1 FROM {} WHERE run_id = ? LIMIT 1)"
    held = sum(result.store.scalar(probe.format(RECORD_TABLES[k]), [result.run_id]) for k in kinds)
    return NO_RECORDS if not held and result.reported.count(family_where(result.rules, family)) else reason


def _draw(chart: dict[str, str], drawn: bool, draw: Callable[[], str], reason: str) -> dict[str, str]:
    """Return one chart entry with its SVG when ``drawn``, else with the reason it is missing."""
    return {**chart, "svg": draw() if drawn else "", "note": "" if drawn else reason}


def _quarantine(result: ScanResult, top: int = 50) -> dict[str, Any]:
    """Return quarantined rows per file (counted in the store) and the first rows with their reasons."""
    file = f"regexp_replace(source_file, '{BASENAME}', '')"
    per_file = result.store.frame(
        f"SELECT {file} AS file, count(*) AS rows FROM quarantine WHERE run_id = ? GROUP BY 1 ORDER BY rows DESC, file",
        [result.run_id],
    )
    named = result.quarantine_rows(top).with_columns(pl.col("source_file").str.replace(BASENAME, "").alias("file"))
    return {"total": int(per_file["rows"].sum()), "per_file": per_file.to_dicts(), "rows": named.to_dicts()}


def _notes(result: ScanResult, top: int = 50) -> dict[str, Any]:
    """Return the fields nulled and noted per file, column and reason, the first notes, and the readers' messages."""
    file = f"regexp_replace(source_file, '{BASENAME}', '')"
    per_column = result.store.frame(
        f'SELECT {file} AS file, "column", reason, count(*) AS fields FROM notes WHERE run_id = ? '
        'GROUP BY ALL ORDER BY fields DESC, file, "column", reason',
        [result.run_id],
    )
    named = result.notes_rows(top).with_columns(pl.col("source_file").str.replace(BASENAME, "").alias("file"))
    messages = [m for f in result.files for m in f.messages]
    return {
        "total": int(per_column["fields"].sum()),
        "per_column": per_column.head(top).to_dicts(),
        "rows": named.to_dicts(),
        "messages": messages[:top],
        "messages_total": len(messages),
    }
