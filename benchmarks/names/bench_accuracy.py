"""Accuracy of name screening on the labelled benchmark, list recall and clean-name alert rate.

Run: ``python benchmarks/names/bench_accuracy.py [--threshold T] [--out FILE]``; compare with the
committed reference by ``python benchmarks/names/diff_run.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
import pools

from screening.names import DEFAULT_THRESHOLD, build_index, match_names

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures" / "names"
SWEEP = (0.80, 0.84, 0.86, 0.88, 0.90, 0.92)


def pair_scores(bench: pl.DataFrame) -> pl.DataFrame:
    """Return the bench with the pairwise score of name1 against name2 (0 when not found)."""
    ids = pl.int_range(pl.len()).cast(pl.String)
    queries = bench.select(id=ids, name="name1")
    watch = bench.select(entity_id=ids, name="name2")
    hits = match_names(queries, watch, threshold=0.5, top=10_000)
    same = hits.filter(pl.col("query_id") == pl.col("entity_id")).select(
        row=pl.col("query_id").cast(pl.Int64), score="score", detail="detail"
    )
    return (
        bench.with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .join(same, on="row", how="left")
        .with_columns(pl.col("score").fill_null(0.0))
    )


def prf(scored: pl.DataFrame, threshold: float) -> dict[str, float]:
    """Return precision, recall and F1 at a threshold."""
    pred, gold = pl.col("score") >= threshold, pl.col("is_match")
    tp, fp, fn = scored.select(
        (pred & gold).sum().alias("tp"),
        (pred & ~gold).sum().alias("fp"),
        (~pred & gold).sum().alias("fn"),
    ).row(0)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def list_recall(bench: pl.DataFrame, index: object, threshold: float) -> dict[str, float]:
    """Return per-variant recall of positives screened against the whole list (top 5)."""
    pos = bench.filter(pl.col("is_match")).with_row_index("i")
    queries = pos.select(id=pl.col("i").cast(pl.String), name="name1")
    hits = match_names(queries, index, threshold, top=5)  # type: ignore[arg-type]
    found = pos.with_columns(id=pl.col("i").cast(pl.String)).join(
        hits, left_on=["id", "entity_id"], right_on=["query_id", "entity_id"], how="semi"
    )
    total = pos.group_by("variant").len()
    got = found.group_by("variant").len().rename({"len": "found"})
    table = total.join(got, on="variant", how="left").fill_null(0).sort("variant")
    out = {r["variant"]: round(r["found"] / r["len"], 4) for r in table.iter_rows(named=True)}
    out["all"] = round(found.height / pos.height, 4)
    return out


def alert_rate(index: object, threshold: float, n: int) -> dict[str, float]:
    """Return the share of clean random names that raise any alert."""
    names = pools.clean_names(n)
    queries = pl.DataFrame(
        {
            "id": [str(i) for i in range(n)],
            "name": [a for a, _ in names],
            "schema": [b for _, b in names],
        }
    )
    hits = match_names(queries, index, threshold, top=1)  # type: ignore[arg-type]
    examples = hits.head(10)["detail"].to_list()
    return {
        "names": n,
        "alerts": hits.height,
        "per_1000": round(1000 * hits.height / n, 3),
        "examples": examples,
    }  # type: ignore[dict-item]


def main() -> None:
    """Run the accuracy benchmark and write its JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--clean", type=int, default=20_000)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "accuracy.json"))
    args = ap.parse_args()
    bench = pl.read_csv(FIX / "name_bench.csv").with_columns(pl.col("is_match").cast(pl.Boolean))
    watch = pl.read_csv(FIX / "bench_watchlist.csv").rename({"schema": "entity_schema"})
    start = time.perf_counter()
    index = build_index(watch)
    scored = pair_scores(bench)
    result = {
        "threshold": args.threshold,
        "pairs": prf(scored, args.threshold),
        "by_quality": {
            q: prf(scored.filter(pl.col("quality") == q), args.threshold)
            for q in ("STRONG", "MEDIUM", "WEAK")
        },
        "sweep": {str(t): prf(scored, t) for t in SWEEP},
        "list_recall": list_recall(bench, index, args.threshold),
        "clean_alert_rate": alert_rate(index, args.threshold, args.clean),
        "seconds": round(time.perf_counter() - start, 1),
    }
    misses = scored.filter(pl.col("is_match") & (pl.col("score") < args.threshold))
    fps = scored.filter(~pl.col("is_match") & (pl.col("score") >= args.threshold))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        json.dumps(
            {k: result[k] for k in ("pairs", "list_recall", "clean_alert_rate")},
            indent=1,
            ensure_ascii=False,
        )
    )
    print(misses.select("name1", "name2", "variant", "score").head(40))
    print(fps.select("name1", "name2", "variant", "score", "detail").head(20))


if __name__ == "__main__":
    main()
