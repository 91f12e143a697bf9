"""Speed of the corridor analyses (surge, triangle, mirror) on a synthetic transaction ledger.

Generates ``--rows`` transactions (default 10,000,000) with numpy, vectorized: dates 2019–2024,
60 countries drawn with skewed weights (hubs, Russia and Belarus, the coalition, China), 500 HS-6
codes (the CHPL's and others from the nomenclature), a transit hub on one record in ten,
log-normal values, and one planted surge (CHPL goods from China to Kyrgyzstan ×8 from 2022). A
flow table mirrors the ledger's legs (an import report and a noisy export report per leg), so the
mirror analysis has both sides to compare.

Stages timed: legs from transactions (polars), legs from flows, corridor statistics (every goods
level, once: surge and triangle share them, as the rule kinds do), surge, triangle, mirror; then the
store path: append the ledger and flows to an in-memory DuckDB store and run the three rule kinds
as a scan would (``RunCheck.run``). Writes ``benchmarks/results/corridors_<rows>.json`` with the
machine, per-stage seconds, hit counts and peak RSS.

    python benchmarks/bench_corridors.py --rows 10000000
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from machine import describe

from screening.goods.reference import known_codes
from screening.kinds.base import ScanContext
from screening.kinds.corridors import corridor_surge, corridor_triangle, mirror_gap
from screening.store import open_store
from screening.trade.baseline import corridor_stats, surge_hits, surges
from screening.trade.corridors import chpl_codes, legs_from_flows, legs_from_transactions
from screening.trade.mirror import mirror
from screening.trade.places import COALITION, DESTINATIONS, TRANSIT_HUBS
from screening.trade.triangle import triangle_hits, triangles

RESULTS = Path(__file__).parent / "results"
LIMITS = {"min_ratio": 1.3, "min_value": 1_000_000.0}
OTHERS = ("BR", "AR", "EG", "NG", "VN", "TH", "MY", "ID", "PK", "SA")


def countries() -> list[str]:
    """Return the 60 countries of the ledger: hubs, Russia and Belarus, the coalition, a few others."""
    names = list(dict.fromkeys([*TRANSIT_HUBS, *DESTINATIONS[:2], *COALITION, *OTHERS]))
    return names[:60]


def codes(rng: np.random.Generator) -> list[str]:
    """Return 500 HS-6 codes: the CHPL's and others drawn from the nomenclature."""
    chpl = list(chpl_codes())
    others = sorted(known_codes(6) - set(chpl))
    picked = rng.choice(len(others), 500 - len(chpl), replace=False)
    return chpl + [others[i] for i in sorted(picked)]


def skewed(rng: np.random.Generator, n: int, size: int, power: float = 1.1) -> np.ndarray[Any, Any]:
    """Return n indices into ``size`` items with Zipf-like weights."""
    weights = 1.0 / np.arange(1, size + 1) ** power
    return rng.choice(size, n, p=weights / weights.sum())


def ledger(rows: int, seed: int = 7) -> pl.DataFrame:
    """Return a synthetic transaction ledger with canonical column names and one planted surge."""
    rng = np.random.default_rng(seed)
    land, goods = countries(), codes(rng)
    origin, destination = skewed(rng, rows, len(land)), skewed(rng, rows, len(land))
    destination = np.where(origin == destination, (destination + 1) % len(land), destination)
    hubs = np.array([land.index(h) for h in TRANSIT_HUBS if h in land])
    transit = np.where(rng.random(rows) < 0.1, rng.choice(hubs, rows), -1)
    days = rng.integers(0, (date(2024, 12, 31) - date(2019, 1, 1)).days + 1, rows)
    raw = pl.DataFrame(
        {
            "day": days,
            "o": origin,
            "d": destination,
            "t": transit,
            "g": skewed(rng, rows, len(goods), 0.8),
            "value": np.exp(rng.normal(9.0, 1.6, rows)),
        }
    )
    names, hs = pl.Series(land), pl.Series(goods)
    frame = raw.select(
        (pl.lit(date(2019, 1, 1)) + pl.duration(days=pl.col("day"))).alias("date"),
        pl.col("o").replace_strict(range(len(land)), names).alias("origin_country"),
        pl.col("d").replace_strict(range(len(land)), names).alias("destination_country"),
        pl.col("t").replace_strict(range(len(land)), names, default=None).alias("transit_country"),
        pl.col("g").replace_strict(range(len(goods)), hs).alias("hs6"),
        "value",
    ).with_columns((pl.col("hs6") + "00").alias("hs_code"))
    planted = (
        (pl.col("origin_country") == "CN")
        & (pl.col("destination_country") == "KG")
        & pl.col("hs6").is_in(chpl_codes())
        & (pl.col("date") >= date(2022, 1, 1))
    )
    return frame.with_columns(pl.when(planted).then(pl.col("value") * 8).otherwise("value").alias("value"))


def mirrored(legs: pl.DataFrame, seed: int = 11) -> pl.DataFrame:
    """Return a flow table reporting each leg twice: an import report and a noisy export report."""
    noise = np.random.default_rng(seed).lognormal(-0.05, 0.2, legs.height)
    common = [pl.col("hs_code"), pl.col("hs6"), pl.col("period"), pl.col("period_months")]
    imports = legs.select(
        pl.col("destination").alias("reporter_country"), pl.col("origin").alias("partner_country"),
        pl.lit("import").alias("flow"), *common, "value",
    )  # fmt: skip
    exports = legs.select(
        pl.col("origin").alias("reporter_country"), pl.col("destination").alias("partner_country"),
        pl.lit("export").alias("flow"), *common, pl.col("value") * pl.Series(noise),
    )  # fmt: skip
    return pl.concat([imports, exports])


def timed(stages: dict[str, float], name: str, work: Callable[[], Any]) -> Any:
    """Run one stage, record its wall time in seconds and return its result."""
    start = time.perf_counter()
    result = work()
    stages[name] = round(time.perf_counter() - start, 3)
    print(f"{name:>28}: {stages[name]:7.2f} s", flush=True)
    return result


def run(rows: int, store_path: bool) -> dict[str, Any]:
    """Generate the ledger, time every stage and return the figures."""
    stages: dict[str, float] = {}
    tx = timed(stages, "generate (not counted)", lambda: ledger(rows))
    legs = timed(stages, "legs_from_transactions", lambda: legs_from_transactions(tx.lazy()).collect())
    flows = mirrored(legs.filter(pl.col("reporter") == "records"))
    flow_legs = timed(stages, "legs_from_flows", lambda: legs_from_flows(flows.lazy()).collect())
    stats = timed(stages, "corridor_stats", lambda: corridor_stats(legs.lazy()))
    hits = {
        "surge": timed(stages, "surge", lambda: surge_hits(stats, surges(stats))).height,
        "triangle": timed(stages, "triangle", lambda: triangle_hits(triangles(stats), (2019, 2021), **LIMITS)).height,
        "mirror": timed(stages, "mirror", lambda: mirror(flow_legs.lazy())).height,
    }
    analyses = ("legs_from_transactions", "corridor_stats", "surge", "triangle", "mirror")
    figures: dict[str, Any] = {"rows": rows, "legs": legs.height, "flow_rows": flows.height, "hits": hits}
    figures["analysis_seconds"] = round(sum(stages[s] for s in analyses), 3)
    if store_path:
        figures["store_hits"] = through_store(tx, flows, stages)
        for label in ("store (transactions): ", "store (transactions + flows): "):
            figures[f"{label}seconds"] = round(sum(v for k, v in stages.items() if k.startswith(label)), 3)
    figures["stages"] = stages
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def through_store(tx: pl.DataFrame, flows: pl.DataFrame, stages: dict[str, float]) -> dict[str, int]:
    """Run the three rule kinds over an in-memory store: with the transactions only, then with the flows too."""
    store = open_store(":memory:")
    run_id = "bench"
    timed(
        stages,
        "store: append transactions",
        lambda: store.append("transactions", tx.with_columns(run_id=pl.lit(run_id))),
    )
    found = _checks(store, run_id, stages, "store (transactions): ")
    timed(stages, "store: append flows", lambda: store.append("flows", flows.with_columns(run_id=pl.lit(run_id))))
    found.update(_checks(store, run_id, stages, "store (transactions + flows): "))
    store.close()
    return found


def _checks(store: Any, run_id: str, stages: dict[str, float], label: str) -> dict[str, int]:
    """Run the surge, triangle and mirror kinds as a scan would, with a fresh per-run cache."""
    ctx = ScanContext(record_kind="transactions", store=store, run_id=run_id)
    checks = {"surge": corridor_surge(), "triangle": corridor_triangle(), "mirror": mirror_gap()}
    return {  # three stages, not records
        f"{label}{name}": timed(stages, f"{label}{name}", partial(check.run, ctx)).height
        for name, check in checks.items()
    }


def main() -> None:
    """Parse arguments, run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--no-store", action="store_true", help="skip the store path")
    args = parser.parse_args()
    figures = {"machine": describe(), **run(args.rows, not args.no_store)}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"corridors_{args.rows}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"analysis {figures['analysis_seconds']} s; peak RSS {figures['peak_rss_mib']} MiB -> {out}")


if __name__ == "__main__":
    main()
