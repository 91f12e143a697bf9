"""Triangles: both legs of a reroute rising for the same code, whichever side reported leg B."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from screening.ingest import read_records
from screening.trade.corridors import legs_from_flows, legs_from_transactions
from screening.trade.triangle import triangle

SEEDS = Path(__file__).parents[2] / "fixtures" / "trade" / "seeds_flows.csv"
M = 1_000_000.0
Row = tuple[str, str, str, str, str, float]


def legs(tmp_path: Path, rows: list[Row]) -> pl.LazyFrame:
    """Return the legs of flow rows written to a CSV and read through the ingestion path."""
    columns = ["reporter_country", "partner_country", "flow", "hs_code", "period", "value"]
    path = tmp_path / "flows.csv"
    pl.DataFrame([list(map(str, r)) for r in rows], schema=columns, orient="row").write_csv(path)
    return legs_from_flows(read_records(path).records.lazy())


def years(reporter: str, partner: str, flow: str, code: str, values: list[float]) -> list[Row]:
    """Return one report per year from 2019."""
    return [(reporter, partner, flow, code, str(2019 + i), v) for i, v in enumerate(values)]


RISING = [20 * M] * 4 + [30 * M]  # ×1.5 in 2023
FLAT = [20 * M] * 5
CASES: list[tuple[str, list[Row], set[str]]] = [
    ("hub exports", years("TR", "DE", "import", "854231", RISING) + years("TR", "RU", "export", "854231", RISING),
     {"DE>TR>RU 854231 2023"}),
    ("Russia's import report", years("TR", "DE", "import", "854231", RISING)
     + years("RU", "TR", "import", "854231", RISING), {"DE>TR>RU 854231 2023"}),
    ("leg B flat", years("TR", "DE", "import", "854231", RISING) + years("TR", "RU", "export", "854231", FLAT), set()),
    ("leg A flat", years("TR", "DE", "import", "854231", FLAT) + years("TR", "RU", "export", "854231", RISING), set()),
    ("origin not coalition", years("TR", "IN", "import", "854231", RISING)
     + years("TR", "RU", "export", "854231", RISING),
     set()),
    ("different headings", years("TR", "DE", "import", "854231", RISING)
     + years("TR", "RU", "export", "848210", RISING),
     set()),
    ("same heading", years("TR", "DE", "import", "854231", RISING) + years("TR", "RU", "export", "854232", RISING)
     + years("TR", "RU", "export", "854231", [M] * 5), {"DE>TR>RU 8542 2023"}),
    ("not a hub", years("FR", "DE", "import", "854231", RISING) + years("FR", "RU", "export", "854231", RISING), set()),
    ("leg B under the floor", years("TR", "DE", "import", "854231", RISING)
     + years("TR", "RU", "export", "854231", [0.2 * M] * 4 + [0.6 * M]), set()),
    ("new leg B", [*years("TR", "DE", "import", "854231", RISING), ("TR", "RU", "export", "854231", "2023", 5 * M)],
     {"DE>TR>RU 854231 2023"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "expected"), CASES, ids=[c[0] for c in CASES])
def test_triangle(tmp_path: Path, name: str, rows: list[Row], expected: set[str]) -> None:
    hits = triangle(legs(tmp_path, rows))
    assert set(hits["record_id"]) == expected, name
    assert hits["score"].is_between(0, 1, closed="right").all()


def test_seed_triangle_turkiye() -> None:
    hits = triangle(legs_from_flows(read_records(SEEDS).records.lazy()))
    detail = hits.filter(pl.col("record_id") == "CN>TR>RU 8542 2023")["detail"].to_list()
    assert detail == ["TR: imports of 8542 from CN ×1.7 ($125 M) and exports to RU ×1.5 ($30 M) in 2023 vs 2019–21"]


def test_leg_b_from_transaction_records() -> None:
    flows = legs_from_flows(read_records(SEEDS).records.lazy()).filter(pl.col("destination") != "RU")
    months = [date(y, m, 1) for y in range(2019, 2024) for m in range(1, 13)]
    tx = pl.DataFrame(
        {
            "date": months,
            "origin_country": ["CN"] * len(months),
            "transit_country": ["TR"] * len(months),
            "destination_country": ["RU"] * len(months),
            "hs_code": ["85423100"] * len(months),
            "hs6": ["854231"] * len(months),
            "value": [2 * M if d.year >= 2022 else M for d in months],
        }
    )
    legs = pl.concat([flows, legs_from_transactions(tx.lazy())])
    assert "CN>TR>RU 8542 2023" in triangle(legs)["record_id"].to_list()
