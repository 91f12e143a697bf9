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

from screening.names import blocking, romanise
from screening.names.index import NameIndex, build_index
from screening.names.match import FORM_COLUMNS, PER_QUERY
from screening.names.normalize import normalize_names
from screening.names.single.candidates import candidate_wids
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


def dev_index() -> NameIndex:
    """Return the index of the dev set's list names."""
    return build_index(pl.read_csv(DEV / "watchlist.csv", infer_schema=False))


def batch_candidates(names: list[str], index: NameIndex) -> list[list[int]]:
    """Return the wids the batch path blocks for each name as a query of its own, ascending.

    The batch path looks up close tokens by token, not by name: a token spelt two ways in a batch
    (its spelling before the skeleton) and a token of an abjad or Korean, Chinese or Japanese name
    (more keys) lend their close tokens to every name of the batch holding that token. Names are
    blocked in groups by script comparison (``roman``) and a difference is checked again alone.
    """
    roman = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    roman = roman.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit(""))
    norm = normalize_names(pl.Series(names, dtype=pl.String))
    forms = norm.with_columns(roman=roman).select(*FORM_COLUMNS, "roman").with_row_index("nid")
    found: dict[int, list[int]] = {}
    for (_,), group in forms.group_by("roman"):
        pairs = blocking.candidates(group, index.keys, PER_QUERY)
        found |= dict(pairs.group_by("nid").agg(pl.col("wid").sort()).iter_rows())
    return [list(found.get(i, [])) for i in range(len(names))]


def candidate_mismatches(names: list[str], index: NameIndex) -> tuple[int, list[tuple[str, list[int], list[int]]]]:
    """Return how many names fall back, and (name, batch wids, plain wids) for every name whose candidates differ."""
    names = list(dict.fromkeys(names))
    want = batch_candidates(names, index)
    fallback, wrong = 0, []
    for name, wids in zip(names, want, strict=True):
        form = query_form(name)
        if form is None:
            fallback += 1
            continue
        got = candidate_wids(form, index)
        # a name blocked in a batch can lend close tokens to another: a difference is checked alone
        if got != wids and got != (alone := batch_candidates([name], index)[0]):
            wrong.append((name, alone, got))
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
    fell, differ = candidate_mismatches(names, dev_index())
    print(f"candidates: {len(names)} names, {fell} fall back, {len(differ)} differ")
    for name, want_w, got_w in differ[:20]:
        print(f"  {name!r}: batch {want_w} plain {got_w}")
    return 1 if wrong or differ else 0


if __name__ == "__main__":
    sys.exit(main())
