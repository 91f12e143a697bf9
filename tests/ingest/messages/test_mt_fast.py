"""The MT103 fast path gives the records the one-message-at-a-time reader gives, and leaves it the rest."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.ingest import iter_batches
from screening.ingest.messages.mt import MtPiece, split_mt
from screening.ingest.messages.mt_fast import mt_records, plain
from screening.ingest.messages.rows import MESSAGE, SEQ, mt_rows, rows_frame
from screening.synth.messages import ledger_payments, write_messages

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "messages"
HEAD = "{1:F01DEUTDEFFAXXX0000000000}{2:I103KICBKG22XXXXN}{3:{108:MUR1}{121:uetr-1}}{4:\n"
# an MT202 COV: sequence A (banks), then the customer transfer (sequence B) from field 50a on
COV = (
    ":20:REF2\n:21:REF1\n:32A:230410USD1100,\n:52A:KICBKG22XXX\n:56A:CHASUS33\n:58A:SABRRUMMXXX\n"
    ":50K:/40702810000000099999\nALFA TRADE LLC\n:52A:DEUTDEFF\n:59:/4070\nOOO ROMASHKA\n:70:CONTRACT 5\n:72:/BNF/X\n"
)
BODY = ":20:REF1\n:32A:230403USD1200,00\n:50K:/DE89370400440532013000\nNORDTECH GMBH\n:59:OOO ROMASHKA\n"


def _slow(pieces: list[MtPiece]) -> pl.DataFrame:
    """Return the records the one-message-at-a-time reader gives."""
    rows = [{**row, MESSAGE: p.number, SEQ: 0} for p in pieces for row in mt_rows(p)[0]]
    return rows_frame(rows)


def _same(pieces: list[MtPiece]) -> set[int]:
    """Assert the fast path's records equal the slow reader's for the messages it reads; return those it leaves."""
    fast, left = mt_records(pieces)
    read = [p for n, p in enumerate(pieces) if n not in left]
    assert fast.equals(_slow(read))
    return left


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (HEAD + BODY + "-}", False),
        (HEAD + BODY + ":52A:/12345\nKICBKG22XXX\n:56A:CHASUS33\n:57A:SABRRUMMXXX\n-}", False),
        (HEAD + BODY + ":52D:DEUTDEFF\n:70:INVOICE 7\nBALL BEARINGS\n:72:/ACC/NOTE\n-}", False),  # a lone BIC line
        (HEAD + BODY + ":50A:COBADEFF\n:52A:\n:21:E2E\n:70:ONE\n:70:TWO\n-}", False),  # repeats: the first is kept
        (HEAD + ":20: REF2 \n:32A:230403EUR5,\n:59A:/1\nSABRRUMM\nMORE\n-}", False),  # option A takes its first line
        (HEAD.replace("{3:{108:MUR1}{121:uetr-1}}", "") + BODY + "-}", False),  # no block 3: no UETR
        (HEAD.replace("I103KICBKG22XXXXN", "O1031200230403KICBKG22AXXX0000000000") + BODY + "-}", False),
        (HEAD + ":32A:230403USD1200,00\n:59:X\n-}", True),  # no field 20
        (HEAD + ":20:R\n:32A:23-04-03USD1\n:59:X\n-}", True),  # 32A not of its shape
        (HEAD + BODY, True),  # block 4 not closed
        (HEAD.replace("I103", "I202") + BODY + "-}", False),
        (HEAD.replace("I103", "I202") + ":20:R\n:21:E\n:32A:230403USD1,\n:52A:KICBKG22\n:58A:SABRRUMM\n-}", False),
        (HEAD.replace("I103", "I202").replace("{108:MUR1}", "{119:COV}") + COV + "-}", False),
        (HEAD.replace("I103", "I202").replace("{108:MUR1}", "{119:COV}") + COV + ":57A:COBADEFF\n-}", False),
        (HEAD.replace("I103", "I202").replace("{108:MUR1}", "{119:COV}") + COV + ":59:OTHER\n-}", True),  # B: 59 twice
        (HEAD.replace("I103", "I202").replace("{108:MUR1}", "{119:COV}{119:STP}") + COV + "-}", False),  # the last 119
        (HEAD.replace("I103", "I999") + BODY + "-}", True),
        ("{2:I103KICBKG22XXXXN}{4:\n" + BODY + "-}", True),  # no block 1
    ],
)
def test_fast_path_reads_as_the_slow_reader(text: str, left: bool) -> None:
    pieces = [MtPiece(1, 0, 1, HEAD + BODY + "-}"), MtPiece(2, 90, 8, text)]
    assert plain(text)
    assert _same(pieces) == ({1} if left else set())


@pytest.mark.parametrize(
    "text",
    [
        HEAD + BODY + ":50F:/1\n1/ALFA TRADE LLC\n3/KG/BISHKEK\n-}",
        HEAD + BODY + ":70:/ULTD/OOO ROMASHKA\n-}",
        HEAD + BODY.replace("\n", "\r\n") + "-}",
    ],
)
def test_what_the_fast_path_does_not_read_is_not_plain(text: str) -> None:
    assert not plain(text)


@pytest.mark.parametrize("source", ["fixture", "synthetic"])
def test_fast_path_on_files(tmp_path: Path, source: str) -> None:
    path = FIXTURES / "mt103.fin"
    if source == "synthetic":
        frame, _ = ledger_payments(3_000, 7, "mt103")
        path = tmp_path / "payments.fin"
        write_messages(frame, path, "mt103")
    pieces = [p for p in split_mt(path) if plain(p.text)]
    left = _same(pieces)
    assert len(left) < len(pieces)
    assert all(mt_rows(pieces[n])[1] for n in left)  # what it leaves, the slow reader quarantines


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (HEAD + "no fields here\n-}", "block 4 (the message text) holds no field"),
        (HEAD + "-}", "truncated: block 4"),
        (HEAD + BODY, "truncated: block 4"),
    ],
)
def test_a_message_without_fields_is_rejected_not_a_crash(text: str, reason: str) -> None:
    rows, rejects = mt_rows(MtPiece(3, 0, 5, text))
    assert rows == [] and len(rejects) == 1
    assert rejects[0][0] == 5 and reason in rejects[0][1]


@pytest.mark.parametrize(
    ("remittance", "description"),
    [
        (":70:INV 1\nGOODS\n", "INV 1 GOODS"),
        (":70:INV 1\r\nGOODS\r\n", "INV 1 GOODS"),
        (":70:INV 1\rGOODS\n:72:/ACC/X\r\n", "INV 1 GOODS | /ACC/X"),
    ],
)
def test_remittance_lines_join_with_no_carriage_return(remittance: str, description: str) -> None:
    rows, _ = mt_rows(MtPiece(1, 0, 1, HEAD + BODY + remittance + "-}"))
    assert rows[0]["description"] == description


@pytest.mark.parametrize("source", ["fixture", "synthetic"])
def test_a_crlf_file_reads_as_its_lf_copy_by_the_fast_path(tmp_path: Path, source: str) -> None:
    lf = FIXTURES / "mt103.fin"
    if source == "synthetic":
        frame, _ = ledger_payments(3_000, 7, "mt103")
        lf = tmp_path / "payments.fin"
        write_messages(frame, lf, "mt103")
    crlf = tmp_path / "crlf.fin"
    crlf.write_bytes(lf.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    ends, crlf_ends = (list(split_mt(path)) for path in (lf, crlf))
    assert [p.text for p in crlf_ends] == [p.text for p in ends]  # so as many take the fast path
    assert [p.line for p in crlf_ends] == [p.line for p in ends]
    text = crlf.read_bytes().decode("utf-8")
    assert all(text.startswith("{1:", p.offset) for p in crlf_ends)  # the offsets are the CRLF file's own
    unplaced = pl.col("provenance").str.replace(r'^\{"offset":\d+,', "{")
    want, got = (pl.concat(b.records for b in iter_batches(path)).drop("source_file") for path in (lf, crlf))
    assert got.with_columns(unplaced).equals(want.with_columns(unplaced))
