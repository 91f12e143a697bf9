"""The command line for ``spark-submit``: ``screening.spark INPUT... [--rules DIR] [--out DIR] …``.

Exit codes as ``screening scan``, through the same boundary (:func:`screening.errors.guarded`):
0 ran and found nothing at or above ``--fail-on``, 1 found such hits, 2 bad input, rules,
configuration or an internal error (one line on stderr saying what and where), 130 Ctrl-C, 143
SIGTERM. It imports no module of the ``screening`` command or its reports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from screening.errors import guarded, one_line
from screening.ingest import load_mapping
from screening.rules import load_rules
from screening.schema import SEVERITIES
from screening.spark.engine import scan_spark
from screening.spark.session import spark_session


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the spark-submit entry point."""
    parser = argparse.ArgumentParser(prog="screening.spark", description="Screen files or Parquet folders on Spark.")
    parser.add_argument("inputs", nargs="+", help="files or Parquet folders (local paths or URIs Spark can read)")
    parser.add_argument("--rules", default=None, help="rules directory (default: the bundled rules)")
    parser.add_argument("--out", default=None, help="directory for hits.parquet, quarantine.parquet, summary.json")
    parser.add_argument("--db", default=":memory:", help="DuckDB store on the driver (default :memory:)")
    parser.add_argument("--mapping", default=None, help="column mapping file")
    parser.add_argument("--partitions", type=int, default=None, help="repartition each input into N partitions")
    parser.add_argument("--work", default=None, help="staging folder readable by Spark and the driver")
    parser.add_argument("--master", default=None, help="Spark master (default: what spark-submit set)")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None, help="exit 1 on hits at or above this")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a Spark scan from the command line and return its exit code."""
    return guarded(lambda: _run(build_parser().parse_args(argv)), lambda line: print(one_line(line), file=sys.stderr))


def _run(args: argparse.Namespace) -> int:
    """Scan on Spark, print the run's counts and return the exit code."""
    result = scan_spark(
        args.inputs,
        rules=load_rules(args.rules),
        spark=spark_session(args.master),
        out=args.out,
        partitions=args.partitions,
        store=args.db,
        mapping=load_mapping(Path(args.mapping)) if args.mapping else None,
        work=args.work,
    )
    print(
        f"{result.run_id}: {result.rows_read:,} rows read, {result.stored:,} stored, "
        f"{result.quarantined:,} quarantined, {result.reported.count():,} hits",
        file=sys.stderr,
    )
    return result.exit_code(args.fail_on)
