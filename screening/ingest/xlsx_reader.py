"""Excel (.xlsx) reading with openpyxl in read-only mode.

The header row is the row among the first 30 of a sheet with the most cells that name a known
column (title rows above it are skipped); the first sheet with such a row is read. Cells become
text: integral floats lose their ``.0`` (Excel stores every number as a float), date cells become
ISO dates, a leading apostrophe (Excel's text marker) is dropped. Fully empty rows are skipped
and are not counted as rows; each record keeps its Excel row number as its line.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final

import openpyxl
import polars as pl

from screening.errors import InputError, located
from screening.ingest.raw import LINE, RawBatch, Source, no_rejects, unique_names

HEADER_SEARCH_ROWS: Final = 30


def open_xlsx(path: Path, batch_rows: int, known: Callable[[str], bool]) -> Source:
    """Open a workbook and find its header row; raise InputError when there is none."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(located(str(path), None, f"corrupt workbook: {exc}")) from exc
    for sheet in book.worksheets:
        found = _find_header(sheet, known)
        if found is not None:
            header_row, names = found
            return Source(columns=names, read=_reader(sheet, header_row, names, batch_rows))
    raise InputError(
        located(
            str(path),
            None,
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows of any sheet; "
            "name the columns (e.g. hs_code, description, shipper, consignee) or use --mapping",
        )
    )


def _find_header(sheet: Any, known: Callable[[str], bool]) -> tuple[int, list[str]] | None:
    """Return the row number and names of the row with the most known column names."""
    best: tuple[int, int, list[str]] | None = None
    rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
    for number, row in enumerate(rows, start=1):
        names = [cell_text(v) or "" for v in row]
        score = sum(known(n) for n in names if n)
        if score and (best is None or score > best[0]):
            best = (score, number, names)
    if best is None:
        return None
    while best[2] and not best[2][-1]:
        best[2].pop()
    return best[1], unique_names(best[2])


def _reader(
    sheet: Any, header_row: int, names: list[str], batch_rows: int
) -> Callable[[list[str]], Iterator[RawBatch]]:
    """Return a reader of the rows below the header, in batches."""

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of non-empty rows with their Excel row numbers."""
        width = len(names)
        rows: list[list[str | None]] = []
        lines: list[int] = []
        cells = sheet.iter_rows(min_row=header_row + 1, values_only=True)
        for number, row in enumerate(cells, start=header_row + 1):
            texts = [cell_text(v) for v in row[:width]]
            if any(texts):
                rows.append(texts + [None] * (width - len(texts)))
                lines.append(number)
            if len(rows) == batch_rows:
                yield _batch(rows, lines, names)
                rows, lines = [], []
        if rows or not lines:
            yield _batch(rows, lines, names)

    return read


def _batch(rows: list[list[str | None]], lines: list[int], names: list[str]) -> RawBatch:
    """Return a raw batch from rows of cell texts."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String()), orient="row")
    return RawBatch(frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64)), no_rejects())


def cell_text(value: object) -> str | None:
    """Return a cell's value as text, as a person reading the sheet would write it."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return (text[1:] if text.startswith("'") else text) or None
