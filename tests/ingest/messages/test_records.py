"""pacs.008 messages read by the stylesheet: the same records as read one at a time, or left to that reader."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.ingest.messages.records import read_fast, split_lines
from screening.ingest.messages.rows import iso_rows, rows_frame
from screening.ingest.messages.split import Piece, split_messages
from screening.ingest.messages.xslt import FIELDS, FS, RS

NS = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001."
AGT = "<{0}><FinInstnId>{1}</FinInstnId></{0}>"
TX = (
    '<PmtId><EndToEndId> E </EndToEndId><UETR>u</UETR></PmtId><IntrBkSttlmAmt Ccy="USD"> 1.00 </IntrBkSttlmAmt>'
    "<Dbtr><Nm>A &amp; B</Nm><PstlAdr><Ctry>DE</Ctry></PstlAdr></Dbtr>"
    + AGT.format("DbtrAgt", "<BICFI>DEUTDEFF</BICFI>")
    + AGT.format("CdtrAgt", "<BIC>KICBKG22</BIC><Nm>Kicb</Nm>")
    + "<Cdtr><Nm>C</Nm><CtryOfRes>KG</CtryOfRes></Cdtr>"
)
AMOUNT = '<IntrBkSttlmAmt Ccy="USD"> 1.00 </IntrBkSttlmAmt>'
MORE = (
    "<RmtInf><Ustrd>a</Ustrd><Ustrd> b </Ustrd><Strd><AddtlRmtInf>a</AddtlRmtInf><CdtrRefInf><Ref>R</Ref>"
    "</CdtrRefInf></Strd></RmtInf><RmtInf><Ustrd>c HS 8542.31</Ustrd></RmtInf><Purp><Prtry>GDS</Prtry></Purp>"
    "<InstrForCdtrAgt><InstrInf>call</InstrInf></InstrForCdtrAgt><UltmtDbtr/><InitgPty><Nm>I</Nm></InitgPty>"
    + AGT.format("IntrmyAgt1", "")
    + AGT.format("IntrmyAgt2", "<LEI>L2</LEI>")
    + AGT.format("PrvsInstgAgt1", "<BICFI>FFFFAEAD</BICFI>")
    + "<DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct><CdtrAcct><Id><IBAN> </IBAN></Id></CdtrAcct>"
)
ULTIMATE = (
    "<UltmtDbtr><Nm>U</Nm><CtryOfRes>KZ</CtryOfRes></UltmtDbtr><InitgPty><Nm>I</Nm><PstlAdr><Ctry>BY</Ctry>"
    "</PstlAdr></InitgPty><UltmtCdtr><Nm>Uralsk AO</Nm><PstlAdr><Ctry>RU</Ctry></PstlAdr></UltmtCdtr>"
)
HEADER_AGENTS = AGT.format("InstgAgt", "<BICFI>AAAADEFF</BICFI>") + AGT.format(
    "InstdAgt", "<Nm>Bank X</Nm><ClrSysMmbId><MmbId>123</MmbId></ClrSysMmbId>"
)


def message(*transactions: str, header: str = "", version: int = 8, msg_id: str = "M1") -> str:
    """Return a pacs.008 message of the transactions."""
    txs = "".join(f"<CdtTrfTxInf>{t}</CdtTrfTxInf>" for t in transactions)
    head = f"<GrpHdr><MsgId>{msg_id}</MsgId><NbOfTxs>1</NbOfTxs>{header}</GrpHdr>"
    return f'<Document xmlns="{NS}{version:02d}"><FIToFICstmrCdtTrf>{head}{txs}</FIToFICstmrCdtTrf></Document>'


@pytest.mark.parametrize(
    ("document", "fast"),
    [
        (message(TX), True),
        (message(TX, version=13), True),
        (message(TX + MORE), True),
        (message(TX + ULTIMATE), True),
        (message(TX, TX.replace("USD", "EUR") + AGT.format("InstgAgt", "<BICFI>BBBBDEFF</BICFI>"),
                 header=HEADER_AGENTS + "<IntrBkSttlmDt>2024-01-01</IntrBkSttlmDt>"), True),
        (message(TX + AGT.format("InstgAgt", "<BICFI>AAAADEFF</BICFI>") + AGT.format("InstdAgt", "<BICFI>D</BICFI>"),
                 header=AGT.format("InstdAgt", "<BICFI>AAAADEFF</BICFI>")), True),
        (message(TX.replace(AMOUNT, "<InstdAmt>5</InstdAmt>")), True),
        (message(TX.replace(AMOUNT, '<IntrBkSttlmAmt Ccy="USD"> </IntrBkSttlmAmt><InstdAmt Ccy=" X ">5</InstdAmt>')),
         True),
        (message(TX.replace("<Nm>C</Nm>", "<Nm> </Nm><Id><OrgId><AnyBIC>ZZZZRUMM</AnyBIC><LEI>LL</LEI></OrgId></Id>")),
         True),
        (message(TX.replace("<Dbtr>", "<Dbtr><Nm>Q<x/>R</Nm>")), True),
        (message(TX).replace("<CdtTrfTxInf>", "<CdtTrfTxInf\n >").replace("<Dbtr>", "\n<Dbtr>\n"), True),
        (message(TX.replace("<Nm>C</Nm>", "<Nm> </Nm>")), False),  # no beneficiary: quarantined one at a time
        (message(TX, TX.replace("<Nm>C</Nm>", ""), TX), False),
        (message(TX, msg_id=" "), False),
        (message(TX.replace(AMOUNT, "")), False),
        (message(), False),
        (message(TX, version=14), False),
        (message(TX + "<CdtrAcct><Id><Othr><Id>1</Id></Othr></Id></CdtrAcct>"), False),
        (message(TX.replace("A &amp; B", "A <!-- c --> B")), False),
        (message(TX.replace("<Nm>C</Nm>", "<Nm>C\ue000x</Nm>")), False),  # a separator in a text
        (message(TX).replace("</CdtTrfTxInf>", "</CdtTrfTxInfo>"), False),  # malformed
    ],
)  # fmt: skip
def test_the_stylesheet_reads_as_one_at_a_time(tmp_path: Path, document: str, fast: bool) -> None:
    good = message(TX.replace("A &amp; B", "Other"), msg_id="M0")
    path = tmp_path / "m.xml"
    path.write_text(f"<Envelope>\n{good}\n{document}\n{good}\n</Envelope>\n", encoding="utf-8")
    pieces = list(split_messages(path))
    frame, done = read_fast(pieces)
    assert done == ({0, 1, 2} if fast else {0, 2})
    assert frame is not None
    slow = rows_frame([{**row, "__message__": p.number, "__seq__": n + 1} for p in pieces for n, row in _rows(p)])
    assert frame.equals(slow.filter(pl.col("__message__").is_in([pieces[n].number for n in done])))


def _rows(piece: Piece) -> list[tuple[int, dict[str, object]]]:
    """Return a message's rows read one at a time, numbered."""
    return list(enumerate(iso_rows(piece)[0]))


def test_ultimate_parties_keep_their_countries(tmp_path: Path) -> None:
    """The ultimate parties' and the initiating party's countries are kept, by either reader."""
    path = tmp_path / "m.xml"
    path.write_text(message(TX + ULTIMATE), encoding="utf-8")
    pieces = list(split_messages(path))
    frame, _ = read_fast(pieces)
    slow = rows_frame([{**row, "__message__": p.number, "__seq__": n + 1} for p in pieces for n, row in _rows(p)])
    columns = ("ultimate_debtor_country", "ultimate_creditor_country", "initiating_party_country")
    for read in (frame, slow):
        assert read is not None
        assert read.select(columns).row(0) == ("KZ", "RU", "BY")


@pytest.mark.parametrize(
    ("extra", "trusted"),
    [(0, True), (1, False), (-1, False)],
)
def test_split_lines_trusts_only_lines_of_every_field(extra: int, trusted: bool) -> None:
    fields = ["1", "1", "", *[" x "] * (len(FIELDS) - 3 + extra)]
    frame = split_lines(FS.join(fields) + RS)
    assert (frame is not None) == trusted
    assert frame is None or (frame.height, frame["sourceline"][0], frame[FIELDS[-1]][0]) == (1, None, "x")
