"""The core commands: scan, demo, rules and synth."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from screening.demo import run_demo
from screening.errors import ConfigError
from screening.ingest import load_mapping
from screening.ingest.formats import INPUT_FORMATS, SUPPORTED, format_table
from screening.ingest.inspect import register as register_inspect
from screening.ingest.messages.validate import validating
from screening.lists import list_age_warnings
from screening.pipeline import BATCH_ROWS, ScanResult, scan
from screening.report.outputs import (
    OUTPUT_FORMATS,
    check_output,
    format_help,
    output_table,
    tell_stderr,
    write_report,
)
from screening.rules import load_rules
from screening.rules_cli import register_rules_check
from screening.runstate import COMPLETE, abandon, mark_run
from screening.safe_text import cell, clean, markup
from screening.schema import SEVERITIES
from screening.store import DEFAULT_PATH, Store, open_store
from screening.synth import plant_cases, write_ledger_stream, write_planted
from screening.synth.messages import FORMATS as MESSAGE_FORMATS
from screening.synth.messages import write_ledger_messages


def register_core(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add scan, demo, rules and synth to the subparsers."""
    p = sub.add_parser("scan", help="ingest files and screen them with the rules")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=f"files or folders: {SUPPORTED}")
    p.add_argument("--rules", default=None, help="rules directory (default: the bundled rules)")
    p.add_argument("--mapping", default=None, help="YAML file mapping source columns to canonical ones")
    p.add_argument(
        "--sheet",
        action="append",
        dest="sheets",
        default=None,
        metavar="NAME",
        help="read only this sheet of each workbook (repeatable; default: every sheet with a header row)",
    )
    p.add_argument(
        "--validate", action="store_true", help="quarantine ISO 20022 messages that break their official XSD"
    )
    p.add_argument("--out", default=None, help="directory for hits, quarantine and summary files")
    p.add_argument("--format", default="rich", choices=list(OUTPUT_FORMATS), help=format_help())
    p.add_argument("--fail-on", default=None, choices=SEVERITIES, help="exit 1 on hits at or above this")
    p.add_argument("--quiet", action="store_true", help="no terminal report (batch jobs)")
    p.add_argument(
        "--batch-rows", type=int, default=BATCH_ROWS, help=f"rows per batch, the memory bound (default {BATCH_ROWS:,})"
    )
    p.add_argument("--max-list-age", type=int, default=30, metavar="DAYS", help="warn on older lists (default 30)")
    p.add_argument("--engine", default="polars", choices=("polars", "spark"), help="this machine, or Spark (extra)")
    p.add_argument("--partitions", type=int, default=None, help="spark: repartition each input into N partitions")
    p.set_defaults(func=cmd_scan)
    d = sub.add_parser("demo", help="screen a small synthetic ledger offline and show the report")
    d.add_argument("--rows", type=int, default=3000)
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--out", default=None, help="keep the generated ledger and outputs here")
    d.add_argument("--html", default=None, metavar="PATH", help="also write the HTML report to PATH")
    d.set_defaults(func=cmd_demo)
    _register_rules(sub)
    f = sub.add_parser("formats", help="list the input and output formats")
    f.add_argument("--markdown", action="store_true", help="print them as the README's Markdown tables")
    f.set_defaults(func=cmd_formats)
    register_inspect(sub)
    s = sub.add_parser("synth", help="write a seeded synthetic ledger, its parties, lists, planted cases and truth")
    s.add_argument("--rows", type=int, required=True)
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--out", required=True, help="output directory")
    s.add_argument("--format", default="parquet", choices=("parquet", "csv", *MESSAGE_FORMATS))
    s.add_argument(
        "--part-rows", type=int, default=5_000_000, help="records per partition above which the ledger is split"
    )
    s.set_defaults(func=cmd_synth)


def _register_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the rules command group."""
    r = sub.add_parser("rules", help="list, show and check rule files")
    rsub = r.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    for name, func, text in (
        ("list", cmd_rules_list, "list the rules"),
        ("show", cmd_rules_show, "show one rule"),
    ):
        q = rsub.add_parser(name, help=text)
        q.add_argument("--rules", default=None, help="rules directory (default: the bundled rules)")
        if name == "show":
            q.add_argument("rule_id")
        q.set_defaults(func=func)
    register_rules_check(rsub)


def _console(quiet: bool = False) -> Console:
    """Return the stdout console."""
    return Console(quiet=quiet, highlight=False, soft_wrap=True)


def cmd_scan(args: argparse.Namespace) -> int:
    """Screen the inputs, render the report and write outputs."""
    check_output(args.format, args.out)  # before the scan, not after it
    console = _console(args.quiet)
    mapping = load_mapping(Path(args.mapping)) if args.mapping else None
    store = open_store(args.db or DEFAULT_PATH)
    try:  # the reports read the run's hits and records from the store, so they run while it is open
        with validating(args.validate):
            result = _with_progress(lambda progress: _run_scan(args, store, mapping, progress), quiet=args.quiet)
        _report_scan(result, args, console)
        return result.exit_code(args.fail_on)
    finally:
        store.close()


def _report_scan(result: ScanResult, args: argparse.Namespace, console: Console) -> None:
    """Warn, render and write the run's outputs, then record it complete (interrupted or failed if they stop)."""
    try:
        for warning in list_age_warnings(result.store, args.max_list_age):
            print(clean(f"screening: warning: {warning}"), file=sys.stderr)
        write_report(result, args.format, args.out, quiet=args.quiet, console=console, told=tell_stderr)
    except BaseException as exc:
        abandon(result.store, result.run_id, exc)
        raise
    mark_run(result.store, result.run_id, COMPLETE)


def _run_scan(args: argparse.Namespace, store: Store, mapping: dict[str, str] | None, progress: Any) -> ScanResult:
    """Run the scan on the chosen engine."""
    rules = load_rules(args.rules)
    if args.engine == "spark":
        try:
            from screening.spark import scan_spark  # noqa: PLC0415 - the spark extra is optional
        except ImportError as exc:
            raise ConfigError("--engine spark needs the spark extra: pip install 'screening[spark]'") from exc
        if args.sheets or args.validate:
            raise ConfigError(f"{'--sheet' if args.sheets else '--validate'} works with --engine polars only")
        return scan_spark(args.inputs, rules=rules, store=store, mapping=mapping, partitions=args.partitions)
    return scan(
        args.inputs,
        rules=rules,
        store=store,
        mapping=mapping,
        batch_rows=args.batch_rows,
        progress=progress,
        complete=False,
        sheets=args.sheets,  # complete once its outputs are written (_report_scan)
    )


def _with_progress(run: Any, quiet: bool = False) -> ScanResult:
    """Run a scan with a progress bar (file, files begun, rows) on stderr when it is a terminal and not --quiet."""
    err = Console(stderr=True)
    begun: dict[str, None] = {}

    def shown(path: str) -> str:
        """Return the bar's text: the file and how many files were begun, or the run-level rule."""
        if not path.startswith("rule "):
            begun.setdefault(path)
        return f"{Path(path).name} (file {len(begun)})" if not path.startswith("rule ") else path

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=quiet or not err.is_terminal) as bar:
        task = bar.add_task("screening", total=None)
        result: ScanResult = run(lambda path, rows: bar.update(task, completed=rows, description=markup(shown(path))))
    return result


def cmd_formats(args: argparse.Namespace) -> int:
    """Print the input and output formats, from their registries."""
    if args.markdown:
        print(f"{format_table()}\n\n{output_table()}")
        return 0
    console = _console()
    for name, spec in INPUT_FORMATS.items():
        console.print(cell(f"input  {name:<8} {', '.join(spec.extensions):<24} {spec.description}"))
    for name, out in OUTPUT_FORMATS.items():
        console.print(cell(f"output {name:<8} {out.description}"))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Generate, screen and report the demo ledger."""
    console = _console()
    html = Path(args.html) if args.html else None
    if args.out:
        run_demo(Path(args.out), args.rows, args.seed, args.db or ":memory:", console, html)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run_demo(Path(tmp), args.rows, args.seed, args.db or ":memory:", console, html)
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    """Print one line per rule."""
    rules = load_rules(args.rules)
    console = _console()
    for rule in rules.rules:
        console.print(cell(f"{rule.id:<10} {rule.severity:<8} {rule.kind:<20} {rule.title}"))
    console.print(f"{len(rules.rules)} rules, fingerprint {rules.fingerprint}", markup=False)
    return 0


def cmd_rules_show(args: argparse.Namespace) -> int:
    """Print one rule's file."""
    rule = load_rules(args.rules).get(args.rule_id)
    _console().print(cell(Path(rule.path).read_text(encoding="utf-8")))
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic ledger (one file, or partitions when large), parties, lists, planted cases and truth."""

    out = Path(args.out)
    if args.format in MESSAGE_FORMATS:  # the ledger's payments as payment messages (issue 21)
        print("\n".join(f"wrote {p}" for p in write_ledger_messages(args.rows, args.seed, out, args.format)))
        return 0
    written = write_ledger_stream(args.rows, args.seed, out, args.part_rows, file_format=args.format)
    if len(written.partitions) == 1:  # small ledgers are one file
        ledger = written.partitions[0].replace(out / f"ledger.{args.format}")
        written.partitions[0].parent.rmdir()
        print(f"wrote {ledger} ({args.rows:,} records)")
    else:
        print(f"wrote {len(written.partitions)} partitions of {args.rows:,} records in {written.partitions[0].parent}")
    planted = write_planted(plant_cases(args.seed), out)
    for path in (written.truth, written.parties, written.lists, *planted.values()):
        print(f"wrote {path}")
    return 0
