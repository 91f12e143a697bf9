"""The `lists` command group wired into an argparse parser as the top-level CLI does."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from screening.errors import ListError
from screening.lists.cli import register

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="screening")
    parser.add_argument("--db", default=":memory:")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


def test_import_then_show(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    db = str(tmp_path / "s.duckdb")
    files = [str(FIXTURES / "ofac_cons_2025-12"), str(FIXTURES / "uk_sanctions_list_sample.csv")]
    assert _run(["--db", db, "lists", "import", *files, "--force"]) == 0
    out = capsys.readouterr().out
    assert "us_ofac_cons 2025-12 (ofac_csv): 5 entities, 22 names" in out
    assert "uk_sanctions_list_sample.csv:7: name row of gb_fcdo:RUS0270 has an empty name" in out
    assert _run(["--db", db, "lists", "show"]) == 0
    shown = capsys.readouterr().out
    assert "gb_fcdo" in shown and "us_ofac_cons" in shown


def test_import_with_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.duckdb")
    path = str(FIXTURES / "eu_fsf_sample.xml")
    assert _run(["--db", db, "lists", "import", path, "--format", "eu_xml"]) == 0
    assert "eu_fsf 2026-02-20 (eu_xml): 2 entities" in capsys.readouterr().out


def test_refused_import_then_history_and_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    db = str(tmp_path / "s.duckdb")
    uk = str(FIXTURES / "uk_sanctions_list_sample.csv")
    with pytest.raises(ListError, match="refused: 1 problems against 3 entries read"):
        _run(["--db", db, "lists", "import", uk])
    assert "gb_fcdo 2026-02-20 (uk_csv): 3 entities" in capsys.readouterr().out
    watch = tmp_path / "watch.csv"
    for version, rows in (("2026-01-01", "1,ACME\n"), ("2026-02-01", "1,ACME\n2,BETA\n")):
        watch.write_text("entity_id,name\n" + rows, encoding="utf-8")
        assert _run(["--db", db, "lists", "import", str(watch), "--source", "mine", "--version", version]) == 0
    assert _run(["--db", db, "lists", "history"]) == 0
    shown = capsys.readouterr().out
    assert shown.count("accepted") == 2 and shown.count("refused") == 1
    assert _run(["--db", db, "lists", "diff", "mine"]) == 0
    assert capsys.readouterr().out.splitlines() == ["1 added", "added\tmine:2\tBETA"]


def test_update_rejects_unknown_source() -> None:
    with pytest.raises(SystemExit):
        _run(["lists", "update", "--source", "nope"])
