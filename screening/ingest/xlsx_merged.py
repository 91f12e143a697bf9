"""What openpyxl's streaming mode does not report about a worksheet: merged ranges and uncalculated formulas.

openpyxl's read-only mode (the one that streams large sheets) does not report merged ranges: a
merged cell's value sits in its top-left cell and the other cells read as empty. Nor can it tell a
formula cell saved without a calculated value from an empty cell. Both are read here from the
sheet's XML (``<mergeCell ref="B5:B8"/>``, ``<c r="C7"><f>…</f></c>`` without ``<v>``), parsed with
defusedxml in one streaming pass; at most ``MAX_MERGED_CELLS`` covered cells
(``$SCREENING_XLSX_MAX_MERGED``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.exceptions import CellCoordinatesException

from screening.errors import InputError, located
from screening.limits import limit

MAX_MERGED_CELLS: Final = 1_000_000
MERGED_ENV: Final = "SCREENING_XLSX_MAX_MERGED"
_NS: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

Cell = tuple[int, int]  # (1-based row, 0-based column)


@dataclass
class SheetExtras:
    """Cells a merged range covers (mapped to its top-left cell) and formula cells without a cached value."""

    covered: dict[Cell, Cell] = field(default_factory=dict)
    uncalculated: list[Cell] = field(default_factory=list)


def sheet_extras(path: Path, part: str) -> SheetExtras:
    """Return the merged cells and uncalculated formulas of one worksheet part of a workbook."""
    try:
        extras = _read_extras(path, part, limit(MERGED_ENV, MAX_MERGED_CELLS))
    except (ParseError, DefusedXmlException, CellCoordinatesException, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(located(str(path), None, f"{part}: corrupt sheet XML ({exc})")) from exc
    for anchor in set(extras.covered.values()):
        extras.covered.pop(anchor, None)
    return extras


def _read_extras(path: Path, part: str, cap: int) -> SheetExtras:
    """Read one streaming pass over a sheet's XML; refuse merged ranges covering more than ``cap`` cells."""
    extras = SheetExtras()
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
        for _, element in iterparse(xml):
            if element.tag == f"{_NS}c":
                _formula(element, extras)
            elif element.tag == f"{_NS}mergeCell" and (bounds := _bounds(element.get("ref", ""))):
                # the size is known before a cell is recorded: one range over a whole sheet cannot fill memory
                if len(extras.covered) + (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1) > cap:
                    raise InputError(
                        located(str(path), None, f"{part}: merged ranges cover over {cap:,} cells (${MERGED_ENV})")
                    )
                _merge(bounds, extras)
            if element.tag in (f"{_NS}row", f"{_NS}mergeCell"):
                element.clear()
    return extras


def _formula(element: Any, extras: SheetExtras) -> None:
    """Record a cell that holds a formula but no cached value."""
    value = element.find(f"{_NS}v")
    if element.find(f"{_NS}f") is not None and (value is None or not value.text) and element.get("r"):
        row, col = coordinate_to_tuple(element.get("r"))
        extras.uncalculated.append((row, col - 1))


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """Return (first row, first column, last row, last column) of a merged range, 1-based; None for whole rows."""
    try:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
    except ValueError:
        return None
    if first_col is None or first_row is None or last_col is None or last_row is None:
        return None  # a whole row or column: nothing to fill down
    return first_row, first_col, last_row, last_col


def _merge(bounds: tuple[int, int, int, int], extras: SheetExtras) -> None:
    """Record the cells of one merged range."""
    first_row, first_col, last_row, last_col = bounds
    for row in range(first_row, last_row + 1):
        for col in range(first_col - 1, last_col):
            extras.covered[(row, col)] = (first_row, first_col - 1)
