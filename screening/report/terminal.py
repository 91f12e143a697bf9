"""The rich terminal report: summary, quarantine, riskiest parties and records, hits by rule.

Tables fold long text so the report stays tidy at 80 columns; when the output is not a terminal,
rich writes plain text without colour codes.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from screening.pipeline import ScanResult
from screening.safe_text import cell, cells, clean
from screening.scoring import party_risk, record_risk, records_flagged, rule_counts, severity_counts

MAPPINGS_SHOWN = 10  # files up to which the summary shows where each source column went
MESSAGES = 8  # the reader's notes shown; all are in the run record and summary.json
STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def render(result: ScanResult, console: Console, top: int = 10) -> None:
    """Print the whole report."""
    console.print(_summary(result))
    if result.quarantined:
        console.print(_quarantine(result, top))
    if result.noted:
        console.print(_notes(result, top))
    if result.reported.count():
        console.print(_parties(result, top))
        console.print(_records(result, top))
        corridors = _corridors(result, top)
        if corridors.row_count:
            console.print(corridors)
        console.print(_rules(result))


def _summary(result: ScanResult) -> Panel:
    """Return the summary panel: rows, hits by severity, run id and fingerprint."""
    hits, cleared = result.reported.count(), result.cleared.count()
    counts = severity_counts(result.reported)
    sev = Text("  ").join(Text(f"{name} {n}", style=STYLE[name]) for name, n in reversed(counts.items()))
    lines = [
        Text(
            f"files {len(result.files)}   rows read {result.rows_read:,}   stored {result.stored:,}   "
            f"quarantined {result.quarantined:,}   fields noted {result.noted:,}"
        ),
        Text(f"hits {hits:,} on {records_flagged(result.reported):,} records   ").append(sev),
        *([Text(f"{cleared:,} hits cleared by review, not shown", style="dim")] if cleared else []),
        Text(
            clean(f"run {result.run_id}   rules {len(result.rules.rules)} ({result.rules.fingerprint})"),
            style="dim",
        ),
    ]
    lines += [
        cell(f"{Path(f.path).name}: columns not used: {', '.join(f.ignored)}", style="yellow")
        for f in result.files
        if f.ignored
    ]
    lines += [cell(f"skipped {s.path}: {s.reason}", style="yellow") for s in result.skipped]
    if len(result.files) <= MAPPINGS_SHOWN:
        lines += [cell(f"{Path(f.path).name}: {_plan(f.columns)}", style="dim") for f in result.files if f.columns]
    messages = [m for f in result.files for m in f.messages]
    lines += [cell(m, style="yellow") for m in messages[:MESSAGES]]
    if len(messages) > MESSAGES:
        lines.append(cell(f"… {len(messages) - MESSAGES} more notes in summary.json (inputs)", style="yellow"))
    return Panel(Group(*lines), title="Screening run", expand=False)


def _plan(columns: dict[str, str]) -> str:
    """Return where each source column went, ``SOURCE→canonical`` (the name alone when it is the canonical one)."""
    return ", ".join(source if source == target else f"{source}→{target}" for source, target in columns.items())


def _table(title: str, *columns: str) -> Table:
    """Return a folding table with the given columns."""
    table = Table(title=cell(title), title_justify="left", show_lines=False, expand=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


def _quarantine(result: ScanResult, top: int) -> Table:
    """Return the first quarantined rows with their place and reason."""
    table = _table(f"Quarantined rows ({result.quarantined:,})", "where", "reason")
    for row in result.quarantine_rows(top).iter_rows(named=True):
        table.add_row(*cells(f"{row['source_file']}:{row['line']}", row["reason"]))
    return table


def _notes(result: ScanResult, top: int) -> Table:
    """Return the first fields nulled and noted, with their place and reason; their rows were kept."""
    table = _table(f"Fields noted, rows kept ({result.noted:,})", "where", "reason")
    for row in result.notes_rows(top).iter_rows(named=True):
        table.add_row(*cells(f"{row['source_file']}:{row['line']}", row["reason"]))  # the value noted is data
    return table


def _parties(result: ScanResult, top: int) -> Table:
    """Return the riskiest parties."""
    table = _table("Riskiest parties", "party", "records", "risk", "severity", "rules")
    for row in party_risk(result.reported, result.rules, top).iter_rows(named=True):
        sev = cell(row["severity"], style=STYLE.get(row["severity"], ""))
        table.add_row(*cells(row["party"], row["records"], f"{row['risk']:.2f}", sev, row["rules"]))
    return table


def _records(result: ScanResult, top: int) -> Table:
    """Return the riskiest records with their strongest reason."""
    table = _table("Riskiest records", "record", "risk", "severity", "reason")
    for row in record_risk(result.reported, result.rules, top).iter_rows(named=True):
        sev = cell(row["severity"], style=STYLE.get(row["severity"], ""))
        table.add_row(*cells(row["record_id"], f"{row['risk']:.2f}", sev, _brief(row["reason"])))
    return table


def _corridors(result: ScanResult, top: int) -> Table:
    """Return the strongest hits about corridors rather than records of an input file."""
    table = _table("Trade corridors", "rule", "corridor", "score", "detail")
    strongest = result.reported.frame("source_file IS NULL", order="score DESC, record_id, hit_id", limit=top)
    for row in strongest.iter_rows(named=True):
        table.add_row(*cells(row["rule_id"], row["record_id"], f"{row['score']:.2f}", row["detail"]))
    return table


def _brief(text: str, limit: int = 110) -> str:
    """Cut a long reason for the terminal; the full text is in the machine outputs."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rules(result: ScanResult) -> Table:
    """Return hits per rule and severity."""
    titles = {rule.id: rule.title for rule in result.rules.rules}
    table = _table("Hits by rule", "rule", "title", "severity", "hits")
    for row in rule_counts(result.reported).iter_rows(named=True):
        sev = cell(row["severity"], style=STYLE.get(row["severity"], ""))
        table.add_row(*cells(row["rule_id"], titles.get(row["rule_id"], ""), sev, f"{row['hits']:,}"))
    return table
