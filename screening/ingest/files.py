"""File checks before reading: existence, emptiness, format by extension and magic bytes."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import Final, Literal

from screening.errors import InputError, located

Format = Literal["csv", "xlsx", "parquet", "jsonl", "messages"]

EXTENSIONS: Final[dict[str, Format]] = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "jsonl", ".xml": "messages", ".fin": "messages", ".mt": "messages", ".mt103": "messages",
    ".mt202": "messages",
}  # fmt: skip
SUPPORTED: Final = (
    "CSV (.csv, .tsv, .txt), Excel (.xlsx, .xlsm), Parquet (.parquet, .pq), "
    "JSON lines (.jsonl, .ndjson, .json), payment messages (.xml ISO 20022; .fin, .mt, .txt SWIFT MT)"
)
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # encrypted workbooks and legacy .xls files
_SPECIAL: Final = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def require_regular(path: Path) -> None:
    """Refuse anything but a regular file, links followed: a pipe or a device such as /dev/zero never ends."""
    where = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise InputError(located(where, None, "file not found")) from exc
    except OSError as exc:
        raise InputError(located(where, None, f"cannot read file: {exc.strerror}")) from exc
    if stat.S_ISDIR(mode):
        raise InputError(located(where, None, f"is a directory, expected a file in {SUPPORTED}"))
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
        raise InputError(located(where, None, f"is {kind}, not a regular file; save the data to a file first"))


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a regular file's bytes (checked first: hashing a pipe would never end)."""
    require_regular(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(located(str(path), None, f"cannot read file: {exc.strerror}")) from exc
    return digest.hexdigest()


def check_file(path: Path) -> Format:
    """Return the format of a readable, non-empty file; raise InputError otherwise."""
    where = str(path)
    require_regular(path)
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            located(where, None, f"unsupported format '{path.suffix}'; supported: {SUPPORTED}")
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(located(where, None, f"cannot read file: {exc.strerror}")) from exc
    if not head:
        raise InputError(located(where, None, "file is empty"))
    _check_magic(where, fmt, head)
    return fmt


def _check_magic(where: str, fmt: Format, head: bytes) -> None:
    """Raise InputError when the first bytes contradict the format the extension promises."""
    if fmt == "xlsx" and head.startswith(_OLE_MAGIC):
        raise InputError(
            located(where, None, "encrypted or legacy (.xls) workbook; save it as plain .xlsx")
        )
    if fmt == "xlsx" and not head.startswith(b"PK"):
        raise InputError(located(where, None, "not an Excel .xlsx workbook (no ZIP signature)"))
    if fmt == "parquet" and not head.startswith(b"PAR1"):
        raise InputError(located(where, None, "not a Parquet file (no PAR1 signature)"))
