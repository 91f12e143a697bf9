"""CSV files as real sources write them: a DOS end-of-file mark closing the file is not a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.ingest import read_records

HEADER = "ent_num,name,type\r\n"  # a header added to lists/ofac_sdn_csv_2021-07/sdn.csv, which ends with Ctrl-Z
ROWS = '36,"AEROCARIBBEAN AIRLINES",-0- \r\n306,"BANCO NACIONAL DE CUBA",-0- \r\n'


@pytest.mark.parametrize(("tail", "encoding", "names", "quarantined"), [
    ("\x1a", "utf-8", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"], 0),
    ("\x1a\r\n", "utf-8", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"], 0),
    ("\x1a", "utf-16", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"], 0),
    ("", "utf-8", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"], 0),
    ('7,"A\x1aB",x\r\n', "utf-8", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA", "A\x1aB"], 0),  # inside: kept
    ("\x1a,x\r\n", "utf-8", ["AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"], 1),  # not at the end: a bad row
])  # fmt: skip
def test_dos_end_of_file_mark_is_not_a_record(
    tmp_path: Path, tail: str, encoding: str, names: list[str], quarantined: int
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes((HEADER + ROWS + tail).encode(encoding))
    read = read_records(path)
    assert (read.records["name"].to_list(), read.quarantine.height) == (names, quarantined)


@pytest.mark.parametrize(("cell", "expected"), [("-0- ", None), ("-0-", None), ("individual", "Person")])
def test_ofac_empty_mark_is_an_empty_value(tmp_path: Path, cell: str, expected: str | None) -> None:
    path = tmp_path / "cons_prim.csv"  # lists/ofac_cons_nonsdn_csv_2025-12/cons_prim.csv with a header added
    path.write_text(f'ent_num,name,type\n9639,"HANIYA, Ismail Abdul Salah",{cell}\n', encoding="utf-8")
    assert read_records(path).records["entity_schema"].to_list() == [expected]
