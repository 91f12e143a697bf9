"""The rich terminal report: summary, quarantine, riskiest parties and records, hits by rule.

Tables fold long text so the report stays tidy at 80 columns; when the output is not a terminal,
rich writes plain text without colour codes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from screening.pipeline import ScanResult
from screening.scoring import party_risk, record_risk, rule_counts, severity_counts

STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render(result: ScanResult, console: Console, top: int = 10) -> None:
    """Print the whole report."""
    console.print(_summary(result))
    if result.quarantined:
        console.print(_quarantine(result, top))
    if result.hits.height:
        console.print(_parties(result, top))
        console.print(_records(result, top))
        corridors = result.hits.filter(pl.col("source_file").is_null())
        if corridors.height:
            console.print(_corridors(corridors, top))
        console.print(_rules(result))


def _summary(result: ScanResult) -> Panel:
    """Return the summary panel: rows, hits by severity, run id and fingerprint."""
    counts = severity_counts(result.hits)
    sev = Text("  ").join(Text(f"{name} {n}", style=STYLE[name]) for name, n in reversed(counts.items()))
    lines = [
        Text(
            f"files {len(result.files)}   rows read {result.rows_read:,}   stored {result.stored:,}   "
            f"quarantined {result.quarantined:,}"
        ),
        Text(f"hits {result.hits.height:,} on {result.hits['record_id'].n_unique():,} records   ").append(sev),
        *(
            [Text(f"{result.suppressed.height:,} hits cleared by review, not shown", style="dim")]
            if result.suppressed.height
            else []
        ),
        Text(
            f"run {result.run_id}   rules {len(result.rules.rules)} ({result.rules.fingerprint})",
            style="dim",
        ),
    ]
    lines += [
        Text(f"{Path(f.path).name}: columns not used: {', '.join(f.ignored)}", style="yellow")
        for f in result.files
        if f.ignored
    ]
    return Panel(Group(*lines), title="Screening run", expand=False)


def _table(title: str, *columns: str) -> Table:
    """Return a folding table with the given columns."""
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


def _quarantine(result: ScanResult, top: int) -> Table:
    """Return the first quarantined rows with their place and reason."""
    table = _table(f"Quarantined rows ({result.quarantined:,})", "where", "reason")
    for row in result.quarantine.head(top).iter_rows(named=True):
        table.add_row(f"{row['source_file']}:{row['line']}", row["reason"])
    return table


def _parties(result: ScanResult, top: int) -> Table:
    """Return the riskiest parties."""
    table = _table("Riskiest parties", "party", "records", "risk", "severity", "rules")
    for row in party_risk(result.hits, result.rules).head(top).iter_rows(named=True):
        sev = Text(row["severity"], style=STYLE[row["severity"]])
        table.add_row(row["party"], str(row["records"]), f"{row['risk']:.2f}", sev, row["rules"])
    return table


def _records(result: ScanResult, top: int) -> Table:
    """Return the riskiest records with their strongest reason."""
    table = _table("Riskiest records", "record", "risk", "severity", "reason")
    for row in record_risk(result.hits, result.rules).head(top).iter_rows(named=True):
        sev = Text(row["severity"], style=STYLE[row["severity"]])
        table.add_row(row["record_id"], f"{row['risk']:.2f}", sev, _brief(row["reason"]))
    return table


def _corridors(hits: pl.DataFrame, top: int) -> Table:
    """Return the strongest hits about corridors rather than records, with their series."""
    table = _table("Trade corridors", "rule", "corridor", "score", "detail")
    for row in hits.sort("score", "record_id", descending=[True, False]).head(top).iter_rows(named=True):
        table.add_row(row["rule_id"], row["record_id"], f"{row['score']:.2f}", row["detail"])
    return table


def _brief(text: str, limit: int = 110) -> str:
    """Cut a long reason for the terminal; the full text is in the machine outputs."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rules(result: ScanResult) -> Table:
    """Return hits per rule and severity."""
    titles = {rule.id: rule.title for rule in result.rules.rules}
    table = _table("Hits by rule", "rule", "title", "severity", "hits")
    for row in rule_counts(result.hits).iter_rows(named=True):
        sev = Text(row["severity"], style=STYLE[row["severity"]])
        table.add_row(row["rule_id"], titles.get(row["rule_id"], ""), sev, f"{row['hits']:,}")
    return table
