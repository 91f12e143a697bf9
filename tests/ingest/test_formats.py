"""The input-format registry: extensions, signatures that win over a lying or missing extension, the README table."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from screening.errors import InputError
from screening.ingest import iter_batches, read_records
from screening.ingest.files import check_file
from screening.ingest.formats import EXTENSIONS, INPUT_FORMATS, SUPPORTED, format_table, sniff

README = Path(__file__).resolve().parents[2] / "README.md"
CSV = b"id,hs_code,consignee\nT1,854231,Alpha\n"
JSONL = b'{"id": "T1", "hs_code": "854231", "consignee": "Alpha"}\n'


def _workbook() -> bytes:
    """Return the bytes of a one-row workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "hs_code", "consignee"])
    sheet.append(["T1", "854231", "Alpha"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parquet() -> bytes:
    """Return the bytes of a one-row Parquet file."""
    buffer = io.BytesIO()
    pl.DataFrame({"id": ["T1"], "hs_code": ["854231"], "consignee": ["Alpha"]}).write_parquet(buffer)
    return buffer.getvalue()


CONTENT = {"csv": CSV, "jsonl": JSONL, "xlsx": _workbook(), "parquet": _parquet()}


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("ledger.csv", "csv", "csv"),
    ("ledger.TSV", "csv", "csv"),
    ("ledger.json", "jsonl", "jsonl"),
    ("book.xlsx", "xlsx", "xlsx"),
    ("data.pq", "parquet", "parquet"),
    ("book.csv", "xlsx", "xlsx"),  # the extension lies: a workbook saved as .csv
    ("book.xls", "xlsx", "xlsx"),  # a server's export named .xls that is a modern workbook
    ("data.csv", "parquet", "parquet"),
    ("data.dat", "parquet", "parquet"),
    ("lines.txt", "jsonl", "jsonl"),
    ("export", "xlsx", "xlsx"),  # no extension: the content decides
    ("export", "parquet", "parquet"),
    ("export", "jsonl", "jsonl"),
    ("export", "csv", "csv"),  # text without a signature and no extension is CSV
])  # fmt: skip
def test_the_format_is_the_signature_or_else_the_extension(tmp_path: Path, name: str, content: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(CONTENT[content])
    assert check_file(path) == fmt
    result = read_records(path)
    assert (result.rows_read, result.records["consignee"].to_list()) == (1, ["Alpha"])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("book.xlsx", CSV, "not an Excel .xlsx workbook (no ZIP signature)"),
    ("data.parquet", CSV, "not a Parquet file (no PAR1 signature)"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "encrypted or legacy (.xls) workbook; save it as plain .xlsx"),
    ("old", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "encrypted or legacy (.xls) workbook; save it as plain .xlsx"),
    ("notes.doc", b"plain words", f"unsupported format '.doc'; supported: {SUPPORTED}"),
    ("blob", b"\x00\x01\x02\x03", "unsupported format (no extension, and the content has no known signature)"),
])  # fmt: skip
def test_unreadable_formats_are_one_line_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        check_file(path)
    assert str(caught.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize(("head", "fmt"), [
    (b"PK\x03\x04rest", "xlsx"),
    (b"PAR1\x15\x04", "parquet"),
    (b'\xef\xbb\xbf  {"id": 1}', "jsonl"),  # a byte-order mark and white space before a text signature
    (b'\n{"id": 1}', "jsonl"),
    (b"id,name\n", None),
    (b"\xff\xfei\x00d\x00", None),  # UTF-16 text has no signature: the extension decides
    (b" PK\x03\x04", None),  # binary signatures count only at the first byte
])  # fmt: skip
def test_sniff(head: bytes, fmt: str | None) -> None:
    assert sniff(head) == fmt


@pytest.mark.parametrize("name", list(INPUT_FORMATS))
def test_every_extension_belongs_to_one_format(name: str) -> None:
    for ext in INPUT_FORMATS[name].extensions:
        assert ext == ext.lower() and ext.startswith(".") and EXTENSIONS[ext] == name
        assert ext in SUPPORTED


@pytest.mark.parametrize(
    ("name", "content", "note"),
    [
        ("ledger.csv", "csv", None),
        ("book.xlsx", "xlsx", None),
        ("book.csv", "xlsx", "read as Excel by its content, not as its extension '.csv' names"),
        ("export", "csv", "read as CSV by its content, having no extension"),
        ("export", "parquet", "read as Parquet by its content, having no extension"),
    ],
)
def test_a_file_read_against_its_extension_says_so_once(
    tmp_path: Path, name: str, content: str, note: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(CONTENT[content])
    messages = [m for batch in iter_batches(path) for m in batch.messages]
    assert messages == ([f"{path}: {note}"] if note else [])


def test_the_readme_lists_the_registered_input_formats() -> None:
    assert format_table() in README.read_text(encoding="utf-8"), "README: paste `screening formats --markdown`"
