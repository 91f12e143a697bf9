"""Cutting files into ISO 20022 messages: envelopes, several documents, truncation, DTDs, blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.ingest.messages.split import REFUSED_DTD, TRUNCATED, split_messages

DOC = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><A>{n}</A></Document>'
PREFIXED = '<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><p:A/></p:Document>'


@pytest.mark.parametrize(
    ("text", "expected"),  # expected: (line, problem) per message
    [
        (DOC.format(n=1), [(1, None)]),
        ("<?xml version='1.0'?>\n<Envelope>\n" + DOC.format(n=1) + "\n" + DOC.format(n=2) + "\n</Envelope>\n",
         [(3, None), (4, None)]),
        (DOC.format(n=1) + "\n" + DOC.format(n=2)[:-11] + "\n" + DOC.format(n=3),
         [(1, None), (2, TRUNCATED), (3, None)]),
        (DOC.format(n=1)[:-5], [(1, TRUNCATED)]),
        ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + DOC.format(n=1) + "\n" + DOC.format(n=2),
         [(2, REFUSED_DTD), (3, None)]),
        (PREFIXED + "\n" + PREFIXED, [(1, None), (2, None)]),
        # a DTD read in an earlier block than its message's start tag: the message is refused, cut at its tag
        ("<!DOCTYPE d>\n<!--" + "x" * 80 + "-->\n" + DOC.format(n=1) + "\n" + DOC.format(n=2),
         [(3, REFUSED_DTD), (4, None)]),
        # look-alike tags inside a message, a closing tag with blanks: cut the long way, the same
        (DOC.format(n="<DocumentList/></DocumentX>") + DOC.format(n=2).replace("</Document>", "</Document\n >"),
         [(1, None), (1, None)]),
        ("<Envelope><DocumentList/></Envelope>", []),
    ],
)  # fmt: skip
@pytest.mark.parametrize("block", [7, 1 << 20])
def test_split(tmp_path: Path, text: str, expected: list[tuple[int, str | None]], block: int) -> None:
    path = tmp_path / "m.xml"
    path.write_text(text, encoding="utf-8")
    pieces = list(split_messages(path, block))
    assert [(p.line, p.problem) for p in pieces] == expected
    assert [p.number for p in pieces] == list(range(1, len(expected) + 1))
    for piece in pieces:
        assert text.encode()[piece.offset : piece.offset + len(piece.data)] == piece.data
