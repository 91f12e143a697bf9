"""Synthetic payment messages: written by polars, read back by the message readers, the planted cases kept."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.cli import main
from screening.ingest import iter_batches
from screening.synth.messages import SUFFIX, ledger_payments, write_messages


@pytest.mark.parametrize("file_format", ["pacs008", "mt103"])
def test_messages_read_back(tmp_path: Path, file_format: str) -> None:
    frame, cases = ledger_payments(3_000, 7)
    path = tmp_path / f"payments.{SUFFIX[file_format]}"
    assert write_messages(frame, path, file_format) == frame.height
    batches = list(iter_batches(path))
    records = pl.concat([b.records for b in batches])
    assert sum(b.quarantine.height for b in batches) == 0
    assert records.height == frame.height
    read = records.select(
        message_id=pl.col("record_id").str.replace(r"/\d+$", ""), originator="originator", value="value"
    )
    assert read.rows() == frame.select(message_id="record_id", originator="originator", value="value").rows()
    assert set(cases["record_id"]) <= set(read["message_id"])


@pytest.mark.parametrize("file_format", ["pacs008", "mt103"])
def test_every_planted_case_is_found_end_to_end(tmp_path: Path, file_format: str) -> None:
    main(["synth", "--rows", "2000", "--seed", "7", "--format", file_format, "--out", str(tmp_path / "synth")])
    written = tmp_path / "synth" / f"payments.{SUFFIX[file_format]}"
    out = tmp_path / "out"
    assert main(["--db", ":memory:", "scan", str(written), "--quiet", "--out", str(out), "--format", "csv"]) == 0
    hits = pl.read_csv(out / "hits.csv", infer_schema=False)
    flagged = hits.select("rule_id", record_id=pl.col("record_id").str.replace(r"/\d+$", "")).unique()
    cases = pl.read_csv(tmp_path / "synth" / "message_cases.csv")
    checked = cases.join(flagged.with_columns(found=pl.lit(value=True)), on=["rule_id", "record_id"], how="left")
    wrong = checked.filter(pl.col("found").fill_null(value=False) != (pl.col("expect") == "hit"))
    assert wrong.is_empty(), wrong.to_dicts()
    assert set(cases["rule_id"]) >= {"PAY-001", "PAY-002", "PAY-003", "NAME-001"}
