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

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

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
    extras = SheetExtras()
    cap = limit(MERGED_ENV, MAX_MERGED_CELLS)
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
        for _, element in iterparse(xml):
            if element.tag == f"{_NS}c":
                _formula(element, extras)
            elif element.tag == f"{_NS}mergeCell":
                _merge(element.get("ref", ""), extras)
                if len(extras.covered) > cap:
                    raise InputError(
                        located(str(path), None, f"{part}: merged ranges cover over {cap:,} cells (${MERGED_ENV})")
                    )
            if element.tag in (f"{_NS}row", f"{_NS}mergeCell"):
                element.clear()
    for anchor in set(extras.covered.values()):
        extras.covered.pop(anchor, None)
    return extras


def _formula(element: Any, extras: SheetExtras) -> None:
    """Record a cell that holds a formula but no cached value."""
    value = element.find(f"{_NS}v")
    if element.find(f"{_NS}f") is not None and (value is None or not value.text) and element.get("r"):
        row, col = coordinate_to_tuple(element.get("r"))
        extras.uncalculated.append((row, col - 1))


def _merge(ref: str, extras: SheetExtras) -> None:
    """Record the cells of one merged range."""
    try:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
    except ValueError:
        return
    if first_col is None or first_row is None or last_col is None or last_row is None:
        return  # a whole row or column: nothing to fill down
    for row in range(first_row, last_row + 1):
        for col in range(first_col - 1, last_col):
            extras.covered[(row, col)] = (first_row, first_col - 1)
