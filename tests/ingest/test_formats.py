"""Each format and encoding reads into canonical records; rows read = stored + quarantined."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.ingest import csv_reader, iter_batches, load_mapping, read_records
from screening.schema import QUARANTINE_COLUMNS, columns_for

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

CASES = [
    # file, mapping file, kind, rows read, stored, a (column, row, value) check
    (
        "trade_extract.csv",
        None,
        "transactions",
        3,
        3,
        ("shipper", 0, "YATAS YATAK VE YORGAN SAN TIC A S"),
    ),
    ("bom_utf8.csv", None, "transactions", 3, 3, ("hs_code", 0, "6907211000")),
    ("cp1251.csv", "cp1251_mapping.yaml", "parties", 3, 3, ("name", 0, "ООО Ромашка")),
    ("cp1251.csv", None, "parties", 3, 3, ("country", 0, "RU")),
    ("utf16le.csv", None, "transactions", 1, 1, ("origin_country", 0, "TR")),
    ("utf16be.csv", None, "transactions", 1, 1, ("consignee", 0, "OOO YATASH RUS")),
    ("semicolon.csv", None, "transactions", 2, 2, ("value", 1, 1234567.89)),
    ("pipe.csv", None, "transactions", 2, 2, ("originator", 1, "Gamma")),
    ("counterparties.csv", None, "parties", 3, 3, ("entity_schema", 1, "Person")),
    (
        "custom_columns.csv",
        "custom_mapping.yaml",
        "transactions",
        1,
        1,
        ("destination_country", 0, "KG"),
    ),
    ("payments.jsonl", None, "transactions", 5, 3, ("beneficiary", 1, "ООО Ромашка")),
    ("title_rows.xlsx", None, "transactions", 3, 3, ("consignee", 0, "OOO Elektron")),
    ("transactions.parquet", None, "transactions", 3, 3, ("hs6", 0, "854231")),
    ("bad_rows.csv", None, "transactions", 12, 6, ("shipper", 1, "Beta\nTrading")),
]


@pytest.mark.parametrize(("name", "mapping", "kind", "read", "stored", "check"), CASES)
def test_reads(name: str, mapping: str | None, *, kind: str, read: int, stored: int, check: tuple) -> None:
    explicit = load_mapping(FIXTURES / mapping) if mapping else None
    result = read_records(FIXTURES / name, mapping=explicit)
    assert result.kind == kind
    assert (result.rows_read, result.records.height) == (read, stored)
    assert result.rows_read == result.records.height + result.quarantine.height
    assert result.records.schema == columns_for(result.kind)
    assert result.quarantine.schema == QUARANTINE_COLUMNS
    column, row, value = check
    assert result.records[column][row] == value


@pytest.mark.parametrize(("name", "lines"), [
    ("trade_extract.csv", [2, 3, 4]),
    ("bad_rows.csv", [2, 4, 9, 11, 12, 15]),  # 11 and 12 kept, their bad fields noted
    ("title_rows.xlsx", [5, 7, 8]),
    ("transactions.parquet", [1, 2, 3]),
    ("payments.jsonl", [1, 4, 6]),
])  # fmt: skip
def test_lines(name: str, lines: list[int]) -> None:
    assert read_records(FIXTURES / name).records["line"].to_list() == lines


@pytest.mark.parametrize("name", ["bad_rows.csv", "payments.jsonl", "transactions.parquet", "title_rows.xlsx"])
def test_batches_account_for_every_row(name: str) -> None:
    whole = read_records(FIXTURES / name)
    batches = list(iter_batches(FIXTURES / name, batch_rows=2))
    assert sum(b.rows_read for b in batches) == whole.rows_read
    assert all(b.records.height <= 2 for b in batches)


def test_record_ids_fall_back_to_file_and_line() -> None:
    result = read_records(FIXTURES / "trade_extract.csv")
    assert result.records["record_id"].to_list()[0] == "trade_extract.csv:2"
    assert len(result.sha256) == 64


@pytest.mark.parametrize(("batch_rows", "sizes"), [(300, [300, 300, 300, 98]), (1000, [998]), (50, [50] * 19 + [48])])
def test_csv_batches_hold_batch_rows_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int, sizes: list[int]
) -> None:
    monkeypatch.setattr(csv_reader, "BLOCK_BYTES", 2048)  # about 70 records a block
    rows = [f"T{i},Party {i},854231,CN,{i}.5" for i in range(1000)]
    rows[500] = 'T500,"unterminated,854231,CN,1'
    rows[700] = "T700,too,many,fields,here,1"
    path = tmp_path / "ledger.csv"
    path.write_text("record_id,consignee,hs_code,origin_country,value\n" + "\n".join(rows) + "\n")
    batches = list(iter_batches(path, batch_rows=batch_rows))
    assert [b.records.height for b in batches] == sizes
    lines = [line for b in batches for line in b.records["line"].to_list()]
    assert lines == [n + 2 for n in range(1000) if n not in (500, 700)]
    assert sorted(line for b in batches for line in b.quarantine["line"].to_list()) == [502, 702]


@pytest.mark.parametrize("name", ["data[1].parquet", "data*.parquet", "data?.parquet", "data[1].csv"])
def test_file_names_are_names_not_patterns(tmp_path: Path, name: str) -> None:
    frame = pl.DataFrame({"record_id": ["T1", "T2"], "consignee": ["Alfa", "Beta"], "hs_code": ["854231", "848210"]})
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    (tmp_path / "data1.parquet").write_bytes(b"not this one")  # what "data[1]" or "data?" would match as a pattern
    assert read_records(path).records["record_id"].to_list() == ["T1", "T2"]
