"""Hits on payment messages point at the message (ids, offset, role, XPath): in exports, the HTML table, explain."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from rich.console import Console

from screening import scan
from screening.pipeline import ScanResult
from screening.report.explain import evidence, render_evidence
from screening.report.export import write_outputs
from screening.report.html_data import table_rows
from screening.report.message_refs import REF_COLUMNS, with_refs
from screening.schema import HIT_COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MESSAGES = FIXTURES / "messages"
UETR = "8a562c67-ca16-48ba-b074-65581be6f001"


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan([MESSAGES / "pacs008.xml", MESSAGES / "mt103.fin"])


@pytest.fixture(scope="module")
def refs(result: ScanResult) -> pl.DataFrame:
    return with_refs(result.store, result.run_id, result.reported.frame())


@pytest.mark.parametrize(
    ("rule", "record", "message", "e2e", "uetr", "role", "xpath"),
    [
        ("NAME-001", "MSG-0001/1", "MSG-0001", "E2E-1", UETR, "ultimate_creditor", "/UltmtCdtr"),
        ("PAY-003", "MSG-0001/1", "MSG-0001", "E2E-1", UETR, None, None),  # about the remittance text, no role
        ("PAY-002", "REF0002/2", "REF0002", "REF0001", UETR[:-3] + "102", "beneficiary", "{4}:59F/B"),
    ],
)
def test_hit_points_at_its_message(
    refs: pl.DataFrame,
    rule: str,
    record: str,
    message: str,
    e2e: str | None,
    uetr: str | None,
    role: str | None,
    xpath: str | None,
) -> None:
    row = refs.filter((pl.col("rule_id") == rule) & (pl.col("record_id") == record)).row(0, named=True)
    assert (row["message_id"], row["end_to_end_id"], row["uetr"], row["role"]) == (message, e2e, uetr, role)
    assert row["message_offset"] is not None
    assert (row["xpath"] is None) if xpath is None else xpath in row["xpath"]


def test_message_offset_is_where_the_message_starts(refs: pl.DataFrame) -> None:
    data = (MESSAGES / "pacs008.xml").read_bytes()
    offsets = refs.filter(pl.col("message_id") == "MSG-0002")["message_offset"].unique().to_list()
    assert [data[o : o + 9] for o in offsets] == [b"<Document"]


def _payments_csv(folder: Path) -> Path:
    """Return a CSV of one payment to a listed party: a hit on a record that is not a message."""
    path = folder / "payments.csv"
    path.write_text("record_id,originator,beneficiary\nT1,Nordtech GmbH,Concern Almaz-Antey JSC\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("messages", "columns"),
    [
        (True, [*HIT_COLUMNS, *REF_COLUMNS]),
        (False, list(HIT_COLUMNS)),  # no message: the hit columns as before
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_exports_add_the_references_only_for_runs_with_messages(
    tmp_path: Path, messages: bool, columns: list[str], fmt: str
) -> None:
    inputs = [MESSAGES / "pacs008.xml"] if messages else [_payments_csv(tmp_path)]
    paths = write_outputs(scan(inputs), tmp_path / "out", fmt)
    hits = (
        pl.read_csv(paths[0])
        if fmt == "csv"
        else pl.read_json(paths[0])
        if fmt == "json"
        else pl.read_parquet(paths[0])
    )
    assert hits.columns == columns
    assert hits.height > 0
    assert not messages or hits["message_id"].drop_nulls().len() > 0


def test_html_table_where_names_the_message(result: ScanResult) -> None:
    where = table_rows(result.reported, 100).filter(pl.col("record_id") == "MSG-0001/1")["where"].to_list()
    assert any("message MSG-0001" in w and f"uetr {UETR}" in w for w in where)


def test_explain_shows_the_message(result: ScanResult) -> None:
    hit = result.reported.frame().filter(pl.col("rule_id") == "NAME-001").row(0, named=True)
    doc = evidence(result.store, result.run_id, hit["hit_id"])
    assert doc["message"] == {
        "source_file": str(MESSAGES / "pacs008.xml"),
        "line": 14,
        "message_id": "MSG-0001",
        "end_to_end_id": "E2E-1",
        "uetr": UETR,
        "message_offset": doc["message"]["message_offset"],
        "role": "ultimate_creditor",
        "xpath": "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/UltmtCdtr",
    }
    console = Console(record=True, width=200)
    render_evidence(doc, console)
    assert "CdtTrfTxInf[1]/UltmtCdtr" in console.export_text()


def test_explain_has_no_message_for_other_records(tmp_path: Path) -> None:
    run = scan([_payments_csv(tmp_path)])
    hit = run.reported.frame().row(0, named=True)
    assert evidence(run.store, run.run_id, hit["hit_id"])["message"] is None
