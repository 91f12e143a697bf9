"""The bad-rows CSV: exact lines and reasons of every quarantined row."""

from __future__ import annotations

from pathlib import Path

from screening.ingest import read_records

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

EXPECTED = [
    (6, "7 fields, expected 6"),
    (7, "3 fields, expected 6"),
    (8, "unterminated quote"),
    (10, "undecodable bytes (not valid in the file's encoding)"),
    (11, "column destination_country: 'Narnia' is not a known country; "
         "column value: 'abc' is not a number; column date: '31/31/2023' is not a date"),
    (12, "column value: -5 is negative"),
    (13, "duplicate record id 'T6' (first on line 9)"),
    (14, "column shipper: field of 5000 characters exceeds 4,096"),
]  # fmt: skip


def test_bad_rows_are_quarantined_with_line_and_reason() -> None:
    result = read_records(FIXTURES / "bad_rows.csv")
    got = list(zip(result.quarantine["line"], result.quarantine["reason"], strict=True))
    assert got == EXPECTED
    assert result.rows_read == 12 == result.records.height + result.quarantine.height
    assert result.quarantine["raw"].str.len_chars().max() == 1000
    assert set(result.quarantine["source_file"]) == {str(FIXTURES / "bad_rows.csv")}
