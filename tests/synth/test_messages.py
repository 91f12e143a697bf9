"""Synthetic payment messages: written by polars, read back by the message readers, the planted cases kept."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.cli import main
from screening.ingest import iter_batches
from screening.synth.messages import SUFFIX, ledger_payments, message_cases, payments, write_messages
from screening.synth.planted import plant_cases


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


# ledger rows, payments kept: 10,000 rows hold 3,004 payments, so 3,000 leaves too little room for the planted ones
LIMITS = [(10_000, None), (10_000, 5_000), (10_000, 3_000), (10_000, 2_000), (10_000, 10)]


@pytest.mark.parametrize(("rows", "limit"), LIMITS)
def test_a_limit_keeps_every_planted_payment(rows: int, limit: int | None) -> None:
    whole, _ = ledger_payments(rows, 7, "pacs008")
    frame, cases = ledger_payments(rows, 7, "pacs008", limit=limit)
    planted = pl.concat([payments(plant_cases(7).transactions)["record_id"], message_cases("pacs008")["record_id"]])
    assert set(planted) | set(cases["record_id"]) <= set(frame["record_id"])
    assert frame["record_id"].is_unique().all()
    ledger = frame.filter(~pl.col("record_id").is_in(planted.implode()))
    assert ledger.equals(whole.head(ledger.height))
    room = whole.height if limit is None else max(limit, planted.len())
    assert frame.height == min(room, whole.height)


def found_wrong(hits: Path, cases: Path) -> list[dict[str, object]]:
    """Return the planted cases of ``cases`` that the scan's ``hits`` got wrong."""
    flagged = pl.read_csv(hits, infer_schema=False).select(
        "rule_id", record_id=pl.col("record_id").str.replace(r"/\d+$", "")
    )
    planted = pl.read_csv(cases)
    checked = planted.join(flagged.unique().with_columns(found=pl.lit(value=True)), on=["rule_id", "record_id"],
                           how="left")  # fmt: skip
    return checked.filter(pl.col("found").fill_null(value=False) != (pl.col("expect") == "hit")).to_dicts()


@pytest.mark.parametrize("file_format", ["pacs008", "mt103"])
def test_every_planted_case_is_found_end_to_end(tmp_path: Path, file_format: str) -> None:
    main(["synth", "--rows", "2000", "--seed", "7", "--format", file_format, "--out", str(tmp_path / "synth")])
    written = tmp_path / "synth" / f"payments.{SUFFIX[file_format]}"
    out = tmp_path / "out"
    assert main(["--db", ":memory:", "scan", str(written), "--quiet", "--out", str(out), "--format", "csv"]) == 0
    assert found_wrong(out / "hits.csv", tmp_path / "synth" / "message_cases.csv") == []
    cases = pl.read_csv(tmp_path / "synth" / "message_cases.csv")
    assert set(cases["rule_id"]) >= {"PAY-001", "PAY-002", "PAY-003", "NAME-001"}


def test_planted_cases_are_found_in_a_limited_sample(tmp_path: Path) -> None:
    frame, cases = ledger_payments(10_000, 7, "pacs008", limit=3_000)  # as bench_messages.py --messages 3000
    written = tmp_path / "payments.xml"
    write_messages(frame, written, "pacs008")
    cases.write_csv(tmp_path / "cases.csv")
    out = tmp_path / "out"
    assert main(["--db", ":memory:", "scan", str(written), "--quiet", "--out", str(out), "--format", "csv"]) == 0
    assert found_wrong(out / "hits.csv", tmp_path / "cases.csv") == []
