"""Reading delimited list files as text with line numbers and one-line errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from screening.errors import ListError, located
from screening.ingest.encoding import read_text as read_file_text


def read_text(path: Path) -> str:
    """Return a list file's text by the data files' encoding policy, without the trailing end-of-file bytes."""
    return read_file_text(path, ListError, "text list file").rstrip("\x1a\r\n\t ")  # OFAC ends with DOS EOF


def csv_rows(path: Path, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Yield (line, fields) of each non-empty record; raise ListError on broken quoting."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                yield start, fields
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ListError(located(str(path), start, f"broken CSV record ({exc}); is the file truncated?")) from exc


def dict_rows(path: Path, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) keyed by the header; raise ListError on a missing header."""
    rows = csv_rows(path, delimiter)
    first = next(rows, None)
    if first is None:
        raise ListError(located(str(path), 1, "empty file: no header row"))
    header = [h.strip() for h in first[1]]
    for line, fields in rows:
        if len(fields) != len(header):
            reason = f"expected {len(header)} fields, found {len(fields)}"
            yield line, {"__problem__": reason, "__raw__": delimiter.join(fields)}
            continue
        yield line, dict(zip(header, (f.strip() for f in fields), strict=True))
