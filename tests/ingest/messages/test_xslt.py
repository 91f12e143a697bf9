"""The stylesheet's side: which messages it may read, which it trusts alone, and one line per transaction."""

from __future__ import annotations

import pytest

from screening.ingest.messages.iso20022 import FAMILIES
from screening.ingest.messages.xslt import FIELDS, FS, RS, eligible, ineligible, parses, run_text, write_run

DOC = (
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.{v}"><FIToFICstmrCdtTrf><GrpHdr><MsgId>M</MsgId>'
    "</GrpHdr><CdtTrfTxInf>{tx}</CdtTrfTxInf><CdtTrfTxInf/></FIToFICstmrCdtTrf></Document>"
)


@pytest.mark.parametrize(
    ("tx", "version", "expected"),
    [
        ("<Dbtr><Nm>A</Nm></Dbtr>", "08", True),
        ("<InitgPty><Nm>A</Nm></InitgPty>", "13", True),
        ("<Dbtr><Nm>A</Nm></Dbtr>", "02", True),  # an unknown version writes no line: read one at a time
        ("<CdtrAcct><Id><Othr><Id>1</Id></Othr></Id></CdtrAcct>", "08", False),
        ("<UndrlygCstmrCdtTrf/>", "08", False),
        ("<!-- note -->", "08", False),
        ("<![CDATA[x]]>", "08", False),
        ("<?pi x?>", "08", False),
        ("<Dbtr><Pty><Nm>A</Nm></Pty></Dbtr>", "08", False),
        ("<Dbtr><Nm>A\ue001</Nm></Dbtr>", "08", False),  # a separator in a text
        ("<Dbtr><Nm>A&#xE000;</Nm></Dbtr>", "08", False),
        ("<Dbtr><Nm>A&#57346;</Nm></Dbtr>", "08", False),
        ("<Dbtr><Nm>A&#233;\ue003</Nm></Dbtr>", "08", True),
    ],
)
def test_eligible(tx: str, version: str, expected: bool) -> None:
    assert eligible(DOC.format(v=version, tx=tx).encode()) is expected


@pytest.mark.parametrize(
    "txs",
    [
        ["", "<Othr/>", "", "<Othr/><Othr/>"],
        ["<?pi x?>", "", "<Nm>A&#xE000;</Nm>", "<!-- c -->", "<![CDATA[x]]>", ""],
        ["", "<Nm>A\ue001</Nm>", "<Dbtr><Pty/></Dbtr>", "<x:Pty/>", "<UndrlygCstmrCdtTrf/>", "<Nm>?!#&#233;</Nm>"],
        ["", "", ""],
    ],
)
def test_a_run_searched_once_finds_the_messages_searched_one_by_one(txs: list[str]) -> None:
    messages = [DOC.format(v="08", tx=tx).encode() for tx in txs]
    assert ineligible(messages, b"".join(messages)) == {n for n, m in enumerate(messages) if not eligible(m)}


@pytest.mark.parametrize(
    ("tx", "expected"),
    [
        ("<Dbtr><Nm>A</Nm></Dbtr>", True),
        ("<Dbtr><Nm>A</Dbtr>", False),
        ("<Dbtr><Nm>&x;</Nm></Dbtr>", False),
    ],
)
def test_parses(tx: str, expected: bool) -> None:
    assert parses(DOC.format(v="08", tx=tx).encode()) is expected


@pytest.mark.parametrize(
    ("txs", "chosen"),
    [
        (["", "<Nm>", ""], [0, 2]),  # a malformed message is left out, the run written without it
        (["", "<Nm>A\ue000</Nm>", "<!-- c -->", ""], [0, 3]),
        (["<Nm>", "<Nm>"], None),
    ],
)
def test_write_run(txs: list[str], chosen: list[int] | None) -> None:
    written = write_run([DOC.format(v="08", tx=tx).encode() for tx in txs])
    assert (written.chosen if written is not None else None) == chosen


@pytest.mark.parametrize(
    ("messages", "lines"),
    [
        ([DOC.format(v="08", tx="")], 2),
        ([DOC.format(v="08", tx=""), DOC.format(v="09", tx="\n")], 4),
        ([DOC.format(v="08", tx=""), DOC.format(v="08", tx="<Nm>")], None),
    ],
)
def test_run_text(messages: list[str], lines: int | None) -> None:
    written = run_text([m.encode() for m in messages])
    if lines is None:
        assert written is None
        return
    assert written is not None
    text, starts = written
    assert starts == [1, 1 + messages[0].count("\n")][: len(messages)]
    assert [line.count(FS) for line in text.split(RS)[:-1]] == [len(FIELDS) - 1] * lines


@pytest.mark.parametrize(("column", "kind", "base", "tag"), FAMILIES["pacs.008"].roles)
def test_stylesheet_reads_every_role_of_the_element_walk(column: str, kind: str, base: str, tag: str) -> None:
    first = {"party": "Nm", "agent": "FinInstnId/BICFI", "account": "Id/IBAN"}[kind]
    name = {"tx": column, "group": f"{column}.group"}[base]
    if base == "tx" and f"{column}.group@" in FIELDS:  # a header agent the transaction may name too
        name = f"{column}.tx"
    assert f"{name}@" in FIELDS
    assert f"{name}:{first}" in FIELDS
