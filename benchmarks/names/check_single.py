"""Check the one-query path (``screening.names.single``) against the batch path over every committed name.

Run: ``python benchmarks/names/check_single.py [--limit N]``. Names: the dev set's queries and
list names (all splits: an equality check, not fitting), the generated bench's names and the
serve benchmark's synthetic names. Prints the count checked, the count that falls back to the
batch path and every mismatch (exit 1 when there is one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from screening.names.normalize import normalize_names
from screening.names.single.forms import query_form

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "benchmarks" / "names" / "dev"
BENCH = ROOT / "fixtures" / "names"


def sweep_names(limit: int | None = None) -> list[str]:
    """Return the distinct names of the dev set's queries and list and of the generated bench, first seen first."""
    parts = [
        pl.read_csv(DEV / "queries.csv", infer_schema=False)["name"],
        pl.read_csv(DEV / "watchlist.csv", infer_schema=False)["name"],
        pl.read_csv(BENCH / "name_bench.csv", infer_schema=False)["name1"],
        pl.read_csv(BENCH / "name_bench.csv", infer_schema=False)["name2"],
        pl.read_csv(BENCH / "bench_watchlist.csv", infer_schema=False)["name"],
    ]
    names = pl.concat(parts).drop_nulls().unique(maintain_order=True).to_list()
    return names[:limit] if limit else names


def form_mismatches(names: list[str]) -> tuple[int, list[tuple[str, str, object, object]]]:
    """Return how many names fall back, and (name, key, batch value, plain value) for every differing key."""
    batch = normalize_names(pl.Series(names, dtype=pl.String))
    by_raw = {row["raw"]: row for row in batch.iter_rows(named=True)}
    fallback, wrong = 0, []
    for name in names:
        plain = query_form(name)
        if plain is None:
            fallback += 1
            continue
        want = by_raw[name]
        wrong += [(name, key, want[key], plain.get(key)) for key in want if want[key] != plain.get(key)]
    return fallback, wrong


def main() -> int:
    """Run the sweep and print its result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    names = sweep_names(args.limit)
    fallback, wrong = form_mismatches(names)
    print(f"forms: {len(names)} names, {fallback} fall back, {len(wrong)} mismatched keys")
    for name, key, want, got in wrong[:50]:
        print(f"  {name!r} {key}: batch {want!r} plain {got!r}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
