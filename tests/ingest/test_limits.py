"""Untrusted inputs within limits: regular files only, bounded workbooks, bounded YAML mappings."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from screening.errors import ConfigError, InputError
from screening.ingest import iter_batches, load_mapping
from screening.ingest.files import file_sha256


def _workbook(path: Path, cells: list[list[object]]) -> Path:
    """Write a one-sheet workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in cells:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (os.mkfifo, r"is a named pipe \(FIFO\), not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), "is a character device, not a regular file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "file not found"),
    ],
)
def test_only_regular_files_are_read_or_hashed(make: object, message: str, tmp_path: Path) -> None:
    path = tmp_path / "input.csv"
    make(path)  # type: ignore[operator]
    for work in (file_sha256, lambda p: list(iter_batches(p))):
        with pytest.raises(InputError, match=message):
            work(path)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, r"inflates .*-fold .* over the limit 200-fold \(\$SCREENING_XLSX_MAX_RATIO\); a zip bomb"),
        ({"SCREENING_XLSX_MAX_RATIO": "100000"}, None),
        ({"SCREENING_XLSX_MAX_RATIO": "100000", "SCREENING_XLSX_MAX_BYTES": "1000000"}, "over the limit 1,000,000"),
    ],
)
def test_a_workbook_that_inflates_too_far_is_refused_before_reading(
    env: dict[str, str], message: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = _workbook(tmp_path / "bomb.xlsx", [["record_id", "consignee"], *[["T1", "A" * 32_000]] * 200])
    if message is None:
        assert sum(b.records.height + b.quarantine.height for b in iter_batches(path)) == 200
        return
    with pytest.raises(InputError, match=message):
        list(iter_batches(path))


def test_an_overlong_cell_quarantines_its_row_with_sheet_and_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_XLSX_MAX_CELL", "1000")
    path = _workbook(tmp_path / "long.xlsx", [["record_id", "consignee"], ["T1", "A" * 1500], ["T2", "B"]])
    batches = list(iter_batches(path))
    assert [r for b in batches for r in b.records["record_id"].to_list()] == ["T2"]
    reasons = [r for b in batches for r in b.quarantine["reason"].to_list()]
    assert reasons == ["Sheet!B2: cell is 1,500 characters, over the limit 1,000 ($SCREENING_XLSX_MAX_CELL)"]


BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
)


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        (BOMB, {}, r"m.yaml:2: not valid YAML: aliases \(\*a\) are not allowed here"),
        ("x: [" + "1," * 200 + "1]\n", {"SCREENING_MAX_YAML_NODES": "50"}, "more than 50 nodes"),
        ("buyer: consignee\n" + "#" * 2000 + "\n", {"SCREENING_MAX_YAML_BYTES": "1000"}, "over 1,000 characters"),
    ],
)
def test_mapping_yaml_is_bounded(
    text: str, env: dict[str, str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)


def test_a_mapping_that_sends_two_columns_to_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("Buyer: consignee\nBuyer 2: consignee\nSeller: shipper\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="columns 'Buyer' and 'Buyer 2' both map to 'consignee'"):
        load_mapping(path)


def _wide_ledger(path: Path) -> Path:
    """Write 20 ledger rows of about 105 bytes of text, the eighth (line 9) of 405."""
    rows = "".join(f"{i},{'A' * (400 if i == 7 else 100)},8501\n" for i in range(20))
    path.write_text("id,shipper,hs_code\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("budget", "batch_rows", "heights"),
    [
        ("5000", 5, [5, 5, 5, 5]),  # the byte budget is not reached: batch_rows decides
        ("5000", 100, [20]),
        ("1000", 100, [7, 6, 7]),  # wide rows make batches shorter
        ("500", 5, [4, 3, 1, 4, 4, 4]),  # the wide record goes alone when it does not fit beside another
        ("405", 5, [3, 3, 1, 1, 3, 3, 3, 3]),  # a record of exactly the budget is read
    ],
)
def test_csv_batches_keep_within_the_byte_budget(
    budget: str, batch_rows: int, heights: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_BATCH_BYTES", budget)
    batches = list(iter_batches(_wide_ledger(tmp_path / "wide.csv"), batch_rows=batch_rows))
    assert [b.records.height for b in batches] == heights
    assert pl.concat([b.records for b in batches])["line"].to_list() == list(range(2, 22))


@pytest.mark.parametrize(("budget", "line", "size"), [("300", 9, 405), ("404", 9, 405)])
def test_a_record_over_the_byte_budget_is_a_one_line_error(
    budget: str, line: int, size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_BATCH_BYTES", budget)
    path = _wide_ledger(tmp_path / "wide.csv")
    with pytest.raises(InputError) as caught:
        list(iter_batches(path))
    expected = f"a record of {size} bytes, over the batch budget of {budget} bytes ($SCREENING_BATCH_BYTES)"
    assert str(caught.value) == f"{path}:{line}: {expected}"
