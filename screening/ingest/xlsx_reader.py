"""Excel (.xlsx) reading with openpyxl in read-only mode.

The header row is the row among the first 30 of a sheet with the most cells that name a known
column (title rows above it are skipped); every sheet with such a row is read, each as its own
source (``book.xlsx#Sheet2`` in quarantine rows and hits once more than one sheet is read). A value
merged over several cells reaches every cell it covers (:mod:`screening.ingest.xlsx_merged`). Cells become
text: integral floats lose their ``.0`` (Excel stores every number as a float), date cells become
ISO dates, a leading apostrophe (Excel's text marker) is dropped. Fully empty rows are skipped
and are not counted as rows; each record keeps its Excel row number as its line.

A workbook is a ZIP archive, and a small one can inflate to gigabytes (a "zip bomb"). Before
openpyxl reads anything, the archive's entries are checked: at most ``MAX_UNZIPPED`` bytes in all
(``$SCREENING_XLSX_MAX_BYTES``) and no entry over 1 MiB inflating more than ``MAX_RATIO``-fold
(``$SCREENING_XLSX_MAX_RATIO``); Python's zipfile never inflates an entry past its declared size.
A cell longer than Excel's own limit, ``MAX_CELL_CHARS`` (``$SCREENING_XLSX_MAX_CELL``), puts its
row in quarantine with the sheet and cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO, Final

import openpyxl
import polars as pl
from openpyxl.utils import get_column_letter

from screening.errors import InputError, located
from screening.ingest.raw import LINE, RawBatch, Source, no_rejects, unique_names
from screening.ingest.unmapped import MAPPING_HINT, data_cells, shown
from screening.ingest.xlsx_merged import sheet_extras
from screening.limits import limit
from screening.schema import QUARANTINE_COLUMNS

HEADER_SEARCH_ROWS: Final = 30
BYTES_ENV: Final = "SCREENING_XLSX_MAX_BYTES"
RATIO_ENV: Final = "SCREENING_XLSX_MAX_RATIO"
CELL_ENV: Final = "SCREENING_XLSX_MAX_CELL"
MAX_UNZIPPED: Final = 1 << 30
MAX_RATIO: Final = 200  # sheet XML compresses 5- to 30-fold; bombs inflate a thousandfold and more
MAX_CELL_CHARS: Final = 32_767  # Excel's own limit on a cell's text
_RATIO_FLOOR: Final = 1 << 20  # small entries may compress as well as they like


def open_xlsx(
    path: Path, batch_rows: int, known: Callable[[str], bool], sheets: Sequence[str] | None = None
) -> list[tuple[str, Source]]:
    """Open a workbook and return each sheet (of ``sheets`` when named) with a header row as (where, source)."""
    check_archive(path)
    try:
        book = openpyxl.load_workbook(_named_or_open(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(located(str(path), None, f"corrupt workbook: {exc}")) from exc
    chosen = _chosen_sheets(path, book, sheets)
    found = [(sheet, header) for sheet in chosen if (header := _find_header(sheet, known)) is not None]
    if sheets and len(found) < len(chosen):
        bare = next(sheet.title for sheet in chosen if sheet.title not in {s.title for s, _ in found})
        message = f"sheet '{bare}' has no header row in its first {HEADER_SEARCH_ROWS} rows; name its columns"
        raise InputError(located(str(path), None, message))
    if found:
        return [
            (
                str(path) if len(found) == 1 else f"{path}#{sheet.title}",
                Source(columns=names, read=_reader(path, sheet, row, names, batch_rows)),
            )
            for sheet, (row, names) in found
        ]
    raise InputError(located(str(path), None, _no_header(chosen[0] if chosen else None)))


def _chosen_sheets(path: Path, book: Any, sheets: Sequence[str] | None) -> list[Any]:
    """Return the named sheets in the order named, or every sheet; raise InputError for a name the book lacks."""
    if not sheets:
        return list(book.worksheets)
    titles = [sheet.title for sheet in book.worksheets]
    unknown = [name for name in sheets if name not in titles]
    if unknown:
        listed = ", ".join(f"'{t}'" for t in titles)
        raise InputError(located(str(path), None, f"no sheet named '{unknown[0]}'; the workbook's sheets: {listed}"))
    return [book[name] for name in dict.fromkeys(sheets)]


def _named_or_open(path: Path) -> Path | BinaryIO:
    """Return the path, or the open file when its name is no workbook's (openpyxl refuses a .csv by its name)."""
    return path if path.suffix.lower() in (".xlsx", ".xlsm") else path.open("rb")  # kept open by the book


def check_archive(path: Path) -> None:
    """Refuse a workbook whose ZIP entries inflate past the limits, before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(located(str(path), None, f"corrupt workbook: {exc}")) from exc
    cap, ratio = limit(BYTES_ENV, MAX_UNZIPPED), limit(RATIO_ENV, MAX_RATIO)
    total = sum(entry.file_size for entry in entries)
    if total > cap:
        raise InputError(
            located(str(path), None, f"workbook unzips to {total:,} bytes, over the limit {cap:,} (${BYTES_ENV})")
        )
    for entry in entries:
        if entry.file_size > _RATIO_FLOOR and entry.file_size > ratio * max(entry.compress_size, 1):
            raise InputError(
                located(
                    str(path),
                    None,
                    f"{entry.filename} inflates {entry.file_size / max(entry.compress_size, 1):,.0f}-fold "
                    f"to {entry.file_size:,} bytes, over the limit {ratio}-fold (${RATIO_ENV}); a zip bomb?",
                )
            )


def _no_header(sheet: Any) -> str:
    """Return the message for a workbook with no header row, showing the first sheet's first row."""
    rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True) if sheet is not None else iter(())
    texts = ([cell_text(v) or "" for v in row] for row in rows)
    first = next((cells for cells in texts if any(cells)), None)
    found = ""
    if first:
        cells = first[: max(i for i, c in enumerate(first) if c) + 1]
        data = " (data, not a header: add a header row)" if data_cells(cells) else ""
        found = f"; its first row is {shown(cells)}{data}"
    return (
        f"no header row found in the first {HEADER_SEARCH_ROWS} rows of any sheet{found}; "
        f"name the columns (e.g. name, country, hs_code, shipper, consignee) or {MAPPING_HINT}"
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
    path: Path, sheet: Any, header_row: int, names: list[str], batch_rows: int
) -> Callable[[list[str]], Iterator[RawBatch]]:
    """Return a reader of the rows below the header, in batches."""

    def read(wanted: list[str]) -> Iterator[RawBatch]:
        """Yield batches of non-empty rows with their Excel row numbers; overlong cells quarantine their row."""
        width, longest, where = len(names), limit(CELL_ENV, MAX_CELL_CHARS), str(path)
        extras = sheet_extras(path, sheet._worksheet_path)
        fill = FillDown({cell: top for cell, top in extras.covered.items() if cell[1] < width})  # header's columns
        notes = SheetNotes(f"{where}: {sheet.title}", header_row, extras.uncalculated)
        rows: list[list[str | None]] = []
        lines: list[int] = []
        rejects: list[dict[str, Any]] = []
        cells = sheet.iter_rows(min_row=header_row + 1, values_only=True)
        for number, row in enumerate(cells, start=header_row + 1):
            texts = fill.row(number, [cell_text(v) for v in row[:width]])
            notes.beyond(number, row, width)
            too_long = next((i for i, t in enumerate(texts) if t is not None and len(t) > longest), None)
            if too_long is not None:
                rejects.append(_overlong(where, sheet.title, (number, too_long), len(texts[too_long] or ""), longest))
            elif any(texts):
                rows.append(texts + [None] * (width - len(texts)))
                lines.append(number)
            if len(rows) + len(rejects) == batch_rows:
                yield _batch(rows, lines, names, rejects, notes.take())
                rows, lines, rejects = [], [], []
        if rows or rejects or not lines or notes.pending:
            yield _batch(rows, lines, names, rejects, notes.take(final=True))

    return read


class FillDown:
    """Gives the cells a merged range covers the value of the range's top-left cell, row by row."""

    def __init__(self, covered: dict[tuple[int, int], tuple[int, int]]) -> None:
        self.by_row: dict[int, list[tuple[int, tuple[int, int]]]] = {}
        for (row, col), anchor in covered.items():
            self.by_row.setdefault(row, []).append((col, anchor))
        self.anchors = set(covered.values())
        self.values: dict[tuple[int, int], str | None] = {}

    def row(self, number: int, texts: list[str | None]) -> list[str | None]:
        """Return a row's cell texts with merged values filled in (the row is read in sheet order)."""
        if not self.anchors:
            return texts
        for col, text in enumerate(texts):
            if (number, col) in self.anchors:
                self.values[(number, col)] = text
        for col, anchor in self.by_row.get(number, ()):
            if col >= len(texts):
                texts.extend([None] * (col + 1 - len(texts)))
            texts[col] = texts[col] or self.values.get(anchor)
        return texts


def _overlong(where: str, sheet: str, place: tuple[int, int], length: int, longest: int) -> dict[str, Any]:
    """Return the quarantine row of a row (line, 0-based column) with a cell over the length limit."""
    line, column = place
    cell = f"{get_column_letter(column + 1)}{line}"
    reason = f"{sheet}!{cell}: cell is {length:,} characters, over the limit {longest:,} (${CELL_ENV})"
    return {"source_file": where, "line": line, "reason": reason, "raw": None}


def _batch(
    rows: list[list[str | None]],
    lines: list[int],
    names: list[str],
    rejects: list[dict[str, Any]],
    messages: tuple[str, ...] = (),
) -> RawBatch:
    """Return a raw batch from rows of cell texts, the rows quarantined on the way and notes on cells not read."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String()), orient="row")
    quarantined = pl.DataFrame(rejects, schema=QUARANTINE_COLUMNS) if rejects else no_rejects()
    return RawBatch(frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64)), quarantined, messages)


class SheetNotes:
    """Notes on cells a sheet holds that no record can carry, each with file, sheet and cell; the first 50 only."""

    LIMIT: Final = 50

    def __init__(self, where: str, header_row: int, uncalculated: list[tuple[int, int]]) -> None:
        self.where, self.count, self.pending = where, 0, list[str]()
        for row, col in uncalculated:
            if row > header_row:
                self.add(row, col, "formula saved without a calculated value, read as empty (recalculate and save)")

    def add(self, row: int, col: int, text: str) -> None:
        """Note one cell."""
        self.count += 1
        if self.count <= self.LIMIT:
            self.pending.append(f"{self.where}!{get_column_letter(col + 1)}{row}: {text}")

    def beyond(self, number: int, row: tuple[Any, ...], width: int) -> None:
        """Note the values right of the header's last column."""
        for col in range(width, len(row)):
            if cell_text(row[col]) is not None:
                self.add(number, col, "value right of the header's last column, not read (name the column)")

    def take(self, final: bool = False) -> tuple[str, ...]:
        """Return the notes not yet handed out, with the count of those left out at the end."""
        taken, self.pending = tuple(self.pending), []
        if final and self.count > self.LIMIT:
            taken += (f"{self.where}: and {self.count - self.LIMIT:,} more such cells",)
        return taken


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
