"""Corridor rule kinds run over a run's stored flow tables and transaction records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.ingest import read_records
from screening.kinds.base import RunCheck, ScanContext
from screening.kinds.corridors import corridor_surge, corridor_triangle, mirror_gap
from screening.store import Store, open_store

TRADE = Path(__file__).parents[2] / "fixtures" / "trade"
RUN = "run-1"


def stored(*tables: tuple[str, pl.DataFrame, str]) -> Store:
    """Return an in-memory store holding frames of records, each under a run id."""
    store = open_store(":memory:")
    for table, frame, run_id in tables:
        store.append(table, frame.with_columns(pl.lit(run_id).alias("run_id")))
    return store


def seeds() -> pl.DataFrame:
    """Return the seeds' flow table as ingestion gives it."""
    return read_records(TRADE / "seeds_flows.csv").records


def ledger() -> pl.DataFrame:
    """Return monthly transaction records CN → TR → RU of integrated circuits doubling from 2022."""
    months = [date(y, m, 15) for y in range(2019, 2024) for m in range(1, 13)]
    n = len(months)
    return pl.DataFrame(
        {
            "record_id": [f"T{i}" for i in range(n)],
            "date": months,
            "shipper_country": ["CN"] * n,
            "transit_country": ["TR"] * n,
            "consignee_country": ["RU"] * n,
            "hs_code": ["85423100"] * n,
            "hs6": ["854231"] * n,
            "value": [2e6 if d.year >= 2022 else 1e6 for d in months],
        }
    )


CASES: list[tuple[str, RunCheck, list[tuple[str, str]], str, str]] = [
    ("surge", corridor_surge(), [("flows", "seeds")], "CN>KG 8482 2023", "×25.9 (+2,492 %)"),
    ("triangle", corridor_triangle(), [("flows", "seeds")], "CN>TR>RU 8542 2023", "exports to RU ×1.5"),
    ("triangle from records", corridor_triangle(), [("transactions", "ledger")], "CN>TR>RU 854231 2023", "×2.0"),
    ("surge from records", corridor_surge(), [("transactions", "ledger")], "TR>RU 854231 2023", "RU imports of 854231"),
    ("mirror", mirror_gap(), [("flows", "mirror")], "CN>KG 848210 2023", "$29 M (71 %) unaccounted"),
    ("params from YAML", corridor_surge(baseline=[2019, 2020], since=date(2023, 1, 1), levels=["hs4"], min_ratio=20.0),
     [("flows", "seeds")], "CN>KG 8482 2023", "vs the 2019–20 mean"),
]  # fmt: skip


def frames() -> dict[str, pl.DataFrame]:
    """Return the record frames the cases name."""
    return {"seeds": seeds(), "ledger": ledger(), "mirror": read_records(TRADE / "mirror_flows.csv").records}


@pytest.mark.parametrize(("name", "check", "inputs", "record_id", "text"), CASES, ids=[c[0] for c in CASES])
def test_kind_through_the_store(
    name: str, check: RunCheck, inputs: list[tuple[str, str]], record_id: str, text: str
) -> None:
    data = frames()
    store = stored(*[(table, data[key], RUN) for table, key in inputs])
    hits = check.run(ScanContext(record_kind="flows", store=store, run_id=RUN))
    store.close()
    assert set(hits.columns) >= {"record_id", "score", "detail", "severity", "party"}
    found = hits.filter(pl.col("record_id") == record_id)["detail"].to_list()
    assert len(found) == 1 and text in found[0], (name, hits["record_id"].to_list())
    assert hits["party"].is_null().all()


def test_other_runs_are_not_read() -> None:
    store = stored(("flows", seeds(), "another-run"))
    hits = corridor_surge().run(ScanContext(record_kind="flows", store=store, run_id=RUN))
    store.close()
    assert hits.height == 0


def test_no_store_gives_no_hits() -> None:
    ctx = ScanContext(record_kind="flows")
    for check in (corridor_surge(), corridor_triangle(), mirror_gap()):
        assert check.run(ctx).height == 0


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        (corridor_surge, {"goods": "weird"}, "goods"),
        (corridor_surge, {"levels": ["hs8"]}, "levels"),
        (corridor_surge, {"baseline": [2021, 2019]}, "baseline"),
        (corridor_surge, {"since": "2020-01-01"}, "after the baseline"),
        (corridor_triangle, {"levels": ["all"]}, "levels"),
        (mirror_gap, {"tolerance": -0.1}, "tolerance"),
        (mirror_gap, {"since": "someday"}, "someday"),
    ],
)
def test_bad_params_are_refused_when_the_rule_loads(kind: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kind(**params)
