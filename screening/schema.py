"""Canonical record columns shared by ingestion, the store, the rules and the reports.

Ingestion maps whatever columns a file has onto these names and types; everything downstream
reads only these. A record table is either ``transactions`` (goods and payments) or ``parties``
(a counterparty file): both share the bookkeeping columns.
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

RecordKind = Literal["transactions", "parties"]

BOOKKEEPING: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),  # the row's own id column when it has one, else FILE:LINE
    "source_file": pl.String(),  # file name as given on the command line
    "line": pl.Int64(),  # 1-based physical line (CSV/JSONL) or sheet row (XLSX); row number for Parquet
}

# Columns that hold party names: every NAME-* rule screens each of them.
PARTY_COLUMNS: Final[tuple[str, ...]] = (
    "shipper",
    "consignee",
    "notify_party",
    "originator",
    "beneficiary",
    "originator_bank",
    "beneficiary_bank",
    "intermediary_bank",
    "vessel",
)

TRANSACTION_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "date": pl.Date(),
    "hs_code": pl.String(),  # digits only, as declared (6, 8 or 10 digits; 4 for a heading)
    "hs6": pl.String(),  # the HS-6 subheading the code falls under, null when unknown
    "hs_note": pl.String(),  # how a damaged code was read ("7 digits, read as 391220"), else null
    "description": pl.String(),
    **{name: pl.String() for name in PARTY_COLUMNS},
    "shipper_country": pl.String(),  # ISO 3166-1 alpha-2 (or ISO 3166-2 for occupied regions)
    "consignee_country": pl.String(),
    "origin_country": pl.String(),
    "transit_country": pl.String(),
    "destination_country": pl.String(),
    "value": pl.Float64(),
    "currency": pl.String(),  # ISO 4217, upper case
    "quantity": pl.Float64(),
    "address": pl.String(),  # consignee address when given
}

PARTY_RECORD_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "name": pl.String(),
    "country": pl.String(),
    "address": pl.String(),
    "identifier": pl.String(),  # tax number, LEI, IMO … as written
    "entity_schema": pl.String(),  # Person | Organization | Vessel, when given
    "birth_date": pl.String(),  # ISO date or year, when given
}

QUARANTINE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "source_file": pl.String(),
    "line": pl.Int64(),
    "reason": pl.String(),
    "raw": pl.String(),  # the offending row as text, cut to 1,000 characters
}

HIT_COLUMNS: Final[dict[str, pl.DataType]] = {
    "run_id": pl.String(),
    "rule_id": pl.String(),
    "severity": pl.String(),
    "score": pl.Float64(),
    "record_id": pl.String(),
    "party": pl.String(),
    "detail": pl.String(),
    "source_file": pl.String(),
    "line": pl.Int64(),
    "fingerprint": pl.String(),
}

SEVERITIES: Final[tuple[str, ...]] = ("low", "medium", "high", "critical")


def columns_for(kind: RecordKind) -> dict[str, pl.DataType]:
    """Return the canonical columns of a record table."""
    return TRANSACTION_COLUMNS if kind == "transactions" else PARTY_RECORD_COLUMNS


def empty_frame(columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return an empty frame with the given columns."""
    return pl.DataFrame(schema=columns)
