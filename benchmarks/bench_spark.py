"""Times the Spark engine against the polars engine on the same generated ledger, all bundled rules.

    python benchmarks/bench_spark.py --rows 1000000 [--per-core 1 2 4] [--cores 2]

The ledger is generated once into ``benchmarks/work/`` as Parquet (not timed). The polars engine
screens it with ``screening.scan``; local Spark (``local[CORES]``) screens it with
``screening.spark.scan_spark`` repartitioned into 1, 2 and 4 partitions per core, after one
untimed warm-up run on a 50,000-row ledger (JVM and Python workers started). Each configuration
runs ``--repeat`` times (the machine may be shared: the fastest run is the one reported, every
total is kept). Each Spark run's hits are checked against the polars run's. Results go to
``benchmarks/results/spark_<rows>.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from machine import describe

HERE = Path(__file__).parent
WORK = HERE / "work"
_STORES = itertools.count()


def ensure_ledger(rows: int) -> Path:
    """Generate the Parquet ledger of one size unless it is already there."""
    from screening.synth import generate_ledger, write_ledger  # noqa: PLC0415

    folder = WORK / f"ledger_{rows}_parquet"
    path = folder / "ledger.parquet"
    if not path.exists():
        write_ledger(generate_ledger(rows, seed=11), folder, "parquet")
    return path


def summary(result: Any, seconds: float) -> dict[str, Any]:
    """Return the figures of one run."""
    return {
        "rows": result.rows_read,
        "hits": result.reported.count(),
        "seconds_total": round(seconds, 2),
        **{f"seconds_{stage}": round(t, 2) for stage, t in result.timings.items()},
        "rows_per_s": round(result.rows_read / seconds),
    }


def best(run: Callable[[], Any], repeat: int) -> tuple[Any, dict[str, Any]]:
    """Run ``repeat`` times; return the fastest run's result (its store open) and figures, with every total."""
    totals: list[float] = []
    fastest: tuple[float, Any] | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        totals.append(time.perf_counter() - start)
        if fastest is None or totals[-1] < fastest[0]:
            if fastest is not None:
                drop(fastest[1])
            fastest = (totals[-1], result)
        else:
            drop(result)
    assert fastest is not None, "repeat must be at least 1"
    seconds, result = fastest
    return result, {**summary(result, seconds), "seconds_all_runs": [round(t, 2) for t in totals]}


def drop(result: Any) -> None:
    """Close a run's store and delete its file (a result reads its hits from its store until then)."""
    path = result.store.path
    result.store.close()
    Path(path).unlink(missing_ok=True)


def fresh_store() -> Any:
    """Return an empty on-disk store in the work folder (a run's records need not fit in memory twice)."""
    from screening.store import open_store  # noqa: PLC0415

    path = WORK / f"bench_spark_{next(_STORES)}.duckdb"  # a store per run: results read their hits from theirs
    path.unlink(missing_ok=True)
    return open_store(path)


def _spark_run(ledger: Path, rules: Any, spark: Any, partitions: int) -> Any:
    """Run the Spark engine once into a fresh on-disk store."""
    from screening.spark import scan_spark  # noqa: PLC0415

    return scan_spark([ledger], rules=rules, spark=spark, partitions=partitions, store=fresh_store(), command="bench")


def same_hits(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    """Tell whether two hit frames are equal, scores within 1e-9."""
    exact = [c for c in a.columns if c != "score"]
    if a.columns != b.columns or a.height != b.height or not a.select(exact).equals(b.select(exact)):
        return False
    gap = (a["score"] - b["score"]).abs().max()
    return a.height == 0 or float(gap) <= 1e-9  # type: ignore[arg-type]


def main() -> None:
    """Run the benchmark and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--per-core", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=2, help="runs per configuration; the fastest is reported")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    from screening import load_rules, scan  # noqa: PLC0415
    from screening.spark import scan_spark, spark_session  # noqa: PLC0415

    ledger, rules = ensure_ledger(args.rows), load_rules()
    reference, polars_run = best(lambda: scan([ledger], rules=rules, store=fresh_store(), command="bench"), args.repeat)
    expected = reference.hits
    drop(reference)
    runs = [{"engine": "polars", **polars_run}]
    record = {"machine": describe(), "ledger": str(ledger.relative_to(HERE)), "rules": rules.fingerprint, "runs": runs}
    report(record, args.rows, args.no_write)
    spark = spark_session(f"local[{args.cores}]", {"spark.driver.memory": "4g"})
    scan_spark([ensure_ledger(50_000)], rules=rules, spark=spark)  # warm-up: JVM, Python workers, imports
    for per_core in args.per_core:
        partitions = per_core * args.cores
        work = partial(_spark_run, ledger, rules, spark, partitions)
        result, figures = best(work, args.repeat)
        run = {"engine": "spark", "master": f"local[{args.cores}]", "partitions": partitions, **figures}
        runs.append({**run, "hits_identical": same_hits(expected, result.hits)})
        drop(result)
        report(record, args.rows, args.no_write)
    spark.stop()


def report(record: dict[str, Any], rows: int, no_write: bool) -> None:
    """Print the latest run and write the record so far (a configuration that never ends loses only itself)."""
    print(json.dumps(record["runs"][-1]), flush=True)
    if not no_write:
        path = HERE / "results" / f"spark_{rows}.json"
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
