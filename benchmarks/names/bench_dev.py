"""The headline name-matching benchmark: the real development set of ``dev/`` screened task by task.

Run: ``python benchmarks/names/bench_dev.py [--split eval|fit|all] [--task NAME]... [--threshold T]
[--model shipped|FILE.json] [--out FILE.json] [--dump FILE.parquet]``; compare with the committed
reference run (the eval split) by ``python benchmarks/names/diff_dev.py FILE.json``. ``--model``
scores by the learned model (:mod:`screening.names.model`) at its own default threshold.
``--dump`` writes every labelled row (the returned entities and the expected ones not returned, at
score 0), on ``--split fit``.

Each task's queries are screened against its own list side (``dev/tasks.json``) once, at a low
threshold with the best five entities per query; every figure at a higher threshold comes from that
one run (the top five and the threshold commute). A returned entity is a true positive when it is
the query's expected entity, any other returned entity at or above the threshold a false
positive, an expected entity not returned at or above it a false negative. A clean query (no
expected entity) with any result at or above the threshold is an alert. For the tasks against
every real list (role ``all_lists``) it also reports ``proposed``: the share of queries whose
expected entity blocking proposes at all (its name pair scored, at any score), what no threshold
can raise.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
import rapidfuzz

import screening
from screening.names import DEFAULT_THRESHOLD, NameIndex, build_index, match_index, normalize_names, titles
from screening.names.match import name_pairs
from screening.names.model import NameModel, from_json, shipped

HERE = Path(__file__).resolve().parent
DEV = HERE / "dev"
SCREEN_AT = 0.30  # the run's threshold: every reported threshold lies above it
TOP = 5
GRID = tuple(round(0.30 + 0.01 * i, 2) for i in range(71))
SWEEP = (0.70, 0.75, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.95)
TARGET_PRECISION = 0.9
ENTITY_FIELDS = ("entity_id", "name", "entity_schema", "source", "countries", "birth_dates")
QUERY_FIELDS = ("query_id", "name", "schema", "country", "birth_date")


def load(dev: Path) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """Return the development set's queries, list sides and task table."""
    queries = pl.read_csv(dev / "queries.csv", infer_schema=False)
    watch = pl.read_csv(dev / "watchlist.csv", infer_schema=False)
    tasks: dict[str, Any] = json.loads((dev / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    return queries, watch, tasks


def task_list(watch: pl.DataFrame, spec: dict[str, Any]) -> pl.DataFrame:
    """Return one task's list side: its lists' names of the name types it screens against."""
    side = watch.filter(pl.col("list").is_in(spec["lists"]))
    if spec["name_types"] is not None:
        side = side.filter(pl.col("name_type").is_in(spec["name_types"]))
    return side.select(ENTITY_FIELDS)


def task_parts(
    queries: pl.DataFrame, watch: pl.DataFrame, spec: dict[str, Any]
) -> list[tuple[pl.DataFrame, pl.DataFrame]]:
    """Return one task's (queries, list side) parts: one, or one per list where each list's names ask its own list."""
    if not spec.get("same_list"):
        return [(queries, task_list(watch, spec))]
    parts = []
    for key in spec["lists"]:
        own = watch.filter(pl.col("list") == key).select(origin="entity_id").unique()
        asked = queries.join(own, on="origin", how="semi")
        if asked.height:
            parts.append((asked, task_list(watch, spec | {"lists": [key]})))
    return parts


def screen(
    task: str,
    queries: pl.DataFrame,
    side: pl.DataFrame | NameIndex,
    model: NameModel | None = None,
    at: float = SCREEN_AT,
) -> pl.DataFrame:
    """Return every (query, entity) row a run at threshold ``at`` returns of one task's queries against its list."""
    asked = queries.select(QUERY_FIELDS).rename({"query_id": "id"})
    index = side if isinstance(side, NameIndex) else build_index(side)
    hits = match_index(asked, index, at, TOP, model)
    return hits.select("query_id", "entity_id", "score", "matched_name", "detail").with_columns(task=pl.lit(task))


def proposed(task: str, queries: pl.DataFrame, index: NameIndex) -> pl.DataFrame:
    """Return the (task, query, entity) pairs whose names blocking proposes and alignment scores, at any score."""
    # each name normalised as its row's type reads it, as the scorer does (a Person's keeps its edge words)
    asked = queries.select("query_id", "name", kind=titles.kind("schema"))
    names = asked.select("name", "kind").unique().sort("name", "kind")
    pairs = name_pairs(normalize_names(names["name"], names["kind"]), index, 0.0).select("q_raw", "q_kind", "wid")
    rows = index.by_wid.join(pairs, on="wid").select(name="q_raw", kind="q_kind", entity_id="entity_id")
    found = asked.join(rows, on=["name", "kind"]).select("query_id", "entity_id").unique()
    return found.with_columns(task=pl.lit(task)).select("task", "query_id", "entity_id")


def expected_pairs(queries: pl.DataFrame, column: str = "expected_entity") -> pl.DataFrame:
    """Return one (task, query, entity) row per entity of a query's ';'-joined column."""
    pairs = queries.select("task", "query_id", entity_id=pl.col(column).str.split(";")).explode("entity_id")
    return pairs.filter(pl.col("entity_id").is_not_null())


def labelled(queries: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
    """Return the returned rows labelled, plus each expected entity not returned at score 0."""
    expected = expected_pairs(queries).with_columns(label=pl.lit(True))
    # an entity the query's name cannot tell from the expected one counts neither way
    hits = hits.join(expected_pairs(queries, "equivalent"), on=["task", "query_id", "entity_id"], how="anti")
    rows = hits.join(expected, on=["task", "query_id", "entity_id"], how="left").with_columns(
        pl.col("label").fill_null(False)
    )
    missing = expected.join(hits, on=["task", "query_id", "entity_id"], how="anti").with_columns(
        score=pl.lit(0.0), matched_name=pl.lit(None, pl.String), detail=pl.lit("not returned")
    )
    both = pl.concat([rows, missing.select(rows.columns)])
    facts = queries.select("task", "query_id", "split", "name")
    return both.join(facts, on=["task", "query_id"], how="left").sort("task", "query_id", "score", "entity_id")


def run(
    queries: pl.DataFrame,
    watch: pl.DataFrame,
    tasks: dict[str, Any],
    model: NameModel | None = None,
    at: float = SCREEN_AT,
) -> tuple[pl.DataFrame, dict[str, float], pl.DataFrame]:
    """Screen every task at ``at`` (by hand weights, or ``model``): labelled rows, task wall seconds, proposed pairs."""
    parts, seconds, blocked = [], {}, [pl.DataFrame(schema={c: pl.String for c in ("task", "query_id", "entity_id")})]
    for task, spec in tasks.items():
        asked = queries.filter(pl.col("task") == task)
        if asked.height:
            start = time.perf_counter()
            for a, side in task_parts(asked, watch, spec):
                index = build_index(side)
                parts.append(screen(task, a, index, model, at))
                if spec.get("role") == "all_lists":
                    blocked.append(proposed(task, a, index))
            seconds[task] = round(time.perf_counter() - start, 2)
    return labelled(queries, pl.concat(parts)), seconds, pl.concat(blocked)


def counts(rows: pl.DataFrame, queries: pl.DataFrame, thresholds: list[float]) -> pl.DataFrame:
    """Return, per threshold, true and false positives, found queries and alerted clean queries."""
    grid = pl.DataFrame({"t": thresholds}, schema={"t": pl.Float64})
    clean_ids = queries.filter(pl.col("expected_entity").is_null()).select("task", "query_id", clean=pl.lit(True))
    rows = rows.join(clean_ids, on=["task", "query_id"], how="left").with_columns(pl.col("clean").fill_null(False))
    above = rows.join(grid, how="cross").filter(pl.col("score") >= pl.col("t"))
    key = pl.concat_str("task", "query_id")
    per_t = above.group_by("t").agg(
        tp=pl.col("label").sum(),
        fp=(~pl.col("label")).sum(),
        found=key.filter(pl.col("label")).n_unique(),
        alerts=key.filter(pl.col("clean")).n_unique(),
    )
    return grid.join(per_t, on="t", how="left").fill_null(0).sort("t")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (precision 1 with nothing returned)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def at(table: pl.DataFrame, t: float) -> dict[str, Any]:
    """Return the grid row of a threshold."""
    return table.filter((pl.col("t") - t).abs() < 1e-9).row(0, named=True)


def curve(table: pl.DataFrame, expected: int) -> pl.DataFrame:
    """Return the grid with precision, recall and F1 at each threshold."""
    rates = [prf(tp, fp, expected - tp) for tp, fp in table.select("tp", "fp").iter_rows()]
    return table.with_columns(
        precision=pl.Series([r[0] for r in rates]),
        recall=pl.Series([r[1] for r in rates]),
        f1=pl.Series([r[2] for r in rates]),
    )


def found_by(rows: pl.DataFrame, queries: pl.DataFrame, column: str, threshold: float) -> dict[str, dict[str, float]]:
    """Return the queries and found rate at a threshold per value of a query column."""
    hit = rows.filter(pl.col("label") & (pl.col("score") >= threshold)).select("task", "query_id").unique()
    asked = queries.filter(pl.col("expected_entity").is_not_null())
    marked = asked.join(hit.with_columns(found=pl.lit(True)), on=["task", "query_id"], how="left")
    table = marked.group_by(column).agg(n=pl.len(), found=pl.col("found").fill_null(False).mean()).sort(column)
    return {str(v): {"queries": n, "found": round(f, 4)} for v, n, f in table.iter_rows()}


def alerts_by(rows: pl.DataFrame, queries: pl.DataFrame, column: str, threshold: float) -> dict[str, dict[str, float]]:
    """Return the clean queries and their alerts per 1,000 at a threshold per value of a query column."""
    hit = rows.filter(~pl.col("label") & (pl.col("score") >= threshold)).select("task", "query_id").unique()
    asked = queries.filter(pl.col("expected_entity").is_null())
    marked = asked.join(hit.with_columns(alert=pl.lit(True)), on=["task", "query_id"], how="left")
    table = marked.group_by(column).agg(n=pl.len(), alert=pl.col("alert").fill_null(False).mean()).sort(column)
    return {str(v): {"queries": n, "alerts_per_1000": round(1000 * a, 2)} for v, n, a in table.iter_rows()}


def metrics(rows: pl.DataFrame, queries: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Return one group's figures: found rate, pair precision/recall/F1, best F1, recall at precision 0.9, alerts."""
    expected = expected_pairs(queries).height
    with_expected = queries.filter(pl.col("expected_entity").is_not_null()).height
    clean = queries.height - with_expected
    table = curve(counts(rows, queries, sorted({*GRID, *SWEEP, threshold})), expected)
    d = at(table, threshold)
    out: dict[str, Any] = {"queries": queries.height, "expected": expected, "clean": clean}
    if with_expected:
        best = table.sort(["f1", "t"], descending=[True, False]).row(0, named=True)
        ok = table.filter(pl.col("precision") >= TARGET_PRECISION).sort(["recall", "t"], descending=[True, False])
        out |= {
            "found": round(d["found"] / with_expected, 4),
            "found_sweep": {str(t): round(at(table, t)["found"] / with_expected, 4) for t in SWEEP},
            **{k: round(d[k], 4) for k in ("precision", "recall", "f1")},
            **{k: d[k] for k in ("tp", "fp")},
            "fn": expected - d["tp"],
            "best_f1": round(best["f1"], 4),
            "best_f1_threshold": best["t"],
            "recall_at_p90": round(ok["recall"][0], 4) if ok.height else 0.0,
            "recall_at_p90_threshold": ok["t"][0] if ok.height else None,
            "found_by_name_type": found_by(rows, queries, "name_type", threshold),
            "found_by_script": found_by(rows, queries, "script", threshold),
        }
    if clean:
        out |= {
            "alerts_per_1000": round(1000 * d["alerts"] / clean, 2),
            "alerts_sweep": {str(t): round(1000 * at(table, t)["alerts"] / clean, 2) for t in SWEEP},
            "alerts_by_script": alerts_by(rows, queries, "script", threshold),
        }
    return out


def proposal(blocked: pl.DataFrame, queries: pl.DataFrame) -> dict[str, Any]:
    """Return the share of queries whose expected entity blocking proposed (at any score), overall and per script."""
    asked = queries.filter(pl.col("expected_entity").is_not_null())
    hit = expected_pairs(asked).join(blocked, on=["task", "query_id", "entity_id"], how="semi")
    hit = hit.select("task", "query_id").unique().with_columns(p=pl.lit(True))
    marked = asked.join(hit, on=["task", "query_id"], how="left").with_columns(pl.col("p").fill_null(False))
    table = marked.group_by("script").agg(n=pl.len(), p=pl.col("p").mean()).sort("script")
    by_script = {str(v): {"queries": n, "proposed": round(f, 4)} for v, n, f in table.iter_rows()}
    return {"proposed": round(float(marked["p"].mean() or 0.0), 4), "proposed_by_script": by_script}


def per_query(rows: pl.DataFrame, queries: pl.DataFrame) -> dict[str, list[list[Any]]]:
    """Return, per task, each query's expected-entity score and best other score (0 when none), for diffs."""
    best = rows.group_by("task", "query_id").agg(
        expected=pl.col("score").filter(pl.col("label")).max(),
        other=pl.col("score").filter(~pl.col("label")).max(),
    )
    table = queries.select("task", "query_id").join(best, on=["task", "query_id"], how="left").fill_null(0.0)
    table = table.with_columns(pl.col("expected", "other").round(4)).sort("task", "query_id")
    return {
        task: [list(r) for r in part.select("query_id", "expected", "other").iter_rows()]
        for (task,), part in table.group_by("task", maintain_order=True)
    }


def groups(split: str) -> list[str]:
    """Return the splits a run reports."""
    return ["fit", "eval", "all"] if split == "all" else [split]


def report(
    rows: pl.DataFrame,
    queries: pl.DataFrame,
    tasks: dict[str, Any],
    split: str,
    threshold: float,
    *,
    blocked: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """Return the figures per task and split (with what blocking proposed, where ``blocked`` holds the task), pooled."""
    out: dict[str, Any] = {}
    matching = [t for t, spec in tasks.items() if spec["role"] == "match"]
    for part in groups(split):
        q = queries if part == "all" else queries.filter(pl.col("split") == part)
        r = rows.join(q.select("task", "query_id"), on=["task", "query_id"], how="semi")
        for task in tasks:
            tq = q.filter(pl.col("task") == task)
            if tq.height:
                out.setdefault(task, {})[part] = metrics(r.filter(pl.col("task") == task), tq, threshold)
            if tq.height and blocked is not None and task in blocked["task"]:
                out[task][part] |= proposal(blocked, tq)
        pooled = q.filter(pl.col("task").is_in(matching))
        if pooled.is_empty():
            continue
        out.setdefault("pooled_match_tasks", {})[part] = metrics(
            r.join(pooled.select("task", "query_id"), on=["task", "query_id"], how="semi"), pooled, threshold
        )
    return out


def versions() -> dict[str, str]:
    """Return the versions and commit the run used."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "screening": screening.__version__,
        "commit": commit,
        "polars": pl.__version__,
        "rapidfuzz": rapidfuzz.__version__,
        "python": platform.python_version(),
    }


def table_lines(figures: dict[str, Any]) -> list[str]:
    """Return the compact printed table of a run's figures."""
    head = f"{'task':<22}{'split':<6}{'queries':>8}{'found':>7}{'P':>7}{'R':>7}{'F1':>7}{'bestF1@t':>13}{'R@P.9':>7}"
    lines = [head + f"{'alerts/1k':>10}{'proposed':>9}"]
    for task, parts in figures.items():
        for part, m in parts.items():
            best = f"{m['best_f1']:.3f}@{m['best_f1_threshold']:.2f}" if "best_f1" in m else "-"
            cells = [f"{m[k]:.3f}" if k in m else "-" for k in ("found", "precision", "recall", "f1")]
            alerts = f"{m['alerts_per_1000']:.1f}" if "alerts_per_1000" in m else "-"
            r90 = f"{m['recall_at_p90']:.3f}" if "recall_at_p90" in m else "-"
            blocked = f"{m['proposed']:.3f}" if "proposed" in m else "-"
            lines.append(
                f"{task:<22}{part:<6}{m['queries']:>8}{cells[0]:>7}{cells[1]:>7}{cells[2]:>7}{cells[3]:>7}"
                f"{best:>13}{r90:>7}{alerts:>10}{blocked:>9}"
            )
    return lines


def class_lines(figures: dict[str, Any], tasks: dict[str, Any]) -> list[str]:
    """Return the found rate per perturbation class (``name_type``) of the perturbed tasks, per task and split."""
    lines = []
    for task, parts in figures.items():
        if tasks.get(task, {}).get("role") != "perturbed":
            continue
        for part, m in parts.items():
            cells = [f"{k} {v['found']:.4f} ({v['queries']})" for k, v in m.get("found_by_name_type", {}).items()]
            lines.append(f"{task} {part} found by class: " + ", ".join(cells))
    return lines


def dumps(result: dict[str, Any], per_query: dict[str, list[list[Any]]]) -> str:
    """Return a run as JSON text with one line per query, so that runs diff line by line."""
    head = json.dumps(result, indent=1, ensure_ascii=False)[:-2]
    tasks = [
        f"  {json.dumps(task)}: [\n" + ",\n".join(f"   {json.dumps(q)}" for q in rows) + "\n  ]"
        for task, rows in per_query.items()
    ]
    return head + ',\n "queries": {\n' + ",\n".join(tasks) + "\n }\n}\n"


def dumped(rows: pl.DataFrame, queries: pl.DataFrame, watch: pl.DataFrame) -> pl.DataFrame:
    """Return the labelled rows with the query's qualifiers and the entity's attributes, for fitting."""
    asked = queries.select("task", "query_id", "schema", "country", "birth_date", "name_type", "script")
    entities = watch.select("entity_id", "entity_schema", "countries", "birth_dates").unique("entity_id", keep="first")
    columns = ("task", "split", "query_id", "entity_id", "score", "label", "detail", "name", "matched_name")
    joined = rows.select(columns).join(asked, on=["task", "query_id"], how="left")
    return joined.join(entities, on="entity_id", how="left", maintain_order="left")


def arguments() -> argparse.Namespace:
    """Return the command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("eval", "fit", "all"), default="eval")
    parser.add_argument("--task", action="append", help="run only this task (repeatable)")
    parser.add_argument("--threshold", type=float, help="the threshold of the figures (default: the scorer's)")
    parser.add_argument("--model", help="score by a learned model: 'shipped' or a model JSON file")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "dev.json")
    parser.add_argument("--dump", type=Path, help="write every labelled row to this Parquet file")
    parser.add_argument("--dev", type=Path, default=DEV, help="the development set's folder")
    parser.add_argument(
        "--screen-at",
        type=float,
        default=SCREEN_AT,
        help="the run's threshold: at the figures' own threshold, what `screening match` returns there "
        f"(default {SCREEN_AT}: every threshold's figures from one run, the sweep and best F1)",
    )
    return parser.parse_args()


def selected(args: argparse.Namespace) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """Return the development set cut to the asked split and tasks; a set that cannot be read exits 2."""
    try:
        queries, watch, tasks = load(args.dev)
    except (OSError, ValueError, KeyError, pl.exceptions.PolarsError) as exc:
        print(
            f"bench_dev: cannot read the development set in {args.dev}: {exc}; build it with devset.py", file=sys.stderr
        )
        raise SystemExit(2) from None
    unknown = sorted(set(args.task or []) - set(tasks))
    if unknown:
        print(
            f"bench_dev: --task {', '.join(unknown)}: no such task; the tasks are {', '.join(tasks)}", file=sys.stderr
        )
        raise SystemExit(2)
    tasks = {t: spec for t, spec in tasks.items() if not args.task or t in args.task}
    keep = pl.col("task").is_in(list(tasks)) & ((pl.col("split") == args.split) | (args.split == "all"))
    return queries.filter(keep), watch, tasks


def chosen_model(name: str | None) -> NameModel | None:
    """Return the model asked for: none, the shipped one, or one read from a JSON file."""
    if name is None:
        return None
    if name == "shipped":
        return shipped()
    return from_json(json.loads(Path(name).read_text(encoding="utf-8")), name)


def main() -> None:
    """Run the benchmark, print its table and write the JSON (and the row dump when asked)."""
    args = arguments()
    queries, watch, tasks = selected(args)
    model = chosen_model(args.model)
    if args.threshold is None:
        args.threshold = DEFAULT_THRESHOLD if model is None else model.threshold
    wall, cpu = time.perf_counter(), time.process_time()
    rows, seconds, blocked = run(queries, watch, tasks, model, args.screen_at)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    figures = report(rows, queries, tasks, args.split, args.threshold, blocked=blocked)
    print("\n".join([*table_lines(figures), *class_lines(figures, tasks)]))
    print(f"threshold {args.threshold}; screening {wall:.1f} s wall, {cpu:.1f} s CPU")
    meta = {"split": args.split, "default_threshold": args.threshold, "screened_at": args.screen_at, "top": TOP}
    if model is not None:
        meta["model"] = args.model
    timing = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "queries": queries.height, "task_wall_s": seconds}
    result = {"meta": meta | {"versions": versions(), "timing": timing}, "tasks": figures}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dumps(result, per_query(rows, queries)), encoding="utf-8")
    if args.dump:
        dumped(rows, queries, watch).write_parquet(args.dump)


if __name__ == "__main__":
    main()
