"""``screening inspect FILE``: the column plan of a file, without scanning it.

Prints each source column with the canonical column it goes to (or that nothing takes it), the
record kind detected and a sample value, and writes a starter ``--mapping`` YAML listing every
column: the placed ones as placed, the others empty for the user to fill in. ``--synonyms``
prints the synonym table of :data:`screening.ingest.mapping.COLUMN_SYNONYMS` instead.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from screening.errors import ConfigError, InputError
from screening.ingest.batches import open_sources, plan_mapping
from screening.ingest.files import check_file
from screening.ingest.mapping import (
    CANONICAL,
    COLUMN_SYNONYMS,
    PATTERN_EXAMPLES,
    ColumnMapping,
    detect_kind,
    load_mapping,
    resolve,
)
from screening.ingest.messages import is_mt, validate_file
from screening.ingest.raw import LINE
from screening.ingest.wide import as_long
from screening.safe_text import cell, clean, markup
from screening.schema import RecordKind


@dataclass(frozen=True)
class ColumnPlan:
    """Where each source column of a file goes, the kind detected and a sample value per column."""

    path: Path
    kind: RecordKind
    mapping: ColumnMapping
    samples: dict[str, str]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the inspect command."""
    p = sub.add_parser("inspect", help="show where each column of a file goes, without scanning it")
    p.add_argument("file", nargs="?", help="a CSV, XLSX, Parquet or JSON-lines file")
    p.add_argument("--mapping", default=None, help="YAML mapping file to apply first")
    p.add_argument("--write", default=None, metavar="PATH", help="starter mapping (default STEM.mapping.yaml)")
    p.add_argument("--synonyms", action="store_true", help="print the column synonym table instead")
    p.add_argument("--validate", action="store_true", help="validate a payment-message file's messages instead")
    p.set_defaults(func=cmd_inspect)


def cmd_inspect(args: argparse.Namespace) -> int:
    """Print a file's column plan and write its starter mapping, or print the synonym table."""
    console = Console(highlight=False, soft_wrap=True)
    if args.synonyms:
        console.print(synonym_table())
        return 0
    if not args.file:
        raise ConfigError("inspect needs a FILE (or --synonyms)")
    if args.validate:
        return validate_messages(Path(args.file), console)
    explicit = load_mapping(Path(args.mapping)) if args.mapping else None
    plan = column_plan(Path(args.file), explicit)
    console.print(plan_table(plan))
    target = Path(args.write) if args.write else Path(f"{plan.path.stem}.mapping.yaml")
    target.write_text(starter_mapping(plan), encoding="utf-8")
    console.print(f"wrote {clean(target)}", markup=False)
    return 0


def validate_messages(path: Path, console: Console) -> int:
    """Print what validating a message file's messages finds; return 1 when a message is invalid, else 0."""
    if check_file(path) != "messages":
        raise ConfigError(f"{path}: --validate checks payment-message files (ISO 20022 XML, SWIFT MT) only")
    read, rejects, said = validate_file(path)
    for line, reason in rejects:
        console.print(cell(f"{path}:{line}: {reason}"))
    for note in said:
        console.print(cell(note))
    what = "SWIFT MT: FIN blocks and mandatory fields" if is_mt(path) else "the official ISO 20022 schemas"
    what += " where one is shipped" if said else ""
    console.print(cell(f"{path.name}: {read} records read, {len(rejects)} quarantined, checked against {what}"))
    return 1 if rejects else 0


def column_plan(path: Path, explicit: dict[str, str] | None = None) -> ColumnPlan:
    """Return a file's column plan: its header read, its columns mapped, a sample row taken."""
    where, opened = open_sources(path, 100, explicit)[0]  # a workbook's first sheet with a header
    source = as_long(opened, explicit, where)
    try:
        used, kind = plan_mapping(path, source.columns, explicit, None)
    except InputError:  # nothing maps: the plan still lists every column, all unplaced
        used = resolve(source.columns, explicit)
        kind = detect_kind(t for t in used.values() if t)
    first = next(source.read(source.columns), None)
    rows = first.rows.drop(LINE) if first is not None else None
    samples = {}
    if rows is not None and rows.height:
        samples = {c: "" if v is None else str(v)[:40] for c, v in rows.row(0, named=True).items()}
    return ColumnPlan(path, kind, used, samples)


def plan_table(plan: ColumnPlan) -> Table:
    """Return the plan as a table: source column, canonical column, sample value."""
    placed = sum(1 for t in plan.mapping.values() if t)
    title = f"{markup(plan.path.name)}: {plan.kind}, {placed} of {len(plan.mapping)} columns placed"
    table = Table(title=title, title_justify="left")
    for name in ("source column", "canonical column", "sample"):
        table.add_column(name, overflow="fold")
    for source, target in plan.mapping.items():
        shown = cell(target) if target else Text("not used", style="yellow")
        table.add_row(cell(source), shown, cell(plan.samples.get(source, "")))
    return table


def starter_mapping(plan: ColumnPlan) -> str:
    """Return a mapping YAML with every column: placed ones as placed, the others empty to fill in."""
    lines = [
        f"# Column mapping for {plan.path.name} (screening inspect); use with: screening scan --mapping FILE",
        f"# Canonical columns: {', '.join(CANONICAL)}",
        "# An empty value leaves the column unused.",
    ]
    for source, target in plan.mapping.items():
        note = "" if target else "  # not placed: name its canonical column, or leave it empty"
        lines.append(f"{json.dumps(source, ensure_ascii=False)}: {json.dumps(target or '')}{note}")
    return "\n".join(lines) + "\n"


def synonym_table() -> Table:
    """Return the synonym table: each canonical column and the source column names taken as it."""
    table = Table(title="Column synonyms (compared case-folded, without spaces, _ - . /)", title_justify="left")
    table.add_column("canonical column")
    table.add_column("source column names", overflow="fold")
    for canonical, names in COLUMN_SYNONYMS.items():
        ruled = PATTERN_EXAMPLES.get(canonical)
        table.add_row(canonical, ", ".join(names) + (f"; by rule: {ruled}" if ruled else ""))
    return table
