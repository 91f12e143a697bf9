"""Choose NAME-001's model threshold and critical cut on the development set's fit split.

Run: ``python benchmarks/names/choose_thresholds.py [--model shipped|FILE.json] [--hand-threshold 0.88]
[--hand-critical 0.95] [--out FILE.json]``. The fit split's matching tasks (pooled), ``list_others``
(real hard negatives) and ``clean_people`` are screened once by each scorer (hand weights, the
model). The model's threshold is the strictest on a 0.01 grid that keeps at least the hand rule's
pooled recall at ``--hand-threshold``; its critical cut the strictest that keeps at least as many true
hits critical as the hand rule at ``--hand-critical``, a hit naming the listed name exactly being
critical whatever its score for both scorers (NAME-001, :func:`screening.kinds.names.same_words`). It prints
precision, recall, F1 and the alerts per 1,000 of ``list_others`` and ``clean_people`` of both at
the chosen values, the true and false critical hits, the best score of each surname-neighbour
query of :data:`NEIGHBOURS` against the listed entity it is not (any of its names) in the bundled
sample lists, the figures at the least threshold where they do not alert, and the sha256 of the
model file the values were chosen for. Rerun it after a refit (tests check the sha256).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
import bench_dev

from screening import lists
from screening.kinds.names import same_words
from screening.names import build_index, match_index
from screening.names.model import MODEL_FILE, NameModel, shipped_sha256

GRID = tuple(round(0.30 + 0.01 * i, 2) for i in range(70))
CLEAN = ("list_others", "clean_people")
# query name, listed entity, its name: a listed surname's neighbour with the same given name (not the listed person)
NEIGHBOURS = (
    ("Sergey Besedin", "us_ofac_sdn:16960", "BESEDA, Sergey"),
    ("Valery Bolotin", "us_ofac_sdn:16962", "BOLOTOV, Valery"),
)


def pooled(rows: pl.DataFrame, queries: pl.DataFrame, match: list[str]) -> pl.DataFrame:
    """Return the pooled matching tasks' precision, recall and F1 per grid threshold."""
    asked = queries.filter(pl.col("task").is_in(match))
    r = rows.join(asked.select("task", "query_id"), on=["task", "query_id"], how="semi")
    return bench_dev.curve(bench_dev.counts(r, asked, list(GRID)), bench_dev.expected_pairs(asked).height)


def alerts(rows: pl.DataFrame, queries: pl.DataFrame, task: str) -> pl.DataFrame:
    """Return one clean task's alerts per 1,000 queries per grid threshold."""
    asked = queries.filter(pl.col("task") == task)
    table = bench_dev.counts(rows.filter(pl.col("task") == task), asked, list(GRID))
    return table.select("t", alerts_per_1000=1000 * pl.col("alerts") / max(asked.height, 1))


def critical_rows(rows: pl.DataFrame, queries: pl.DataFrame, match: list[str]) -> pl.DataFrame:
    """Return the pooled matching tasks' rows with whether the query names the matched name exactly (NAME-001)."""
    asked = queries.filter(pl.col("task").is_in(match)).select("task", "query_id")
    r = rows.join(asked, on=["task", "query_id"], how="semi")
    return r.select("label", "score", exact=same_words(pl.col("name"), pl.col("matched_name")).fill_null(value=False))


def critical_counts(rows: pl.DataFrame, threshold: float, cut: float, *, exact: bool) -> dict[str, Any]:
    """Return the true and false hits NAME-001 calls critical: at or over ``cut`` (or exact, if ``exact``)."""
    hit = rows.filter(pl.col("score") >= threshold)
    critical = hit.filter((pl.col("score") >= cut) | (pl.col("exact") & exact))
    tp = int(critical["label"].sum())
    return {
        "critical_tp": tp,
        "critical_fp": critical.height - tp,
        "exact_tp": int((hit["exact"] & hit["label"]).sum()),
    }


def strictest(table: pl.DataFrame, column: str, least: float) -> float:
    """Return the highest grid threshold whose ``column`` is at least ``least``."""
    best = table.filter(pl.col(column) >= least - 1e-12)["t"].max()
    return float(best) if isinstance(best, float) else GRID[0]


def critical_cut(rows: pl.DataFrame, threshold: float, least: int) -> float:
    """Return the strictest grid cut from ``threshold`` keeping ``least`` or more true critical hits (exact too)."""
    tps = [critical_counts(rows, threshold, t, exact=True)["critical_tp"] for t in GRID]
    table = pl.DataFrame({"t": GRID, "tp": tps}).filter(pl.col("t") >= threshold)
    return strictest(table, "tp", least)


def figures(curve: pl.DataFrame, clean: dict[str, pl.DataFrame], t: float) -> dict[str, Any]:
    """Return precision, recall, F1 and each clean task's alerts per 1,000 at threshold ``t``."""
    row = bench_dev.at(curve, t)
    out = {k: round(row[k], 4) for k in ("precision", "recall", "f1")}
    return out | {
        f"{task}_alerts_per_1000": round(bench_dev.at(a, t)["alerts_per_1000"], 2) for task, a in clean.items()
    }


def neighbours(model: NameModel | None) -> dict[str, float]:
    """Return each neighbour query's best score against its listed entity in the bundled sample (0: not returned)."""
    imp = lists.sample_watchlist()
    index = build_index(lists.watchlist_from_import(imp), imp.identifiers)
    queries = pl.DataFrame({"id": [q for q, _, _ in NEIGHBOURS], "name": [q for q, _, _ in NEIGHBOURS]})
    hits = match_index(queries, index, 0.3, 10, model)
    out = {}
    for query, entity, listed in NEIGHBOURS:  # two pairs
        found = hits.filter((pl.col("query_id") == query) & (pl.col("entity_id") == entity))
        best = found.sort("score", descending=True).head(1)
        name = best["matched_name"][0] if best.height else listed
        out[f"{query} ~ {name}"] = round(float(best["score"][0]) if best.height else 0.0, 4)
    return out


def scorer_run(queries: pl.DataFrame, watch: pl.DataFrame, tasks: dict[str, Any], model: NameModel | None) -> Any:
    """Return one scorer's pooled curve, clean tasks' alerts and pooled rows marked exact, on the fit split."""
    rows, _, _ = bench_dev.run(queries, watch, tasks, model)
    match = [t for t, spec in tasks.items() if spec["role"] == "match"]
    clean = {task: alerts(rows, queries, task) for task in CLEAN if task in tasks}
    return pooled(rows, queries, match), clean, critical_rows(rows, queries, match)


def arguments() -> argparse.Namespace:
    """Return the command line's options."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="shipped", help="'shipped' or a model JSON file")
    ap.add_argument("--hand-threshold", type=float, default=0.88, help="the hand rule's threshold (NAME-001 by hand)")
    ap.add_argument("--hand-critical", type=float, default=0.95, help="the hand rule's critical cut")
    ap.add_argument("--dev", type=Path, default=bench_dev.DEV)
    ap.add_argument("--out", type=Path, help="write the figures to this JSON file")
    return ap.parse_args()


def main() -> None:
    """Screen the fit split by both scorers, choose the model's values and print the figures."""
    args = arguments()
    queries, watch, tasks = bench_dev.load(args.dev)
    tasks = {t: s for t, s in tasks.items() if s["role"] == "match" or t in CLEAN}
    queries = queries.filter((pl.col("split") == "fit") & pl.col("task").is_in(list(tasks)))
    model = bench_dev.chosen_model(args.model)
    assert model is not None
    hand_curve, hand_clean, hand_exact = scorer_run(queries, watch, tasks, None)
    model_curve, model_clean, model_exact = scorer_run(queries, watch, tasks, model)
    recall = bench_dev.at(hand_curve, args.hand_threshold)["recall"]
    threshold = strictest(model_curve, "recall", recall)
    hand_critical = critical_counts(hand_exact, args.hand_threshold, args.hand_critical, exact=True)
    critical = critical_cut(model_exact, threshold, hand_critical["critical_tp"])
    quiet = max(neighbours(model).values()) + 0.01  # the least threshold at which the neighbour pairs do not alert
    result = {
        "split": "fit",
        "model": args.model,
        "model_sha256": shipped_sha256() if args.model == "shipped" else None,
        "model_file": f"screening/data/{MODEL_FILE}" if args.model == "shipped" else str(args.model),
        "hand": {"threshold": args.hand_threshold, "critical": args.hand_critical}
        | figures(hand_curve, hand_clean, args.hand_threshold)
        | hand_critical
        | {"neighbours": neighbours(None)},
        "model_chosen": {"threshold": threshold, "critical": critical}
        | figures(model_curve, model_clean, threshold)
        | critical_counts(model_exact, threshold, critical, exact=True)
        | {"neighbours": neighbours(model)},
        "model_default": {"threshold": model.threshold} | figures(model_curve, model_clean, round(model.threshold, 2)),
        "model_neighbours_quiet": {"threshold": round(quiet, 2)} | figures(model_curve, model_clean, round(quiet, 2)),
    }
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
