"""One output dispatcher: scan, report and the Python API behave alike for every format, with and without --out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import screening
from screening.cli import main
from screening.errors import ConfigError
from screening.report.outputs import OUTPUT_FORMATS, format_help, output_format, output_table
from screening.store import open_store

README = Path(__file__).resolve().parents[2] / "README.md"
LEDGER = "id,hs_code,consignee,destination_country\nT1,854231,Alpha Trading,KG\nT2,691110,Beta,DE\nT3,,,\n"
JSON_FILES = ["hits.json", "notes.json", "quarantine.json", "summary.json"]
# (format, with --out, exit code, files in --out, what stdout holds: the terminal report, JSON hits or nothing)
BEHAVIOUR = [
    ("rich", False, 0, [], "report"),
    ("rich", True, 0, JSON_FILES, "report"),
    ("json", False, 0, [], "json"),
    ("json", True, 0, JSON_FILES, "report"),
    ("csv", False, 2, [], ""),
    ("csv", True, 0, ["hits.csv", "notes.csv", "quarantine.csv", "summary.json"], "report"),
    ("parquet", False, 2, [], ""),
    ("parquet", True, 0, ["hits.parquet", "notes.parquet", "quarantine.parquet", "summary.json"], "report"),
    ("html", False, 2, [], ""),
    ("html", True, 0, ["hits.json", "notes.json", "quarantine.json", "report.html", "summary.json"], "report"),
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """Return a ledger, a store holding one complete scan of it, and that run's id."""
    folder = tmp_path_factory.mktemp("recorded")
    ledger = folder / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    db = folder / "store.duckdb"
    assert main(["--db", str(db), "scan", str(ledger), "--quiet"]) == 0
    store = open_store(str(db))
    try:
        run_id = str(store.frame("SELECT run_id FROM runs").item())
    finally:
        store.close()
    return ledger, db, run_id


def _stdout_holds(out: str) -> str:
    """Return what the captured stdout holds: the terminal report, JSON hits or nothing."""
    if not out.strip():
        return ""
    return "json" if isinstance(json.loads(out) if out.lstrip().startswith("[") else None, list) else "report"


@pytest.mark.parametrize("command", ["scan", "report"])
@pytest.mark.parametrize(("fmt", "with_out", "code", "files", "stdout"), BEHAVIOUR)
def test_commands_write_alike(
    recorded: tuple[Path, Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    fmt: str,
    with_out: bool,
    code: int,
    files: list[str],
    stdout: str,
) -> None:
    ledger, db, run_id = recorded
    out = tmp_path / "out"
    target = [str(ledger)] if command == "scan" else [run_id]
    argv = ["--db", str(db) if command == "report" else ":memory:", command, *target, "--format", fmt]
    assert main(argv + (["--out", str(out)] if with_out else [])) == code
    captured = capsys.readouterr()
    assert (sorted(p.name for p in out.iterdir()) if out.exists() else []) == files
    assert _stdout_holds(captured.out) == stdout
    if code == 2:
        assert captured.err.strip() == f"screening: error: --format {fmt} needs --out DIR"
    else:
        wrote = [line.split(" ", 1)[1] for line in captured.err.splitlines() if line.startswith("wrote ")]
        assert sorted(Path(path).name for path in wrote) == files


@pytest.mark.parametrize(("fmt", "with_out", "code", "files", "stdout"), BEHAVIOUR)
def test_the_python_api_writes_alike(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    with_out: bool,
    code: int,
    files: list[str],
    stdout: str,
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    result = screening.scan([ledger])
    capsys.readouterr()
    out = tmp_path / "out" if with_out else None
    if code == 2:
        with pytest.raises(ConfigError, match=f"--format {fmt} needs --out DIR"):
            screening.write_report(result, fmt, out)
        return
    written = screening.write_report(result, fmt, out)
    assert sorted(p.name for p in written) == files
    assert _stdout_holds(capsys.readouterr().out) == stdout


@pytest.mark.parametrize(("quiet", "stdout"), [(False, "report"), (True, "")])
def test_quiet_leaves_out_only_the_terminal_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet: bool, stdout: str
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    result = screening.scan([ledger])
    capsys.readouterr()
    written = screening.write_report(result, "csv", tmp_path / "out", quiet=quiet)
    assert len(written) == 4  # hits, quarantine, notes, summary
    assert _stdout_holds(capsys.readouterr().out) == stdout


def test_an_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        output_format("xml")
    assert str(caught.value) == "--format xml: unknown output format; valid: rich, json, csv, parquet, html"


@pytest.mark.parametrize("name", list(OUTPUT_FORMATS))
def test_the_help_text_names_every_format(name: str) -> None:
    assert f"{name}: {OUTPUT_FORMATS[name].description}" in format_help()


def test_the_readme_lists_the_registered_output_formats() -> None:
    assert output_table() in README.read_text(encoding="utf-8"), "README: paste `screening formats --markdown`"
