"""The ``screening lists`` command group: import, show, history, diff and update sanctions lists."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Final

from rich.console import Console
from rich.table import Table

from screening.errors import ListError
from screening.lists.history import diff_imports, history
from screening.lists.model import ListImport
from screening.lists.registry import FORMATS
from screening.lists.storage import (
    DEFAULT_MAX_PROBLEM_SHARE,
    ImportOptions,
    ImportRefusedError,
    import_list,
    version_date,
)
from screening.lists.summary import summary_lines
from screening.lists.update import DEFAULT_SOURCES, SOURCES, update_lists
from screening.safe_text import cells, clean, markup
from screening.store import DEFAULT_PATH, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lists`` command group to the top-level parser's subcommands."""
    lists = subparsers.add_parser("lists", help="import, show and update sanctions lists")
    commands = lists.add_subparsers(dest="lists_command", required=True)
    imp = commands.add_parser("import", help="import list files into the store")
    imp.add_argument("files", nargs="+", metavar="FILE", help="list file or OFAC CSV folder")
    imp.add_argument("--format", choices=list(FORMATS), help="skip detection; read as this")
    imp.add_argument(
        "--force", action="store_true", help="replace the stored version even when the import has too many problems"
    )
    imp.add_argument(
        "--max-problems",
        type=_share,
        default=DEFAULT_MAX_PROBLEM_SHARE,
        metavar="SHARE",
        help="largest share of problems (0..1) an import may have to replace a stored version (default: 0.01)",
    )
    imp.add_argument(
        "--version", dest="list_version", metavar="DATE", help="the version to record, for files that state no date"
    )
    imp.add_argument("--source", metavar="NAME", help="source name of a generic list CSV (default: generic)")
    imp.set_defaults(func=cmd_import)
    show = commands.add_parser("show", help="list sources, versions, counts and age")
    show.set_defaults(func=cmd_show)
    hist = commands.add_parser("history", help="every import of every source (or one), newest first")
    hist.add_argument("source", nargs="?", metavar="SOURCE")
    hist.set_defaults(func=cmd_history)
    diff = commands.add_parser("diff", help="entries added, removed and changed between two versions of a source")
    diff.add_argument("source", metavar="SOURCE")
    diff.add_argument("versions", nargs="*", metavar="VERSION", help="OLD NEW (default: the last two imports)")
    diff.set_defaults(func=cmd_diff)
    upd = commands.add_parser("update", help="download the official lists and import them")
    upd.add_argument("--dest", default="lists", help="folder for the downloads (default: lists)")
    upd.add_argument(
        "--source",
        action="append",
        choices=list(SOURCES),
        metavar="NAME",
        help=f"source to fetch, repeatable (default: {', '.join(DEFAULT_SOURCES)})",
    )
    upd.set_defaults(func=cmd_update)


def _report(console: Console, imports: list[ListImport]) -> None:
    """Print one line per import and its summary: types, strengths, identifiers, problems by kind."""
    for imp in imports:
        console.print(
            f"[bold]{markup(imp.source)}[/] {markup(imp.list_version)} ({markup(imp.format)}): "
            f"{imp.entities.height} entities, {imp.names.height} names, "
            f"{imp.identifiers.height} identifiers, {imp.ownership.height} links, "
            f"{imp.problems.height} problems"
        )
        for line in summary_lines(imp):
            console.print(f"  {clean(line)}", highlight=False, markup=False)  # list data: no control codes


def _share(text: str) -> float:
    """Return a share between 0 and 1 given on the command line."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share between 0 and 1 (e.g. 0.01 for 1 %)")
    return value


def cmd_import(args: argparse.Namespace) -> int:
    """Import each file given on the command line; a refused one is reported, the others still imported."""
    options = ImportOptions(args.force, args.max_problems, args.list_version, args.source)
    console = Console(soft_wrap=True)
    refused: list[ImportRefusedError] = []
    store = open_store(args.db or DEFAULT_PATH)
    try:
        for path in args.files:
            try:
                _report(console, [import_list(store, path, args.format, options=options)])
            except ImportRefusedError as exc:
                _report(console, [exc.imp])
                refused.append(exc)
    finally:
        store.close()
    if refused:
        raise ListError(" | ".join(str(exc) for exc in refused))
    return 0


HISTORY_COLUMNS: Final = (
    "imported_at",
    "source",
    "list_version",
    "status",
    "entities",
    "names",
    "identifiers",
    "birth_dates",
    "problems",
    "sha256",
    "reason",
)


def cmd_history(args: argparse.Namespace) -> int:
    """Print the recorded imports."""
    store = open_store(args.db or DEFAULT_PATH)
    try:
        rows = history(store, args.source)
    finally:
        store.close()
    table = Table(title="List imports")
    columns = HISTORY_COLUMNS
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows.iter_rows(named=True):
        stamp = row["imported_at"].strftime("%Y-%m-%d %H:%M:%S")
        status = f"{row['status']} (forced)" if row["forced"] else row["status"]
        values = [stamp, row["source"], row["list_version"], status, *(row[c] for c in columns[4:9])]
        table.add_row(*cells(*values, row["sha256"][:12], row["reason"] or ""))  # list data: never markup
    Console(soft_wrap=True).print(table if rows.height else "no list imports recorded")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the entries added, removed and changed between two versions of a source."""
    store = open_store(args.db or DEFAULT_PATH)
    try:
        versions = args.versions or [None, None]
        if len(versions) != 2:
            raise ListError("lists diff takes no version or two: SOURCE [OLD NEW]")
        rows = diff_imports(store, args.source, versions[0], versions[1])
    finally:
        store.close()
    console = Console(soft_wrap=True)
    counts = rows.group_by("change").len().sort("change")
    console.print(", ".join(f"{n} {change}" for change, n in counts.iter_rows()) or "no changes")
    for change, entity_id, caption, fields in rows.iter_rows():
        cells = [change, entity_id, caption, *([fields] if fields else [])]
        line = "\t".join(clean(c, one_line=True) for c in cells)
        print(line)  # tab-separated, for tools; list data shown without control codes
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the imported lists with their versions, counts and age."""
    store = open_store(args.db or DEFAULT_PATH)
    try:
        rows = store.frame("SELECT * FROM list_sources ORDER BY source")
    finally:
        store.close()
    table = Table(title="Sanctions lists")
    for column in ("source", "version", "format", "entities", "imported", "age (days)", "path"):
        table.add_column(column)
    today = datetime.now(UTC).date()
    for row in rows.iter_rows(named=True):
        imported = row["imported_at"]
        table.add_row(
            *cells(  # list files are data: shown as they are, never as markup or control codes
                row["source"],
                row["list_version"],
                row["format"],
                row["entity_count"],
                imported.strftime("%Y-%m-%d %H:%M"),
                _age(row["list_version"] or "", today),
                row["path"],
            )
        )
    Console().print(table if rows.height else "no lists imported; run `screening lists import FILE`")
    return 0


def _age(version: str, today: date) -> str:
    """Return a version's age in days, or 'unknown' when it states no date."""
    stated = version_date(version)
    return str((today - stated).days) if stated else "unknown"


def cmd_update(args: argparse.Namespace) -> int:
    """Download and import the chosen sources."""
    store = open_store(args.db or DEFAULT_PATH)
    try:
        _report(Console(soft_wrap=True), update_lists(store, args.dest, args.source))
    finally:
        store.close()
    return 0
