"""End-to-end benchmark: every rule family on a synthetic ledger, beside the obvious alternatives.

    python benchmarks/bench_e2e.py --rows 1000000 10000000

For each size: a seeded ledger (``screening.synth.stream``, partitions of 5M records, so 100M rows
are written in bounded memory) plus the planted network cases is written once into
``benchmarks/work/`` (not timed); then, in a fresh subprocess so its peak memory is the run's own
(stopped with a message past ``--max-gib``), the whole engine screens the partitions into an on-disk
DuckDB store with the bundled rules and renders the reports. Reported per stage: seconds and
rows/s (read, store, screen = row-level goods/destination/name rules, analyse = run-level
corridor/ownership/payment/red-flag rules, with each run-level rule's own seconds, report =
terminal + JSON + HTML), peak RSS; per typology:
precision and recall against the ground truth. Side by side, on the same data in the same run:

- brute-force ``rapidfuzz.process.cdist`` (token_sort_ratio) of a sample of the ledger's distinct
  party names against every watchlist name, extrapolated to all distinct names, next to our
  matcher on the same sample, with our recall of the brute force's matches;
- plain DuckDB SQL versions of the CHPL goods rule and of a corridor surge (CHPL HS-6 into the
  hubs, recent year over the 2019-21 mean), timed over the stored table, with their agreement.

Results: ``benchmarks/results/e2e_<rows>.json`` and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from machine import describe

HERE = Path(__file__).parent
WORK = HERE / "work"
# the hits the ground truth scores: all but the destination rules and GOODS-002, which are most of a
# big run's hits (read apart from the rest, a 100M-row run's hits fit beside the store)
SCORED = "rule_id NOT LIKE 'DEST-%' AND rule_id <> 'GOODS-002'"
BRUTE_CUTOFF = 88.0  # token_sort_ratio on the 0-100 scale, the same bar as our default threshold


def prepare(rows: int, seed: int) -> dict[str, Path]:
    """Write the ledger (streamed, in partitions), its truth and the planted cases once per size and seed."""
    from screening.synth import plant_cases, write_planted  # noqa: PLC0415
    from screening.synth.stream import write_ledger_stream  # noqa: PLC0415

    folder = WORK / f"e2e_{rows}_{seed}"
    paths = {
        "ledger": folder / "ledger",
        "truth": folder / "truth.parquet",
        "transactions": folder / "planted_transactions.csv",
        "flows": folder / "flows.csv",
        "ownership": folder / "ownership.csv",
        "cases": folder / "cases.csv",
    }
    if not (paths["ledger"].exists() and paths["truth"].exists()):
        write_ledger_stream(rows, seed, folder)
    write_planted(plant_cases(seed), folder)  # a few thousand rows: always as the generator plants them now
    return paths


def ledger_parts(folder: Path) -> list[Path]:
    """Return the ledger's partitions in order."""
    return sorted((folder / "ledger").glob("part-*.parquet"))


def resident_gib() -> float:
    """Return this process's resident memory in GiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**3


def watch_memory(cap_gib: float, every: float = 0.5) -> None:
    """Stop this process with a message once its resident memory passes ``cap_gib`` (a daemon thread)."""

    def watch() -> None:
        started = time.perf_counter()
        while True:
            if (rss := resident_gib()) > cap_gib:
                print(f"memory cap: {rss:.2f} GiB resident > {cap_gib} GiB after {time.perf_counter() - started:.0f} s")
                sys.stdout.flush()
                os._exit(3)
            time.sleep(every)

    threading.Thread(target=watch, daemon=True).start()


def log_memory(store: Any, every: float = 15.0) -> None:
    """Say on stderr every ``every`` seconds the resident memory and DuckDB's share of it (a daemon thread)."""
    cursor = store.con.cursor()  # a connection of its own: the run's is busy in the main thread

    def log() -> None:
        while True:
            time.sleep(every)
            try:
                duck = cursor.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0] / 1024**3
            except duckdb.ConnectionException:
                return  # the store was closed: the run is over
            print(f"{time.strftime('%H:%M:%S')} {resident_gib():.2f} GiB resident ({duck:.2f} DuckDB)", file=sys.stderr)

    threading.Thread(target=log, daemon=True).start()


def measure(folder: Path) -> dict[str, Any]:
    """Screen one prepared ledger end to end and return timings, counts and scores (child process)."""
    from rich.console import Console  # noqa: PLC0415 - imported in the measuring process only

    from screening.pipeline import scan  # noqa: PLC0415
    from screening.report.export import write_outputs  # noqa: PLC0415
    from screening.report.html import render_html  # noqa: PLC0415
    from screening.report.terminal import render  # noqa: PLC0415
    from screening.store import open_store  # noqa: PLC0415

    inputs = [*ledger_parts(folder), *(folder / n for n in ("planted_transactions.csv", "flows.csv", "ownership.csv"))]
    db_path = folder / "bench.duckdb"
    db_path.unlink(missing_ok=True)
    store = open_store(db_path)
    log_memory(store)
    start = time.perf_counter()
    result = scan(inputs, store=store, command="bench", progress=_progress)
    scanned = time.perf_counter() - start
    clock = time.perf_counter()
    render(result, Console(file=open(os.devnull, "w"), width=100))  # noqa: SIM115 - a sink
    write_outputs(result, folder / "out", "json")
    render_html(result, folder / "out" / "report.html")
    reporting = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # the scan's and the reports' own
    scored = result.reported.frame(SCORED)
    alternatives = {"sql": sql_baseline(store, result.run_id, scored)}
    hits = result.reported.count()
    store.close()
    return {
        "rows": result.rows_read,
        "stored": result.stored,
        "quarantined": result.quarantined,
        "hits": hits,
        "seconds_scan": round(scanned, 2),
        "seconds_report": round(reporting, 2),
        "seconds_by_stage": {k: round(v, 2) for k, v in result.timings.items()},
        "rows_per_s": round(result.rows_read / scanned),
        "peak_rss_gib": round(peak, 2),
        "scores": scores(scored, folder),
        **alternatives,
        "names": names_side_by_side(folder),
    }


def _progress(path: str, rows: int) -> None:
    """Say on stderr how far the run has read and its resident memory (the last lines tell where a stopped run was)."""
    said = f"{time.strftime('%H:%M:%S')} {Path(path).name}: {rows:,} rows, {resident_gib():.2f} GiB resident"
    print(said, file=sys.stderr, flush=True)


def scores(hits: pl.DataFrame, folder: Path) -> dict[str, Any]:
    """Return precision and recall per typology: goods per record, network cases per rule."""
    from screening.synth.truth import rule_scores  # noqa: PLC0415

    truth = pl.scan_parquet(folder / "truth.parquet")  # one row per ledger record: read lazily, in pieces
    flagged = hits.filter(pl.col("rule_id").is_in(["GOODS-001", "GOODS-003"]))["record_id"].unique().implode()
    marked = (
        truth.select("typology", flagged=pl.col("record_id").is_in(flagged))
        .group_by("typology")
        .agg(records=pl.len(), found=pl.col("flagged").sum())
        .sort("typology")
        .collect()
    )
    goods: dict[str, dict[str, float]] = {
        row["typology"]: {
            "records": row["records"],
            "flagged": row["found"],
            "share_flagged": round(row["found"] / max(row["records"], 1), 4),
        }
        for row in marked.iter_rows(named=True)
    }
    planted = marked.filter(pl.col("typology") != "ordinary")
    found, false = int(planted["found"].sum()), int(marked.filter(pl.col("typology") == "ordinary")["found"].sum())
    goods["all_dual_use"] = {
        "recall": round(found / max(int(planted["records"].sum()), 1), 4),
        "precision": round(found / max(found + false, 1), 4),
    }
    cases = pl.read_csv(folder / "cases.csv")
    return {"goods": goods, "names": name_scores(hits, truth), "rules": rule_scores(hits, cases).to_dicts()}


def name_scores(hits: pl.DataFrame, truth: pl.LazyFrame) -> dict[str, Any]:
    """Return NAME-001's recall of the planted listed-party variants (all and per variant kind) and its precision.

    A variant is found when a NAME-001 hit on its record names its party and its list entity. Every
    other NAME-001 hit on a ledger record is a false alert (background parties are not listed), near
    misses counted apart; the planted network cases' records, which name listed parties on purpose, are left out.
    """
    named = hits.lazy().filter(pl.col("rule_id") == "NAME-001")
    found = (
        named.join(truth.select("record_id"), on="record_id", how="semi")
        .select("record_id", party_name="party", hit_entity="entity_id")
        .unique()
        .collect()
    )
    planted = (
        truth.filter(pl.col("party_typology") == "listed_variant")
        .select("record_id", "party_name", "entity_id", "variant")
        .collect()
    )
    marked = (
        planted.join(found, on=["record_id", "party_name"], how="left")
        .with_columns(found=(pl.col("hit_entity") == pl.col("entity_id")).fill_null(value=False))
        .group_by("record_id", "party_name", "variant")
        .agg(pl.col("found").any())
    )
    near = truth.filter(pl.col("party_typology") == "near_miss").select("record_id", "party_name").collect()
    right = int(marked["found"].sum())
    return {
        "variants": marked.height,
        "found": right,
        "recall": round(right / max(marked.height, 1), 4),
        "alerts": found.height,
        "precision": round(right / max(found.height, 1), 4),
        "false_alert_names": _false_names(found, planted),
        "near_misses": near.height,
        "near_misses_flagged": found.join(near, on=["record_id", "party_name"], how="semi").height,
        "recall_by_variant": {
            v: round(float(g["found"].mean() or 0.0), 4)
            for (v,), g in marked.sort("variant").group_by("variant", maintain_order=True)
        },
    }


def _false_names(found: pl.DataFrame, planted: pl.DataFrame) -> list[dict[str, Any]]:
    """Return the distinct names behind false NAME-001 alerts, with their record counts, most frequent first."""
    right = planted.select("record_id", "party_name", hit_entity="entity_id")
    false = found.join(right, on=["record_id", "party_name", "hit_entity"], how="anti")
    counts = (
        false.group_by("party_name", "hit_entity")
        .len("records")
        .sort("records", "party_name", descending=[True, False])
    )
    return counts.head(10).to_dicts()


def sql_baseline(store: Any, run_id: str, hits: pl.DataFrame) -> dict[str, Any]:
    """Time plain DuckDB SQL versions of the CHPL rule and a corridor surge, and compare their results."""
    from screening.goods.reference import chpl  # noqa: PLC0415
    from screening.trade.places import DESTINATIONS, TRANSIT_HUBS  # noqa: PLC0415

    store.con.register("chpl_codes", chpl().select("hs6").unique().to_arrow())
    clock = time.perf_counter()
    goods = store.frame(
        "SELECT t.record_id FROM transactions t JOIN chpl_codes c ON t.hs6 = c.hs6 WHERE t.run_id = ?", [run_id]
    )
    goods_s = time.perf_counter() - clock
    ours = set(hits.filter(pl.col("rule_id") == "GOODS-001")["record_id"])
    sql_ids = set(goods["record_id"])
    places = ", ".join(f"'{c}'" for c in (*TRANSIT_HUBS, *DESTINATIONS))
    clock = time.perf_counter()
    corridors = store.frame(
        f"""
        WITH yearly AS (
            SELECT coalesce(origin_country, shipper_country) AS o,
                   coalesce(destination_country, consignee_country) AS d, hs6, year("date") AS y, sum(value) AS v
            FROM transactions WHERE run_id = ? AND hs6 IN (SELECT hs6 FROM chpl_codes) GROUP BY ALL),
        base AS (SELECT o, d, hs6, sum(v) / 3 AS b FROM yearly WHERE y BETWEEN 2019 AND 2021 GROUP BY ALL)
        SELECT y.o || '>' || y.d || ' ' || y.hs6 || ' ' || y.y AS corridor, y.v / b.b AS ratio
        FROM yearly y JOIN base b USING (o, d, hs6)
        WHERE y.y >= 2022 AND y.d IN ({places}) AND y.v >= 1e6 AND y.v >= 1.5 * b.b
        """,
        [run_id],
    )
    corridor_s = time.perf_counter() - clock
    ours_routes = set(hits.filter(pl.col("rule_id") == "ROUTE-001")["record_id"])
    return {
        "goods_sql_seconds": round(goods_s, 2),
        "goods_sql_records": len(sql_ids),
        "goods_ours_records": len(ours),
        "goods_ours_not_sql": len(ours - sql_ids),  # headings, HS2017 codes: what the plain join misses
        "goods_sql_not_ours": len(sql_ids - ours),
        "corridor_sql_seconds": round(corridor_s, 2),
        "corridor_sql_flags": corridors.height,
        "corridor_ours_flags": len(ours_routes),
        "corridor_both": len(ours_routes & set(corridors["corridor"])),
    }


def names_side_by_side(folder: Path, sample: int = 2_000) -> dict[str, Any]:
    """Time brute-force cdist and our matcher on a sample of distinct party names; our recall of brute force."""
    from rapidfuzz import fuzz, process  # noqa: PLC0415

    from screening import lists  # noqa: PLC0415
    from screening.names import DEFAULT_THRESHOLD, build_index, match_index  # noqa: PLC0415
    from screening.schema import PARTY_COLUMNS  # noqa: PLC0415

    ledger = pl.scan_parquet(ledger_parts(folder))
    present = [c for c in PARTY_COLUMNS if c in ledger.collect_schema().names()]
    names = pl.concat([ledger.select(pl.col(c).alias("name")) for c in present]).drop_nulls().unique().collect()
    distinct = names.height
    queries = names.sort("name").sample(min(sample, distinct), seed=1).with_row_index("id").cast({"id": pl.String})
    imp = lists.sample_watchlist()
    watch = lists.watchlist_from_import(imp)
    clock = time.perf_counter()
    index = build_index(watch, imp.identifiers)
    ours = match_index(queries, index, DEFAULT_THRESHOLD, 1)
    ours_s = time.perf_counter() - clock
    clock = time.perf_counter()
    scores = process.cdist(
        queries["name"].to_list(), watch["name"].to_list(), scorer=fuzz.token_sort_ratio, workers=-1, dtype="uint8"
    )
    brute_s = time.perf_counter() - clock
    brute_hits = {str(i) for i in (scores >= BRUTE_CUTOFF).any(axis=1).nonzero()[0]}
    found = brute_hits & set(ours["query_id"])
    return {
        "distinct_names": distinct,
        "sample": queries.height,
        "watchlist_names": watch.height,
        "ours_seconds": round(ours_s, 3),
        "brute_seconds": round(brute_s, 3),
        "brute_extrapolated_seconds": round(brute_s * distinct / max(queries.height, 1), 1),
        "ours_extrapolated_seconds": round(ours_s * distinct / max(queries.height, 1), 1),
        "brute_matches": len(brute_hits),
        "ours_matches": ours["query_id"].n_unique(),
        "ours_recall_of_brute": round(len(found) / len(brute_hits), 4) if brute_hits else None,
    }


def main() -> None:
    """Prepare, measure each size in a subprocess, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only (CI smoke run)")
    parser.add_argument("--max-gib", type=float, default=20.0, help="stop a run whose resident memory passes this")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        watch_memory(args.max_gib)
        print(json.dumps(measure(Path(args.measure))))
        return
    for rows in args.rows:
        clock = time.perf_counter()
        folder = prepare(rows, args.seed)["ledger"].parent
        print(f"{rows:,} rows ready in {folder} ({time.perf_counter() - clock:.0f} s)", flush=True)
        cmd = [sys.executable, __file__, "--measure", str(folder), "--max-gib", str(args.max_gib)]
        child = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, text=True)  # progress passes on stderr
        if child.returncode:
            said = child.stdout[-2000:]
            sys.exit(f"{rows:,} rows: the run failed (exit {child.returncode}): {said}")
        run = json.loads(child.stdout.strip().splitlines()[-1])
        run["max_gib"] = args.max_gib
        run["machine"] = describe()
        print(json.dumps({k: v for k, v in run.items() if k != "scores"}, indent=1))
        with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(pl.DataFrame(run["scores"]["rules"]))
        print(json.dumps(run["scores"]["goods"]))
        print(json.dumps(run["scores"]["names"]))
        if not args.no_write:
            (HERE / "results" / f"e2e_{rows}.json").write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
