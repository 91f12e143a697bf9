"""Check that a run at threshold T returns exactly the pairs a run at ``bench_dev.SCREEN_AT`` scores at or above T.

Run: ``python benchmarks/names/check_threshold.py [--task NAME]... [--threshold T]... [--limit N]
[--show K]`` (the fit split only). ``bench_dev.py`` reads every threshold's figures from one run at
``SCREEN_AT``; this screens each task's queries at ``SCREEN_AT`` and at each T and prints the
(query, entity) pairs whose membership at or above T differs, with counts per cause:

- ``prefilter``: the run at T finds the pair with the prefilter's cutoff lowered to ``SCREEN_AT``;
- ``qualifiers``: else, the pair reaches T only with its query's country or birth date (the same
  query without them scores below T at ``SCREEN_AT``);
- ``other``: anything else (a stage that depends on the threshold some other way).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import polars as pl

from screening.names import HAND, NameIndex, build_index, match_index
from screening.names import match as name_match

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dev import DEV, QUERY_FIELDS, SCREEN_AT, TOP, load, task_parts

THRESHOLDS = (0.80, 0.86, 0.92)
KEY = ("query_id", "entity_id")
DIFF_SCHEMA = {"task": pl.String, "t": pl.Float64, "query_id": pl.String, "entity_id": pl.String, "low": pl.Float64}


def _screen(asked: pl.DataFrame, index: NameIndex, threshold: float) -> pl.DataFrame:
    """Return the (query, entity, score) rows of a run by hand at ``threshold`` (best ``TOP`` entities)."""
    return match_index(asked, index, threshold, TOP, HAND).select(*KEY, "score")


def _at(rows: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Return the rows scoring at least ``threshold`` (as the matcher and the benchmark compare them)."""
    return rows.filter(pl.col("score") >= threshold)


def differences(queries: pl.DataFrame, index: NameIndex, thresholds: tuple[float, ...]) -> pl.DataFrame:
    """Return the pairs at or above each T in one run but not the other, with the ``SCREEN_AT`` run's score.

    ``low``: the ``SCREEN_AT`` run's score, null where only the run at T returns the pair.
    """
    asked = queries.select(QUERY_FIELDS).rename({"query_id": "id"})
    low = _screen(asked, index, SCREEN_AT)
    parts = []
    for t in thresholds:
        high = _screen(asked, index, t)
        both = _at(low, t).join(_at(high, t), on=list(KEY), how="full", coalesce=True, suffix="_t")
        odd = both.filter(pl.col("score").is_null() | pl.col("score_t").is_null())
        parts.append(odd.select(*KEY, pl.lit(t).alias("t"), low="score"))
    return pl.concat(parts) if parts else pl.DataFrame(schema={k: v for k, v in DIFF_SCHEMA.items() if k != "task"})


def causes(diffs: pl.DataFrame, queries: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return the differing pairs with their ``cause`` (see the module's docstring)."""
    if diffs.is_empty():
        return diffs.with_columns(cause=pl.lit(None, pl.String))
    asked = queries.join(diffs.select("query_id").unique(), on="query_id").select(QUERY_FIELDS)
    asked = asked.rename({"query_id": "id"})
    bare = asked.with_columns(country=pl.lit(None, pl.String), birth_date=pl.lit(None, pl.String))
    named = _screen(bare, index, SCREEN_AT).rename({"score": "named"})
    cause = [_prefilter_found(asked, index, t, diffs) for t in sorted(set(diffs["t"].to_list()))]
    rows = diffs.join(named, on=list(KEY), how="left").join(pl.concat(cause), on=[*KEY, "t"], how="left")
    qualified = pl.col("named").fill_null(0.0).round(9) < pl.col("t")
    by = pl.when(pl.col("lowered").fill_null(value=False)).then(pl.lit("prefilter")).when(qualified)
    return rows.with_columns(cause=by.then(pl.lit("qualifiers")).otherwise(pl.lit("other"))).drop("named", "lowered")


def _prefilter_found(asked: pl.DataFrame, index: NameIndex, t: float, diffs: pl.DataFrame) -> pl.DataFrame:
    """Return the differing pairs at ``t``, and whether a run at ``t`` finds them with a lowered prefilter cutoff."""
    saved = name_match.PREFILTER
    name_match.PREFILTER = SCREEN_AT
    try:
        found = _at(_screen(asked, index, t), t).select(*KEY, lowered=pl.lit(value=True))
    finally:
        name_match.PREFILTER = saved
    return diffs.filter(pl.col("t") == t).select(*KEY, "t").join(found, on=list(KEY), how="left")


def check(
    queries: pl.DataFrame, watch: pl.DataFrame, tasks: dict[str, Any], thresholds: tuple[float, ...]
) -> pl.DataFrame:
    """Return every task's differing pairs with their cause, and the task."""
    parts = [pl.DataFrame(schema=DIFF_SCHEMA | {"cause": pl.String})]
    for task, spec in tasks.items():
        asked = queries.filter(pl.col("task") == task)
        for part, side in task_parts(asked, watch, spec) if asked.height else []:
            index = build_index(side)
            found = causes(differences(part, index, thresholds), part, index)
            parts.append(found.select(pl.lit(task).alias("task"), "t", *KEY, "low", "cause"))
    return pl.concat(parts)


def arguments() -> argparse.Namespace:
    """Return the command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", help="check only this task (repeatable)")
    parser.add_argument("--threshold", type=float, action="append", help=f"a threshold (default {THRESHOLDS})")
    parser.add_argument("--limit", type=int, help="the first N fit queries of each task only")
    parser.add_argument("--show", type=int, default=20, help="differing pairs printed per cause")
    parser.add_argument("--dev", type=Path, default=DEV, help="the development set's folder")
    return parser.parse_args()


def main() -> None:
    """Print the differing pairs per task, threshold and cause; exit 1 where any differ."""
    args = arguments()
    queries, watch, tasks = load(args.dev)
    tasks = {t: spec for t, spec in tasks.items() if not args.task or t in args.task}
    queries = queries.filter(pl.col("split") == "fit", pl.col("task").is_in(list(tasks)))
    if args.limit is not None:
        queries = queries.group_by("task", maintain_order=True).head(args.limit)
    found = check(queries, watch, tasks, tuple(args.threshold or THRESHOLDS))
    with pl.Config(tbl_rows=-1, fmt_str_lengths=60):
        print(found.group_by("task", "t", "cause").len().sort("task", "t", "cause"))
        named = found.join(queries.select("task", "query_id", "name"), on=["task", "query_id"], how="left")
        print(named.sort("cause", "t", "task", "query_id").group_by("cause", maintain_order=True).head(args.show))
    print(f"{found.height} differing (query, entity, threshold) pairs over {queries.height} fit queries")
    raise SystemExit(1 if found.height else 0)


if __name__ == "__main__":
    main()
