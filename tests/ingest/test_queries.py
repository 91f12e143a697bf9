"""Query files of `screening match` are read as the scan reads files: any encoding, delimiter, workbook, column name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from screening.cli import main
from screening.ingest.queries import problems, read_query_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
# names_dev/valrep_negatives_us.csv (yente's validation data, people on no list) and a listed bank
HEADER = ["full_name", "gender", "date_of_birth", "nationality"]
ROWS = [
    ["Ingeborg Abrahamsen", "female", "1972-11-21", "France"],
    ["Banco Nacional de Cuba", "", "", "Cuba"],
    ["", "male", "1966-07-06", "United Arab Emirates"],
]


def _text(encoding: str, delimiter: str = ",", end: str = "\n") -> Callable[[Path], Path]:
    """Return a writer of the rows as delimited text in an encoding."""

    def write(path: Path) -> Path:
        lines = [delimiter.join(row) for row in [HEADER, *ROWS]]
        path.write_bytes(end.join(lines).encode(encoding) + end.encode(encoding))
        return path

    return write


def _xlsx(path: Path) -> Path:
    """Write the rows as a workbook with a title row above the header."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customers, December"])
    for row in [HEADER, *ROWS]:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(("suffix", "write", "first_line"), [
    (".csv", _text("utf-8"), 2),
    (".csv", _text("utf-8-sig"), 2),
    (".csv", _text("utf-16"), 2),  # UTF-16 LE with a byte-order mark
    (".csv", _text("cp1252", ";", "\r\n"), 2),
    (".txt", _text("utf-8", "\t"), 2),
    (".xlsx", _xlsx, 3),
])  # fmt: skip
def test_query_file_in_any_input_shape(
    suffix: str, write: Callable[[Path], Path], first_line: int, tmp_path: Path
) -> None:
    path = write(tmp_path / f"customers{suffix}")
    read = read_query_file(path)
    assert read.queries.select("id", "name", "country", "birth_date").rows() == [
        (f"customers{suffix}:{first_line}", "Ingeborg Abrahamsen", "FR", "1972-11-21"),
        (f"customers{suffix}:{first_line + 1}", "Banco Nacional de Cuba", "CU", None),
    ]
    assert problems(read) == [f"{path}:{first_line + 2}: column name: missing", "1 rows not read as queries"]


@pytest.mark.parametrize(("suffix", "write"), [(".csv", _text("utf-16")), (".xlsx", _xlsx)])
def test_match_reads_a_bank_export(suffix: str, write: Callable[[Path], Path], tmp_path: Path) -> None:
    path = write(tmp_path / f"customers{suffix}")
    out = tmp_path / "matches.csv"
    argv = ["match", str(path), "--watchlist", str(FIXTURES / "ofac_sdn_2021-07"), "--out", str(out)]
    assert main(argv) == 0
    hits = pl.read_csv(out, infer_schema=False)
    assert hits.select("query_id", "entity_id").rows() == [
        (path.name + (":3" if suffix == ".csv" else ":4"), "us_ofac_sdn:306")
    ]


def test_match_without_a_name_column_says_what_it_saw(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fixtures.csv"  # names_dev/ofac_fixtures.csv
    path.write_text('query_name,result_name,ofac_score\nVLADIMIR PUTIN,"PUTIN, Vladimir",100\n', encoding="utf-8")
    argv = ["match", str(path), "--watchlist", str(FIXTURES / "ofac_sdn_2021-07"), "--out", str(tmp_path / "o.csv")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "query_name" in err and "--mapping" in err and "\n" not in err
    (tmp_path / "map.yaml").write_text("query_name: name\n", encoding="utf-8")
    assert main([*argv, "--mapping", str(tmp_path / "map.yaml")]) == 0


def test_problems_show_file_content_with_control_characters_escaped(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"  # a repeated id whose text holds a terminal escape and a bell
    path.write_text('id,name\n"\x1b]0;pwned\x07",ACME\n"\x1b]0;pwned\x07",ACME TWO\n', encoding="utf-8")
    lines = problems(read_query_file(path))
    assert any("duplicate record id" in line for line in lines)
    assert not any(ch in line for line in lines for ch in "\x1b\x07")


def _two_sheets(path: Path) -> Path:
    """Write a workbook of a query sheet and a summary sheet with no name column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Queries"
    sheet.append(["id", "name"])
    sheet.append(["1", "Banco Nacional de Cuba"])
    summary = book.create_sheet("Summary")
    summary.append(["Country", "Count"])
    summary.append(["CU", 1])
    book.save(path)
    return path


@pytest.mark.parametrize(("sheets", "code"), [([], 2), (["--sheet", "Queries"], 0)])
def test_match_reads_the_sheets_named(sheets: list[str], code: int, tmp_path: Path) -> None:
    path = _two_sheets(tmp_path / "book.xlsx")
    argv = ["match", str(path), "--watchlist", str(FIXTURES / "ofac_sdn_2021-07"), "--out", str(tmp_path / "o.csv")]
    assert main([*argv, *sheets]) == code
