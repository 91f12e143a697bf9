"""The party names of a run's stored records, read in the store so only distinct names or matches cross over.

Run-level rules that match party names against a small list (exposed owners, listed names) need
the run's distinct names first and, for the few that match, the records that carry them. Both
are SQL over every party column of ``transactions`` and the ``name`` of ``parties``, so ten million
records never become ninety million polars rows.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.kinds.base import ScanContext
from screening.schema import PARTY_COLUMNS, RECORD_TABLES, RecordKind

WHERE: Final[list[tuple[RecordKind, str]]] = [("transactions", c) for c in PARTY_COLUMNS] + [("parties", "name")]
PLACES: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "source_file": pl.String(),
    "line": pl.Int64(),
    "party": pl.String(),
}


def run_party_names(ctx: ScanContext) -> pl.Series:
    """Return this run's distinct party names, sorted."""
    if ctx.store is None:
        return pl.Series("party", [], pl.String)
    parts = " UNION ALL ".join(
        f'SELECT "{column}" AS party FROM {RECORD_TABLES[kind]} WHERE run_id = $1' for kind, column in WHERE
    )
    names: pl.DataFrame = ctx.store.frame(
        f"SELECT DISTINCT party FROM ({parts}) WHERE party IS NOT NULL ORDER BY party", [ctx.run_id]
    )
    return names["party"].cast(pl.String)


def records_naming(ctx: ScanContext, names: pl.Series) -> pl.DataFrame:
    """Return (record_id, source_file, line, party) for every party column of this run holding one of the names."""
    if ctx.store is None or names.is_empty():
        return pl.DataFrame(schema=PLACES)
    parts = " UNION ALL ".join(
        f'SELECT record_id, source_file, line, "{column}" AS party FROM {RECORD_TABLES[kind]} '
        f'WHERE run_id = $1 AND "{column}" IN (SELECT name FROM wanted_party_names)'
        for kind, column in WHERE
    )
    ctx.store.con.register("wanted_party_names", pl.DataFrame({"name": names.unique()}).to_arrow())
    try:
        found: pl.DataFrame = ctx.store.frame(
            f"SELECT DISTINCT * FROM ({parts}) ORDER BY source_file, line, party", [ctx.run_id]
        )
    finally:
        ctx.store.con.unregister("wanted_party_names")
    return found.cast(PLACES)  # type: ignore[arg-type]
