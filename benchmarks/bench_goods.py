"""Times ingest + goods screening on a generated ledger; prints rows/s and peak memory.

    python benchmarks/bench_goods.py --rows 1000000 10000000

Each size is generated once into ``benchmarks/work/`` (not timed), then screened in a fresh
subprocess so the peak resident memory it reports is the scan's own. The goods rules are the six
row-level goods and destination rules (GOODS-*, DEST-*); ``bench_e2e.py`` times all of them.
Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
WORK = HERE / "work"


def measure(ledger: Path, db: Path, batch_rows: int) -> dict[str, float]:
    """Screen one ledger with the goods rules and return timings and counts."""
    from screening.pipeline import scan  # noqa: PLC0415 - imported in the measuring process only
    from screening.rules import RuleSet, fingerprint, load_rules  # noqa: PLC0415

    bundled = load_rules()
    goods = tuple(r for r in bundled.rules if r.id.startswith(("GOODS-", "DEST-")))
    rules = RuleSet(rules=goods, fingerprint=fingerprint(goods), directory=bundled.directory)
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    result = scan([ledger], rules=rules, store=db, batch_rows=batch_rows, command="bench")
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB → GiB
    return {
        "rows": result.rows_read,
        "hits": result.reported.count(),
        "seconds_total": round(total, 2),
        **{f"seconds_{stage}": round(t, 2) for stage, t in result.timings.items()},
        "rows_per_s_total": round(result.rows_read / total),
        "rows_per_s_screen": round(result.rows_read / max(result.timings.get("screen", 0.0), 1e-9)),
        "peak_rss_gib": round(peak, 2),
    }


def ensure_ledger(rows: int, fmt: str) -> Path:
    """Generate the ledger of one size unless it is already there."""
    from screening.synth import generate_ledger, write_ledger  # noqa: PLC0415

    folder = WORK / f"ledger_{rows}_{fmt}"
    path = folder / f"ledger.{fmt}"
    if not path.exists():
        write_ledger(generate_ledger(rows, seed=11), folder, fmt)
    return path


def main() -> None:
    """Run the benchmark for each size and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--format", default="parquet", choices=("parquet", "csv"))
    parser.add_argument("--batch-rows", type=int, default=500_000)
    parser.add_argument("--no-write", action="store_true", help="print only (CI smoke run)")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), Path(args.measure).with_suffix(".duckdb"), args.batch_rows)))
        return
    runs = []
    for rows in args.rows:
        ledger = ensure_ledger(rows, args.format)
        cmd = [sys.executable, __file__, "--measure", str(ledger), "--batch-rows", str(args.batch_rows)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        run = {"format": args.format, **json.loads(out.strip().splitlines()[-1])}
        runs.append(run)
        print(json.dumps(run))
    if not args.no_write:
        record = {
            "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
            "python": platform.python_version(),
            "runs": runs,
        }
        name = f"goods_{args.format}_{'_'.join(str(r) for r in args.rows)}.json"
        (HERE / "results" / name).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
