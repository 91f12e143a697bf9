"""What to tell the user when a file's columns map to no canonical column, or not to the one its kind needs.

A headerless file (OFAC's legacy CSVs, a bank's raw extract) has its first record read as the
header; when nothing maps and that row looks like data — a number that is not a year, OFAC's
``-0-`` empty mark, an ISO date — the message says so instead of only listing the columns.
"""

from __future__ import annotations

import re
from typing import Final

# A header cell that is a value: a number other than a year, OFAC's ``-0-``, an ISO date; the
# ``_2`` that :func:`screening.ingest.raw.unique_names` adds to a repeated cell is not part of it.
_DATA_CELL: Final = re.compile(r"(?!(?:19|20)\d\d$)[+-]?\d+(?:[.,]\d+)?|-0-|\d{4}-\d\d-\d\d")
_REPEAT: Final = re.compile(r"_\d+$")
MAPPING_HINT: Final = "map them with --mapping FILE (`screening inspect FILE` writes a starter mapping)"
SHOWN_CELLS: Final = 12  # a message shows this many of a row's cells, each cut at SHOWN_CHARS
SHOWN_CHARS: Final = 40


def shown(cells: list[str]) -> str:
    """Return a row's cells as a message shows them: the first few, each cut short (a header may be a huge record)."""
    cut = [c if len(c) <= SHOWN_CHARS else c[:SHOWN_CHARS] + "…" for c in cells[:SHOWN_CELLS]]
    more = len(cells) - SHOWN_CELLS
    return f"{cut}{f' and {more} more' if more > 0 else ''}"


def data_cells(columns: list[str]) -> list[str]:
    """Return the header cells that look like values, so the header row is likely the first record."""
    cells = dict.fromkeys(_REPEAT.sub("", c.strip()) for c in columns)
    return [c for c in cells if _DATA_CELL.fullmatch(c)]


def nothing_maps(columns: list[str], valid: str) -> str:
    """Return the message for a file none of whose columns maps to a canonical column."""
    found = f"no column maps to a canonical column; found {shown(columns)}"
    values = data_cells(columns)
    if values:
        values_shown = ", ".join(repr(v) for v in values[:3])
        return (
            f"{found}; the first row looks like data, not a header ({values_shown}): add a header row naming the "
            "columns (name, country, hs_code …), then read it again"
        )
    return f"{found}; valid: {valid}; rename the columns or {MAPPING_HINT}"


def missing_required(kind: str, missing: list[str], columns: list[str]) -> str:
    """Return the message for a file whose kind needs a column none of its columns maps to."""
    return (
        f"a {kind} file needs column(s) {missing}; found {shown(columns)}; rename the column that holds them or "
        f"{MAPPING_HINT}"
    )
