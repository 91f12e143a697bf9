"""Workbooks read fully: every sheet with a header row, merged values in every row they cover."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from screening.errors import InputError, ScreeningError
from screening.ingest import iter_batches


def _book(path: Path, sheets: dict[str, list[list[object]]], merged: dict[str, list[str]]) -> Path:
    """Write a workbook with the given sheets and merged ranges."""
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for ref in merged.get(title, []):
            sheet.merge_cells(ref)
    book.save(path)
    return path


def _read(path: Path) -> pl.DataFrame:
    """Return the records of every batch with their source and line."""
    return pl.concat([b.records.select("source_file", "line", "record_id", "consignee") for b in iter_batches(path)])


HEADER = ["record_id", "consignee"]


@pytest.mark.parametrize(
    ("sheets", "merged", "expected"),
    [
        (  # one sheet: the file's name, as before
            {"Data": [HEADER, ["T1", "Alpha"]]},
            {},
            [("book.xlsx", 2, "T1", "Alpha")],
        ),
        (  # two sheets with headers, a notes sheet without
            {"Jan": [HEADER, ["T1", "Alpha"]], "Notes": [["remark"], ["x"]], "Feb": [HEADER, ["T2", "Beta"]]},
            {},
            [("book.xlsx#Jan", 2, "T1", "Alpha"), ("book.xlsx#Feb", 2, "T2", "Beta")],
        ),
        (  # a consignee merged over three rows reaches all three
            {"Data": [HEADER, ["T1", "Merged Co"], ["T2", None], ["T3", None], ["T4", "Other"]]},
            {"Data": ["B2:B4"]},
            [
                ("book.xlsx", 2, "T1", "Merged Co"),
                ("book.xlsx", 3, "T2", "Merged Co"),
                ("book.xlsx", 4, "T3", "Merged Co"),
                ("book.xlsx", 5, "T4", "Other"),
            ],
        ),
    ],
)
def test_workbooks_are_read_fully(
    sheets: dict[str, list[list[object]]],
    merged: dict[str, list[str]],
    expected: list[tuple[str, int, str, str]],
    tmp_path: Path,
) -> None:
    frame = _read(_book(tmp_path / "book.xlsx", sheets, merged))
    rows = [(Path(f).name, line, rid, name) for f, line, rid, name in frame.rows()]
    assert rows == expected


@pytest.mark.parametrize(
    ("rows", "notes"),
    [
        ([HEADER, ["T1", "Alpha"]], []),
        (
            [HEADER, ["T1", '=UPPER("a")'], ["T2", "Beta", "stray"]],
            [
                "Data!B2: formula saved without a calculated value, read as empty (recalculate and save)",
                "Data!C3: value right of the header's last column, not read (name the column)",
            ],
        ),
        (  # a formula in the title rows above the header is no data
            [["=1+1"], HEADER, ["T1", "Alpha"]],
            [],
        ),
    ],
)
def test_cells_the_records_cannot_carry_are_noted_with_sheet_and_cell(
    rows: list[list[object]], notes: list[str], tmp_path: Path
) -> None:
    path = _book(tmp_path / "book.xlsx", {"Data": rows}, {})
    messages = [m for b in iter_batches(path) for m in b.messages]
    assert messages == [f"{path}: {note}" for note in notes]


MONTHS: dict[str, list[list[object]]] = {
    "Jan": [[*HEADER], ["T1", "Alpha"]],
    "Notes": [["remark"], ["x"]],
    "Feb": [[*HEADER], ["T2", "Beta"]],
}


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (None, [("book.xlsx#Jan", "T1"), ("book.xlsx#Feb", "T2")]),
        (["Feb"], [("book.xlsx", "T2")]),
        (["Feb", "Jan"], [("book.xlsx#Feb", "T2"), ("book.xlsx#Jan", "T1")]),
        (["Jan", "Jan"], [("book.xlsx", "T1")]),
    ],
)
def test_named_sheets_alone_are_read(sheets: list[str] | None, expected: list[tuple[str, str]], tmp_path: Path) -> None:
    path = _book(tmp_path / "book.xlsx", MONTHS, {})
    frame = pl.concat([b.records for b in iter_batches(path, sheets=sheets)])
    assert [(Path(f).name, rid) for f, rid in frame.select("source_file", "record_id").rows()] == expected


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        (["March"], "no sheet named 'March'; the workbook's sheets: 'Jan', 'Notes', 'Feb'"),
        (["Jan", "jan"], "no sheet named 'jan'; the workbook's sheets: 'Jan', 'Notes', 'Feb'"),
        (["Notes"], "sheet 'Notes' has no header row in its first 30 rows"),
    ],
)
def test_a_sheet_that_cannot_be_read_is_a_one_line_error(sheets: list[str], message: str, tmp_path: Path) -> None:
    path = _book(tmp_path / "book.xlsx", MONTHS, {})
    with pytest.raises(InputError) as caught:
        list(iter_batches(path, sheets=sheets))
    assert str(caught.value).startswith(f"{path}: {message}") and "\n" not in str(caught.value)


def _patched(tmp_path: Path, ref: str) -> Path:
    """Return a workbook whose one merged range is rewritten to ``ref`` in the sheet's XML."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, ["T1", "Alpha"], ["T2", "Beta"]]:
        sheet.append(row)
    sheet["A5"] = "footer"
    sheet.merge_cells("A5:B5")
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    target = tmp_path / "book.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(target, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b'ref="A5:B5"', f'ref="{ref}"'.encode())
            out.writestr(item, data)
    return target


def test_a_range_merged_beyond_the_header_fills_only_the_headers_columns(tmp_path: Path) -> None:
    frame = _read(_patched(tmp_path, "A5:F5"))  # a footer merged wider than the header: no crash
    assert frame["record_id"].to_list() == ["T1", "T2", "footer"]


def test_a_range_over_the_whole_sheet_is_refused_before_it_is_recorded(tmp_path: Path) -> None:
    with pytest.raises(ScreeningError, match="merged ranges cover over"):
        _read(_patched(tmp_path, "C3:XFD1048576"))
