"""Network benchmark: ownership exposure and payment chains at scale, with planted cases.

    python benchmarks/bench_network.py --edges 100000 --payments 1000000

Ownership: a background graph of ``--edges`` random stakes among unlisted companies, plus small
(under 20 %) stakes of listed owners that never add up to 50 %, plus planted cases — exposed (60 %
direct, a 60 % → 80 % chain, 30 % + 25 % by two listed owners, an unknown stake) and hard negatives
(49 %, one 30 % stake filed twice, 25 % → 100 % where the parent is not blocked). Payments: a
background of ``--payments`` random payments in which hub parties never pay Russian ones, plus
planted chains with one and two intermediaries and hard negatives (onward payment too late, a
non-hub intermediary, a look-alike intermediary name, an onward amount a tenth of the first).
With ``--hub-to-russia`` the background hub parties pay Russian ones too: the chains that random
traffic then forms are real matches of the pattern (counted as unplanted flags) and the joins
on busy hub parties get large, which is what the option measures.
Reports recall, flags on hard negatives, unplanted flags and seconds per measure; writes
``benchmarks/results/network_<edges>_<payments>.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from screening.network.graph import build_graph
from screening.network.ownership import exposure
from screening.network.payments import payment_chains, prepare_payments

HERE = Path(__file__).parent
BANKS = {"DE": "DEUTDEFFXXX", "US": "CHASUS33XXX", "KG": "KICBKG22XXX", "AE": "EBILAEADXXX", "RU": "SABRRUMMXXX"}
NO_LISTED = pl.DataFrame(schema={"name": pl.String(), "detail": pl.String()})


def ownership_case(n: int) -> tuple[list[tuple[str, str, float | None]], dict[str, str]]:
    """Return the edges of planted case ``n`` and {owned: expected status or 'miss'}."""
    a, b, c, x = f"L{n}a", f"P{n}b", f"P{n}c", f"L{n}x"
    cases: list[tuple[list[tuple[str, str, float | None]], dict[str, str]]] = [
        ([(a, b, 0.6)], {b: "exposed"}),
        ([(a, b, 0.6), (b, c, 0.8)], {b: "exposed", c: "exposed"}),
        ([(a, b, 0.3), (x, b, 0.25)], {b: "exposed"}),
        ([(a, b, None)], {b: "unknown stake"}),
        ([(a, b, 0.49)], {b: "miss"}),
        ([(a, b, 0.3), (a, b, 0.3)], {b: "miss"}),
        ([(a, b, 0.25), (b, c, 1.0)], {b: "miss", c: "miss"}),
    ]
    return cases[n % len(cases)]


def ownership_data(edges: int, planted: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """Return raw edges, nodes and the planted truth."""
    rng = np.random.default_rng(seed)
    companies = max(edges // 2, 10)
    owner, owned = rng.integers(0, companies, edges), rng.integers(0, companies, edges)
    background = pl.DataFrame(
        {"owner": [f"C{i}" for i in owner], "owned": [f"C{i}" for i in owned], "share": rng.uniform(0.01, 1.0, edges)}
    )
    # listed owners hold one small stake each in a distinct company: never 50 % together
    small = min(edges // 10, companies)
    targets = rng.choice(companies, small, replace=False)
    listed_stakes = pl.DataFrame(
        {
            "owner": [f"LB{i}" for i in range(small)],
            "owned": [f"C{i}" for i in targets],
            "share": rng.uniform(0.01, 0.2, small),
        }
    )
    plants: list[tuple[str, str, float | None]] = []
    truth: dict[str, str] = {}
    for n in range(planted):
        rows, expected = ownership_case(n)
        plants += rows
        truth |= expected
    planted_frame = pl.DataFrame(
        plants, schema={"owner": pl.String, "owned": pl.String, "share": pl.Float64}, orient="row"
    )
    raw = pl.concat([background, listed_stakes, planted_frame])
    keys = pl.concat([raw["owner"], raw["owned"]]).unique()
    nodes = pl.DataFrame({"key": keys}).select(
        "key", name="key", listed=pl.col("key").str.starts_with("L"), label=pl.lit("bench", pl.String)
    )
    return raw, nodes, truth


def bench_ownership(edges: int, planted: int, seed: int) -> dict[str, Any]:
    """Time the exposure and score it against the planted truth."""
    raw, nodes, truth = ownership_data(edges, planted, seed)
    start = time.perf_counter()
    found = exposure(build_graph(raw, nodes), 0.5, "ofac")
    seconds = time.perf_counter() - start
    got = dict(zip(found["key"], found["status"], strict=True))
    hits = {k: s for k, s in truth.items() if s != "miss"}
    return {
        "edges": raw.height,
        "planted": len(hits),
        "found": sum(got.get(k) == s for k, s in hits.items()),
        "negatives": sum(s == "miss" for s in truth.values()),
        "false_flags": sum(k in got for k, s in truth.items() if s == "miss"),
        "unplanted_flags": sum(k not in truth for k in got),
        "seconds": round(seconds, 2),
    }


def payment_case(n: int) -> tuple[list[tuple[str, str, str, str, int, float]], str]:
    """Return the legs (payer, bank, payee, bank, day, value) of planted chain ``n`` and hit/miss."""
    a, b, c, d = f"Origin {n} GmbH", f"Hub Trade {n} LLC", f"Hub Two {n} FZE", f"Ural {n} OOO"
    de, kg, ae, ru = BANKS["DE"], BANKS["KG"], BANKS["AE"], BANKS["RU"]
    cases = [
        ([(a, de, b, kg, 0, 1e6), (b, kg, d, ru, 7, 9.5e5)], "hit"),
        ([(a, de, b, kg, 0, 1e6), (b, kg, c, ae, 5, 9.6e5), (c, ae, d, ru, 9, 9.2e5)], "hit"),
        ([(a, de, b, kg, 0, 1e6), (b, kg, d, ru, 45, 9.5e5)], "miss"),
        ([(a, de, b, de, 0, 1e6), (b, de, d, ru, 7, 9.5e5)], "miss"),
        ([(a, de, b, kg, 0, 1e6), (f"Hub Trading {n} LLC", kg, d, ru, 7, 9.5e5)], "miss"),
        ([(a, de, b, kg, 0, 1e6), (b, kg, d, ru, 7, 1e5)], "miss"),
    ]
    return cases[n % len(cases)]


def payments_data(count: int, planted: int, seed: int, hub_to_russia: bool) -> tuple[pl.DataFrame, dict[str, str]]:
    """Return payment records (background + planted) and {first leg record_id: hit|miss}."""
    rng = np.random.default_rng(seed)
    parties = max(count // 10, 10)
    payer, payee = rng.integers(0, parties, count), rng.integers(0, parties, count)
    country = np.array(["DE", "US", "KG", "AE", "RU"])[np.arange(parties) % 5]
    # hub parties (KG, AE) never pay Russian ones in the background: move those payees to a DE party
    hub_to_ru = np.isin(country[payer], ["KG", "AE"]) & (country[payee] == "RU") & (not hub_to_russia)
    payee = np.where(hub_to_ru, payee - 4, payee)
    start = date(2023, 1, 1)
    background = pl.DataFrame(
        {
            "record_id": [f"B{i}" for i in range(count)],
            "originator": [f"Party {i} Ltd" for i in payer],
            "originator_bank": [BANKS[c] for c in country[payer]],
            "beneficiary": [f"Party {i} Ltd" for i in payee],
            "beneficiary_bank": [BANKS[c] for c in country[payee]],
            "date": [start + timedelta(days=int(d)) for d in rng.integers(0, 365, count)],
            "value": rng.uniform(1e3, 1e6, count),
            "currency": "USD",
        }
    )
    rows: list[tuple[Any, ...]] = []
    truth: dict[str, str] = {}
    for n in range(planted):
        legs, expect = payment_case(n)
        truth[f"X{n}-0"] = expect
        rows += [
            (f"X{n}-{i}", p, pb, q, qb, start + timedelta(days=100 + day), value)
            for i, (p, pb, q, qb, day, value) in enumerate(legs)
        ]
    columns = ["record_id", "originator", "originator_bank", "beneficiary", "beneficiary_bank", "date", "value"]
    plants = pl.DataFrame(rows, schema=columns, orient="row").with_columns(currency=pl.lit("USD"))
    records = pl.concat([background, plants]).with_columns(source_file=pl.lit("bench"), line=pl.int_range(pl.len()))
    return records, truth


def bench_payments(count: int, planted: int, seed: int, hub_to_russia: bool) -> dict[str, Any]:
    """Time the chain search and score it against the planted truth."""
    records, truth = payments_data(count, planted, seed, hub_to_russia)
    start = time.perf_counter()
    pay = prepare_payments(records)
    prepared = time.perf_counter() - start
    found = payment_chains(pay, NO_LISTED, hops=2, days=30, min_ratio=0.5)
    seconds = time.perf_counter() - start
    flagged = set(found["record_id"])
    planted_ids = {r for r in flagged if r.startswith("X")}
    return {
        "payments": records.height,
        "planted": sum(e == "hit" for e in truth.values()),
        "found": sum(r in flagged for r, e in truth.items() if e == "hit"),
        "negatives": sum(e == "miss" for e in truth.values()),
        "false_flags": sum(r in flagged for r, e in truth.items() if e == "miss"),
        "unplanted_flags": len(flagged - planted_ids),
        "onward_legs_flagged": len(planted_ids - set(truth)),  # second legs of two-intermediary chains
        "seconds_prepare": round(prepared, 2),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    """Run both measures and write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--planted", type=int, default=420)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--hub-to-russia", action="store_true", help="let background hub parties pay Russian ones (a stress test)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; keep results/ untouched")
    args = parser.parse_args()
    doc = {
        "machine": {"platform": platform.platform(), "processor": platform.processor()},
        "seed": args.seed,
        "ownership": bench_ownership(args.edges, args.planted, args.seed),
        "hub_to_russia": args.hub_to_russia,
        "payments": bench_payments(args.payments, args.planted, args.seed, args.hub_to_russia),
    }
    print(json.dumps(doc, indent=2))
    if not args.no_write:
        stress = "_stress" if args.hub_to_russia else ""
        out = HERE / "results" / f"network_{args.edges}_{args.payments}{stress}.json"
        out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
