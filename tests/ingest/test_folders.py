"""Folder inputs: every supported file read, others skipped with a reason, identical files read once, notes stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.errors import InputError
from screening.ingest.folders import expand_inputs

CORPUS = Path(__file__).parents[2] / "fixtures" / "real_layouts"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder: two layouts, a copy of one, a partitioned Parquet dataset, a .doc, an unmapped CSV."""
    root = tmp_path / "in"
    (root / "year=2023").mkdir(parents=True)
    shutil.copy(CORPUS / "vendor_mn.csv", root / "a_mn.csv")
    shutil.copy(CORPUS / "vendor_am.csv", root / "b_am.csv")
    shutil.copy(CORPUS / "vendor_am.csv", root / "c_am_again.csv")
    shutil.copy(FIXTURES / "notes.doc", root / "notes.doc")
    shutil.copy(FIXTURES / "nothing_maps.csv", root / "d_nothing.csv")
    pl.read_csv(CORPUS / "vendor_tr.csv", infer_schema=False).write_parquet(root / "year=2023" / "part-0.parquet")
    (root / "year=2023" / "_SUCCESS").write_text("")
    (root / ".DS_Store").write_bytes(b"\x00")
    return root


def test_expand_finds_files_and_flags_copies(folder: Path) -> None:
    expanded = expand_inputs([folder])
    assert [Path(p).name for p, _ in expanded.files] == ["a_mn.csv", "b_am.csv", "d_nothing.csv", "part-0.parquet"]
    reasons = {Path(s.path).name: s.reason for s in expanded.skipped}
    assert reasons["c_am_again.csv"] == f"identical to {folder / 'b_am.csv'} (same bytes), not read again"
    assert reasons["notes.doc"].startswith("unsupported format")
    assert set(reasons) == {"c_am_again.csv", "notes.doc"}


def test_scan_of_a_folder_reads_every_layout_and_reports_the_skipped(folder: Path) -> None:
    result = scan([folder])
    assert [(Path(f.path).name, f.stored, f.noted) for f in result.files] == [
        ("a_mn.csv", 4, 3),  # two unreadable side fields, and a RUB value after 2021 left out of corridor sums
        ("b_am.csv", 3, 0),
        ("part-0.parquet", 2, 0),
    ]
    skipped = {Path(s.path).name: s.reason for s in result.skipped}
    assert skipped["d_nothing.csv"].startswith("no column maps to a canonical column")
    assert result.files[0].columns["EXPORTER_NAME_EN"] == "shipper"
    notes = result.notes_rows()
    assert notes.select("line", "column").rows() == [(4, "currency"), (5, "CURRENCY"), (5, "ORIGIN_COUNTRY")]
    assert result.noted == 3


def test_unmapped_file_named_on_the_command_line_still_fails() -> None:
    with pytest.raises(InputError, match="no column maps"):
        scan([FIXTURES / "nothing_maps.csv"])
