"""Exported files: CSV cells cannot start a formula; every format round-trips the hits."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.report.export import neutralize_formulas, write_table

CELLS = [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+7 495 123", "'+7 495 123"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("ООО Ромашка", "ООО Ромашка"),
    ("a=b", "a=b"),
    (None, None),
]


@pytest.mark.parametrize(("cell", "written"), CELLS)
def test_neutralize_formulas(cell: str | None, written: str | None) -> None:
    frame = pl.DataFrame(
        {"party": [cell], "score": [-1.0]}, schema={"party": pl.String, "score": pl.Float64}
    )
    out = neutralize_formulas(frame)
    assert out["party"][0] == written
    assert out["score"][0] == -1.0


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_write_table_round_trip(tmp_path: Path, fmt: str) -> None:
    frame = pl.DataFrame(
        {"record_id": ["a:2", "b:3"], "detail": ["=1+1", "ok"], "score": [1.0, 0.5]}
    )
    path = tmp_path / f"hits.{fmt}"
    write_table(frame, path)
    back = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": pl.read_json}[fmt](path)
    assert back["record_id"].to_list() == ["a:2", "b:3"]
    assert back["detail"][0] == ("'=1+1" if fmt == "csv" else "=1+1")
