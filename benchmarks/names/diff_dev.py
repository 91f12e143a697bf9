"""Diff a development-set run against the committed reference run, task by task and query by query.

Run: ``python benchmarks/names/diff_dev.py NEW.json [REFERENCE.json] [--threshold T] [--show N]``
(the reference defaults to ``dev/reference_eval.json``). Prints each task's changed figures, then
the queries whose outcome changed at each run's default threshold (or the one given): an expected
entity newly found or lost, a wrong entity newly above the threshold or gone. Exits 1 when a
task's found rate, proposed rate (what blocking proposes) or F1 drops, or the clean alert rate rises, by more
than the tolerance.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "dev" / "reference_eval.json"
TOLERANCE = 0.005
FIGURES = ("found", "proposed", "precision", "recall", "f1", "best_f1", "recall_at_p90", "alerts_per_1000")
WORSE_WHEN_LOWER = ("found", "proposed", "f1")


def figure_lines(new: dict[str, Any], ref: dict[str, Any]) -> tuple[list[str], bool]:
    """Return the changed figures per task and split, and whether any got worse beyond the tolerance."""
    lines, worse = [], False
    for task, parts in ref["tasks"].items():
        for part, old in parts.items():
            now = new["tasks"].get(task, {}).get(part)
            if now is None:
                lines.append(f"{task}/{part}: missing from the new run")
                worse = True
                continue
            for key in FIGURES:
                if key in old and old[key] != now.get(key):
                    delta = (now.get(key) or 0.0) - old[key]
                    lines.append(f"{task}/{part} {key}: {old[key]} -> {now.get(key)} ({delta:+.4f})")
                    lower = key in WORSE_WHEN_LOWER and delta < -TOLERANCE
                    worse |= lower or (key == "alerts_per_1000" and delta > TOLERANCE)
    return lines, worse


def outcomes(run: dict[str, Any], threshold: float) -> pl.DataFrame:
    """Return each query's outcome at a threshold: expected entity found, wrong entity above it."""
    rows = [(task, q, e >= threshold, o >= threshold, e, o) for task, qs in run["queries"].items() for q, e, o in qs]
    schema = ["task", "query_id", "found", "wrong", "expected_score", "other_score"]
    return pl.DataFrame(rows, schema=schema, orient="row")


def changed(new: dict[str, Any], ref: dict[str, Any], threshold: float | None) -> pl.DataFrame:
    """Return the queries of both runs whose outcome differs (each at its own default threshold unless given)."""
    old_t = threshold if threshold is not None else ref["meta"]["default_threshold"]
    new_t = threshold if threshold is not None else new["meta"]["default_threshold"]
    both = outcomes(ref, old_t).join(outcomes(new, new_t), on=["task", "query_id"], suffix="_new")
    what = (
        pl.when(pl.col("found_new") & ~pl.col("found"))
        .then(pl.lit("found"))
        .when(~pl.col("found_new") & pl.col("found"))
        .then(pl.lit("lost"))
        .when(pl.col("wrong_new") & ~pl.col("wrong"))
        .then(pl.lit("new false positive"))
        .when(~pl.col("wrong_new") & pl.col("wrong"))
        .then(pl.lit("false positive gone"))
    )
    return both.with_columns(change=what).filter(pl.col("change").is_not_null())


def change_lines(diff: pl.DataFrame, names: pl.DataFrame, show: int) -> list[str]:
    """Return the change counts per task and the first changed queries with their names."""
    lines = []
    named = diff.join(names, on=["task", "query_id"], how="left").sort("task", "change", "query_id")
    for (task, change), part in named.group_by("task", "change", maintain_order=True):
        lines.append(f"{task}: {part.height} {change}")
        for row in part.head(show).iter_rows(named=True):
            lines.append(
                f"    {row['name']!r}: expected {row['expected_score']:.3f} -> {row['expected_score_new']:.3f}, "
                f"best other {row['other_score']:.3f} -> {row['other_score_new']:.3f}"
            )
    return lines


def main() -> int:
    """Print the differences and return 1 on a regression."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", type=Path)
    parser.add_argument("reference", type=Path, nargs="?", default=REFERENCE)
    parser.add_argument("--threshold", type=float, help="the threshold of query outcomes (default: each run's default)")
    parser.add_argument("--show", type=int, default=10, help="changed queries to print per task and change")
    args = parser.parse_args()
    try:
        new, ref = (json.loads(p.read_text(encoding="utf-8")) for p in (args.new, args.reference))
    except (OSError, ValueError) as exc:
        print(f"diff_dev: cannot read a run: {exc}", file=sys.stderr)
        return 2
    lines, worse = figure_lines(new, ref)
    names = pl.read_csv(HERE / "dev" / "queries.csv", infer_schema=False).select("task", "query_id", "name")
    lines += change_lines(changed(new, ref, args.threshold), names, args.show)
    print("\n".join(lines) if lines else "no change")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
