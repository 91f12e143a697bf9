"""Planted-case benchmark: recall and false flags per rule on a synthetic ledger with ground truth.

    python benchmarks/bench_planted.py --rows 200000

Writes a background ledger of ``--rows`` records (goods typologies in ``truth.csv``) plus the
planted network cases of :mod:`screening.synth.planted` (corridor surges and hard negatives,
customs statistics with the mission's seeds and mirror cases, ownership chains, payment chains,
entity red flags), screens everything in one run with the bundled rules and reports, per rule,
planted cases found, hard negatives flagged and the hits that found no case. Goods rules are
scored per record against the background truth. Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import polars as pl
from machine import describe

from screening.pipeline import scan
from screening.synth import generate_ledger, plant_cases, write_ledger, write_planted
from screening.synth.truth import rule_scores

HERE = Path(__file__).parent
GOODS_RULES = ("GOODS-001", "GOODS-003")  # CHPL by code or description; EU 833 bans ordinary goods too


def goods_scores(hits: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Return recall on planted dual-use records and the share of ordinary records flagged."""
    flagged = hits.filter(pl.col("rule_id").is_in(GOODS_RULES))["record_id"].unique().implode()
    planted = truth.filter(pl.col("typology") != "ordinary")
    ordinary = truth.filter(pl.col("typology") == "ordinary")
    found = planted.filter(pl.col("record_id").is_in(flagged)).height
    false = ordinary.filter(pl.col("record_id").is_in(flagged)).height
    return {
        "planted": planted.height,
        "found": found,
        "recall": round(found / max(planted.height, 1), 4),
        "ordinary": ordinary.height,
        "ordinary_flagged": false,
        "precision": round(found / max(found + false, 1), 4),
    }


def run(rows: int, seed: int) -> dict[str, object]:
    """Generate, screen and score one ledger; return the result document."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = generate_ledger(rows, seed)
        ledger_path = write_ledger(ledger, folder, "parquet")
        planted = plant_cases(seed)
        paths = write_planted(planted, folder)
        inputs = [ledger_path, paths["transactions"], paths["flows"], paths["ownership"]]
        start = time.perf_counter()
        result = scan(inputs, command="bench")
        seconds = time.perf_counter() - start
    scores = rule_scores(result.hits, planted.cases)
    return {
        "machine": describe(),
        "rows_background": rows,
        "rows_planted": planted.transactions.height,
        "seed": seed,
        "seconds_total": round(seconds, 2),
        "seconds_by_stage": {k: round(v, 2) for k, v in result.timings.items()},
        "peak_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2),
        "hits": result.reported.count(),
        "quarantined": result.quarantined,
        "rules": scores.to_dicts(),
        "goods": goods_scores(result.hits, ledger.truth),
    }


def main() -> None:
    """Run the benchmark and write its JSON result and table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="background ledger rows")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; keep results/ untouched")
    args = parser.parse_args()
    doc = run(args.rows, args.seed)
    with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(pl.DataFrame(doc["rules"]))
    print(f"goods: {doc['goods']}")
    rows = f"{doc['rows_background']:,} + {doc['rows_planted']:,} rows"
    print(f"{rows} in {doc['seconds_total']} s, peak {doc['peak_rss_gib']} GiB")
    if not args.no_write:
        out = HERE / "results" / f"planted_{args.rows}.json"
        out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
