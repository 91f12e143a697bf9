"""The command line: exit codes 0/1/2, one-line errors, outputs, determinism, the demo."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from screening.cli import main
from screening.demo import write_demo_ledger
from screening.ingest.formats import INPUT_FORMATS, format_table
from screening.names.model import shipped_sha256
from screening.report.outputs import OUTPUT_FORMATS, output_table

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = write_demo_ledger(tmp_path_factory.mktemp("demo"), 1500, 3)
    return path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--fail-on", "critical"], 1),
        (["--fail-on", "low"], 1),
        ([], 0),
    ],
)
def test_exit_codes_on_hits(ledger: Path, args: list[str], code: int) -> None:
    assert main(["--db", ":memory:", "scan", str(ledger), "--quiet", *args]) == code


def test_exit_zero_when_nothing_reaches_fail_on(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("id,hs_code,description,destination_country\n1,691110,plates,DE\n", encoding="utf-8")
    assert main(["--db", ":memory:", "scan", str(clean), "--quiet", "--fail-on", "low"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "missing.csv"], "missing.csv"),
        (["scan", str(FIXTURES / "empty.csv")], "file is empty"),
        (["scan", str(FIXTURES / "nothing_maps.csv")], "nothing_maps.csv"),
        (["scan", str(FIXTURES / "bad_rows.csv"), "--rules", "/nonexistent"], "rules directory not found"),
        (["scan", str(FIXTURES / "bad_rows.csv"), "--format", "csv"], "--format csv needs --out DIR"),
        (["rules", "show", "NOPE-001"], "no rule NOPE-001"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["--db", ":memory:", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("screening: error: ")
    assert message in err


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_outputs_and_determinism(tmp_path: Path, ledger: Path, fmt: str) -> None:
    runs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        assert main(["--db", ":memory:", "scan", str(ledger), "--quiet", "--out", str(out), "--format", fmt]) == 0
        runs.append(out)
    assert (runs[0] / f"hits.{fmt}").read_bytes() == (runs[1] / f"hits.{fmt}").read_bytes()
    summary = json.loads((runs[0] / "summary.json").read_text(encoding="utf-8"))
    counts = summary["counts"]
    assert counts["rows_read"] == counts["stored"] + counts["quarantined"] == 1504
    # the short row; the bad code, date and value (the synthetic ledger writes no RUB after 2021, which has no rate)
    assert (counts["quarantined"], counts["noted"]) == (1, 3)
    assert summary["fingerprint"].startswith("sha256:")
    assert summary["files"][0]["sha256"]


def test_hits_table_columns(tmp_path: Path, ledger: Path) -> None:
    main(["--db", ":memory:", "scan", str(ledger), "--quiet", "--out", str(tmp_path), "--format", "parquet"])
    hits = pl.read_parquet(tmp_path / "hits.parquet")
    assert {"run_id", "rule_id", "severity", "score", "record_id", "party", "detail"} <= set(hits.columns)
    assert hits.filter(pl.col("record_id").is_null() | pl.col("detail").is_null()).height == 0
    assert set(hits["rule_id"]) >= {"GOODS-001", "GOODS-003", "NAME-001", "DEST-001"}


def test_store_keeps_runs_apart(tmp_path: Path, ledger: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    assert main(["--db", db, "scan", str(ledger), "--quiet"]) == 0
    assert main(["--db", db, "scan", str(ledger), "--quiet"]) == 0
    con = duckdb.connect(db)
    runs = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY started_at").fetchall()]
    assert len(runs) == 2
    assert runs[1] == f"{runs[0]}-2"
    per_run = con.execute("SELECT run_id, count(*) FROM transactions GROUP BY run_id").fetchall()
    assert sorted(n for _, n in per_run) == [1503, 1503]  # 1,500 rows and the 3 bad rows kept with a noted field
    con.close()


def test_rules_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    assert "GOODS-001" in capsys.readouterr().out
    assert main(["rules", "check"]) == 0
    assert "0 failed" in capsys.readouterr().out


def test_demo_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--rows", "800"]) == 0
    out = capsys.readouterr().out
    assert "Screening run" in out
    assert "planted listed parties found: 6/6" in out
    assert "(ordinary records flagged: 0)" in out


def test_synth(tmp_path: Path) -> None:
    assert main(["synth", "--rows", "1000", "--out", str(tmp_path)]) == 0
    assert pl.read_parquet(tmp_path / "ledger.parquet").height == 1000
    assert pl.read_parquet(tmp_path / "truth.parquet").height == 1000


def test_unused_columns_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "two_shippers.csv"  # a second shipper column is screened as shipper_alt
    ledger.write_text("id,shipper,supplier_name,hs_code,notes,remark\n1,A,B,854231,x,y\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--db", ":memory:", "scan", str(ledger), "--out", str(out), "--format", "json"]) == 0
    assert "two_shippers.csv: columns not used: notes, remark" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"][0]["ignored"] == ["notes", "remark"]
    # provenance: the scorer each name rule ran (the default: hand), and the name model file's sha256
    scorers = {rule["id"]: rule.get("scorer") for rule in summary["rules"]}
    assert (scorers["NAME-001"], scorers["OWN-001"], scorers["DEST-001"]) == ("hand", "hand", None)
    assert summary["name_model"]["sha256"] == shipped_sha256()


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (RuntimeError("boom"), "screening: internal error: RuntimeError: boom"),
        (pl.exceptions.PanicException("assertion failed: i < self.len()"),
         "screening: internal error: PanicException: assertion failed: i < self.len()"),
    ],
)  # fmt: skip
def test_a_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: BaseException, line: str
) -> None:
    def fail(args: object) -> int:
        raise error

    monkeypatch.setattr("screening.report.cli.cmd_runs", fail)
    monkeypatch.delenv("SCREENING_DEBUG", raising=False)
    assert main(["runs"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(line) and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("sheets", "code", "said"),
    [
        (["--sheet", "Feb"], 0, "rows read 1 "),
        (["--sheet", "Feb", "--sheet", "Jan"], 0, "rows read 2 "),
        (["--sheet", "March"], 2, "error: {book}: no sheet named 'March'; the workbook's sheets: 'Jan', 'Feb'"),
    ],
)
def test_scan_reads_the_named_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sheets: list[str], code: int, said: str
) -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rid in (("Jan", "T1"), ("Feb", "T2")):
        book.create_sheet(title).append(["id", "hs_code", "consignee"])
        book[title].append([rid, "854231", "Alpha"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert main(["--db", ":memory:", "scan", str(path), *sheets]) == code
    captured = capsys.readouterr()
    assert said.format(book=path) in (captured.out if code == 0 else captured.err.strip())


def test_formats_markdown_prints_the_registries_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "--markdown"]) == 0
    assert capsys.readouterr().out == f"{format_table()}\n\n{output_table()}\n"


@pytest.mark.parametrize(("side", "names"), [("input", list(INPUT_FORMATS)), ("output", list(OUTPUT_FORMATS))])
def test_formats_lists_every_registered_format(capsys: pytest.CaptureFixture[str], side: str, names: list[str]) -> None:
    assert main(["formats"]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith(side)] == names
