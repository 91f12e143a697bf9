"""Commands over recorded runs: runs, explain, review and diff (all read the store, ``--db``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import polars as pl
from rich.console import Console
from rich.table import Table

from screening.errors import ConfigError
from screening.report.diff import diff_runs, require_run
from screening.report.explain import evidence, render_evidence
from screening.report.outputs import OUTPUT_FORMATS, check_output, format_help, tell_stderr, write_report
from screening.report.stored import load_result
from screening.review import decide, history
from screening.runstate import STATUS
from screening.safe_text import cell, cells, clean
from screening.scoring import ORDERED
from screening.store import DEFAULT_PATH, Store, open_store
from screening.stored_hits import StoredHits

SHOWN_HITS: Final = 1000  # `runs RUN` lists this many hits; a big run's are exported by `report`


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add runs, report, explain, review and diff to the subparsers."""
    rep = sub.add_parser("report", help="render the report of a recorded run again")
    rep.add_argument("run_id")
    rep.add_argument("--format", default="rich", choices=list(OUTPUT_FORMATS), help=format_help())
    rep.add_argument("--out", default=None, help="directory for hits, quarantine and summary files (and report.html)")
    rep.add_argument("--quiet", action="store_true", help="no terminal report")
    rep.set_defaults(func=cmd_report)
    runs = sub.add_parser("runs", help="list recorded runs, or show one with its provenance and hits")
    runs.add_argument("run_id", nargs="?", help="the run to show")
    runs.add_argument("--json", action="store_true", help="print JSON")
    runs.add_argument("--limit", type=int, default=SHOWN_HITS, help=f"hits shown, most severe first ({SHOWN_HITS})")
    runs.set_defaults(func=cmd_runs)
    ex = sub.add_parser("explain", help="show the full evidence behind one hit")
    ex.add_argument("run_id")
    ex.add_argument("hit_id")
    ex.add_argument("--json", action="store_true", help="print JSON")
    ex.set_defaults(func=cmd_explain)
    rv = sub.add_parser("review", help="confirm or clear a hit, or show the decisions")
    rsub = rv.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    for action in ("confirm", "clear"):
        q = rsub.add_parser(action, help=f"{action} a hit (later runs keep the decision)")
        q.add_argument("run_id")
        q.add_argument("hit_id")
        q.add_argument("--reason", required=True)
        q.add_argument("--by", required=True, help="who decides")
        q.set_defaults(func=cmd_review, decision="cleared" if action == "clear" else "confirmed")
    h = rsub.add_parser("history", help="list decisions, or those on one hit's subject")
    h.add_argument("hit_id", nargs="?")
    h.set_defaults(func=cmd_history)
    d = sub.add_parser("diff", help="hits new, gone or changed between two runs")
    d.add_argument("run_a")
    d.add_argument("run_b")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.set_defaults(func=cmd_diff)


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[Store]:
    """Open the store a recorded-run command reads, refusing one that does not exist, and close it after."""
    path = args.db or DEFAULT_PATH
    if path != ":memory:" and not Path(path).exists():
        raise ConfigError(f"{path}: no store here; scan with --db {path} first (runs are recorded in the store)")
    store = open_store(path)
    try:
        yield store
    finally:
        store.close()


def _console() -> Console:
    """Return the stdout console."""
    return Console(highlight=False, soft_wrap=True)


def _print_json(value: Any) -> None:
    """Print a value as JSON."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n")


def _table(frame: pl.DataFrame, title: str) -> Table:
    """Return a folding table of a frame."""
    table = Table(title=cell(title), title_justify="left")
    for column in frame.columns:
        table.add_column(cell(column), overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*cells(*row))
    return table


def cmd_runs(args: argparse.Namespace) -> int:
    """List the recorded runs, or show one with its provenance and hits."""
    with _store(args) as store:
        if args.run_id is None:
            runs = store.frame(
                f"SELECT run_id, {STATUS} AS status, started_at, command, engine_version, fingerprint, counts "
                "FROM runs ORDER BY started_at"
            )
            if args.json:
                _print_json(runs.to_dicts())
            else:
                _console().print(_table(runs, f"Runs in {store.path}"))
            return 0
        require_run(store, args.run_id)
        every = StoredHits(store, args.run_id), StoredHits(store, args.run_id, cleared=True)
        total = sum(h.count() for h in every)
        hits = pl.concat([h.frame(order=ORDERED, limit=max(args.limit, 0)) for h in every]).head(max(args.limit, 0))
        record = store.frame("SELECT * FROM runs WHERE run_id = ?", [args.run_id]).row(0, named=True)
    if args.json:
        _print_json({"run": record, "hits_total": total, "hits": hits.to_dicts()})
        return 0
    console = _console()
    for key in (
        "run_id",
        "started_at",
        "finished_at",
        "command",
        "engine_version",
        "fingerprint",
        "inputs",
        "lists",
        "params",
        "counts",
        "timings",
        "status",
    ):
        console.print(cell(f"{key}: {record[key]}"))
    shown = hits.select("hit_id", "rule_id", "severity", "record_id", "party", "review", "detail")
    console.print(_table(shown, f"Hits: {hits.height:,} of {total:,}, most severe first"))
    if hits.height < total:
        console.print(cell(f"all hits: screening report {args.run_id} --format csv --out DIR"))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Render a recorded run's report in the chosen format."""
    check_output(args.format, args.out)
    with _store(args) as store:  # the reports read the run's hits and records from the store
        result, warnings = load_result(store, args.run_id)
        for warning in warnings:
            print(clean(f"screening: warning: {warning}"), file=sys.stderr)
        write_report(result, args.format, args.out, quiet=args.quiet, console=_console(), told=tell_stderr)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print the evidence behind one hit."""
    with _store(args) as store:
        doc = evidence(store, args.run_id, args.hit_id)
    if args.json:
        _print_json(doc)
    else:
        render_evidence(doc, _console())
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Record an analyst's decision on a hit."""
    with _store(args) as store:
        row = decide(store, args.run_id, args.hit_id, decision=args.decision, reason=args.reason, analyst=args.by)
    print(clean(f"{row['decision_id']}: {row['decision']} {row['rule_id']} on {row['subject']} by {row['analyst']}"))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Print the decisions, oldest first."""
    with _store(args) as store:
        rows = history(store, args.hit_id)
    _console().print(
        _table(
            rows.select("decision_id", "decided_at", "decision", "rule_id", "subject", "analyst", "reason"), "Decisions"
        )
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the hits that are new, gone or changed between two runs."""
    with _store(args) as store:
        changes = diff_runs(store, args.run_a, args.run_b)
    if args.json:
        _print_json(changes.to_dicts())
        return 0
    counts = {k: changes.filter(pl.col("change") == k).height for k in ("new", "gone", "changed")}
    console = _console()
    console.print(
        cell(f"{args.run_a} → {args.run_b}: {counts['new']} new, {counts['gone']} gone, {counts['changed']} changed")
    )
    if changes.height:
        console.print(
            _table(changes.select("change", "rule_id", "record_id", "party", "severity", "review", "detail"), "Changes")
        )
    return 0
