"""Files that cannot be read give one-line InputErrors; bad mapping files give ConfigErrors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from screening.errors import ConfigError, InputError
from screening.ingest import load_mapping, read_records

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"


@pytest.mark.parametrize(("name", "message"), [
    ("missing.csv", "file not found"),
    (".", "is a directory"),
    ("empty.csv", "file is empty"),
    ("notes.doc", "unsupported format '.doc'; supported: CSV"),
    ("binary.csv", "binary data, not a text file"),
    ("no_header.xlsx", "no header row found in the first 30 rows"),
    ("corrupt.xlsx", "corrupt workbook"),
    ("encrypted.xlsx", "encrypted or legacy (.xls) workbook"),
    ("corrupt.parquet", "corrupt or encrypted Parquet file"),
    ("nothing_maps.csv", "no column maps to a canonical column; found ['foo', 'bar']"),
])  # fmt: skip
def test_input_errors(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_records(FIXTURES / name)
    text = str(caught.value)
    assert text.startswith(str(FIXTURES / name)) and message in text and "\n" not in text


@pytest.mark.parametrize(("content", "message"), [
    ("Col A: hs_kode\n", "unknown canonical column(s) ['hs_kode']; valid: record_id"),
    ("- just\n- a list\n", "expected a mapping"),
    ("a: [unclosed\n", "not valid YAML"),
])  # fmt: skip
def test_mapping_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]"),
    ) as caught:
        load_mapping(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("name", "content"), [
    ("header.csv", b"id,hs_code\n"),
    ("header_crlf.csv", b"id,hs_code\r\n"),
])  # fmt: skip
def test_header_only_files_read_zero_rows(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = read_records(path)
    assert (result.rows_read, result.records.height, result.quarantine.height) == (0, 0, 0)


def test_nested_parquet_values_are_read_as_json_text(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    pl.DataFrame({"id": ["a", "b"], "hs_code": [[8542], [8482]], "consignee": ["X", "Y"]}).write_parquet(path)
    result = read_records(path)
    assert result.records["consignee"].to_list() == ["X", "Y"]  # the parties are still screened
    assert result.notes.select("value", "reason").rows() == [
        ("[8542]", "column hs_code: '[8542]' is not an HS code"),
        ("[8482]", "column hs_code: '[8482]' is not an HS code"),
    ]


@pytest.mark.parametrize(("name", "content", "kind", "message"), [
    # lists/ofac_sdn_csv_2021-07/sdn.csv: OFAC's legacy CSV has no header row and writes -0- for empty
    ("sdn.csv", '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- \n306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- \n',
     None, "the first row looks like data, not a header ('36', '-0-'): add a header row"),
    ("export.csv", "4021,2024-01-31,ACME LTD\n4022,2024-02-01,OOO ROMASHKA\n",
     None, "the first row looks like data, not a header ('4021', '2024-01-31')"),
    ("year.csv", "label,2019\nx,1\n", None, "valid: record_id"),  # a year is a header, not data
    ("fixtures.csv", 'query_name,result_name,ofac_score\nVLADIMIR PUTIN,"PUTIN, Vladimir",100\n',  # names_dev
     None, "rename the columns or map them with --mapping FILE (`screening inspect FILE` writes a starter"),
    ("people.csv", "gender,nationality\nmale,France\n",
     "parties", "needs column(s) ['name']; found ['gender', 'nationality']; rename the column that holds them or map"),
])  # fmt: skip
def test_unmapped_file_says_what_it_saw_and_what_to_do(
    tmp_path: Path, name: str, content: str, kind: str | None, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records(path, kind="parties" if kind else None)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


@pytest.mark.parametrize(("rows", "message"), [
    # names_dev/ofac_fixtures.csv saved as a workbook: no column is a known one
    ([["query_name", "result_name", "ofac_score"], ["VLADIMIR PUTIN", "PUTIN, Vladimir", 100]],
     "its first row is ['query_name', 'result_name', 'ofac_score']; name the columns"),
    # lists/ofac_sdn_csv_2021-07/sdn.csv saved as a workbook: no header row at all
    ([[None], [36, "AEROCARIBBEAN AIRLINES", "-0-", "CUBA"]],
     "its first row is ['36', 'AEROCARIBBEAN AIRLINES', '-0-', 'CUBA'] (data, not a header: add a header row)"),
    ([[" "], ["x"]], "its first row is ['x']; name the columns"),
])  # fmt: skip
def test_workbook_without_a_header_shows_its_first_row(tmp_path: Path, rows: list[list[object]], message: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(InputError) as caught:
        read_records(tmp_path / "book.xlsx")
    assert message in str(caught.value) and "--mapping FILE" in str(caught.value)
