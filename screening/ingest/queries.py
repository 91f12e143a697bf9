"""Query files of ``screening match``, read as counterparty files by the scan's readers.

A query file is any input format (CSV of any delimiter and encoding, Excel below title rows,
Parquet, JSON lines); its columns are found by the synonym table (``full_name``, ``nationality``,
``date_of_birth`` …) or a ``--mapping`` file, as a scan finds them. A query's id is its ``id``
column, else ``FILE:LINE``. Rows that cannot be queries (no name, a repeated id) are returned
with file, line and reason, for the command to report; side fields that cannot be read are
nulled and noted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from screening.ingest.batches import iter_batches

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
    """The queries of one file, the rows not read as queries and the fields nulled in the queries."""

    queries: pl.DataFrame
    quarantine: pl.DataFrame
    notes: pl.DataFrame


def read_query_file(path: Path, mapping: Mapping[str, str] | None = None) -> QueryFile:
    """Read a query file: ``id, name, schema, country, birth_date, identifier`` as text, one row per query."""
    batches = list(iter_batches(path, mapping, kind="parties"))
    records = pl.concat([b.records for b in batches])
    queries = records.select(pl.col(source).cast(pl.String).alias(query) for query, source in QUERY_FIELDS.items())
    return QueryFile(queries, pl.concat([b.quarantine for b in batches]), pl.concat([b.notes for b in batches]))


def problems(read: QueryFile, shown: int = 5) -> list[str]:
    """Return one line per row not read and per field nulled (the first ``shown`` of each), then their counts."""
    lines = [
        f"{r['source_file']}:{r['line']}: {r['reason']}" for r in read.quarantine.head(shown).iter_rows(named=True)
    ]
    if read.quarantine.height:
        lines.append(f"{read.quarantine.height} rows not read as queries")
    noted = read.notes.head(shown).iter_rows(named=True)
    lines.extend(f"{n['source_file']}:{n['line']}: {n['reason']}" for n in noted)
    if read.notes.height:
        lines.append(f"{read.notes.height} fields left empty in queries")
    return lines
