"""The bad-rows CSV: exact lines and reasons of every quarantined row and every noted field."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.ingest import iter_batches, read_records

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

EXPECTED = [
    (6, "7 fields, expected 6"),
    (7, "3 fields, expected 6"),
    (8, "unterminated quote"),
    (10, "undecodable bytes (not valid in the file's encoding)"),
    (13, "duplicate record id 'T6' (first on line 9)"),
    (14, "column shipper: field of 5000 characters exceeds 4,096"),
]  # fmt: skip


NOTED = [  # (line, column, value, reason): the row is kept with the field nulled
    (11, "destination_country", "Narnia", "column destination_country: 'Narnia' is not a known country"),
    (11, "value", "abc", "column value: 'abc' is not a number"),
    (11, "date", "31/31/2023", "column date: '31/31/2023' is not a date"),
    (12, "value", "-5", "column value: -5 is negative"),
]


def test_bad_rows_are_quarantined_with_line_and_reason() -> None:
    result = read_records(FIXTURES / "bad_rows.csv")
    got = list(zip(result.quarantine["line"], result.quarantine["reason"], strict=True))
    assert got == EXPECTED
    assert result.rows_read == 12 == result.records.height + result.quarantine.height
    assert result.notes.drop("source_file").rows() == NOTED
    assert result.quarantine["raw"].str.len_chars().max() == 1000
    assert set(result.quarantine["source_file"]) == {str(FIXTURES / "bad_rows.csv")}


IDS = ["A", "B", "A", "C", "B", "", "", "D", "A", "E"]
REPEATED = [  # (line, reason): line 1 is the header
    (4, "duplicate record id 'A' (first on line 2)"),
    (6, "duplicate record id 'B' (first on line 3)"),
    (10, "duplicate record id 'A' (first on line 2)"),
]


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 4, 100])
def test_repeated_ids_are_found_within_and_across_batches(tmp_path: Path, batch_rows: int) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("record_id,consignee,hs_code\n" + "".join(f"{i},Party {n},854231\n" for n, i in enumerate(IDS)))
    batches = list(iter_batches(path, batch_rows=batch_rows))
    quarantine = pl.concat([b.quarantine for b in batches])
    assert list(zip(quarantine["line"], quarantine["reason"], strict=True)) == REPEATED
    assert sum(b.records.height for b in batches) == len(IDS) - len(REPEATED)


AMOUNTS = [  # (value as written, the note on the kept row or None when read)
    ("12.5", None),
    ("999999999999999", None),
    ("1000000000000000", "column value: '1000000000000000' is not an amount below 10^15"),
    ("-3", "column value: -3 is negative"),
    ("abc", "column value: 'abc' is not a number"),
]


@pytest.mark.parametrize(("written", "reason"), AMOUNTS)
def test_amounts_out_of_range_are_noted_from_text(tmp_path: Path, written: str, reason: str | None) -> None:
    path = tmp_path / "amounts.csv"
    path.write_text(f"record_id,consignee,value\nT1,Party,{written}\n")
    result = read_records(path)
    assert result.notes["reason"].to_list() == ([reason] if reason else [])
    assert result.records["value"].is_null().to_list() == [reason is not None]
    assert result.quarantine.height == 0


@pytest.mark.parametrize(("value", "reason"), [
    (12.5, None),
    (float("inf"), "column value: 'inf' is not an amount below 10^15"),
    (float("nan"), "column value: 'NaN' is not an amount below 10^15"),
    (2e15, "column value: '2000000000000000.0' is not an amount below 10^15"),
])  # fmt: skip
def test_amounts_out_of_range_are_noted_from_numbers(tmp_path: Path, value: float, reason: str | None) -> None:
    path = tmp_path / "amounts.parquet"
    pl.DataFrame({"record_id": ["T1"], "consignee": ["Party"], "value": [value]}).write_parquet(path)
    result = read_records(path)
    assert result.notes["reason"].to_list() == ([reason] if reason else [])
    assert result.quarantine.height == 0


@pytest.mark.parametrize(("content", "reason"), [
    # reference/eu_sanctions_hs6_master.csv saved through Excel: the HS code 021012 became the number 21012
    ("hs6,category\n21012,luxury\n",
     "nothing left to screen: no party, goods or value "
     "(column hs_code: 5 digits '21012': ambiguous, 021012 and 210120 are both HS codes)"),
    ("value,category\nabc,luxury\n",
     "nothing left to screen: no party, goods or value (column value: 'abc' is not a number)"),
    ("hs6,value\n,\n", "nothing left to screen: no party, goods or value"),
])  # fmt: skip
def test_a_row_left_with_nothing_says_what_was_unreadable(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "goods.csv"
    path.write_text(content, encoding="utf-8")
    assert read_records(path).quarantine["reason"].to_list() == [reason]
