"""Messages to records: each family's roles in their columns, the XPaths, and bad messages quarantined."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening.ingest import iter_batches

NS = "urn:iso:std:iso:20022:tech:xsd:"
HDR = "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-01-02T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs></GrpHdr>"
AGT = "<{0}><FinInstnId><BICFI>{1}</BICFI></FinInstnId></{0}>"
PTY = "<{0}><Nm>{1}</Nm><PstlAdr><Ctry>{2}</Ctry></PstlAdr></{0}>"

PACS009_COV = (
    f'<Document xmlns="{NS}pacs.009.001.08"><FICdtTrf>{HDR}<CdtTrfTxInf>'
    "<PmtId><EndToEndId>E1</EndToEndId><UETR>u-1</UETR></PmtId>"
    '<IntrBkSttlmAmt Ccy="USD">10.00</IntrBkSttlmAmt><IntrBkSttlmDt>2024-01-02</IntrBkSttlmDt>'
    + AGT.format("Dbtr", "KICBKG22XXX")
    + AGT.format("Cdtr", "SABRRUMMXXX")
    + "<UndrlygCstmrCdtTrf>"
    + PTY.format("Dbtr", "Alfa Trade LLC", "KG")
    + AGT.format("DbtrAgt", "KICBKG22XXX")
    + AGT.format("CdtrAgt", "SABRRUMMXXX")
    + PTY.format("Cdtr", "OOO Romashka", "RU")
    + "<RmtInf><Ustrd>spare parts</Ustrd></RmtInf></UndrlygCstmrCdtTrf></CdtTrfTxInf></FICdtTrf></Document>"
)
PAIN001 = (
    f'<Document xmlns="{NS}pain.001.001.09"><CstmrCdtTrfInitn>'
    "<GrpHdr><MsgId>M1</MsgId><InitgPty><Nm>Treasury Services BV</Nm></InitgPty></GrpHdr>"
    "<PmtInf><PmtInfId>P1</PmtInfId><ReqdExctnDt><Dt>2024-01-03</Dt></ReqdExctnDt>"
    + PTY.format("Dbtr", "Nordtech GmbH", "DE")
    + "<DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>"
    + AGT.format("DbtrAgt", "DEUTDEFFXXX")
    + "<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><Amt><InstdAmt Ccy='EUR'>5.00</InstdAmt></Amt>"
    + AGT.format("CdtrAgt", "EBILAEADXXX")
    + PTY.format("Cdtr", "Gamma General Trading FZE", "AE")
    + "</CdtTrfTxInf><CdtTrfTxInf><PmtId><EndToEndId>E2</EndToEndId></PmtId>"
    + "<Amt><InstdAmt Ccy='EUR'>6.00</InstdAmt></Amt>"
    + PTY.format("Cdtr", "Second Payee", "FR")
    + "</CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>"
)
CAMT053 = (
    f'<Document xmlns="{NS}camt.053.001.08"><BkToCstmrStmt>{HDR}<Stmt><Id>S1</Id>'
    "<Ntry><Amt Ccy='USD'>7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-04</Dt></BookgDt>"
    "<NtryDtls><TxDtls><Refs><EndToEndId>E9</EndToEndId><UETR>u-9</UETR></Refs>"
    "<RltdPties><Dbtr><Pty><Nm>Delta Trade LLP</Nm></Pty></Dbtr>"
    "<UltmtDbtr><Pty><Nm>Ultimate Payer Ltd</Nm></Pty></UltmtDbtr></RltdPties>"
    + "<RltdAgts>"
    + AGT.format("DbtrAgt", "HSBKKZKXXXX")
    + AGT.format("IntrmyAgt1", "CHASUS33XXX")
    + "</RltdAgts>"
    + "</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"
)
CAMT054 = (
    CAMT053.replace("camt.053", "camt.054")
    .replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")
    .replace("Stmt>", "Ntfctn>")
    .replace("<Stmt>", "<Ntfctn>")
)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (PACS009_COV, [{"originator": "Alfa Trade LLC", "beneficiary": "OOO Romashka", "originator_bank": "KICBKG22XXX",
                        "beneficiary_bank": "SABRRUMMXXX", "message_type": "pacs.009.001.08 COV", "uetr": "u-1",
                        "originator_country": "KG", "description": "spare parts"}]),
        (PAIN001, [{"originator": "Nordtech GmbH", "initiating_party": "Treasury Services BV", "beneficiary":
                    "Gamma General Trading FZE", "beneficiary_bank": "EBILAEADXXX", "originator_bank": "DEUTDEFFXXX",
                    "originator_account": "DE89370400440532013000", "value": 5.0, "end_to_end_id": "E1"},
                   {"originator": "Nordtech GmbH", "beneficiary": "Second Payee", "beneficiary_bank": None,
                    "record_id": "M1/2", "value": 6.0}]),
        (CAMT053, [{"originator": "Delta Trade LLP", "ultimate_debtor": "Ultimate Payer Ltd", "intermediary_bank":
                    "CHASUS33XXX", "originator_bank": "HSBKKZKXXXX", "value": 7.0, "uetr": "u-9",
                    "message_type": "camt.053.001.08"}]),
        (CAMT054, [{"originator": "Delta Trade LLP", "message_type": "camt.054.001.08", "end_to_end_id": "E9"}]),
        (CAMT053.replace("</Ntry>", "</Ntry><Ntry><Amt Ccy='EUR'>3.00</Amt><ValDt><Dt>2024-01-05</Dt></ValDt></Ntry>"),
         [{"originator": "Delta Trade LLP", "record_id": "M1/1"},  # an entry without details is a record too
          {"originator": None, "value": 3.0, "currency": "EUR", "record_id": "M1/2", "line": 1}]),
    ],
)  # fmt: skip
def test_families(tmp_path: Path, document: str, expected: list[dict[str, Any]]) -> None:
    records = _read(tmp_path, document)[0]
    assert records.height == len(expected)
    for row, wanted in zip(records.to_dicts(), expected, strict=True):
        assert {k: row[k] for k in wanted} == wanted


@pytest.mark.parametrize(
    ("column", "xpath"),
    [
        ("ultimate_creditor", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/UltmtCdtr"),
        ("intermediary_bank", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/IntrmyAgt1/FinInstnId"),
        ("instructing_agent", "/Document/FIToFICstmrCdtTrf/GrpHdr/InstgAgt/FinInstnId"),
    ],
)
def test_fixture_points_at_the_message(column: str, xpath: str) -> None:
    batch = next(iter_batches(FIXTURES / "pacs008.xml"))
    first = batch.records.row(0, named=True)
    assert (first["record_id"], first["line"], first["end_to_end_id"]) == ("MSG-0001/1", 14, "E2E-1")
    assert json.loads(first["provenance"])["roles"][column] == xpath
    assert batch.notes["reason"].to_list() == [
        "column originator_account: 'DE00370400440532013000' is not an IBAN: wrong check digits"
    ]


FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "messages"
GOOD = PACS009_COV
XXE = '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n' + GOOD.replace("spare parts", "&x;")
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>\n"
    + GOOD.replace("spare parts", "&lol9;")
)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (GOOD.replace("</CdtTrfTxInf>", "</CdtTrfTxInfo>"), "malformed XML"),
        (GOOD.replace("pacs.009.001.08", "pacs.009.001.02"), "unknown message version"),
        (GOOD.replace("<MsgId>M1</MsgId>", ""), "missing mandatory element /Document/FICdtTrf/GrpHdr/MsgId"),
        (GOOD.replace('<IntrBkSttlmAmt Ccy="USD">10.00</IntrBkSttlmAmt>', ""), "IntrBkSttlmAmt (the amount)"),
        (GOOD[:-40], "truncated"),
        (XXE, "DTD"),
        (LAUGHS, "DTD"),
        (GOOD.replace("spare parts", "&x;"), "Entity 'x' not defined"),
        (f'<Document xmlns="{NS}pacs.009.001.08"><FICdtTrf>{HDR}</FICdtTrf></Document>', "no payment in the message"),
    ],
)
def test_bad_messages_are_quarantined(tmp_path: Path, document: str, reason: str) -> None:
    started = time.perf_counter()
    records, quarantine = _read(tmp_path, f"{document}\n{GOOD}")
    assert records.height == 1  # the file's other message is read
    assert quarantine.height == 1
    assert quarantine["line"][0] >= 1
    assert reason in quarantine["reason"][0], quarantine["reason"][0]
    assert time.perf_counter() - started < 5


def test_mt_fixture() -> None:
    batch = next(iter_batches(FIXTURES / "mt103.fin"))
    rows = batch.records.select("record_id", "message_type", "originator", "beneficiary", "beneficiary_bank", "value")
    assert rows.rows() == [
        ("REF0001/1", "MT103", "NORDTECH GMBH", "ALFA TRADE LLC", "KICBKG22XXX", 1200000.0),
        ("REF0002/2", "MT202COV", "ALFA TRADE LLC", "OOO ROMASHKA", "SABRRUMMXXX", 1100000.0),
    ]
    assert batch.quarantine.select("line", "reason").rows() == [(33, "message 3: missing mandatory field :32A:")]


def test_mt_in_a_txt_file_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes((FIXTURES / "mt103.fin").read_bytes())
    assert next(iter_batches(path)).records.height == 2


def _read(tmp_path: Path, text: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the records and quarantine rows of a message file."""
    path = tmp_path / "m.xml"
    path.write_text(text, encoding="utf-8")
    batches = list(iter_batches(path))
    return pl.concat([b.records for b in batches]), pl.concat([b.quarantine for b in batches])


def test_mt_in_a_windows_code_page(tmp_path: Path) -> None:
    text = (FIXTURES / "mt103.fin").read_text(encoding="utf-8").replace("NORDTECH GMBH", "ООО РОМАШКА ТЕХНОЛОГИИ")
    path = tmp_path / "cp1251.fin"
    path.write_bytes(text.encode("cp1251"))
    records = next(iter_batches(path)).records
    assert records["originator"][0] == "ООО РОМАШКА ТЕХНОЛОГИИ"  # read in its code page, not as replaced UTF-8


@pytest.mark.parametrize(
    ("field", "creditor", "debtor", "xpath"),
    [
        (":72:/ULTB/ALMAZ-ANTEY DEFENSE\n//CORPORATION\n", "ALMAZ-ANTEY DEFENSE CORPORATION", None, "{4}:72/ULTB"),
        (":72:/ULTD/NORDTECH HOLDING AG\n/ULTB/OOO VEGA\n", "OOO VEGA", "NORDTECH HOLDING AG", "{4}:72/ULTB"),
        (":72:/INS/DEUTDEFF\n", None, None, None),
        # a line without "//" is other text, not more of the name
        (":72:/ULTB/ACME TRADING LTD\nINVOICE 2023-117 BEARINGS\n", "ACME TRADING LTD", None, "{4}:72/ULTB"),
    ],
)
def test_mt_ultimate_parties_in_field_72(
    tmp_path: Path, field: str, creditor: str | None, debtor: str | None, xpath: str | None
) -> None:
    text = (FIXTURES / "mt103.fin").read_text(encoding="utf-8").replace(":71A:SHA\n", ":71A:SHA\n" + field, 1)
    path = tmp_path / "ult.fin"
    path.write_text(text, encoding="utf-8")
    row = next(iter_batches(path)).records.row(0, named=True)
    assert (row["ultimate_creditor"], row["ultimate_debtor"]) == (creditor, debtor)
    assert json.loads(row["provenance"])["roles"].get("ultimate_creditor") == xpath
