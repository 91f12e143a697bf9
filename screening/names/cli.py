"""The ``screening match`` command: batch name screening of a query file against lists.

The lists are list files (``--watchlist``, repeatable, any supported format) or, without one, the
lists imported into the store (all, or ``--source``). Queries are read as a scan reads a
counterparty file (:mod:`screening.ingest.queries`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import ConfigError
from screening.ingest.mapping import load_mapping
from screening.ingest.queries import QueryFile, problems, read_query_file
from screening.names.match import DEFAULT_THRESHOLD, match_names
from screening.names.model import DEFAULT_SCORER, SCORERS, named_scorer, own_threshold
from screening.names.normalize import MAX_CHARS

FORMATS: Final = (".csv", ".parquet")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``match`` command."""
    cmd = subparsers.add_parser("match", help="screen a file of names against sanctions lists")
    cmd.add_argument("queries", metavar="QUERIES", help="a file of names (any scan input format): name, id, country …")
    cmd.add_argument("--mapping", type=Path, help="YAML file mapping the query file's columns to canonical ones")
    cmd.add_argument(
        "--sheet",
        action="append",
        dest="sheets",
        metavar="NAME",
        help="read only this sheet of a workbook (repeatable; default: every sheet with a header row)",
    )
    cmd.add_argument(
        "--watchlist",
        action="append",
        metavar="LIST",
        help="a list file of any supported format, repeatable (default: the lists imported into the store)",
    )
    cmd.add_argument("--list-format", metavar="FORMAT", help="read every --watchlist as this list format")
    cmd.add_argument("--source", action="append", metavar="NAME", help="screen only this imported source, repeatable")
    cmd.add_argument(
        "--scorer",
        choices=SCORERS,
        default=DEFAULT_SCORER,
        help="hand: the hand-weighted name score (the default), or model: the learned model's calibrated "
        "probability (screening/data/name_model.json)",
    )
    cmd.add_argument(
        "--threshold", type=float, help=f"default: the scorer's own (the model's, or {DEFAULT_THRESHOLD} by hand)"
    )
    cmd.add_argument("--top", type=int, default=1, help="best K entities per query")
    cmd.add_argument("--out", required=True, metavar="OUT", help="output .csv or .parquet")
    cmd.set_defaults(func=cmd_match)


def _suffix(path: str, what: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """Return the lower-case suffix of a path or raise naming the allowed ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ConfigError(f"{path}: {what} must be {' or '.join(allowed)}, not '{suffix or 'none'}'")
    return suffix


def read_queries(path: str, mapping: Path | None = None, sheets: list[str] | None = None) -> QueryFile:
    """Read a query file by the scan's readers: any input format, encoding and known column name."""
    return read_query_file(Path(path), load_mapping(mapping) if mapping else None, sheets)


def query_report(queries: pl.DataFrame) -> list[str]:
    """Return a line for names cut for scoring (a row without a name is not read: :func:`problems` tells it)."""
    long = queries.select((pl.col("name").str.len_chars() > MAX_CHARS).sum()).item()
    return [f"{long} names longer than {MAX_CHARS} characters cut for scoring"] if long else []


def _check(args: argparse.Namespace) -> None:
    """Raise on bad options; fill in the scorer's default threshold."""
    if args.threshold is None:
        args.threshold = own_threshold(named_scorer(args.scorer))
    if not 0.0 < args.threshold <= 1.0:
        raise ConfigError(f"--threshold: {args.threshold} is not in (0, 1]")
    if args.top < 1:
        raise ConfigError(f"--top: {args.top} is not a positive integer")


def load_watchlist(args: argparse.Namespace) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the watchlist names and identifiers of the --watchlist files, else of the store's lists."""
    from screening.lists import read_list, watchlist_from_import  # noqa: PLC0415
    from screening.lists.registry import FORMATS as LIST_FORMATS  # noqa: PLC0415

    if args.watchlist and args.source:
        raise ConfigError("--source picks imported lists; it cannot be used with --watchlist files")
    if args.list_format and args.list_format not in LIST_FORMATS:
        raise ConfigError(f"--list-format: {args.list_format!r} is not one of {', '.join(LIST_FORMATS)}")
    if not args.watchlist:
        return _store_watchlist(args.db, args.source)
    imports = [read_list(path, args.list_format, format_option="--list-format") for path in args.watchlist]
    names = pl.concat([watchlist_from_import(imp) for imp in imports])
    return names, pl.concat([imp.identifiers for imp in imports])


def _store_watchlist(db: str | None, sources: list[str] | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the names and identifiers of the store's imported lists (or of some sources)."""
    from screening.lists import watchlist_frame  # noqa: PLC0415
    from screening.store import DEFAULT_PATH, open_store  # noqa: PLC0415

    db = db or DEFAULT_PATH
    if db != ":memory:" and not Path(db).is_file():
        raise ConfigError(f"{db}: no store here; pass --watchlist LIST, or --db STORE after `screening lists import`")
    store = open_store(db)
    try:
        names = watchlist_frame(store)
        ids = store.frame("SELECT i.* FROM list_identifiers i JOIN list_entities e USING (entity_id)")
        known = store.frame("SELECT source FROM list_sources ORDER BY source")["source"].to_list()
        ids_sources = store.frame("SELECT entity_id, source FROM list_entities")
    finally:
        store.close()
    if not known:
        raise ConfigError(f"{db}: no lists imported; pass --watchlist LIST or run `screening lists import FILE`")
    unknown = sorted(set(sources or []) - set(known))
    if unknown:
        raise ConfigError(f"--source: {', '.join(unknown)} not imported; imported sources: {', '.join(known)}")
    if sources:
        names = names.filter(pl.col("source").is_in(sources))
        ids = ids.join(ids_sources.filter(pl.col("source").is_in(sources)), on="entity_id", how="semi")
    return names, ids


def cmd_match(args: argparse.Namespace) -> int:
    """Screen QUERIES against LIST and write one row per (query, entity) to OUT."""
    from screening.report.export import write_table  # noqa: PLC0415

    _check(args)
    _suffix(args.out, "--out")
    read = read_queries(args.queries, args.mapping, args.sheets)
    queries = read.queries
    watchlist, ids = load_watchlist(args)
    model = named_scorer(args.scorer)
    hits = match_names(queries, watchlist, args.threshold, args.top, identifiers=ids, model=model)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_table(hits, Path(args.out))  # formula cells neutralised, written whole or not at all
    for line in [*problems(read), *query_report(queries)]:
        print(line, file=sys.stderr)
    print(
        f"{queries.height} queries, {hits['query_id'].n_unique()} matched, wrote {args.out}",
        file=sys.stderr,
    )
    return 0
