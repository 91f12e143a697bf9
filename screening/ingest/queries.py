"""Query files of ``screening match``, read as counterparty files by the scan's readers.

A query file is any input format (CSV of any delimiter and encoding, Excel below title rows,
Parquet, JSON lines); its columns are found by the synonym table (``full_name``, ``nationality``,
``date_of_birth`` …) or a ``--mapping`` file, as a scan finds them. A query's id is its ``id``
column, else ``FILE:LINE``. Rows that cannot be queries (no name, an id repeated within a file
or a workbook's sheet) are returned with file, line and reason, for the command to report; side
fields that cannot be read are nulled and noted; the reader's messages are returned too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from screening.ingest.batches import read_records
from screening.safe_text import clean

# The match query columns and the counterparty columns they are read from.
QUERY_FIELDS: Final[dict[str, str]] = {
    "id": "record_id",
    "name": "name",
    "schema": "entity_schema",
    "country": "country",
    "birth_date": "birth_date",
    "identifier": "identifier",
}


@dataclass(frozen=True)
class QueryFile:
    """The queries of one file, the rows not read as queries, the fields nulled and the reader's messages."""

    queries: pl.DataFrame
    quarantine: pl.DataFrame
    notes: pl.DataFrame
    messages: tuple[str, ...] = ()


def read_query_file(
    path: Path, mapping: Mapping[str, str] | None = None, sheets: Sequence[str] | None = None
) -> QueryFile:
    """Read a query file: ``id, name, schema, country, birth_date, identifier`` as text, one row per query."""
    read = read_records(path, mapping, "parties", sheets)
    queries = read.records.select(pl.col(source).cast(pl.String).alias(query) for query, source in QUERY_FIELDS.items())
    return QueryFile(queries, read.quarantine, read.notes, read.messages)


def problems(read: QueryFile, shown: int = 5) -> list[str]:
    """Return the reader's messages, the first ``shown`` rows not read and fields nulled, and counts, as safe lines."""
    lines = [*read.messages]
    lines.extend(
        f"{r['source_file']}:{r['line']}: {r['reason']}" for r in read.quarantine.head(shown).iter_rows(named=True)
    )
    if read.quarantine.height:
        lines.append(f"{read.quarantine.height} rows not read as queries")
    noted = read.notes.head(shown).iter_rows(named=True)
    lines.extend(f"{n['source_file']}:{n['line']}: {n['reason']}" for n in noted)
    if read.notes.height:
        lines.append(f"{read.notes.height} fields left empty in queries")
    return [clean(line, one_line=True) for line in lines]
