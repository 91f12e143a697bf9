"""Fault test: a real ``screening scan`` killed or signalled at each stage, then rerun on the same store.

The rerun's hits file must be byte for byte the one an uninterrupted scan writes, and the store
must hold exactly one run's records: the killed attempt's leftovers are never counted or added to.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from screening import scan
from screening.cli import main
from screening.errors import ConfigError
from screening.synth import write_ledger_stream

ROWS = 8_000
BATCH = 2_000  # four batches: a kill "during ingest" stops after the first
SCAN = ["scan", "--batch-rows", str(BATCH), "--quiet", "--format", "csv"]
MAIN = "import sys; from screening.cli import main; sys.exit(main())"


def _screening(args: list[str], failpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh process, with a failpoint armed if given."""
    env = {k: v for k, v in os.environ.items() if k != "SCREENING_FAILPOINT"}
    if failpoint:
        env["SCREENING_FAILPOINT"] = failpoint
    command = [sys.executable, "-c", MAIN, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write a small synthetic ledger as CSV."""
    out = tmp_path_factory.mktemp("ledger")
    written = write_ledger_stream(ROWS, 7, out, ROWS, file_format="csv")
    return written.partitions[0]


@pytest.fixture(scope="module")
def reference(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Return the hits file of an uninterrupted scan."""
    work = tmp_path_factory.mktemp("reference")
    done = _screening(["--db", str(work / "s.duckdb"), *SCAN, "--out", str(work / "out"), str(ledger)])
    assert done.returncode == 0, done.stderr
    return (work / "out" / "hits.csv").read_bytes()


@pytest.mark.parametrize(
    ("failpoint", "code", "status"),
    [
        ("ingest:kill", -9, "running"),
        ("rule:kill", -9, "running"),
        ("export:kill", -9, "running"),
        ("ingest:int", 130, "interrupted"),
        ("rule:term", 143, "interrupted"),
    ],
)
def test_rerun_after_a_fault_writes_the_uninterrupted_hits(
    failpoint: str,
    code: int,
    status: str,
    ledger: Path,
    reference: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    args = ["--db", str(db), *SCAN, "--out", str(out), str(ledger)]
    stopped = _screening(args, failpoint)
    assert stopped.returncode == code, stopped.stderr
    assert "Traceback" not in stopped.stderr
    if code > 0:
        assert stopped.stderr.strip().splitlines()[-1].startswith("screening: interrupted by SIG")
    assert not (out / "hits.csv").exists()  # never a half file
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [(status,)]
    assert main(["--db", str(db), "report", _run_id(db)]) == 2
    assert f"is {status}, so its hits are not reported" in capsys.readouterr().err
    rerun = _screening(args)
    assert rerun.returncode == 0, rerun.stderr
    written = (out / "hits.csv").read_bytes()
    assert hashlib.sha256(written).hexdigest() == hashlib.sha256(reference).hexdigest()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), min(status) FROM runs").fetchall() == [(1, "complete")]
        assert con.execute("SELECT count(*) FROM transactions").fetchall() == [(ROWS,)]


def _run_id(db: Path) -> str:
    """Return the one run id a store holds."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT run_id FROM runs").fetchone()
    assert row is not None
    return str(row[0])


# (currency, records): a run's values in a currency with no US-dollar rate are noted once per file and currency
UNPRICED_CASES = [("USD", 0), ("EUR", 0), ("KZT", 1)]


@pytest.mark.parametrize(("currency", "notes"), UNPRICED_CASES)
def test_a_currency_without_a_rate_is_noted_and_counted(tmp_path: Path, currency: str, notes: int) -> None:
    from screening.pipeline import scan  # noqa: PLC0415 - the module's other tests go through the CLI

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "record_id,date,hs_code,shipper_country,consignee_country,value,currency\n"
        f"T1,2023-04-15,848210,CN,KG,1000.00,{currency}\nT2,2023-04-16,848210,CN,KG,500.00,{currency}\n",
        encoding="utf-8",
    )
    result = scan([ledger])
    stored = result.store.frame("SELECT value, reason FROM notes WHERE run_id = ?", [result.run_id])
    assert stored.height == notes == result.noted
    if notes:
        assert stored.row(0) == (currency, f"no US-dollar rate for {currency} in the records' years: "
                                 "2 records left out of corridor sums")  # fmt: skip


@pytest.mark.parametrize("rows", [0, -5])
def test_a_batch_of_no_rows_is_a_config_error(tmp_path: Path, rows: int) -> None:
    data = tmp_path / "t.csv"
    data.write_text("record_id,party_name\nr1,ACME\n")
    with pytest.raises(ConfigError, match="--batch-rows"):
        scan([data], store=tmp_path / "s.duckdb", batch_rows=rows)


# (lists imported, sources the run records): a run without imported lists names the bundled sample it screened
LIST_PROVENANCE_CASES = [(False, {"us_ofac_sdn", "us_ofac_cons", "un_sc"}), (True, {"testlist"})]


@pytest.mark.parametrize(("imported", "sources"), LIST_PROVENANCE_CASES)
def test_a_run_records_the_lists_it_screened(tmp_path: Path, imported: bool, sources: set[str]) -> None:
    from screening.lists import ImportOptions, import_list  # noqa: PLC0415
    from screening.store import open_store  # noqa: PLC0415

    if imported:
        watch = tmp_path / "watch.csv"
        watch.write_text("entity_id,name,schema\n1,ROSOBORONEXPORT,Organization\n", encoding="utf-8")
        store = open_store(tmp_path / "s.duckdb")
        import_list(store, watch, options=ImportOptions(version="2026-01-01", source="testlist"))
        store.close()
    data = tmp_path / "t.csv"
    data.write_text("record_id,party_name\nr1,ACME\n", encoding="utf-8")
    result = scan([data], store=tmp_path / "s.duckdb")
    recorded = json.loads(result.store.scalar("SELECT lists FROM runs WHERE run_id = ?", [result.run_id]))
    assert {v["source"] for v in recorded} == sources
    assert all(v["sha256"] for v in recorded)


# (the store's checkpoint threshold before a run): DuckDB's default is raised while the batches are
# stored and reset after; a user's own setting is left as it is (DuckDB reads '1GB' back as 953.6 MiB)
CHECKPOINT_CASES = ["16.0 MiB", "1.0 GiB", "1GB", "20MB"]


@pytest.mark.parametrize("threshold", CHECKPOINT_CASES)
def test_a_run_sets_the_checkpoint_threshold_back(tmp_path: Path, threshold: str) -> None:
    from screening.store import open_store  # noqa: PLC0415

    data = tmp_path / "t.csv"
    data.write_text("record_id,party_name\nr1,ACME\n")
    db = open_store(tmp_path / "s.duckdb")
    db.con.execute(f"SET checkpoint_threshold = '{threshold}'")
    before = db.scalar("SELECT current_setting('checkpoint_threshold')")
    for _ in range(2):
        result = scan([data], store=db)
        assert result.stored == 1
        assert db.scalar("SELECT current_setting('checkpoint_threshold')") == before
