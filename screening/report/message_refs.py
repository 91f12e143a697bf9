"""Where a hit on a payment message's record points in the message: its ids, offset, role and XPath.

A hit on a record read from an ISO 20022 or SWIFT MT message says which message it is about
(message id, end-to-end id, UETR), where the message starts in its file (``message_offset``: a
byte offset for ISO 20022, a character offset for MT; the hit's ``source_file`` and ``line`` say
the file and the transaction's line) and which element was matched: the party's ``role`` (its
column) and the ``xpath`` (ISO 20022) or FIN field (``{4}:50K``) it was read from.

These are derived here, in the report layer, by joining a batch of hits to their stored records,
not carried in the hits themselves: the hit frame every rule returns and the ``hits`` table stay
as they are for every record kind, the record's ``provenance`` remains the one place that says
where a record came from, and a run without message records exports exactly the columns it
always did. The role is the one the hit's detail opens with (``ultimate_creditor: …`` as NAME-001
and OWN-001 write it, ``beneficiary LEI …`` as PAY-004 does), else the first role column holding
the hit's party; a hit about the whole payment (remittance text) has no role.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.kinds.parties import ROLES
from screening.schema import conform
from screening.store import Store

REF_COLUMNS: Final[dict[str, pl.DataType]] = {
    "message_id": pl.String(),
    "end_to_end_id": pl.String(),
    "uetr": pl.String(),
    "message_offset": pl.Int64(),
    "role": pl.String(),
    "xpath": pl.String(),
}
_WANTED: Final = "screening_message_hits"
# a detail that opens with a role: "ultimate_creditor: NAME ~ …" (NAME-001, OWN-001), "beneficiary LEI …" (PAY-004)
_NAMED_ROLE: Final = rf"^({'|'.join(ROLES)})[: ]"


def has_messages(store: Store, run_id: str) -> bool:
    """Tell whether a run stored any record read from a payment message."""
    sql = "SELECT EXISTS (SELECT 1 FROM transactions WHERE run_id = ? AND message_type IS NOT NULL)"
    return bool(store.scalar(sql, [run_id]))


def _records(store: Store, run_id: str, hits: pl.DataFrame) -> pl.DataFrame:
    """Return the stored message records the hits are about: references, provenance and role columns."""
    wanted = hits.select("record_id", "source_file").unique()
    roles = ", ".join(f'"{c}"' for c in ROLES)
    # a connection of its own: the hits being exported are still streaming from the store's
    with store.con.cursor() as con:
        con.register(_WANTED, wanted.to_arrow())
        found: pl.DataFrame = con.sql(
            f"SELECT record_id, source_file, message_id, end_to_end_id, uetr, provenance, {roles} FROM transactions "
            f"WHERE run_id = ? AND message_type IS NOT NULL AND (record_id, source_file) IN (SELECT * FROM {_WANTED})",
            params=[run_id],
        ).pl()
    return found


def _role() -> pl.Expr:
    """Return the role a hit is about: the one its detail names, else the first role column holding its party."""
    named = pl.col("detail").str.extract(_NAMED_ROLE, 1)
    holding = pl.coalesce(pl.when(pl.col(c) == pl.col("party")).then(pl.lit(c)) for c in ROLES)
    return pl.coalesce(named, holding)


def _xpath(role: pl.Expr) -> pl.Expr:
    """Return the XPath (or FIN field) the record's provenance gives for a role."""
    provenance = pl.col("provenance")
    return pl.coalesce(pl.when(role == c).then(provenance.str.json_path_match(f"$.roles.{c}")) for c in ROLES)


def with_refs(store: Store, run_id: str, hits: pl.DataFrame) -> pl.DataFrame:
    """Return the hits with ``REF_COLUMNS`` added, null for hits on records that are not messages."""
    records = _records(store, run_id, hits) if hits.height else pl.DataFrame()
    if not records.height:  # no hit of these is on a message
        return hits.with_columns(pl.lit(None, t).alias(c) for c, t in REF_COLUMNS.items())
    joined = hits.join(records, on=["record_id", "source_file"], how="left", maintain_order="left")
    refs = joined.with_columns(role=_role()).select(
        "message_id",
        "end_to_end_id",
        "uetr",
        message_offset=pl.col("provenance").str.json_path_match("$.offset").cast(pl.Int64),
        role=pl.when(pl.col("message_id").is_not_null()).then(pl.col("role")),
        xpath=_xpath(pl.col("role")),
    )
    return pl.concat([hits, conform(refs, REF_COLUMNS)], how="horizontal")
