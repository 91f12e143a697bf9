"""The spark-submit entry point: the shared error boundary, exit codes, and workers free of the CLI stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed (pip install -e '.[spark]')")

from pyspark.sql import SparkSession

from screening.spark.cli import main

pytestmark = [pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]

HINT = "please report it (rerun with SCREENING_DEBUG=1 for the traceback)"
WORKER_MODULES = ("screening.spark.executor", "screening.spark.arrow", "screening.spark.resources")
DRIVER_ONLY = ("screening.commands", "screening.cli", "screening.report", "rich")
LEDGER = "id,hs_code,consignee,destination_country\nT1,854231,Alpha Trading,KG\nT2,691110,Beta,DE\n"


@pytest.mark.parametrize("module", WORKER_MODULES)
def test_worker_modules_import_no_command_line_or_report(module: str) -> None:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout))
    assert module in loaded
    assert not {m for m in loaded if m.startswith(DRIVER_ONLY)}


def _raise(error: BaseException) -> object:
    """Return a stand-in for the Spark session factory that raises the error."""

    def start(master: str | None = None) -> SparkSession:
        raise error

    return start


@pytest.mark.parametrize(("error", "code", "line"), [
    (RuntimeError("boom"), 2, f"screening: internal error: RuntimeError: boom; {HINT}"),
    (KeyboardInterrupt(), 130, "screening: interrupted by SIGINT (Ctrl-C); an unfinished run is marked interrupted"),
])  # fmt: skip
def test_failures_before_the_scan_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: BaseException, code: int, line: str
) -> None:
    monkeypatch.delenv("SCREENING_DEBUG", raising=False)
    monkeypatch.setattr("screening.spark.cli.spark_session", _raise(error))
    assert main(["ledger.csv"]) == code
    assert capsys.readouterr().err.strip() == line


def test_bad_rules_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger.csv", "--rules", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("screening: error: ") and str(tmp_path / "none") in err and err.count("\n") == 1


@pytest.mark.spark
@pytest.mark.parametrize(("name", "fail_on", "code", "said"), [
    ("ledger.csv", "high", 1, "hits"),
    ("ledger.csv", None, 0, "hits"),
    ("missing.csv", None, 2, "screening: error: {path}: file not found"),
])  # fmt: skip
def test_runs_end_with_the_scan_exit_codes(
    spark: SparkSession,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    fail_on: str | None,
    code: int,
    said: str,
) -> None:
    (tmp_path / "ledger.csv").write_text(LEDGER, encoding="utf-8")
    path = tmp_path / name
    assert main([str(path), "--work", str(tmp_path / "work"), *(["--fail-on", fail_on] if fail_on else [])]) == code
    assert said.format(path=path) in capsys.readouterr().err
