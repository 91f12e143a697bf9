"""File checks before reading: existence, emptiness, and the format (:mod:`screening.ingest.formats`)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import Final

from screening.errors import InputError, located
from screening.ingest.formats import EXTENSIONS, HEAD_BYTES, SUPPORTED, choose_format

__all__ = ["EXTENSIONS", "SUPPORTED", "check_file", "file_sha256", "require_regular"]
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


def check_file(path: Path) -> str:
    """Return the name of the format to read a readable, non-empty file in; raise InputError otherwise."""
    where = str(path)
    require_regular(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(located(where, None, f"cannot read file: {exc.strerror}")) from exc
    if not head:
        raise InputError(located(where, None, "file is empty"))
    return choose_format(where, path.suffix, head)
