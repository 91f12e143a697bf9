"""The run's party names and the records naming them: every trade, payment and message role, the role named."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening import scan
from screening.kinds.base import ScanContext
from screening.kinds.parties import ROLES, records_naming, run_party_names
from screening.schema import MESSAGE_PARTY_COLUMNS
from screening.store import open_store

RUN = "run-1"
NAME = "Volga Trade Holding LLC"


def stored(column: str, message_type: str | None) -> ScanContext:
    """Return a context over a store holding one transaction of the run with NAME in ``column``."""
    store = open_store(":memory:")
    record = {"record_id": "r1", "source_file": "t.xml", "line": 7, column: NAME, "message_type": message_type}
    store.append("transactions", pl.DataFrame([record]).with_columns(run_id=pl.lit(RUN)))
    return ScanContext(record_kind="transactions", store=store, run_id=RUN)


@pytest.mark.parametrize("column", [*MESSAGE_PARTY_COLUMNS, "originator", "intermediary_bank", "consignee"])
def test_every_role_is_read_and_named_on_a_message(column: str) -> None:
    ctx = stored(column, "pacs.008.001.08")
    assert run_party_names(ctx).to_list() == [NAME]
    found = records_naming(ctx, pl.Series([NAME]))
    assert found.rows() == [("r1", "t.xml", 7, column, NAME)]


@pytest.mark.parametrize(("message_type", "role"), [(None, None), ("MT103", "ultimate_debtor")])
def test_a_role_is_named_only_on_a_message_record(message_type: str | None, role: str | None) -> None:
    found = records_naming(stored("ultimate_debtor", message_type), pl.Series([NAME]))
    assert found["role"].to_list() == [role]


def test_roles_hold_every_message_role() -> None:
    assert set(MESSAGE_PARTY_COLUMNS) <= set(ROLES)


PACS008 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M-1</MsgId><CreDtTm>2023-04-03T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E-1</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="EUR">5000.00</IntrBkSttlmAmt><IntrBkSttlmDt>2023-04-04</IntrBkSttlmDt>
{extra}
<Dbtr><Nm>Nordtech GmbH</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></DbtrAgt>
<CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>Porzellan Werke GmbH</Nm></Cdtr>
</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>
"""


@pytest.mark.parametrize(
    ("extra", "role"),
    [
        (f"<UltmtDbtr><Nm>{NAME}</Nm></UltmtDbtr>", "ultimate_debtor"),
        (f"<InitgPty><Nm>{NAME}</Nm></InitgPty>", "initiating_party"),
        (f"<IntrmyAgt2><FinInstnId><Nm>{NAME}</Nm></FinInstnId></IntrmyAgt2>", "intermediary_bank_2"),
        (f"<PrvsInstgAgt1><FinInstnId><Nm>{NAME}</Nm></FinInstnId></PrvsInstgAgt1>", "previous_instructing_agent"),
    ],
)
def test_own001_screens_a_message_role_and_names_it(tmp_path: Path, extra: str, role: str) -> None:
    owners = tmp_path / "owners.csv"
    owners.write_text(f"owner,owned,share\nGennady Timchenko,{NAME},60 %\n", encoding="utf-8")
    message = tmp_path / "pay.xml"
    message.write_text(PACS008.format(extra=extra), encoding="utf-8")
    hits = scan([owners, message]).reported.frame().filter(pl.col("rule_id") == "OWN-001")
    on_message = hits.filter(pl.col("record_id") == "M-1/1")
    assert on_message["detail"].to_list()[0].startswith(f"{role}: {NAME}")
    assert on_message["party"].to_list() == [NAME]
