"""The ``screening lists`` command group: import, show and update sanctions lists."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from screening.lists.model import ListImport
from screening.lists.registry import FORMATS
from screening.lists.storage import import_list, version_date
from screening.lists.update import DEFAULT_SOURCES, SOURCES, update_lists
from screening.safe_text import cells, markup
from screening.store import open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lists`` command group to the top-level parser's subcommands."""
    lists = subparsers.add_parser("lists", help="import, show and update sanctions lists")
    commands = lists.add_subparsers(dest="lists_command", required=True)
    imp = commands.add_parser("import", help="import list files into the store")
    imp.add_argument("files", nargs="+", metavar="FILE", help="list file or OFAC CSV folder")
    imp.add_argument("--format", choices=list(FORMATS), help="skip detection; read as this")
    imp.set_defaults(func=cmd_import)
    show = commands.add_parser("show", help="list sources, versions, counts and age")
    show.set_defaults(func=cmd_show)
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
    """Print one line per import, and its problems."""
    for imp in imports:
        console.print(
            f"[bold]{markup(imp.source)}[/] {markup(imp.list_version)} ({markup(imp.format)}): "
            f"{imp.entities.height} entities, {imp.names.height} names, "
            f"{imp.identifiers.height} identifiers, {imp.ownership.height} links, "
            f"{imp.problems.height} problems"
        )
        for source_file, line, reason, _ in imp.problems.head(20).iter_rows():
            console.print(f"  [yellow]{markup(f'{source_file}:{line}: {reason}')}[/]", highlight=False)
        if imp.problems.height > 20:
            console.print(f"  … and {imp.problems.height - 20} more problems")


def cmd_import(args: argparse.Namespace) -> int:
    """Import each file given on the command line."""
    store = open_store(args.db)
    try:
        _report(Console(soft_wrap=True), [import_list(store, f, args.format) for f in args.files])
    finally:
        store.close()
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the imported lists with their versions, counts and age."""
    store = open_store(args.db)
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
                (today - version_date(row["list_version"] or "", imported)).days,
                row["path"],
            )
        )
    Console().print(
        table if rows.height else "no lists imported; run `screening lists import FILE`"
    )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """Download and import the chosen sources."""
    store = open_store(args.db)
    try:
        _report(Console(soft_wrap=True), update_lists(store, args.dest, args.source))
    finally:
        store.close()
    return 0
