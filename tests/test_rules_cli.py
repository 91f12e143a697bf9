"""The rules check and docs commands: every broken file listed with its location, exit 2, stale docs caught."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from screening.cli import main
from screening.rules import default_rules_dir

BROKEN = {
    "GOODS-001-chpl.yaml": ("kind: chpl_goods", "kind: nope"),
    "DEST-002-chpl-to-transit-hubs.yaml": ("weight: 0.5", "weight: 7"),
}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Return a copy of the bundled rules with two files broken."""
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    for name, (old, new) in BROKEN.items():
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return folder


def test_check_lists_every_broken_file(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--rules", str(broken)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [re.findall(r"([^/]+\.yaml):\d+: ", line) for line in lines[:-1]] == [[name] for name in sorted(BROKEN)]
    assert lines[-1] == "screening: 2 broken rule file(s), 2 problem(s)"


def test_check_json_gives_locations_as_fields(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--rules", str(broken), "--format", "json"]) == 2
    rows = [json.loads(line) for line in capsys.readouterr().err.splitlines()[:-1]]
    assert [(Path(r["file"]).name, r["path"], r["column"]) for r in rows] == [
        ("DEST-002-chpl-to-transit-hubs.yaml", "weight", 1),
        ("GOODS-001-chpl.yaml", "kind", 1),
    ]
    assert all(isinstance(r["line"], int) and r["message"] for r in rows)


@pytest.mark.parametrize(
    ("edit", "code", "stream", "says"),
    [
        (None, 0, "out", "is up to date"),
        ("append", 2, "err", "is stale; run `screening rules docs`"),
        ("delete", 2, "err", "is stale"),
    ],
)
def test_docs_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: str | None, code: int, stream: str, says: str
) -> None:
    page = tmp_path / "docs" / "rules.md"
    assert main(["rules", "docs", "--out", str(page)]) == 0
    if edit == "append":
        page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    elif edit == "delete":
        page.unlink()
    capsys.readouterr()
    assert main(["rules", "docs", "--check", "--out", str(page)]) == code
    captured = capsys.readouterr()
    assert says in (captured.out if stream == "out" else captured.err)
