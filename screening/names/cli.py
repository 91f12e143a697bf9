"""The ``screening match`` command: batch name screening of a query file against a list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import ConfigError, InputError
from screening.names.match import DEFAULT_THRESHOLD, match_names
from screening.names.normalize import MAX_CHARS

FORMATS: Final = (".csv", ".parquet")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``match`` command."""
    cmd = subparsers.add_parser("match", help="screen a file of names against a sanctions list")
    cmd.add_argument("queries", metavar="QUERIES", help="csv or parquet with id,name columns")
    cmd.add_argument("--watchlist", required=True, metavar="LIST", help="any supported list file")
    cmd.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    cmd.add_argument("--top", type=int, default=1, help="best K entities per query")
    cmd.add_argument("--out", required=True, metavar="OUT", help="output .csv or .parquet")
    cmd.set_defaults(func=cmd_match)


def _suffix(path: str, what: str) -> str:
    """Return the lower-case suffix of a csv/parquet path or raise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"{path}: {what} must be .csv or .parquet, not '{suffix or 'none'}'")
    return suffix


def read_queries(path: str) -> pl.DataFrame:
    """Read a query file, every column as text."""
    suffix = _suffix(path, "QUERIES")
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        if suffix == ".csv":
            return pl.read_csv(path, infer_schema=False)
        return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from exc


def query_report(queries: pl.DataFrame) -> list[str]:
    """Return one line each for skipped empty names and truncated long names."""
    name = pl.col("name").cast(pl.String)
    counts = queries.select(
        empty=(name.str.strip_chars().fill_null("") == "").sum(),
        long=(name.str.len_chars() > MAX_CHARS).sum(),
    ).row(0)
    lines = []
    if counts[0]:
        lines.append(f"{counts[0]} queries with an empty name skipped")
    if counts[1]:
        lines.append(f"{counts[1]} names longer than {MAX_CHARS} characters cut for scoring")
    return lines


def _check(args: argparse.Namespace) -> None:
    """Raise on bad options."""
    if not 0.0 < args.threshold <= 1.0:
        raise ConfigError(f"--threshold: {args.threshold} is not in (0, 1]")
    if args.top < 1:
        raise ConfigError(f"--top: {args.top} is not a positive integer")


def cmd_match(args: argparse.Namespace) -> int:
    """Screen QUERIES against LIST and write one row per (query, entity) to OUT."""
    from screening.lists import read_list, watchlist_from_import  # noqa: PLC0415
    from screening.report.export import write_table  # noqa: PLC0415

    _check(args)
    _suffix(args.out, "--out")
    queries = read_queries(args.queries)
    imp = read_list(args.watchlist)
    hits = match_names(queries, watchlist_from_import(imp), args.threshold, args.top, identifiers=imp.identifiers)
    write_table(hits, Path(args.out))  # formula cells neutralised, written whole or not at all
    for line in query_report(queries):
        print(line, file=sys.stderr)
    print(
        f"{queries.height} queries, {hits['query_id'].n_unique()} matched, wrote {args.out}",
        file=sys.stderr,
    )
    return 0
