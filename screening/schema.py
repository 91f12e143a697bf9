"""Canonical record columns shared by ingestion, the store, the rules and the reports.

Ingestion maps whatever columns a file has onto these names and types; everything downstream
reads only these. A record table is either ``transactions`` (goods and payments) or ``parties``
(a counterparty file): both share the bookkeeping columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import polars as pl

RecordKind = Literal["transactions", "parties", "flows", "ownership"]

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
    "shipper_alt",  # a second shipper name column (the native-script one beside an ``_EN`` one)
    "consignee_alt",
    "declarant",  # the declarant (often a customs broker) named on a declaration
    "applicant",  # the customs applicant: the trader on whose behalf the declaration is lodged
    "counterparty",  # a foreign contractor whose side of the trade the file does not say
)

# Party roles of payment messages that have no column among PARTY_COLUMNS; NAME-* rules screen them too.
MESSAGE_PARTY_COLUMNS: Final[tuple[str, ...]] = (
    "ultimate_debtor",
    "ultimate_creditor",
    "initiating_party",
    "intermediary_bank_2",
    "intermediary_bank_3",
    "previous_instructing_agent",  # the first one named; the others are in party_ids
    "instructing_agent",
    "instructed_agent",
)

# Message parties beyond debtor and creditor whose postal-address country a record keeps.
COUNTRY_ROLES: Final[tuple[str, ...]] = ("ultimate_debtor", "ultimate_creditor", "initiating_party")

TRANSACTION_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "declaration_number": pl.String(),  # a customs declaration's number; with item_number it is the record id
    "item_number": pl.String(),
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
    "phone": pl.String(),  # consignee phone when given
    # Payment messages (ISO 20022 pacs/pain/camt, SWIFT MT): the roles and references that have no
    # column above (screening.ingest.messages). originator/beneficiary are debtor/creditor, the
    # banks hold a BIC when the message gives one (else the agent's name), description holds the
    # remittance and purpose text.
    **{name: pl.String() for name in MESSAGE_PARTY_COLUMNS},
    "originator_country": pl.String(),  # the debtor's postal-address country (ISO 3166-1 alpha-2)
    "beneficiary_country": pl.String(),
    **{f"{role}_country": pl.String() for role in COUNTRY_ROLES},  # their postal-address country (store v5)
    "originator_account": pl.String(),  # IBAN, else the other account id as written
    "beneficiary_account": pl.String(),
    "party_ids": pl.String(),  # BICs, LEIs and other ids with their scheme: "role=scheme:id" joined by "; " (an INN)
    "message_type": pl.String(),  # pacs.008.001.08, MT103, MT202COV …
    "message_id": pl.String(),
    "end_to_end_id": pl.String(),
    "uetr": pl.String(),
    "provenance": pl.String(),  # JSON: the message's byte offset and number in its file, XPath of each role read
}

PARTY_RECORD_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "name": pl.String(),
    "country": pl.String(),
    "address": pl.String(),
    "identifier": pl.String(),  # tax number, LEI, IMO … as written
    "entity_schema": pl.String(),  # Person | Organization | Vessel, when given
    "birth_date": pl.String(),  # ISO date or year, when given
    "phone": pl.String(),
    "director": pl.String(),
    "incorporated": pl.Date(),  # date of incorporation or registration, when given
}

# Trade statistics as customs publish them (UN Comtrade, Eurostat Comext): one row per reporter,
# partner, flow, HS code and period.
FLOW_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "reporter_country": pl.String(),
    "partner_country": pl.String(),
    "flow": pl.String(),  # import | export, as the reporter declared it
    "hs_code": pl.String(),
    "hs6": pl.String(),
    "hs_note": pl.String(),
    "period": pl.Date(),  # first day of the period
    "period_months": pl.Int64(),  # 1 monthly, 3 quarterly, 12 annual
    "value": pl.Float64(),  # US dollars
    "quantity": pl.Float64(),
}

# Who owns whom, from a register extract or a due-diligence file.
OWNERSHIP_COLUMNS: Final[dict[str, pl.DataType]] = {
    **BOOKKEEPING,
    "owner": pl.String(),
    "owner_id": pl.String(),
    "owner_country": pl.String(),
    "owned": pl.String(),
    "owned_id": pl.String(),
    "owned_country": pl.String(),
    "share": pl.Float64(),  # fraction 0..1; null when the stake's size is unknown
}

# Columns a record of each kind cannot do without: a row missing one is quarantined.
REQUIRED: Final[dict[RecordKind, tuple[str, ...]]] = {
    "transactions": (),
    "parties": ("name",),
    "flows": ("reporter_country", "partner_country", "flow", "hs_code", "period", "value"),
    "ownership": ("owner", "owned"),
}

# Columns whose unreadable value quarantines the row; any other unreadable value is nulled and noted.
KEY_COLUMNS: Final[dict[RecordKind, tuple[str, ...]]] = {
    "transactions": (),
    "parties": ("name",),
    "flows": ("reporter_country", "partner_country", "flow", "period", "value"),
    "ownership": ("owner", "owned"),
}
# A row with none of these left after its unreadable fields are nulled has nothing to screen.
# (The other kinds' required columns already say what a row needs.)
USABLE: Final[dict[RecordKind, tuple[str, ...]]] = {
    "transactions": (*PARTY_COLUMNS, "hs_code", "description", "value"),
    "parties": (),
    "flows": (),
    "ownership": (),
}

NOTE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "source_file": pl.String(),
    "line": pl.Int64(),
    "column": pl.String(),  # the source column as written in the file
    "value": pl.String(),  # the value that could not be read, cut to 1,000 characters
    "reason": pl.String(),
}

QUARANTINE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "source_file": pl.String(),
    "line": pl.Int64(),
    "reason": pl.String(),
    "raw": pl.String(),  # the offending row as text, cut to 1,000 characters
}

HIT_COLUMNS: Final[dict[str, pl.DataType]] = {
    "run_id": pl.String(),
    "hit_id": pl.String(),  # md5 of rule, record, party and list entry: the same hit keeps it across runs
    "rule_id": pl.String(),
    "severity": pl.String(),
    "score": pl.Float64(),
    "record_id": pl.String(),
    "party": pl.String(),
    "entity_id": pl.String(),  # the list entry a hit is about, when there is one
    "detail": pl.String(),
    "source_file": pl.String(),
    "line": pl.Int64(),
    "fingerprint": pl.String(),
    "review": pl.String(),  # null, or the analyst's standing decision: confirmed | cleared | reopened
}

# The hits a rule's check returns: ``record_id``, ``score`` in (0, 1], ``detail``, ``severity`` (null keeps
# the rule's own) and ``party`` (null when the hit is about goods or routes); see screening.kinds.base.
HIT_FRAME: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "score": pl.Float64(),
    "detail": pl.String(),
    "severity": pl.String(),
    "party": pl.String(),
}


# The hits of a run-level check: a hit about a stored record says where it came from.
RUN_HIT_FRAME: Final[dict[str, pl.DataType]] = {**HIT_FRAME, "source_file": pl.String(), "line": pl.Int64()}


SEVERITIES: Final[tuple[str, ...]] = ("low", "medium", "high", "critical")


RECORD_COLUMNS: Final[dict[RecordKind, dict[str, pl.DataType]]] = {
    "transactions": TRANSACTION_COLUMNS,
    "parties": PARTY_RECORD_COLUMNS,
    "flows": FLOW_COLUMNS,
    "ownership": OWNERSHIP_COLUMNS,
}
# Columns a record kind reads from its file but does not store: a flow's currency converts its value to US dollars.
READ_ONLY_COLUMNS: Final[dict[RecordKind, frozenset[str]]] = {
    "transactions": frozenset(),
    "parties": frozenset(),
    "flows": frozenset({"currency"}),
    "ownership": frozenset(),
}
# The store table of each record kind ("ownership" is taken by the lists' own links).
RECORD_TABLES: Final[dict[RecordKind, str]] = {
    "transactions": "transactions",
    "parties": "parties",
    "flows": "flows",
    "ownership": "ownership_records",
}


def columns_for(kind: RecordKind) -> dict[str, pl.DataType]:
    """Return the canonical columns of a record table."""
    return RECORD_COLUMNS[kind]


def empty_frame(columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return an empty frame with the given columns."""
    return pl.DataFrame(schema=columns)


def conform(frame: pl.DataFrame, columns: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """Return a frame's named columns in schema order, cast to their types (an empty frame keeps the schema)."""
    schema = pl.Schema(columns)
    if not frame.height:
        return pl.DataFrame(schema=schema)
    return frame.select(schema.names()).cast(schema)
