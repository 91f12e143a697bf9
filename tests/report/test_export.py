"""Exported files: CSV cells cannot start a formula; every format round-trips the hits."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.report.export import neutralize_formulas, write_outputs, write_table
from screening.schema import HIT_COLUMNS
from screening.store import open_store
from screening.stored_hits import StoredHits, shaped

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"
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
    frame = pl.DataFrame({"party": [cell], "score": [-1.0]}, schema={"party": pl.String, "score": pl.Float64})
    out = neutralize_formulas(frame)
    assert out["party"][0] == written
    assert out["score"][0] == -1.0


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_write_table_round_trip(tmp_path: Path, fmt: str) -> None:
    frame = pl.DataFrame({"record_id": ["a:2", "b:3"], "detail": ["=1+1", "ok"], "score": [1.0, 0.5]})
    path = tmp_path / f"hits.{fmt}"
    write_table(frame, path)
    back = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": pl.read_json}[fmt](path)
    assert back["record_id"].to_list() == ["a:2", "b:3"]
    assert back["detail"][0] == ("'=1+1" if fmt == "csv" else "=1+1")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
@pytest.mark.parametrize("hits", [0, 1, 7])
def test_stored_hits_stream_into_one_table(tmp_path: Path, fmt: str, hits: int) -> None:
    store = open_store(":memory:")
    rows = [{"run_id": "run-x", "hit_id": f"h{i}", "rule_id": "GOODS-001", "record_id": f"T{7 - i}",
             "score": i / 10, "detail": f"=detail {i}" if i % 2 else f"detail {i}"} for i in range(hits)]  # fmt: skip
    if rows:
        store.append("hits", pl.DataFrame(rows))
    stored = StoredHits(store, "run-x")
    path = tmp_path / f"hits.{fmt}"
    write_table(shaped(HIT_COLUMNS, stored.batches(rows=2)), path)  # 2 rows a batch
    back = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": pl.read_json}[fmt](path)
    if fmt == "json" and not hits:
        assert path.read_text(encoding="utf-8") == "[]"  # a JSON array of no rows names no columns
        return
    assert back.columns == list(HIT_COLUMNS)  # CSV and Parquet keep the header when there is no hit
    assert back["hit_id"].to_list() == [f"h{i}" for i in range(hits)]  # one table, in stored order
    marked = ["'=" if fmt == "csv" else "="] * hits
    assert [d[: len(m)] == m for d, m in zip(back["detail"], marked, strict=True)] == [i % 2 == 1 for i in range(hits)]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_quarantine_is_exported_from_the_store(tmp_path: Path, fmt: str) -> None:
    result = scan([FIXTURES / "bad_rows.csv"], store=open_store(":memory:"))
    paths = write_outputs(result, tmp_path / "out", fmt)
    back = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": pl.read_json}[fmt](paths[1])
    assert back.height == result.quarantined == result.quarantine.height > 0
    assert back["line"].to_list() == sorted(back["line"].to_list())  # by file and line
    assert back["reason"].to_list() == result.quarantine["reason"].to_list()
    assert result.quarantine_rows(2).equals(result.quarantine.head(2))


NOTED = (
    "record_id,shipper,consignee,origin_country,hs_code,value,date\n"
    "A1,Acme GmbH,Vostok LLC,Atlantis,848210,100,2023-01-02\n"
    "A2,Acme GmbH,Vostok LLC,DE,848210,=1+1,2023-13-45\n"
)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_notes_are_exported_from_the_store(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "noted.csv"
    source.write_text(NOTED, encoding="utf-8")
    result = scan([source], store=open_store(":memory:"))
    paths = write_outputs(result, tmp_path / "out", fmt)
    assert [p.name for p in paths] == [f"hits.{fmt}", f"quarantine.{fmt}", f"notes.{fmt}", "summary.json"]
    back = {"csv": pl.read_csv, "parquet": pl.read_parquet, "json": pl.read_json}[fmt](paths[2])
    assert back.select("line", "column").rows() == [(2, "origin_country"), (3, "date"), (3, "value")]
    assert back["value"].to_list() == ["Atlantis", "2023-13-45", "'=1+1" if fmt == "csv" else "=1+1"]
