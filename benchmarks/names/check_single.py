"""Check the one-query path against the batch matcher over every dev name and generated names, and time it.

Run: ``python benchmarks/names/check_single.py [--scores] [--speed] [--list-size 100000]``.
``check_scores``: every query of the names dev set (all splits, with its qualifiers) against the
dev watchlist, and generated names (the speed benchmark's clean names, list names with a typo,
and the name bench's pairs) against the speed benchmark's generated list, each at two settings:
the rows :func:`screening.names.single.score.score_one` gives (from the batch path's own normal
form and candidates) must equal ``match_index``'s. ``time_scores``: CPU milliseconds per call of
``score_one`` and of a one-name ``match_index`` call for names with 10 to 40 candidates, and the
time and memory of the per-index plain views.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
import bench_speed
import pools
import variants

from screening.names import blocking, match, romanise
from screening.names.index import NameIndex, build_index
from screening.names.normalize import normalize_names
from screening.names.single.score import score_one
from screening.names.single.views import build_view

DEV = Path(__file__).parent / "dev"
BENCH = Path(__file__).resolve().parents[2] / "fixtures" / "names" / "name_bench.csv"
QUERY_COLUMNS = ("id", "name", "schema", "country", "birth_date", "identifier")
SETTINGS = ((0.86, 5), (0.6, 1))
KEYS = ("query_id", "entity_id", "matched_name", "source", "detail")


def batch_inputs(names: list[str], index: NameIndex) -> tuple[dict[str, dict[str, Any]], dict[str, list[int]]]:
    """Return the batch path's normal form and candidate wids (ascending) of each name."""
    qnorm = normalize_names(pl.Series(names, dtype=pl.String))
    keyed = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    qnorm = qnorm.with_columns(roman=keyed.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit("")))
    forms = qnorm.select(*match.FORM_COLUMNS, "roman").unique(match.CORE, maintain_order=True).with_row_index("nid")
    by_nid: dict[int, list[int]] = defaultdict(list)
    for nid, wid in blocking.candidates(forms, index.keys, match.PER_QUERY).select("nid", "wid").iter_rows():
        by_nid[nid].append(wid)
    nids = qnorm.join(forms.select("nid", *match.CORE), on=list(match.CORE)).select("raw", "nid")
    wids = {raw: sorted(by_nid[nid]) for raw, nid in nids.iter_rows()}
    return {row["raw"]: row for row in qnorm.drop("roman").iter_rows(named=True)}, wids


def _same(expected: list[dict[str, Any]], got: list[dict[str, object]]) -> bool:
    """Return whether two hit lists agree: strings equal, scores to 1e-9, in the same order."""
    return len(expected) == len(got) and all(
        abs(a["score"] - float(b["score"])) < 1e-9 and all(a[k] == b[k] for k in KEYS)  # type: ignore[arg-type]
        for a, b in zip(expected, got, strict=True)
    )


def check_scores(queries: list[dict[str, str | None]], index: NameIndex, threshold: float, top: int) -> dict[str, Any]:
    """Return the count of queries and of those with hits, and the names whose ``score_one`` rows differ."""
    frame = pl.DataFrame(queries, schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in match.match_index(frame, index, threshold, top).iter_rows(named=True):
        expected[row["query_id"]].append(row)
    forms, wids = batch_inputs([str(q["name"]) for q in queries if q["name"] is not None], index)
    bad = []
    for q in queries:
        name = str(q["name"])
        got = score_one(q, forms.get(name, {}), wids.get(name, []), index, threshold, top)
        if not _same(expected.get(str(q["id"]), []), got):
            bad.append(name)
    return {"queries": len(queries), "with_hits": len(expected), "mismatches": len(bad), "first": bad[:10]}


def dev_queries() -> tuple[list[dict[str, str | None]], NameIndex]:
    """Return every query of the names dev set and the index of its watchlist."""
    frame = pl.read_csv(DEV / "queries.csv", infer_schema=False)
    rows = frame.select(id="query_id", name="name", schema="schema", country="country", birth_date="birth_date")
    queries = [{**r, "identifier": None} for r in rows.iter_rows(named=True)]
    return queries, build_index(pl.read_csv(DEV / "watchlist.csv", infer_schema=False))


def generated_queries(list_size: int, count: int) -> tuple[list[dict[str, str | None]], NameIndex]:
    """Return generated names (clean, list names with a typo, the name bench's pairs) and the speed bench's list."""
    watch = bench_speed.watchlist(list_size)
    rng = random.Random(22)
    typos = [variants.typo(n, rng) or n for n in rng.sample(watch["name"].to_list(), count)]
    bench = pl.read_csv(BENCH, infer_schema=False)
    clean = pools.clean_names(count, seed=99)
    names = [*typos, *bench["name1"].to_list(), *bench["name2"].to_list()]
    rows = [(n, None) for n in names] + clean
    queries = [
        dict(zip(QUERY_COLUMNS, (f"g{i}", n, s, None, None, None), strict=True)) for i, (n, s) in enumerate(rows)
    ]
    return queries, build_index(watch)


def _cpu_ms(call: Any, repeat: int) -> float:
    """Return the CPU milliseconds per call of ``call()``, over ``repeat`` calls."""
    start = time.process_time()
    for _ in range(repeat):
        call()
    return (time.process_time() - start) * 1000 / repeat


def time_scores(queries: list[dict[str, str | None]], index: NameIndex, count: int) -> dict[str, Any]:
    """Return CPU ms per call of ``score_one`` and of one-name ``match_index``, for names with 10 to 40 candidates."""
    start = time.process_time()
    build_view(index)
    view_s = time.process_time() - start
    tracemalloc.start()
    held = build_view(index)
    view_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del held
    names = list(dict.fromkeys(str(q["name"]) for q in queries if q["name"]))
    forms, wids = batch_inputs(names, index)
    picked = [q for q in queries if 10 <= len(wids.get(str(q["name"]), [])) <= 40][: count + 2]
    ones, batches = [], []
    for q in picked[:2]:  # warm-up: the first calls read the legal-form tables
        score_one(q, forms[str(q["name"])], wids[str(q["name"])], index, 0.86, 5)
        match.match_index(pl.DataFrame([q], schema=dict.fromkeys(QUERY_COLUMNS, pl.String())), index, 0.86, 5)
    for q in picked[2:]:
        form, cands = forms[str(q["name"])], wids[str(q["name"])]
        frame = pl.DataFrame([q], schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
        ones.append(_cpu_ms(lambda q=q, f=form, c=cands: score_one(q, f, c, index, 0.86, 5), 1))
        batches.append(_cpu_ms(lambda f=frame: match.match_index(f, index, 0.86, 5), 1))
    return {
        "calls": len(ones),
        "view_build_cpu_s": round(view_s, 2),
        "view_held_mib": round(view_mib, 1),
        "score_one_ms": _summary(ones),
        "match_index_ms": _summary(batches),
    }


def _summary(ms: list[float]) -> dict[str, float]:
    """Return the mean and the 50th, 95th and 99th percentiles of timings."""
    values = np.array(ms)
    return {
        "mean": round(float(values.mean()), 3),
        **{f"p{p}": round(float(np.percentile(values, p)), 3) for p in (50, 95, 99)},
    }


def main() -> None:
    """Run the checks asked for and print their results."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scores", action="store_true", help="check score_one against match_index over every name")
    ap.add_argument("--speed", action="store_true", help="time score_one and one-name match_index calls")
    ap.add_argument("--list-size", type=int, default=100_000, help="names in the generated list")
    ap.add_argument("--generated", type=int, default=5000, help="clean names, and list names with a typo, each")
    ap.add_argument("--calls", type=int, default=300, help="timed calls")
    args = ap.parse_args()
    dev = dev_queries()
    if args.speed:
        print("speed, dev list:", time_scores(*dev, args.calls), flush=True)
    if args.scores:
        for threshold, top in SETTINGS:
            print(f"dev, threshold {threshold}, top {top}:", check_scores(*dev, threshold, top), flush=True)
        gen = generated_queries(args.list_size, args.generated)
        if args.speed:
            print("speed, generated list:", time_scores(*gen, args.calls), flush=True)
        for threshold, top in SETTINGS:
            print(f"generated, threshold {threshold}, top {top}:", check_scores(*gen, threshold, top), flush=True)


if __name__ == "__main__":
    main()
