"""Corridor legs and surges: the seeds' published numbers are flagged, hard negatives are not."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.ingest import read_records
from screening.trade.baseline import corridor_stats, surge
from screening.trade.corridors import legs_from_flows, legs_from_transactions, monthly

SEEDS = Path(__file__).parents[2] / "fixtures" / "trade" / "seeds_flows.csv"
Row = tuple[str, str, str, str, str, float]  # reporter, partner, flow, hs_code, period, value


def legs(tmp_path: Path, rows: list[Row]) -> pl.LazyFrame:
    """Return the legs of flow rows written to a CSV and read through the ingestion path."""
    columns = ["reporter_country", "partner_country", "flow", "hs_code", "period", "value"]
    path = tmp_path / "flows.csv"
    pl.DataFrame([list(map(str, r)) for r in rows], schema=columns, orient="row").write_csv(path)
    ingested = read_records(path)
    assert ingested.kind == "flows" and ingested.quarantine.height == 0
    return legs_from_flows(ingested.records.lazy())


def yearly(reporter: str, partner: str, code: str, values: Sequence[float], start: int = 2019) -> list[Row]:
    """Return one import report per year from ``start``."""
    return [(reporter, partner, "import", code, str(start + i), v) for i, v in enumerate(values)]


def monthly_rows(
    reporter: str, partner: str, code: str, year: int, values: Sequence[float], first: int = 1
) -> list[Row]:
    """Return monthly import reports of one year from month ``first``."""
    return [(reporter, partner, "import", code, f"{year}-{first + i:02d}", v) for i, v in enumerate(values)]


M = 1_000_000.0
SEASON = [0.5 * M] * 11 + [5 * M]  # a December peak every year
CASES: list[tuple[str, list[Row], dict[str, Any], dict[str, str]]] = [
    # name, rows, surge params, {flagged record_id: substring of its detail}
    ("surge", yearly("KG", "CN", "848210", [2 * M, 2 * M, 2 * M, 2 * M, 8 * M]), {},
     {"CN>KG 848210 2023": "×4.0 (+300 %)"}),
    ("whole hub grew ×3", yearly("KG", "CN", "848210", [2 * M] * 3 + [6 * M] * 2)
     + yearly("KG", "CN", "940360", [100 * M] * 3 + [300 * M] * 2), {}, {}),
    ("same without control basket", yearly("KG", "CN", "848210", [2 * M] * 3 + [6 * M] * 2), {},
     {"CN>KG 848210 2022": "no control basket", "CN>KG 848210 2023": "×3.0"}),
    ("control basket shown", yearly("KG", "CN", "848210", [2 * M] * 3 + [6 * M] * 2)
     + yearly("KG", "CN", "940360", [100 * M] * 3 + [150 * M] * 2), {},
     {"CN>KG 848210 2022": "control basket ×1.5", "CN>KG 848210 2023": "control basket ×1.5"}),
    ("thin control basket ignored", yearly("KG", "CN", "848210", [2 * M] * 3 + [6 * M] * 2)
     + yearly("KG", "CN", "940360", [20_000] * 3 + [200_000] * 2), {},
     {"CN>KG 848210 2022": "no control basket", "CN>KG 848210 2023": "×3.0"}),
    ("ordinary good", yearly("KG", "CN", "940360", [2 * M] * 3 + [20 * M] * 2), {}, {}),
    ("ordinary good, all goods", yearly("KG", "CN", "940360", [2 * M] * 3 + [2 * M, 20 * M]), {"goods": "all"},
     {"CN>KG 940360 2023": "KG imports of 940360 from CN: ×10.0"}),
    ("tiny corridor", yearly("KG", "CN", "848210", [10_000] * 3 + [500_000] * 2), {}, {}),
    ("new corridor", yearly("KG", "CN", "940360", [5 * M] * 5) + yearly("KZ", "CN", "854231", [5 * M], 2023), {},
     {"CN>KZ 854231 2023": "new corridor, no trade in the same months of 2019–21; $5.0 M in 2023"}),
    ("MAD = 0", yearly("KG", "CN", "848210", [2 * M] * 4 + [4 * M]), {}, {"CN>KG 848210 2023": "×2.0 (+100 %)"}),
    ("MAD = 0, z floor", yearly("KG", "CN", "848210", [2 * M] * 4 + [4 * M]), {"min_z": 10.5}, {}),
    ("under min_ratio", yearly("KG", "CN", "848210", [2 * M] * 4 + [2.9 * M]), {}, {}),
    ("not into a hub", yearly("DE", "CN", "848210", [2 * M] * 4 + [9 * M]), {}, {}),
    ("destinations param", yearly("DE", "CN", "848210", [2 * M] * 4 + [9 * M]), {"destinations": ["DE"]},
     {"CN>DE 848210 2023": "DE imports"}),
    ("seasonal monthly", [r for y in range(2019, 2024) for r in monthly_rows("KG", "CN", "848210", y, SEASON)], {}, {}),
    ("seasonal, partial year at the peak",
     [r for y in range(2019, 2024) for r in monthly_rows("KG", "CN", "848210", y, SEASON)]
     + monthly_rows("KG", "CN", "848210", 2024, [0.5 * M, 5 * M], first=11), {}, {}),
    ("partial recent year",
     [r for y in range(2019, 2024) for r in monthly_rows("KG", "CN", "848210", y, [M] * 12)]
     + monthly_rows("KG", "CN", "848210", 2024, [3 * M] * 3), {},
     {"CN>KG 848210 2024": "×3.0 (+200 %) vs the 2019–21 mean of the same months; z = 20.0; $9.0 M in Jan–Mar 2024"}),
    ("finest level only", yearly("KG", "CN", "848210", [2 * M] * 4 + [8 * M]) + yearly("KG", "CN", "848220", [M] * 5),
     {}, {"CN>KG 848210 2023": "848210"}),
    ("heading when no code is flagged", yearly("KG", "CN", "848210", [0.4 * M] * 4 + [0.8 * M])
     + yearly("KG", "CN", "848220", [0.4 * M] * 4 + [0.8 * M]), {},
     {"CN>KG 8482 2023": "KG imports of 8482 from CN: ×2.0"}),
    ("chapter", yearly("KG", "CN", "848210", [M] * 4 + [1.4 * M]) + yearly("KG", "CN", "847150", [M] * 4 + [1.4 * M])
     + yearly("KG", "CN", "848220", [M] * 4 + [1.4 * M]), {"min_ratio": 1.35, "min_value": 3 * M},
     {"CN>KG 84 2023": "KG imports of chapter 84 from CN"}),
    ("all CHPL goods", yearly("KG", "CN", "848210", [M] * 4 + [1.4 * M])
     + yearly("KG", "CN", "854231", [M] * 4 + [1.4 * M]),
     {"min_ratio": 1.35, "min_value": 2 * M}, {"CN>KG all 2023": "KG imports of all CHPL goods from CN"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "params", "expected"), CASES, ids=[c[0] for c in CASES])
def test_surge(tmp_path: Path, name: str, rows: list[Row], params: dict[str, Any], expected: dict[str, str]) -> None:
    hits = surge(legs(tmp_path, rows), **params)
    assert sorted(hits["record_id"]) == sorted(expected), name
    for record_id, text in expected.items():
        detail = hits.filter(pl.col("record_id") == record_id)["detail"][0]
        assert text in detail, detail
    assert hits["score"].is_between(0, 1, closed="right").all()


def test_seeds_are_flagged_through_ingestion() -> None:
    ingested = read_records(SEEDS)
    assert ingested.kind == "flows" and ingested.quarantine.height == 0
    hits = surge(legs_from_flows(ingested.records.lazy()))
    details = dict(zip(hits["record_id"], hits["detail"], strict=True))
    assert details["CN>KG 8482 2023"].startswith(
        "KG imports of 8482 from CN: ×25.9 (+2,492 %) vs the 2019–21 mean of the same months; z = 249.2; "
        "$41 M in 2023; control basket ×1.1; 2019–2023 ▁▁▁▃█"
    )
    assert "TR imports of 8542 from CN: ×1.7 (+71 %)" in details["CN>TR 8542 2023"]
    assert "$125 M in 2023; control basket ×1.1" in details["CN>TR 8542 2023"]
    assert "RU imports of 8542 from TR: ×1.5 (+50 %)" in details["TR>RU 8542 2023"]


def test_scores_grow_with_the_surge(tmp_path: Path) -> None:
    rows = yearly("KG", "CN", "848210", [2 * M] * 4 + [4 * M]) + yearly("KZ", "CN", "848210", [2 * M] * 4 + [40 * M])
    scores = dict(surge(legs(tmp_path, rows)).select("record_id", "score").iter_rows())
    assert 0.5 <= scores["CN>KG 848210 2023"] < scores["CN>KZ 848210 2023"] <= 1


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"origin_country": "CN", "destination_country": "KG"}, {("CN", "KG")}),
        ({"shipper_country": "CN", "consignee_country": "KG"}, {("CN", "KG")}),
        ({"origin_country": "CN", "transit_country": "KG", "destination_country": "RU"}, {("CN", "KG"), ("KG", "RU")}),
        ({"origin_country": "CN", "transit_country": "CN", "destination_country": "RU"}, {("CN", "RU")}),
        ({"origin_country": "KG", "destination_country": "KG"}, set()),
        ({"origin_country": None, "destination_country": "KG"}, set()),
    ],
)
def test_legs_from_transactions(row: dict[str, str | None], expected: set[tuple[str, str]]) -> None:
    base = {"date": date(2023, 4, 17), "hs_code": "848210", "hs6": "848210", "value": 100.0}
    tx = pl.DataFrame([{**base, **row}, {**base, **row, "date": date(2023, 4, 30)}])
    out = legs_from_transactions(tx.lazy()).collect()
    assert set(out.select("origin", "destination").iter_rows()) == expected
    if expected:
        assert out["value"].to_list() == [200.0] * len(expected)
        assert out["period"].unique().to_list() == [date(2023, 4, 1)]
        assert set(out["reporter"]) == {"records"}


@pytest.mark.parametrize(
    ("rows", "value"),
    [
        ([("KG", "CN", "import", "848210", "2023", 12e6), ("CN", "KG", "export", "848210", "2023", 24e6)], 1e6),
        ([("CN", "KG", "export", "848210", "2023", 24e6)], 2e6),
        ([("KG", "CN", "import", "8482", "2023", 12e6), ("CN", "KG", "export", "848210", "2023", 24e6)], 1e6),
    ],
    ids=["importer preferred", "exporter alone", "one source per heading"],
)
def test_one_source_per_corridor(tmp_path: Path, rows: list[Row], value: float) -> None:
    months = monthly(legs(tmp_path, rows)).collect()
    assert months.height == 12 and months["value"].to_list() == [value] * 12


def test_bad_parameters_are_refused(tmp_path: Path) -> None:
    frame = legs(tmp_path, yearly("KG", "CN", "848210", [M]))
    with pytest.raises(ValueError, match="levels"):
        corridor_stats(frame, levels=["hs8"])
    with pytest.raises(ValueError, match="goods"):
        corridor_stats(frame, goods="weird")
    with pytest.raises(ValueError, match="six digits"):
        corridor_stats(frame, goods=["8482"])
