"""Check the one-query path (``screening.names.single``) against the batch matcher, and time it.

Run: ``python benchmarks/names/check_single.py [--forms] [--scores] [--match-one] [--speed] [--model shipped]``
(all four when none is named; an equality check, not fitting, so every split of the dev set is used).
``--forms``: normal forms and candidates of every distinct name of the dev set's queries and list,
the name bench and the generated bench list, against ``normalize_names`` and ``blocking.candidates``.
``--scores``: every dev query (with its qualifiers) against the dev watchlist, and generated names
(the speed benchmark's clean names, list names with a typo, the name bench's pairs) against the
speed benchmark's generated list, each at two settings: the rows ``score_one`` gives from the batch
path's own normal form and candidates must equal ``match_index``'s. ``--match-one``: the same
queries end to end through ``single.serve.match_one`` (plain forms, candidates and scores).
``--speed``: CPU milliseconds per call of ``score_one`` and of a one-name ``match_index`` call for
names with 10 to 40 candidates, and the time and memory of the per-index plain views.
``--model shipped``: both paths score by the shipped learned model instead of hand weights.
Exit 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
import bench_speed
import pools
import variants

from screening.names import blocking, match, romanise, titles
from screening.names.index import NameIndex, build_index
from screening.names.model import NameModel, shipped
from screening.names.normalize import normalize_names
from screening.names.single.candidates import candidate_wids
from screening.names.single.forms import kind_of, query_form
from screening.names.single.score import score_one
from screening.names.single.serve import match_one
from screening.names.single.views import build_view

DEV = Path(__file__).parent / "dev"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "names"
BENCH = FIXTURES / "name_bench.csv"
QUERY_COLUMNS = ("id", "name", "schema", "country", "birth_date", "identifier")
SETTINGS = ((0.86, 5), (0.6, 1))
MODEL_LOW = 0.3  # the model is also checked here: the lowest threshold the benchmarks sweep (every row it scores)
KEYS = ("query_id", "entity_id", "matched_name", "source", "detail")


Key = tuple[str, str]  # a name and its row's kind (:func:`screening.names.titles.kind`)


def key(query: dict[str, str | None]) -> Key:
    """Return a query row's name and kind."""
    return str(query["name"]), kind_of(query["schema"])


def batch_inputs(keys: list[Key], index: NameIndex) -> tuple[dict[Key, dict[str, Any]], dict[Key, list[int]]]:
    """Return the batch path's normal form and candidate wids (ascending) of each name of a row of its kind."""
    names, kinds = [n for n, _ in keys], [k for _, k in keys]
    qnorm, forms = match.query_forms(
        normalize_names(pl.Series(names, dtype=pl.String), pl.Series(kinds, dtype=pl.String))
    )
    by_nid: dict[int, list[int]] = defaultdict(list)
    for nid, wid in blocking.candidates(forms, index.keys, match.PER_QUERY).select("nid", "wid").iter_rows():
        by_nid[nid].append(wid)
    nids = qnorm.join(forms.select("nid", *match.CORE), on=list(match.CORE)).select("raw", "kind", "nid")
    wids = {(raw, kind): sorted(by_nid[nid]) for raw, kind, nid in nids.iter_rows()}
    return {(row["raw"], row["kind"]): row for row in qnorm.drop("roman", "comma").iter_rows(named=True)}, wids


def _same(expected: list[dict[str, Any]], got: list[dict[str, object]]) -> bool:
    """Return whether two hit lists agree: strings equal, scores to 1e-9, in the same order."""
    return len(expected) == len(got) and all(
        abs(a["score"] - float(b["score"])) < 1e-9 and all(a[k] == b[k] for k in KEYS)  # type: ignore[arg-type]
        for a, b in zip(expected, got, strict=True)
    )


def check_scores(
    queries: list[dict[str, str | None]], index: NameIndex, setting: tuple[float, int], model: NameModel | None
) -> dict[str, Any]:
    """Return the count of queries and of those with hits, and the names whose ``score_one`` rows differ."""
    threshold, top = setting
    frame = pl.DataFrame(queries, schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in match.match_index(frame, index, threshold, top, model).iter_rows(named=True):
        expected[row["query_id"]].append(row)
    forms, wids = batch_inputs([key(q) for q in queries if q["name"] is not None], index)
    bad = []
    for q in queries:
        got = score_one(q, forms.get(key(q), {}), wids.get(key(q), []), index, threshold, top, model)
        if not _same(expected.get(str(q["id"]), []), got):
            bad.append(str(q["name"]))
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


def time_scores(
    queries: list[dict[str, str | None]], index: NameIndex, count: int, model: NameModel | None
) -> dict[str, Any]:
    """Return CPU ms per call of ``score_one`` and of one-name ``match_index``, for names with 10 to 40 candidates."""
    start = time.process_time()
    build_view(index)
    view_s = time.process_time() - start
    tracemalloc.start()
    held = build_view(index)
    view_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del held
    forms, wids = batch_inputs(list(dict.fromkeys(key(q) for q in queries if q["name"])), index)
    picked = [q for q in queries if 10 <= len(wids.get(key(q), [])) <= 40][: count + 2]
    ones, batches = [], []
    for q in picked[:2]:  # warm-up: the first calls read the legal-form tables
        score_one(q, forms[key(q)], wids[key(q)], index, 0.86, 5, model)
        match.match_index(pl.DataFrame([q], schema=dict.fromkeys(QUERY_COLUMNS, pl.String())), index, 0.86, 5, model)
    for q in picked[2:]:
        form, cands = forms[key(q)], wids[key(q)]
        frame = pl.DataFrame([q], schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
        ones.append(_cpu_ms(lambda q=q, f=form, c=cands: score_one(q, f, c, index, 0.86, 5, model), 1))
        batches.append(_cpu_ms(lambda f=frame: match.match_index(f, index, 0.86, 5, model), 1))
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


def sweep_names(limit: int | None = None) -> list[str]:
    """Return the distinct names of the dev set's queries and list and of the generated bench, first seen first."""
    parts = [
        pl.read_csv(DEV / "queries.csv", infer_schema=False)["name"],
        pl.read_csv(DEV / "watchlist.csv", infer_schema=False)["name"],
        pl.read_csv(BENCH, infer_schema=False)["name1"],
        pl.read_csv(BENCH, infer_schema=False)["name2"],
        pl.read_csv(FIXTURES / "bench_watchlist.csv", infer_schema=False)["name"],
    ]
    names = pl.concat(parts).drop_nulls().unique(maintain_order=True).to_list()
    return names[:limit] if limit else names


def form_mismatches(names: list[str]) -> tuple[int, list[tuple[str, str, object, object]]]:
    """Return how many names fall back, and (name, key, batch value, plain value) for every differing key.

    Each name is read as a row of every kind (a Person's, one of no type, any other's).
    """
    kinds = [titles.PERSON, titles.UNTYPED, titles.OTHER]
    every = pl.Series([n for n in names for _ in kinds], dtype=pl.String)
    batch = normalize_names(every, pl.Series(kinds * len(names), dtype=pl.String))
    by_raw = {(row["raw"], row["kind"]): row for row in batch.iter_rows(named=True)}
    fallback, wrong = 0, []
    for name, kind in dict.fromkeys(zip(every.to_list(), kinds * len(names), strict=True)):
        plain = query_form(name, kind=kind)
        if plain is None:
            fallback += 1
            continue
        want = by_raw[name, kind]
        wrong += [(name, col, want[col], plain.get(col)) for col in want if want[col] != plain.get(col)]
    return fallback, wrong


def batch_candidates(names: list[str], index: NameIndex) -> list[list[int]]:
    """Return the wids the batch path blocks for each name as a query of its own, ascending.

    The batch path looks up close tokens by token, not by name: a token spelt two ways in a batch
    (its spelling before the skeleton) and a token of an abjad or Korean, Chinese or Japanese name
    (more keys) lend their close tokens to every name of the batch holding that token. Names are
    blocked in groups by script comparison (``roman``) and a difference is checked again alone.
    """
    keyed = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    roman = keyed.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit(""))
    norm = normalize_names(pl.Series(names, dtype=pl.String))
    forms = norm.with_columns(roman=roman).select(*match.FORM_COLUMNS, "roman").with_row_index("nid")
    found: dict[int, list[int]] = {}
    for (_,), group in forms.group_by("roman"):
        pairs = blocking.candidates(group, index.keys, match.PER_QUERY)
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


def _alone(
    query: dict[str, str | None], index: NameIndex, setting: tuple[float, int], model: NameModel | None
) -> list[dict[str, Any]]:
    """Return the batch path's rows for a query matched alone (in a batch, names lend close tokens to each other)."""
    frame = pl.DataFrame([query], schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    return match.match_index(frame, index, *setting, model).to_dicts()


def check_match_one(
    queries: list[dict[str, str | None]], index: NameIndex, setting: tuple[float, int], model: NameModel | None
) -> dict[str, Any]:
    """Return the count of queries, of those left to the batch path, and the names whose ``match_one`` rows differ."""
    frame = pl.DataFrame(queries, schema=dict.fromkeys(QUERY_COLUMNS, pl.String()))
    expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in match.match_index(frame, index, *setting, model).iter_rows(named=True):
        expected[row["query_id"]].append(row)
    left, bad = 0, []
    for q in queries:
        got = match_one(dict(q), index, *setting, model)
        if got is None:
            left += 1
        elif not _same(expected.get(str(q["id"]), []), got.to_dicts()) and not _same(
            _alone(q, index, setting, model), got.to_dicts()
        ):
            bad.append(str(q["name"]))
    return {"queries": len(queries), "left_to_batch": left, "mismatches": len(bad), "first": bad[:10]}


def check_forms(limit: int | None) -> bool:
    """Print the forms and candidates sweep and return whether it found no mismatch."""
    names = sweep_names(limit)
    fallback, wrong = form_mismatches(names)
    print(f"forms: {len(names)} names, {fallback} fall back, {len(wrong)} mismatched keys")
    for name, key, want, got in wrong[:50]:
        print(f"  {name!r} {key}: batch {want!r} plain {got!r}")
    fell, differ = candidate_mismatches(names, dev_queries()[1])
    print(f"candidates: {len(names)} names, {fell} fall back, {len(differ)} differ")
    for name, want_w, got_w in differ[:20]:
        print(f"  {name!r}: batch {want_w} plain {got_w}")
    return not wrong and not differ


def main() -> int:
    """Run the checks asked for, print their results and return 1 on any mismatch."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--forms", action="store_true", help="normal forms and candidates of every committed name")
    ap.add_argument("--scores", action="store_true", help="check score_one against match_index over every name")
    ap.add_argument("--match-one", action="store_true", help="check match_one end to end over every query")
    ap.add_argument("--speed", action="store_true", help="time score_one and one-name match_index calls")
    ap.add_argument("--limit", type=int, default=None, help="names in the forms sweep (default: all)")
    ap.add_argument("--list-size", type=int, default=100_000, help="names in the generated list")
    ap.add_argument("--generated", type=int, default=5000, help="clean names, and list names with a typo, each")
    ap.add_argument("--calls", type=int, default=300, help="timed calls")
    ap.add_argument("--model", choices=["hand", "shipped"], default="hand", help="score by hand weights or the model")
    args = ap.parse_args()
    model = shipped() if args.model == "shipped" else None
    if not (args.forms or args.scores or args.match_one or args.speed):
        args.forms = args.scores = args.match_one = args.speed = True
    ok = check_forms(args.limit) if args.forms else True
    dev = dev_queries()
    if args.speed:
        print("speed, dev list:", time_scores(*dev, args.calls, model), flush=True)
    checks: list[tuple[str, Callable[..., dict[str, Any]]]] = [
        (name, fn)
        for name, fn, on in (("scores", check_scores, args.scores), ("match_one", check_match_one, args.match_one))
        if on
    ]
    if not (checks or args.speed):
        return 0 if ok else 1
    gen = generated_queries(args.list_size, args.generated)
    if args.speed:
        print("speed, generated list:", time_scores(*gen, args.calls, model), flush=True)
    settings = SETTINGS if model is None else ((model.threshold, 5), (MODEL_LOW, 1))
    for label, (queries, index) in (("dev", dev), ("generated", gen)):
        for name, check in checks:
            for threshold, top in settings:
                result = check(queries, index, (threshold, top), model)
                ok = ok and result["mismatches"] == 0
                print(f"{name}, {label}, threshold {threshold}, top {top}:", result, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
