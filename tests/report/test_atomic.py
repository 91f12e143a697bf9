"""Outputs appear whole or not at all; a place that cannot be written is a one-line error."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from screening.cli import main
from screening.errors import ConfigError
from screening.report.atomic import atomic_path, write_text


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "cannot write the output \\(No space left on device\\)"),
        (OSError(errno.EROFS, "Read-only file system"), "cannot write the output \\(Read-only file system\\)"),
        (KeyboardInterrupt(), None),
    ],
)
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    failure: BaseException, message: str | None, tmp_path: Path
) -> None:
    target = write_text(tmp_path / "hits.json", "old")
    expected = ConfigError if message else type(failure)
    with pytest.raises(expected, match=message), atomic_path(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise failure
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hits.json"]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("a-file", "cannot create the output directory"),
        ("a-file/below", "cannot create the output directory"),
    ],
)
def test_unwritable_out_is_one_line(out: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    ledger = tmp_path / "t.csv"
    ledger.write_text("record_id,consignee,hs_code\nT1,Acme,854231\n", encoding="utf-8")
    code = main(["--db", str(tmp_path / "s.duckdb"), "scan", str(ledger), "--quiet", "--out", str(tmp_path / out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert message in err[-1]
    assert err[-1].startswith("screening: error: ")
