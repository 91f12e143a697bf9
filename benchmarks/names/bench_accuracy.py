"""Accuracy of name screening on the labelled benchmark, list recall and clean-name alert rate.

Run: ``python benchmarks/names/bench_accuracy.py [--threshold T] [--model shipped] [--out FILE]``;
compare with the committed reference by ``python benchmarks/names/diff_run.py``. ``--model shipped``
(or a model JSON file) scores by the learned model (:mod:`screening.names.model`), at its own threshold unless told.

The clean-name alert rate counts alerts on random person and company names per 1,000 names
*unrelated* to the list: a random name whose words are all words of one list name ("Luis Lopez"
against ``LOPEZ, Luis``; "Javier Garcia" against ``GARCIA ROJAS, Javier``; "Pioneer Logistics
Ltd" against ``PIONEER LOGISTICS``) is the listed name or part of it, an alert an analyst wants,
and is counted apart (``per_1000_all`` keeps every name). Relatedness is decided by a plain
tokenizer of its own, not by the matcher under test. Recall and alert rates are swept over
thresholds from one run at the lowest (the top-k and the threshold commute).
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
from screening.names.model import NameModel, from_json, shipped

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures" / "names"
SWEEP = (0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92)


def pair_scores(bench: pl.DataFrame, model: NameModel | None = None) -> pl.DataFrame:
    """Return the bench with the pairwise score of name1 against name2 (0 when not found)."""
    ids = pl.int_range(pl.len()).cast(pl.String)
    queries = bench.select(id=ids, name="name1")
    watch = bench.select(entity_id=ids, name="name2")
    floor = 0.5 if model is None else min(0.5, model.threshold)
    hits = match_names(queries, watch, threshold=floor, top=10_000, model=model)
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


def list_hits(
    bench: pl.DataFrame, watch: pl.DataFrame, index: object, threshold: float, model: NameModel | None = None
) -> pl.DataFrame:
    """Return the positives with the best score, among the top 5, of an entity listed under name2.

    The lists name several entities alike (OFAC lists each AL-AQSA FOUNDATION branch with the same
    aliases); a hit on any entity carrying the listed name the variant was made from is a find,
    whichever of the tied entities ranks first.
    """
    pos = bench.filter(pl.col("is_match")).with_row_index("i").with_columns(id=pl.col("i").cast(pl.String))
    hits = match_names(pos.select("id", name="name1"), index, threshold, top=5, model=model)  # type: ignore[arg-type]
    holders = watch.select("entity_id", name2="name").unique()
    named = hits.join(pos.select(query_id="id", name2="name2"), on="query_id").join(
        holders, on=["entity_id", "name2"], how="semi"
    )
    own = hits.join(pos.select(query_id="id", entity_id="entity_id"), on=["query_id", "entity_id"], how="semi")
    best = pl.concat([named.select("query_id", "score"), own.select("query_id", "score")])
    best = best.group_by("query_id").agg(found=pl.col("score").max())
    return pos.join(best.rename({"query_id": "id"}), on="id", how="left").with_columns(pl.col("found").fill_null(0.0))


def list_recall(found: pl.DataFrame, threshold: float) -> dict[str, float]:
    """Return per-variant and per-quality recall of positives screened against the whole list."""
    got = found.with_columns(hit=pl.col("found") >= threshold)
    out: dict[str, float] = {}
    for column in ("variant", "quality"):
        table = got.group_by(column).agg(pl.col("hit").mean()).sort(column)
        out |= {r[0]: round(r[1], 4) for r in table.iter_rows()}
    out["all"] = round(float(got["hit"].mean() or 0.0), 4)  # type: ignore[arg-type]
    return out


def simple_tokens(names: pl.Series) -> pl.Series:
    """Return the upper-case word sets of names without the pools' legal forms (a plain, separate tokenizer)."""
    forms = {w for f in pools.FORMS for w in f.upper().replace(".", " ").replace(",", " ").replace("/", " ").split()}
    words = names.str.to_uppercase().str.replace_all(r"[^A-Z0-9]+", " ").str.strip_chars().str.split(" ")
    return words.list.eval(pl.element().filter(~pl.element().is_in(sorted(forms)))).list.unique()


def related(clean: pl.DataFrame, watch: pl.DataFrame) -> pl.Series:
    """Return whether each clean name's words are all words of one list name (a listed name or part of one)."""
    c = clean.select("id", tok=simple_tokens(clean["name"])).with_columns(n=pl.col("tok").list.len()).explode("tok")
    w = watch.select("entity_id", tok=simple_tokens(watch["name"])).with_row_index("wid").explode("tok")
    shared = c.join(w.select("wid", "tok"), on="tok").group_by("id", "wid").agg(k=pl.len(), n=pl.col("n").first())
    inside = shared.filter(pl.col("k") >= pl.col("n"))["id"]
    return clean["id"].is_in(inside.implode())


def alert_rates(
    index: object, watch: pl.DataFrame, thresholds: tuple[float, ...], n: int, model: NameModel | None = None
) -> dict[str, object]:
    """Return the share of clean random names raising an alert, overall and for names unrelated to the list."""
    names = pools.clean_names(n)
    queries = pl.DataFrame(
        {"id": [str(i) for i in range(n)], "name": [a for a, _ in names], "schema": [b for _, b in names]}
    )
    queries = queries.with_columns(related=related(queries, watch))
    hits = match_names(queries, index, min(thresholds), top=1, model=model)  # type: ignore[arg-type]
    hits = hits.join(queries.select(query_id="id", related="related"), on="query_id")
    unrelated = queries.height - int(queries["related"].sum())
    rates = {
        str(t): {
            "per_1000_all": round(1000 * hits.filter(pl.col("score") >= t).height / n, 3),
            "per_1000_unrelated": round(
                1000 * hits.filter((pl.col("score") >= t) & ~pl.col("related")).height / unrelated, 3
            ),
        }
        for t in thresholds
    }
    return {"names": n, "related_to_list": n - unrelated, "by_threshold": rates}


def examples(index: object, watch: pl.DataFrame, threshold: float, n: int, model: NameModel | None = None) -> list[str]:
    """Return the explanations of alerts on clean names unrelated to the list."""
    names = pools.clean_names(n)
    queries = pl.DataFrame(
        {"id": [str(i) for i in range(n)], "name": [a for a, _ in names], "schema": [b for _, b in names]}
    )
    queries = queries.filter(~related(queries, watch))
    return match_names(queries, index, threshold, top=1, model=model)["detail"].to_list()  # type: ignore[arg-type]


def main() -> None:
    """Run the accuracy benchmark and write its JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, help=f"default: {DEFAULT_THRESHOLD}, or the model's own")
    ap.add_argument("--model", help="score by a learned model: 'shipped' or a model JSON file")
    ap.add_argument("--clean", type=int, default=20_000)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "accuracy.json"))
    args = ap.parse_args()
    model = None
    if args.model:
        text = Path(args.model).read_text(encoding="utf-8") if args.model != "shipped" else None
        model = shipped() if text is None else from_json(json.loads(text), args.model)
    if args.threshold is None:
        args.threshold = DEFAULT_THRESHOLD if model is None else model.threshold
    bench = pl.read_csv(FIX / "name_bench.csv").with_columns(pl.col("is_match").cast(pl.Boolean))
    watch = pl.read_csv(FIX / "bench_watchlist.csv").rename({"schema": "entity_schema"})
    start = time.perf_counter()
    index = build_index(watch)
    scored = pair_scores(bench, model)
    sweep = tuple(sorted({*SWEEP, args.threshold}))
    found = list_hits(bench, watch, index, min(sweep), model)
    rates = alert_rates(index, watch, sweep, args.clean, model)
    result = {
        "threshold": args.threshold,
        "pairs": prf(scored, args.threshold),
        "by_quality": {
            q: prf(scored.filter(pl.col("quality") == q), args.threshold) for q in ("STRONG", "MEDIUM", "WEAK")
        },
        "sweep": {str(t): prf(scored, t) for t in sweep},
        "list_recall": list_recall(found, args.threshold),
        "list_recall_sweep": {str(t): list_recall(found, t)["all"] for t in sweep},
        "clean_alert_rate": {
            "names": rates["names"],
            "related_to_list": rates["related_to_list"],
            "per_1000": rates["by_threshold"][str(args.threshold)]["per_1000_unrelated"],  # type: ignore[index]
            "per_1000_all": rates["by_threshold"][str(args.threshold)]["per_1000_all"],  # type: ignore[index]
            "by_threshold": rates["by_threshold"],
            "examples": examples(index, watch, args.threshold, args.clean, model)[:15],
        },
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
