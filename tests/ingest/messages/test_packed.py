"""Messages packed for a worker: each message comes back as it was cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.ingest.messages.packed import pack
from screening.ingest.messages.split import split_messages

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "messages"
GOOD = (FIXTURES / "pacs008.xml").read_text(encoding="utf-8")
BROKEN = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        f"{GOOD}\n{BROKEN}\n{GOOD}",  # a truncated message between two good ones: its problem stays
        f"<!DOCTYPE x>{GOOD}\n{GOOD}",  # a refused first message
        "<Document/>",
    ],
)
def test_packed_messages_come_back_as_cut(tmp_path: Path, text: str) -> None:
    path = tmp_path / "m.xml"
    path.write_text(text, encoding="utf-8")
    pieces = list(split_messages(path))
    packed = pack(pieces)
    assert [packed.piece(n) for n in range(len(pieces))] == pieces
    assert packed.data() == [b"" if p.problem else p.data for p in pieces]
    assert any(p.problem for p in pieces) == bool(packed.problems)
