"""Merged cells of a worksheet, so a value merged over several rows reaches every row it covers.

openpyxl's read-only mode (the one that streams large sheets) does not report merged ranges: a
merged cell's value sits in its top-left cell and the other cells read as empty. The ranges are
read here from the sheet's XML (``<mergeCell ref="B5:B8"/>``, parsed with defusedxml) in one
streaming pass; at most ``MAX_MERGED_CELLS`` covered cells (``$SCREENING_XLSX_MAX_MERGED``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import range_boundaries

from screening.errors import InputError, located
from screening.limits import limit

MAX_MERGED_CELLS: Final = 1_000_000
MERGED_ENV: Final = "SCREENING_XLSX_MAX_MERGED"
_MERGE_TAG: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"

Cell = tuple[int, int]  # (1-based row, 0-based column)


def merged_cells(path: Path, part: str) -> dict[Cell, Cell]:
    """Return each cell covered by a merged range (its top-left cell left out) mapped to that top-left cell."""
    covered: dict[Cell, Cell] = {}
    cap = limit(MERGED_ENV, MAX_MERGED_CELLS)
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
        for _, element in iterparse(xml):
            if element.tag == _MERGE_TAG:
                first_col, first_row, last_col, last_row = range_boundaries(element.get("ref", "A1"))
                if first_col is None or first_row is None or last_col is None or last_row is None:
                    continue  # a whole row or column: nothing to fill down
                for row in range(first_row, last_row + 1):
                    for col in range(first_col - 1, last_col):
                        covered[(row, col)] = (first_row, first_col - 1)
                if len(covered) > cap:
                    raise InputError(
                        located(str(path), None, f"{part}: merged ranges cover over {cap:,} cells (${MERGED_ENV})")
                    )
            element.clear()
    for anchor in set(covered.values()):
        covered.pop(anchor, None)
    return covered
