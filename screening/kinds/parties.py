"""The party names of a run's records, read where the records are, so only distinct names or matches cross over.

Run-level rules that match party names against a small list (exposed owners, listed names) need
the run's distinct names first and, for the few that match, the records that carry them. Both
read every party column of the transactions (:data:`ROLES`: the trade and payment columns and the
payment messages' own roles, from ultimate debtor to instructed agent) and the ``name`` of
``parties``; a record of a payment message names the role (its column) a name was found in, as
``name_match`` does. So ten million
records never become ninety million polars rows. The transactions are read by the store's DuckDB
(``transactions WHERE run_id = $1``) or, when an engine sets ``ctx.tables`` (Spark), by Spark SQL
over the view of this run's transactions, where the wanted names join the records as a small
broadcast view; counterparty files (``parties``) always come from the store. Both engines combine
and sort the parts the same way in polars, so they return the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import polars as pl

from screening.kinds.base import ScanContext
from screening.kinds.redflag_reads import stored_query
from screening.schema import MESSAGE_PARTY_COLUMNS, PARTY_COLUMNS
from screening.sql import DUCKDB, SPARK

# Every column of a transaction that holds a party's name: what NAME-001 screens.
ROLES: Final = (*PARTY_COLUMNS, *MESSAGE_PARTY_COLUMNS)
PLACES: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "source_file": pl.String(),
    "line": pl.Int64(),
    "role": pl.String(),  # the party's column on a payment message's record, else null
    "party": pl.String(),
}
NAMES: Final[dict[str, pl.DataType]] = {"party": pl.String()}
# The view (Spark) or registered frame (DuckDB) of the names records_naming looks for.
WANTED: Final = "screening_wanted_party_names"
# Every party column of a transaction as one column of (record, role, party) rows, in Spark SQL.
_STACKED: Final = ", ".join(f"'{c}', {SPARK.name(c)}" for c in ROLES)
_SPARK_PARTIES: Final = (
    "(SELECT record_id, source_file, line, CASE WHEN message_type IS NOT NULL THEN role END AS role, party FROM "
    f"(SELECT record_id, source_file, line, message_type, stack({len(ROLES)}, {_STACKED}) AS (role, party) "
    f"FROM {SPARK.records()}))"
)
# The party columns, quoted: what the DuckDB read unpivots into (role, party) rows.
_COLUMNS: Final = ", ".join(DUCKDB.name(c) for c in ROLES)


def _duckdb_parties(fields: str, condition: str) -> str:
    """Return DuckDB SQL taking ``fields`` and each party column as ``party`` from this run's transactions.

    One UNPIVOT of the party columns (it leaves out nulls), the same rows as a UNION ALL of one
    SELECT per column.
    """
    role = "CASE WHEN message_type IS NOT NULL THEN role END AS role, " if fields else ""
    read = f"SELECT record_id, source_file, line, message_type, {_COLUMNS} FROM {DUCKDB.records()}"
    stacked = f"UNPIVOT ({read}) ON {_COLUMNS} INTO NAME role VALUE party"
    return f"SELECT {fields}{role}party FROM ({stacked}) WHERE party {condition}"


def run_party_names(ctx: ScanContext) -> pl.Series:
    """Return this run's distinct party names, sorted."""
    tx = _transactions(
        ctx,
        spark=f"SELECT DISTINCT party FROM {_SPARK_PARTIES} WHERE party IS NOT NULL",
        duckdb=f"SELECT DISTINCT party FROM ({_duckdb_parties('', 'IS NOT NULL')})",
        schema=NAMES,
    )
    parties = _stored(ctx, "SELECT DISTINCT name AS party FROM parties WHERE run_id = $1 AND name IS NOT NULL", NAMES)
    return pl.concat([tx, parties]).unique()["party"].sort()


def records_naming(ctx: ScanContext, names: pl.Series) -> pl.DataFrame:
    """Return (record_id, source_file, line, role, party) for each party column of the run holding one of the names."""
    if names.is_empty():
        return pl.DataFrame(schema=PLACES)
    wanted = pl.DataFrame({"name": names.unique().cast(pl.String)})
    tx = _transactions(
        ctx,
        spark=f"SELECT DISTINCT p.* FROM {_SPARK_PARTIES} AS p JOIN {WANTED} AS w ON p.party = w.name",
        duckdb=_duckdb_parties("record_id, source_file, line, ", f"IN (SELECT name FROM {WANTED})"),
        schema=PLACES,
        wanted=wanted,
    )
    parties = _stored(
        ctx,
        "SELECT record_id, source_file, line, NULL AS role, name AS party FROM parties "
        f"WHERE run_id = $1 AND name IN (SELECT name FROM {WANTED})",
        PLACES,
        {WANTED: wanted},
    )
    found = pl.concat([tx, parties]).unique()
    return found.sort("source_file", "line", "party", "record_id", "role", nulls_last=True)


def _transactions(
    ctx: ScanContext, *, spark: str, duckdb: str, schema: dict[str, pl.DataType], wanted: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Return a read of this run's transactions: the Spark query when ``ctx.tables`` is set, else the DuckDB one."""
    views = {WANTED: wanted} if wanted is not None else {}
    if ctx.tables is not None:
        return _typed(ctx.tables.frame(spark, views), schema)
    return _stored(ctx, duckdb, schema, views)


def _stored(
    ctx: ScanContext, sql: str, schema: dict[str, pl.DataType], views: Mapping[str, pl.DataFrame] | None = None
) -> pl.DataFrame:
    """Return a DuckDB query's result over this run's stored records (``$1``: the run id), ``views`` registered."""
    if ctx.store is None:
        return pl.DataFrame(schema=schema)
    return _typed(stored_query(ctx, sql, views), schema)


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return the frame's columns of ``schema`` with their canonical types (an empty result too)."""
    if not frame.height:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])
