"""Ingestion of counterparty files and transaction dumps: CSV, XLSX, Parquet and JSON lines.

Readers per format yield raw rows with their line numbers and the rows they reject; columns are
mapped by synonym or by a mapping file; values are coerced to the canonical types of
:mod:`screening.schema`. Every row read is stored or quarantined with file, line and reason.
"""

from __future__ import annotations

from screening.ingest.batches import IngestBatch, Ingested, iter_batches, read_records
from screening.ingest.countries import normalize_country
from screening.ingest.files import file_sha256
from screening.ingest.mapping import SYNONYMS, detect_kind, load_mapping

__all__ = [
    "SYNONYMS",
    "IngestBatch",
    "Ingested",
    "detect_kind",
    "file_sha256",
    "iter_batches",
    "load_mapping",
    "normalize_country",
    "read_records",
]
