"""Writing list imports into the store, and reading them back as the names matcher's watchlist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from screening.errors import StoreError
from screening.lists.model import ListImport
from screening.lists.registry import read_list
from screening.lists.values import iso_date
from screening.store import LIST_TABLES, Store

WATCHLIST_COLUMNS: Final[dict[str, pl.DataType]] = {
    "entity_id": pl.String(),
    "name": pl.String(),
    "name_type": pl.String(),
    "strength": pl.String(),
    "entity_schema": pl.String(),
    "source": pl.String(),
    "countries": pl.String(),
    "birth_dates": pl.String(),
    "list_version": pl.String(),
}
_ENTITY_TABLES: Final = ("list_names", "list_identifiers", "list_entities")


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> None:
    """Execute a statement and consume its result, as DuckDB requires before the next one."""
    con.execute(sql, params or []).fetchall()


def store_import(store: Store, imp: ListImport) -> None:
    """Write an import, replacing earlier rows of its source and of its entity ids."""
    old = store.frame("SELECT entity_id FROM list_entities WHERE source = ?", [imp.source])
    ids = pl.concat([old, imp.entities.select("entity_id")]).unique()
    con = store.con
    _run(con, "BEGIN TRANSACTION")
    try:
        con.register("_replaced_ids", ids.to_arrow())
        for table in _ENTITY_TABLES:
            _run(
                con, f"DELETE FROM {table} WHERE entity_id IN (SELECT entity_id FROM _replaced_ids)"
            )
        con.unregister("_replaced_ids")
        _run(con, "DELETE FROM ownership WHERE source = ?", [imp.source])
        _run(con, "DELETE FROM list_sources WHERE source = ?", [imp.source])
        store.append("list_entities", imp.entities)
        store.append("list_names", imp.names)
        store.append("list_identifiers", imp.identifiers)
        store.append("ownership", imp.ownership)
        store.append("list_sources", _source_row(imp))
        _run(con, "COMMIT")
    except duckdb.Error as exc:
        _run(con, "ROLLBACK")
        raise StoreError(f"{store.path}: cannot store list {imp.source}: {exc}") from exc


def _source_row(imp: ListImport) -> pl.DataFrame:
    """Return the list_sources row of an import."""
    row = {
        "source": imp.source,
        "list_version": imp.list_version,
        "format": imp.format,
        "path": imp.path,
        "sha256": imp.sha256,
        "imported_at": datetime.now(UTC).replace(tzinfo=None),
        "entity_count": imp.entities.height,
    }
    return pl.DataFrame([row], schema=LIST_TABLES["list_sources"])


def import_list(store: Store, path: str | Path, fmt: str | None = None) -> ListImport:
    """Read a list file and write it into the store, replacing an earlier import of its source."""
    imp = read_list(path, fmt)
    store_import(store, imp)
    return imp


def watchlist_from_import(imp: ListImport) -> pl.DataFrame:
    """Return one row per name of an import's listed entities, with their attributes."""
    entities = imp.entities.filter(pl.col("listed").fill_null(True)).select(
        "entity_id", "entity_schema", "source", "countries", "birth_dates", "list_version"
    )
    joined = imp.names.join(entities, on="entity_id", how="inner")
    return joined.select(list(WATCHLIST_COLUMNS)).cast(WATCHLIST_COLUMNS)  # type: ignore[arg-type]


def watchlist_frame(store: Store) -> pl.DataFrame:
    """Return one row per name of every listed entity in the store, with its entity's attributes."""
    frame = store.frame(
        "SELECT n.entity_id, n.name, n.name_type, n.strength, e.entity_schema, e.source, "
        "e.countries, e.birth_dates, e.list_version "
        "FROM list_names n JOIN list_entities e USING (entity_id) WHERE coalesce(e.listed, true) "
        "ORDER BY n.entity_id, n.name, n.name_type"
    )
    return frame.cast(WATCHLIST_COLUMNS)  # type: ignore[arg-type]


def version_date(version: str, imported_at: datetime) -> date:
    """Return the date a list version stands for, falling back to its import time."""
    value = iso_date(version) or ""
    parts = [int(p) for p in value.split("-") if p]
    if parts:
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return imported_at.date()


def list_age_warnings(store: Store, max_age_days: int, today: date | None = None) -> list[str]:
    """Return one warning per imported list older than max_age_days, or when none is imported."""
    rows = store.frame("SELECT source, list_version, imported_at FROM list_sources ORDER BY source")
    if rows.height == 0:
        return [
            "no sanctions lists imported, screening names against the bundled sample only; "
            "run `screening lists import FILE`"
        ]
    now = today or datetime.now(UTC).date()
    warnings = []
    for source, version, imported_at in rows.iter_rows():
        age = (now - version_date(version or "", imported_at)).days
        if age > max_age_days:
            warnings.append(
                f"list {source} version {version} is {age} days old (limit {max_age_days}); "
                "run `screening lists update` or import a newer file"
            )
    return warnings
