"""Untrusted inputs within limits: regular files only, bounded workbooks, bounded YAML mappings."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
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
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
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
