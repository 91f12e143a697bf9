"""Mirror gaps: exports reported well above the partner's imports, compared over months both published."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.ingest import read_records
from screening.trade.corridors import legs_from_flows
from screening.trade.mirror import mirror

FIXTURE = Path(__file__).parents[2] / "fixtures" / "trade" / "mirror_flows.csv"
M = 1_000_000.0
Row = tuple[str, str, str, str, str, float]


def legs(tmp_path: Path, rows: list[Row]) -> pl.LazyFrame:
    """Return the legs of flow rows written to a CSV and read through the ingestion path."""
    columns = ["reporter_country", "partner_country", "flow", "hs_code", "period", "value"]
    path = tmp_path / "flows.csv"
    pl.DataFrame([list(map(str, r)) for r in rows], schema=columns, orient="row").write_csv(path)
    return legs_from_flows(read_records(path).records.lazy())


def pair(code: str, exported: float, imported: float, period: str = "2023") -> list[Row]:
    """Return CN's export report to KG and KG's import report from CN."""
    return [("CN", "KG", "export", code, period, exported), ("KG", "CN", "import", code, period, imported)]


CASES: list[tuple[str, list[Row], dict[str, str]]] = [
    ("gap", pair("848210", 41 * M, 12 * M), {"CN>KG 848210 2023": "$29 M (71 %) unaccounted"}),
    ("within tolerance", pair("848210", 20 * M, 17 * M), {}),
    ("importer higher (CIF)", pair("848210", 20 * M, 22 * M), {}),
    ("gap under the floor", pair("848210", 1.5 * M, 0.6 * M), {}),
    ("ordinary goods", pair("940360", 41 * M, 12 * M), {}),
    ("one side only", [("CN", "KG", "export", "848210", "2023", 41 * M)], {}),
    ("before since", pair("848210", 41 * M, 12 * M, "2021"), {}),
    ("heading hidden by its code", pair("848210", 41 * M, 12 * M) + pair("848220", 5 * M, 5 * M),
     {"CN>KG 848210 2023": "848210"}),
    ("heading when codes differ", [("CN", "KG", "export", "848210", "2023", 41 * M),
                                   ("KG", "CN", "import", "848220", "2023", 12 * M)], {"CN>KG 8482 2023": "8482"}),
    ("importer published Q1 only", [("CN", "KG", "export", "848210", f"2023-{m:02d}", 4 * M) for m in range(1, 13)]
     + [("KG", "CN", "import", "848210", "2023Q1", 11 * M)], {}),
    ("Q1 gap", [("CN", "KG", "export", "848210", f"2023-{m:02d}", 4 * M) for m in range(1, 13)]
     + [("KG", "CN", "import", "848210", "2023Q1", 3 * M)],
     {"CN>KG 848210 2023": "CN reports $12 M of 848210 exports to KG in Jan–Mar 2023; KG reports $3.0 M"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "rows", "expected"), CASES, ids=[c[0] for c in CASES])
def test_mirror(tmp_path: Path, name: str, rows: list[Row], expected: dict[str, str]) -> None:
    hits = mirror(legs(tmp_path, rows))
    assert sorted(hits["record_id"]) == sorted(expected), name
    for record_id, text in expected.items():
        assert text in hits.filter(pl.col("record_id") == record_id)["detail"][0]


def test_mirror_fixture() -> None:
    hits = mirror(legs_from_flows(read_records(FIXTURE).records.lazy()))
    assert hits.select("record_id", "detail").rows() == [
        (
            "CN>KG 848210 2023",
            "CN reports $41 M of 848210 exports to KG in 2023; KG reports $12 M of imports: $29 M (71 %) unaccounted",
        )
    ]
    assert hits["score"].round(2).to_list() == [0.71]
