"""Input formats: one registry from which reading, the extensions, sniffing and the help text derive.

A new input format is one entry in :data:`INPUT_FORMATS` and its reader module. An entry gives:

- ``open``: ``(path, ReadOptions) -> [(where, Source), ...]``, the parts of the file to read (one
  but for workbooks); a reader ``open_x(path, batch_rows) -> Source`` enters as ``whole(open_x)``;
- ``extensions``: the file name suffixes, lower case with the dot;
- ``magic``: the signatures the content starts with (raw bytes; for ``text`` formats after a UTF-8
  byte-order mark and white space). A signature wins over the extension: a workbook saved as
  ``.csv`` is read as a workbook;
- ``required``: for a binary format, the message when a file named like it lacks its signature;
- ``label`` and ``description``: the help text and the README table (``screening formats``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from screening.errors import InputError, located
from screening.ingest.csv_reader import open_csv
from screening.ingest.jsonl_reader import open_jsonl
from screening.ingest.messages import open_messages
from screening.ingest.parquet_reader import open_parquet
from screening.ingest.raw import Source
from screening.ingest.xlsx_reader import open_xlsx


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the path: the batch size, a header test, the sheets asked for."""

    batch_rows: int
    known: Callable[[str], bool] = lambda name: False  # names a header cell a known column (finds a header row)
    sheets: Sequence[str] | None = None


Opener = Callable[[Path, ReadOptions], list[tuple[str, Source]]]


def whole(open_file: Callable[[Path, int], Source]) -> Opener:
    """Return the opener of a format read as one part: the reader takes the path and the batch size."""

    def opened(path: Path, options: ReadOptions) -> list[tuple[str, Source]]:
        """Open the file as one part."""
        return [(str(path), open_file(path, options.batch_rows))]

    return opened


def _workbook(path: Path, options: ReadOptions) -> list[tuple[str, Source]]:
    """Open every sheet with a header row (the named sheets, when given)."""
    return open_xlsx(path, options.batch_rows, options.known, options.sheets)


@dataclass(frozen=True)
class InputFormat:
    """One input format: its reader, names, signatures and description."""

    label: str
    description: str
    open: Opener
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...] = ()
    text: bool = False
    required: str | None = None


INPUT_FORMATS: Final[dict[str, InputFormat]] = {
    "csv": InputFormat(
        "CSV",
        "delimited text (comma, semicolon, tab or pipe; the encoding detected); text without an extension",
        whole(open_csv),
        (".csv", ".tsv", ".txt"),
        text=True,
    ),
    "xlsx": InputFormat(
        "Excel",
        "workbooks: every sheet with a header row, or those named with --sheet",
        _workbook,
        (".xlsx", ".xlsm"),
        (b"PK\x03\x04",),
        required="not an Excel .xlsx workbook (no ZIP signature)",
    ),
    "parquet": InputFormat(
        "Parquet",
        "columnar files, read in row groups",
        whole(open_parquet),
        (".parquet", ".pq"),
        (b"PAR1",),
        required="not a Parquet file (no PAR1 signature)",
    ),
    "jsonl": InputFormat(
        "JSON lines",
        "one JSON object per line",
        whole(open_jsonl),
        (".jsonl", ".ndjson", ".json"),
        (b'{"',),
        text=True,
    ),
    "messages": InputFormat(
        "payment messages",
        "ISO 20022 pacs.008/009, pain.001, camt.053/054 XML and SWIFT MT103/MT202 COV, one record per payment",
        whole(open_messages),
        (".xml", ".fin", ".mt", ".mt103", ".mt202"),
        (b"{1:F", b"<?xml", b"<Document"),
        text=True,
    ),
}
EXTENSIONS: Final = {ext: name for name, spec in INPUT_FORMATS.items() for ext in spec.extensions}
SUPPORTED: Final = ", ".join(f"{spec.label} ({', '.join(spec.extensions)})" for spec in INPUT_FORMATS.values())
HEAD_BYTES: Final = 4096  # read to sniff a signature
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # encrypted workbooks and legacy .xls files
_WORKBOOK_SUFFIXES: Final = ("", ".xls", *INPUT_FORMATS["xlsx"].extensions)
_TEXT_START: Final = b"\xef\xbb\xbf \t\r\n"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes) -> str | None:
    """Return the format whose signature the content starts with (the longest wins), or None."""
    text = head.lstrip(_TEXT_START)  # a UTF-8 byte-order mark and white space before a text signature
    found = [
        (len(mark), name)
        for name, spec in INPUT_FORMATS.items()
        for mark in spec.magic
        if (text if spec.text else head).startswith(mark)
    ]
    return max(found)[1] if found else None


def choose_format(where: str, suffix: str, head: bytes) -> str:
    """Return the format to read a file in, from its content's signature or else its extension."""
    named = EXTENSIONS.get(suffix.lower())
    if head.startswith(_OLE_MAGIC) and (named == "xlsx" or suffix.lower() in _WORKBOOK_SUFFIXES):
        raise InputError(located(where, None, "encrypted or legacy (.xls) workbook; save it as plain .xlsx"))
    found = sniff(head)
    if found is not None:
        return found
    if named is None and not suffix and _is_text(head):
        return "csv"
    if named is None:
        shown = f"'{suffix}'" if suffix else "(no extension, and the content has no known signature)"
        raise InputError(located(where, None, f"unsupported format {shown}; supported: {SUPPORTED}"))
    required = INPUT_FORMATS[named].required
    if required is not None:
        raise InputError(located(where, None, required))
    return named


def content_note(where: str, suffix: str, fmt: str) -> tuple[str, ...]:
    """Return the note that a file is read in another format than its extension names (none when it agrees)."""
    if EXTENSIONS.get(suffix.lower()) == fmt:
        return ()
    named = f"not as its extension '{suffix}' names" if suffix else "having no extension"
    return (f"{where}: read as {INPUT_FORMATS[fmt].label} by its content, {named}",)


def _is_text(head: bytes) -> bool:
    """Tell whether the first bytes look like text: a UTF-16 byte-order mark, or no NUL byte."""
    return head.startswith(_UTF16_BOMS) or b"\x00" not in head


def format_table() -> str:
    """Return the Markdown table of the input formats (the README's, checked by a test)."""
    rows = [
        f"| {spec.label} | {', '.join(f'`{e}`' for e in spec.extensions)} | "
        f"{', '.join(_shown(m) for m in spec.magic) or '—'} | {spec.description} |"
        for spec in INPUT_FORMATS.values()
    ]
    return "\n".join(["| Format | Extensions | Signature | Read as |", "|---|---|---|---|", *rows])


def _shown(mark: bytes) -> str:
    """Return a signature as Markdown code, bytes outside printable ASCII as escapes."""
    return f"`{repr(mark)[2:-1]}`"
