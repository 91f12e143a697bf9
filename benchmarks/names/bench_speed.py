"""Speed of batch name screening, blocking recall against brute force, and peak memory.

Run: ``python benchmarks/names/bench_speed.py [--n 1000000] [--sample 2000] [--model shipped]``. Screens N distinct
names against a 100,000-name watchlist (the benchmark's real list names plus names from a pool
apart from the queries), times brute-force ``cdist(token_sort_ratio)`` on a sample (half clean
names, half list names with one typo), reports the share of its pairs our blocking proposes (on
raw names, and on the normal forms blocking works on), and writes results/speed.json.
``--misses FILE`` writes the brute-force pairs (raw or normal forms) blocking missed to a CSV, each with its ratio and
why (no candidate at all, or cut by the per-query cap), whether the matching prefilter passes it
and the matcher's name score had blocking proposed it. Brute force's token_sort_ratio is not the
matcher's score: two companies sharing a long legal form pass it and score far lower, so the
``_scored`` recalls count only the brute-force pairs the matcher scores at least the threshold.
``--single K`` also times K one-name calls of ``match_index`` against the prepared index (the
``/match`` server's path: half list names with a typo, half clean names), as p50/p95/p99 ms.
``--real`` screens instead every distinct query name of the names dev set (real public list names,
nothing generated) against its real list side, brute force on a random sample of those queries,
and writes results/speed_real.json. ``--stages`` times the batch once more stage by stage (wall and
CPU seconds, each stage without the stages inside it) and by query class (script, words, legal
form, candidates), and prints both tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).parent))
import pools
import variants

from screening.names import (
    DEFAULT_THRESHOLD,
    NameIndex,
    align,
    blocking,
    build_index,
    match_index,
    penalties,
    romanise,
    same_script,
)
from screening.names import keys as name_keys
from screening.names import marks as name_marks
from screening.names import match as name_match
from screening.names import prefilter as name_prefilter
from screening.names import qualifiers as name_qualifiers
from screening.names.marks import form_marks
from screening.names.match import FORM_COLUMNS, PER_QUERY, prefilter_cutoff
from screening.names.model import HAND, NameModel, shipped
from screening.names.normalize import normalize_names
from screening.names.prefilter import prefilter

ROOT = Path(__file__).resolve().parents[2]
MISS_CAPS = (PER_QUERY, 2 * PER_QUERY, 5 * PER_QUERY, 25 * PER_QUERY, 1 << 20)


def watchlist(size: int) -> pl.DataFrame:
    """Return a watchlist of ``size`` names: real list names plus generated ones."""
    real = pl.read_csv(ROOT / "fixtures" / "names" / "bench_watchlist.csv")
    extra = pools.list_names(size - real.height, seed=1)
    gen = pl.DataFrame(
        {
            "entity_id": [f"gen:{i}" for i in range(len(extra))],
            "name": [a for a, _ in extra],
            "schema": [b for _, b in extra],
        }
    )
    return pl.concat([real, gen]).rename({"schema": "entity_schema"})


def real_inputs() -> tuple[pl.DataFrame, list[str]]:
    """Return the names dev set's real list side and its real query names (public list files, nothing generated)."""
    dev = Path(__file__).parent / "dev"
    watch = pl.read_csv(dev / "watchlist.csv", infer_schema=False).unique(["entity_id", "name"], maintain_order=True)
    queries = pl.read_csv(dev / "queries.csv", infer_schema=False).filter(pl.col("task") != "perturbed_real")
    names = queries["name"].unique(maintain_order=True).to_list()  # perturbed_real is generated (fit only)
    return watch.select("entity_id", "name", "entity_schema"), names


def recall_sample(names: list[str], listed: list[str], size: int) -> list[str]:
    """Return ``size`` queries: half clean names, half list names with one typo."""
    rng = random.Random(5)
    picks = rng.sample(listed, size // 2)
    typos = [variants.typo(n, rng) or n for n in picks]
    return names[: size - len(typos)] + typos


def brute_force(queries: list[str], names: list[str], cutoff: float) -> tuple[float, set[tuple[str, str]]]:
    """Return seconds and the (query, name) pairs brute-force token_sort_ratio finds."""
    start = time.perf_counter()
    scores = process.cdist(
        queries,
        names,
        scorer=fuzz.token_sort_ratio,
        workers=-1,
        score_cutoff=cutoff * 100,
        dtype=np.uint8,
    )
    seconds = time.perf_counter() - start
    qi, wi = np.nonzero(scores)
    return seconds, {(queries[a], names[b]) for a, b in zip(qi, wi, strict=True)}


def brute_force_normalised(queries: list[str], index: NameIndex, cutoff: float) -> set[tuple[str, str]]:
    """Return the (query, list name) pairs brute force finds on the normal forms blocking sees.

    Blocking runs after normalisation (legal forms and identifiers lifted out, transliterated,
    skeleton), so this is its like-for-like baseline; the raw brute force also counts pairs such
    as two different companies sharing only a long legal form.
    """
    qnorm = normalize_names(pl.Series(queries))
    names = index.names
    scores = process.cdist(
        qnorm["sorted"].to_list(),
        names["sorted"].to_list(),
        scorer=fuzz.token_sort_ratio,
        workers=-1,
        score_cutoff=cutoff * 100,
        dtype=np.uint8,
    )
    qi, wi = np.nonzero(scores)
    q_raw, w_raw = qnorm["raw"].to_list(), names["raw"].to_list()
    return {(q_raw[a], w_raw[b]) for a, b in zip(qi, wi, strict=True)}


def blocked(queries: list[str], index: NameIndex) -> set[tuple[str, str]]:
    """Return the (query, list name) pairs our blocking proposes."""
    qnorm = normalize_names(pl.Series(queries)).with_row_index("nid")
    pairs = blocking.candidates(qnorm, index.keys, PER_QUERY)
    named = pairs.join(qnorm.select("nid", q="raw"), on="nid").join(index.names.select("wid", w="raw"), on="wid")
    return set(zip(named["q"].to_list(), named["w"].to_list(), strict=True))


def matcher_scores(pairs: set[tuple[str, str]], index: NameIndex) -> dict[tuple[str, str], float]:
    """Return the matcher's (hand-weighted) name score of each (query, list name) pair, as if blocking proposed it.

    A brute-force pair the matcher scores below the threshold anyway (two companies sharing only a
    long legal form) is no blocking miss: the recall that matters counts only pairs scoring at least it.
    """
    if not pairs:
        return {}
    frame = pl.DataFrame(sorted(pairs), schema=["q", "w"], orient="row")
    roman = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script").when(pl.col("abjad")).then(pl.lit("abjad"))
    qnorm = normalize_names(frame["q"]).with_row_index("nid").with_columns(roman=roman.otherwise(pl.lit("")))
    ids = frame.join(qnorm.select("nid", q="raw"), on="q").join(index.names.select("wid", w="raw"), on="w")
    q = form_marks(qnorm.select("nid", *FORM_COLUMNS, "roman"), "nid")
    kept = prefilter(ids.select("nid", "wid"), q, index.facts, 0.0)
    feats = align.align(kept, q, index.tokens, index.rarity).join(ids, on=["nid", "wid"])
    qs = qnorm.rename({c: f"q_{c}" for c in qnorm.columns if c != "nid"})
    feats = feats.join(qs, on="nid").with_columns(q_raw=pl.col("q"), acronym=pl.lit(value=False))  # blocked pairs
    feats = pl.concat([feats, index.names.rename(lambda c: f"w_{c}")[feats["wid"]]], how="horizontal")
    named = same_script.cap(feats.with_columns(s=(pl.col("base") - penalties.penalties()).clip(0.0, 1.0)), "s")
    return dict(zip(zip(named["q"], named["w"], strict=True), named["s"], strict=True))


def scored_recall(
    pairs: set[tuple[str, str]], ours: set[tuple[str, str]], scores: dict[tuple[str, str], float]
) -> dict[str, float]:
    """Return how many brute-force ``pairs`` the matcher scores at least the threshold, and the share proposed."""
    alerting = {p for p in pairs if scores.get(p, 0.0) >= DEFAULT_THRESHOLD}
    return {"pairs": len(alerting), "recall": round(len(alerting & ours) / max(len(alerting), 1), 4)}


def candidate_count(queries: list[str], index: NameIndex) -> int:
    """Return how many (query, list name) candidate pairs blocking proposes for ``queries``."""
    qnorm = normalize_names(pl.Series(queries)).with_row_index("nid")
    return blocking.candidates(qnorm, index.keys, PER_QUERY).height


def single_calls(index: NameIndex, names: list[str], listed: list[str], count: int) -> dict[str, float]:
    """Return the latency percentiles (ms) of ``count`` one-name ``match_index`` calls by hand, after two warm-ups."""
    queries = recall_sample(names, listed, count + 2)
    took = []
    for name in queries:
        frame = pl.DataFrame({"id": ["q"], "name": [name]})
        start = time.perf_counter()
        match_index(frame, index, DEFAULT_THRESHOLD, 5, HAND)
        took.append((time.perf_counter() - start) * 1000)
    ms = np.array(took[2:])
    return {"calls": int(ms.size), **{f"p{q}": round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)}}


# (module, function, stage): the functions timed by --stages, where the batch path looks them up
STAGES: tuple[tuple[object, str, str], ...] = (
    (name_match, "normalize_names", "normalisation"),
    (name_keys, "token_frame", "key building"),
    (name_keys, "phonetic_tokens", "key building"),
    (name_keys, "name_keys", "key building"),
    (name_keys, "near_keys", "key building"),
    (name_keys, "dropout_keys", "key building"),
    (blocking, "_rare_grams", "key building"),
    (blocking, "_close_tokens", "close tokens"),
    (blocking, "_query_self", "key building"),
    (blocking, "candidates", "candidate joins"),
    (name_marks, "form_marks", "marks"),
    (name_prefilter, "prefilter", "prefilter"),
    (align, "tokens", "align tokens"),
    (align, "token_sims", "token sims"),
    (align, "align", "alignment"),
    (same_script, "cap", "same-script cap"),
    (name_match, "_named", "naming/penalties"),
    (name_qualifiers, "qualify", "qualifiers"),
    (name_match, "_qualified", "qualified join"),
    (name_match, "_explained", "filters + explanation"),
    (name_match, "_name_hits", "filters + explanation"),
    (name_match, "_id_hits", "identifiers"),
    (name_match, "_top", "top"),
    (name_match, "match_index", "other"),
)


# (function, what is counted, how): the work the batch does per name, read off a timed function's call
WORK: dict[str, tuple[str, Callable[[tuple[Any, ...], Any], int]]] = {
    "normalize_names": ("query rows normalised", lambda args, out: int(out.height)),
    "candidates": ("candidate pairs", lambda args, out: int(out.height)),
    "prefilter": ("pairs passing the prefilter", lambda args, out: int(out.height)),
    "token_sims": ("token cells reaching alignment", lambda args, out: int(args[0].size)),
    "_named": ("named pairs at the floor", lambda args, out: int(out.height)),
    "_qualified": ("qualified rows", lambda args, out: int(out.height)),
    "_explained": ("rows reaching explanation", lambda args, out: int(out.height)),
    "_top": ("rows reaching top", lambda args, out: int(args[0].height)),
}


class StageClock:
    """Wall and CPU seconds per stage, each stage without the stages it calls, and the work of a few.

    CPU seconds are the process's (every thread) and the calling thread's own (``main``): a stage
    whose CPU is all its calling thread's runs on one core, whatever the machine has.
    """

    def __init__(self) -> None:
        """Start with no stage timed."""
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.main: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[list[float]] = []
        self.names: list[str] = []
        self.work: dict[str, int] = {}

    def current(self) -> str:
        """Return the stage running now (the innermost), ``-`` between stages."""
        return self.names[-1] if self.names else "-"

    def wrap(self, stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``func`` timed under ``stage`` (and its work counted, if :data:`WORK` names it)."""
        counted = WORK.get(func.__name__)

        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append([0.0, 0.0, 0.0])
            self.names.append(stage)
            start = _clocks()
            try:
                out = func(*args, **kwargs)
                if counted is not None and out is not None:
                    self.work[counted[0]] = self.work.get(counted[0], 0) + counted[1](args, out)
                return out
            finally:
                self.names.pop()
                self._add(stage, [now - then for now, then in zip(_clocks(), start, strict=True)])

        return timed

    def _add(self, stage: str, took: list[float]) -> None:
        """Add a call's wall, CPU and own-thread seconds to ``stage`` (less the stages it called) and its caller's."""
        inner = self.stack.pop()
        for clock, spent, less in zip((self.wall, self.cpu, self.main), took, inner, strict=True):
            clock[stage] = clock.get(stage, 0.0) + spent - less
        self.calls[stage] = self.calls.get(stage, 0) + 1
        if self.stack:
            self.stack[-1] = [a + b for a, b in zip(self.stack[-1], took, strict=True)]

    def table(self) -> pl.DataFrame:
        """Return the stages by CPU seconds, most first (``main_cpu_s``: the calling thread's share)."""
        rows = [
            (s, round(self.wall[s], 3), round(self.cpu[s], 3), round(self.main[s], 3), self.calls[s]) for s in self.wall
        ]
        frame = pl.DataFrame(rows, schema=["stage", "wall_s", "cpu_s", "main_cpu_s", "calls"], orient="row")
        return frame.sort("cpu_s", descending=True)


class CoreUse:
    """How many cores a run keeps busy, whatever else loads the machine, from samples of its runnable threads.

    Every few milliseconds a sampler thread counts the process's other threads that are running or
    waiting for a core, and charges the CPU seconds spent since to the stage ``stage()`` names. CPU
    seconds over the count (at most ``cores``) estimate the wall seconds on an idle machine of
    ``cores`` cores; CPU seconds over that estimate are the cores kept busy. A thread spinning for
    work counts as runnable, so the figure errs towards more cores busy.
    """

    def __init__(self, cores: int = 2, stage: Callable[[], str] = lambda: "batch", every: float = 0.003) -> None:
        """Sample every ``every`` seconds, charging the stage ``stage()`` names."""
        self.cores, self.stage, self.every = cores, stage, every
        self.rows: list[tuple[str, int, float]] = []
        self.done = threading.Event()
        self.sampler = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> CoreUse:
        """Start sampling."""
        self.sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop sampling."""
        self.done.set()
        self.sampler.join()

    def _sample(self) -> None:
        """Record (stage, runnable threads, CPU seconds since the last sample) until stopped."""
        me, last = threading.get_native_id(), time.process_time()
        while not self.done.wait(self.every):
            now = time.process_time()
            self.rows.append((self.stage(), runnable_threads(me), now - last))
            last = now

    def table(self) -> pl.DataFrame:
        """Return per stage the CPU seconds, the estimated idle-machine wall seconds and the cores kept busy."""
        rows = pl.DataFrame(self.rows, schema=["stage", "threads", "cpu"], orient="row")
        quiet = pl.col("cpu") / pl.col("threads").clip(1, self.cores)
        one = pl.col("cpu").filter(pl.col("threads") <= 1).sum() / pl.col("cpu").sum()
        frame = rows.group_by("stage").agg(
            cpu_s=pl.col("cpu").sum(), quiet_wall_s=quiet.sum(), one_thread_share=one.fill_nan(0.0)
        )
        frame = frame.with_columns(cores_busy=pl.col("cpu_s") / pl.col("quiet_wall_s"))
        return frame.with_columns(pl.selectors.float().round(3)).sort("quiet_wall_s", descending=True)


def runnable_threads(skip: int) -> int:
    """Return how many threads of this process but ``skip`` are running or waiting for a core (0 without /proc)."""
    count = 0
    for task in Path("/proc/self/task").glob("*"):
        try:
            stat = (task / "stat").read_bytes()
        except OSError:  # the thread ended
            continue
        state = stat[stat.rindex(b")") + 2 : stat.rindex(b")") + 3]
        count += task.name != str(skip) and state == b"R"
    return count


def core_use(queries: pl.DataFrame, index: NameIndex, threshold: float, model: NameModel | None) -> pl.DataFrame:
    """Return how many cores one more batch run keeps busy as it runs (its chunk's parts in threads)."""
    with CoreUse() as use:
        name_match.match_index(queries, index, threshold, 1, model)
    return use.table()


def _clocks() -> tuple[float, float, float]:
    """Return the wall clock, the process's CPU seconds and the calling thread's CPU seconds."""
    return time.perf_counter(), time.process_time(), time.thread_time()


def stage_times(
    queries: pl.DataFrame, index: NameIndex, threshold: float, model: NameModel | None
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Return the stage table and the work counts of one more batch run, timed where the batch path looks up.

    The run is one part in one thread; each stage's cores kept busy come from :class:`CoreUse`.
    """
    saved: list[tuple[object, str, Any]] = [(name_match, "THREADS", name_match.THREADS)]
    clock = StageClock()
    # one thread: the clock's stack of nested stages and the process's CPU time are one thread's
    setattr(name_match, "THREADS", 1)  # noqa: B010 (a Final constant, set for this run only)
    for module, name, stage in STAGES:
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, clock.wrap(stage, getattr(module, name)))
    try:
        with CoreUse(stage=clock.current) as use:
            name_match.match_index(queries, index, threshold, 1, model)
    finally:
        for module, name, func in reversed(saved):
            setattr(module, name, func)
    cores = use.table().select("stage", "quiet_wall_s", "cores_busy", "one_thread_share")
    return clock.table().join(cores, on="stage", how="left", maintain_order="left"), clock.work


def query_classes(names: list[str], index: NameIndex) -> pl.DataFrame:
    """Return each query name with its classes: script, words, legal form present, candidates."""
    norm = normalize_names(pl.Series(names)).with_row_index("nid")
    found = blocking.candidates(norm, index.keys, PER_QUERY).group_by("nid").len()
    words = pl.col("tokens").list.len()
    norm = norm.join(found, on="nid", how="left").with_columns(pl.col("len").fill_null(0))
    return norm.select(
        name="raw",
        script="script",
        words=pl.when(words >= 5).then(pl.lit("5+")).otherwise(words.cast(pl.String)),
        legal=pl.col("legal").list.len() > 0,
        candidates=pl.when(pl.col("len") == 0)
        .then(pl.lit("0"))
        .when(pl.col("len") < 10)
        .then(pl.lit("1-9"))
        .when(pl.col("len") < PER_QUERY)
        .then(pl.lit("10-39"))
        .otherwise(pl.lit("40")),
    )


def class_times(classes: pl.DataFrame, index: NameIndex, threshold: float, model: NameModel | None) -> pl.DataFrame:
    """Return names/s of the batch run on each query class alone (classes of under 50 names left out)."""
    rows = []
    for column in ("script", "words", "legal", "candidates"):
        for value, part in classes.group_by(column, maintain_order=True):
            if part.height < 50:
                continue
            queries = pl.DataFrame({"id": [str(i) for i in range(part.height)], "name": part["name"]})
            wall, cpu = time.perf_counter(), time.process_time()
            match_index(queries, index, threshold, 1, model)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rows.append((column, str(value[0]), part.height, round(wall, 2), round(cpu, 2), round(part.height / wall)))
    schema = ["class", "value", "names", "wall_s", "cpu_s", "names_per_s"]
    return pl.DataFrame(rows, schema=schema, orient="row").sort("class", "names_per_s")


def explain_misses(missed: set[tuple[str, str]], index: NameIndex) -> pl.DataFrame:
    """Return the missed brute-force pairs with their ratio and why blocking left them out.

    ``cap``: the smallest per-query cap of a few tried that keeps the pair (null: no candidate
    at all, whatever the cap); ``prefilter``: whether matching's bulk-ratio prefilter would pass it.
    """
    pairs = pl.DataFrame(sorted(missed), schema=["q", "w"], orient="row")
    qnorm = normalize_names(pairs["q"]).with_row_index("nid")
    frame = pairs.join(qnorm.select("nid", q="raw", q_sorted="sorted"), on="q").join(
        index.names.select("wid", w="raw", w_sorted="sorted"), on="w"
    )
    caps = [blocking.candidates(qnorm, index.keys, c).with_columns(cap=pl.lit(c)) for c in MISS_CAPS]
    frame = frame.join(pl.concat(caps).group_by("nid", "wid").agg(pl.col("cap").min()), on=["nid", "wid"], how="left")
    ratios = process.cpdist(frame["q"].to_list(), frame["w"].to_list(), scorer=fuzz.token_sort_ratio, workers=-1)
    frame = frame.with_columns(ratio=pl.Series(ratios) / 100.0)
    cutoff = prefilter_cutoff(DEFAULT_THRESHOLD)
    passed = prefilter(frame.select("nid", "wid"), form_marks(qnorm, "nid"), index.facts, cutoff)
    return (
        frame.join(passed.select("nid", "wid", prefilter=pl.lit(value=True)), on=["nid", "wid"], how="left")
        .with_columns(prefilter=pl.col("prefilter").fill_null(value=False))
        .with_columns(why=pl.when(pl.col("cap").is_null()).then(pl.lit("not_candidate")).otherwise(pl.lit("cap")))
        .select("q", "w", "ratio", "why", "cap", "prefilter", "q_sorted", "w_sorted")
        .sort("why", "q")
    )


def print_stages(
    queries: pl.DataFrame, names: list[str], index: NameIndex, threshold: float, model: NameModel | None
) -> None:
    """Print the stage table and the query-class table of the batch."""
    with pl.Config(tbl_rows=60, tbl_hide_dataframe_shape=True, tbl_width_chars=160):
        table, work = stage_times(queries, index, threshold, model)
        print(table)
        total = table.select(pl.col("wall_s", "cpu_s", "main_cpu_s").sum().round(2)).row(0)
        print("total wall", total[0], "cpu", total[1], "of which the calling thread's", total[2])
        whole = core_use(queries, index, threshold, model).select(pl.col("cpu_s", "quiet_wall_s").sum())
        cpu, quiet = whole.row(0)
        print(f"the batch as it runs (parts in threads): {cpu:.2f} CPU s, {quiet:.2f} s on two idle cores")
        distinct = normalize_names(queries["name"].unique()).height
        for what, count in work.items():
            print(f"{what}: {count} ({count / max(distinct, 1):.2f} per distinct name)")
        print(class_times(query_classes(names, index), index, threshold, model))


def parse_args() -> argparse.Namespace:
    """Return the command-line arguments."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--list-size", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--misses", help="write the missed brute-force pairs and why to this CSV")
    ap.add_argument("--out", default=None, help="default results/speed.json (speed_real.json with --real)")
    ap.add_argument("--model", choices=("shipped",), help="score by the learned model, at its threshold")
    ap.add_argument("--single", type=int, default=0, help="also time this many one-name calls (ms percentiles)")
    ap.add_argument("--real", action="store_true", help="the names dev set's real list names and queries instead")
    ap.add_argument("--stages", action="store_true", help="also time the batch by stage and by query class")
    return ap.parse_args()


def main() -> None:
    """Run the speed benchmark and write its JSON."""
    args = parse_args()
    model = shipped() if args.model else None
    if args.real:  # real names only: the list side and every distinct query name of benchmarks/names/dev
        watch, names = real_inputs()
        args.n, args.list_size = len(names), watch.height
        rng = random.Random(5)
        sample = rng.sample(names, min(args.sample, len(names)))
    else:
        watch = watchlist(args.list_size)
        names = [a for a, _ in pools.clean_names(args.n, seed=99)]
        sample = recall_sample(names, watch["name"].head(args.list_size // 5).to_list(), args.sample)
    queries = pl.DataFrame({"id": [str(i) for i in range(len(names))], "name": names})
    t0 = time.perf_counter()
    index = build_index(watch)
    t1 = time.perf_counter()
    threshold = DEFAULT_THRESHOLD if model is None else model.threshold
    cpu = time.process_time()
    hits = match_index(queries, index, threshold, 1, model)
    t2, cpu = time.perf_counter(), time.process_time() - cpu
    if args.stages:
        print_stages(queries, names, index, threshold, model)
    bf_seconds, bf_pairs = brute_force(sample, watch["name"].to_list(), DEFAULT_THRESHOLD)
    ours = blocked(sample, index)
    found = len(bf_pairs & ours)
    bf_norm = brute_force_normalised(sample, index, DEFAULT_THRESHOLD)
    scores = matcher_scores(bf_pairs | bf_norm, index)
    raw_scored, norm_scored = scored_recall(bf_pairs, ours, scores), scored_recall(bf_norm, ours, scores)
    per_query = candidate_count(sample, index) / len(sample)
    result = {
        "data": "names dev set (real)" if args.real else "generated queries, real + generated list",
        "queries": args.n,
        "list_names": watch.height,
        "threshold": threshold,
        "scorer": "model" if model else "hand",
        "index_seconds": round(t1 - t0, 2),
        "match_seconds": round(t2 - t1, 2),
        "names_per_second": round(args.n / (t2 - t1)),
        # CPU seconds of all threads: steadier than wall seconds when other work shares the machine
        "match_cpu_seconds": round(cpu, 2),
        "matched_queries": hits.height,
        "brute_force_sample": len(sample),
        "brute_force_seconds": round(bf_seconds, 2),
        "brute_force_extrapolated_seconds": round(bf_seconds * args.n / len(sample), 1),
        "brute_force_pairs": len(bf_pairs),
        "blocking_recall": round(found / max(len(bf_pairs), 1), 4),
        "brute_force_normalised_pairs": len(bf_norm),
        "blocking_recall_normalised": round(len(bf_norm & ours) / max(len(bf_norm), 1), 4),
        # the recall that matters: of the brute-force pairs the matcher itself scores at least the threshold
        "brute_force_scored_pairs": raw_scored["pairs"],
        "blocking_recall_scored": raw_scored["recall"],
        "brute_force_normalised_scored_pairs": norm_scored["pairs"],
        "blocking_recall_normalised_scored": norm_scored["recall"],
        "candidates_per_query": round(per_query, 1),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        "single_name_ms": single_calls(index, names, watch["name"].to_list(), args.single) if args.single else None,
        # other work on the machine slows every figure above: the 1, 5 and 15 minute load averages
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    missed = sorted(bf_pairs - ours)[:10]
    out = Path(args.out or Path(__file__).parent / "results" / f"speed{'_real' if args.real else ''}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=1))
    print("missed by blocking:", missed)
    print("missed on normal forms:", sorted(bf_norm - ours)[:10])
    lost = (bf_pairs | bf_norm) - ours
    if args.misses and lost:
        rows = [(q, w, scores.get((q, w), 0.0), (q, w) in bf_pairs, (q, w) in bf_norm) for q, w in lost]
        extra = pl.DataFrame(rows, schema=["q", "w", "score", "raw", "normalised"], orient="row")
        explain_misses(lost, index).join(extra, on=["q", "w"]).write_csv(args.misses)


if __name__ == "__main__":
    main()
