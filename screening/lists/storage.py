"""Writing list imports into the store, and reading them back as the names matcher's watchlist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from screening.errors import ListError, StoreError
from screening.lists.history import import_row, snapshot
from screening.lists.model import ListImport, with_version
from screening.lists.ofac_update import is_update_folder, read_update
from screening.lists.registry import read_list
from screening.lists.values import iso_date
from screening.schema import conform
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
    "topics": pl.String(),  # null: a sanctions list's entry; else FtM topics, 'sanction' among them or not
}
DEFAULT_MAX_PROBLEM_SHARE: Final = 0.01
SANCTION_TOPIC: Final = "sanction"


@dataclass(frozen=True)
class ImportOptions:
    """How an import is read and when it may replace its source's stored version."""

    force: bool = False  # replace even when the import has too many problems
    max_problem_share: float = DEFAULT_MAX_PROBLEM_SHARE  # problems / (entries + problems)
    version: str | None = None  # the version to record, for files that state none
    source: str | None = None  # the source name of a generic list CSV


class ImportRefusedError(ListError):
    """An import had too many problems to replace its source's stored version."""

    def __init__(self, message: str, imp: ListImport) -> None:
        super().__init__(message)
        self.imp = imp


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> None:
    """Execute a statement and consume its result, as DuckDB requires before the next one."""
    con.execute(sql, params or []).fetchall()


def store_import(store: Store, imp: ListImport, *, forced: bool = False) -> str:
    """Write an import as its source's current version, replacing only that source; return its import id."""
    con = store.con
    record = import_row(imp, "accepted", forced, None)
    import_id = str(record["import_id"][0])
    _run(con, "BEGIN TRANSACTION")
    try:
        for table in ("list_names", "list_identifiers"):
            _run(
                con,
                f"DELETE FROM {table} WHERE entity_id IN (SELECT entity_id FROM list_entities WHERE source = ?)",
                [imp.source],
            )
        for table in ("list_entities", "ownership", "list_sources"):
            _run(con, f"DELETE FROM {table} WHERE source = ?", [imp.source])
        store.append("list_entities", imp.entities)
        store.append("list_names", imp.names)
        store.append("list_identifiers", imp.identifiers)
        store.append("ownership", imp.ownership)
        store.append("list_sources", _source_row(imp))
        store.append("list_entity_versions", snapshot(imp, import_id))
        store.append("list_imports", record)
        _run(con, "COMMIT")
    except duckdb.Error as exc:
        _run(con, "ROLLBACK")
        raise StoreError(f"{store.path}: cannot store list {imp.source}: {exc}") from exc
    return import_id


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


def _topic_refusal(entities: pl.DataFrame) -> str | None:
    """Return why a list whose entries all carry topics, none of them 'sanction', is not a sanctions list."""
    topics = entities["topics"].str.split(";")
    if topics.is_null().any() or topics.list.contains(SANCTION_TOPIC).any():
        return None
    counts = topics.explode().value_counts(sort=True).head(5).rows()
    named = ", ".join(f"{topic} {n}" for topic, n in counts)
    return f"no entry carries the '{SANCTION_TOPIC}' topic (topics: {named}), so this is not a sanctions list"


def refusal(imp: ListImport, max_problem_share: float) -> str | None:
    """Return why an import must not replace its source's stored version, or None when it may."""
    entities, problems = imp.entities.height, imp.problems.height
    if entities == 0:
        return f"no entries read ({problems} problems)"
    if reason := _topic_refusal(imp.entities):
        return reason
    share = problems / (entities + problems)
    if share > max_problem_share:
        return (
            f"{problems} problems against {entities} entries read ({share:.1%}) "
            f"exceed the allowed share of {max_problem_share:.1%}"
        )
    return None


def _stored_version(store: Store, source: str) -> str:
    """Return a sentence naming the source's stored version, or saying there is none."""
    version = store.scalar("SELECT list_version FROM list_sources WHERE source = ?", [source])
    return f"the stored version {version} is kept" if version else "nothing was stored"


def import_list(
    store: Store,
    path: str | Path,
    fmt: str | None = None,
    *,
    options: ImportOptions | None = None,
) -> ListImport:
    """Read a list file and make it its source's current version unless it is worse than allowed.

    A refused import is recorded and raises :class:`ImportRefusedError` (a ListError) carrying the import.
    """
    opts = options or ImportOptions()
    target = Path(path)
    if fmt in (None, "ofac_csv") and is_update_folder(target):
        imp = read_update(store, target, opts.version)
    else:
        imp = with_version(read_list(target, fmt, source=opts.source), opts.version)
    reason = refusal(imp, opts.max_problem_share)
    if reason and not opts.force:
        store.append("list_imports", import_row(imp, "refused", False, reason))
        raise ImportRefusedError(
            f"{imp.path}: import of {imp.source} version {imp.list_version} refused: {reason}; "
            f"{_stored_version(store, imp.source)} (pass --force to import it anyway)",
            imp,
        )
    store_import(store, imp, forced=reason is not None)
    return imp


def watchlist_from_import(imp: ListImport) -> pl.DataFrame:
    """Return one row per name of an import's listed entities, with their attributes."""
    entities = imp.entities.filter(pl.col("listed").fill_null(True)).select(
        "entity_id", "entity_schema", "source", "countries", "birth_dates", "list_version", "topics"
    )
    joined = imp.names.join(entities, on="entity_id", how="inner")
    return conform(joined, WATCHLIST_COLUMNS)


def watchlist_frame(store: Store) -> pl.DataFrame:
    """Return one row per name of every listed entity in the store, with its entity's attributes."""
    frame = store.frame(
        "SELECT n.entity_id, n.name, n.name_type, n.strength, e.entity_schema, e.source, "
        "e.countries, e.birth_dates, e.list_version, e.topics "
        "FROM list_names n JOIN list_entities e USING (entity_id) WHERE coalesce(e.listed, true) "
        "ORDER BY n.entity_id, n.name, n.name_type"
    )
    return conform(frame, WATCHLIST_COLUMNS)


def version_date(version: str) -> date | None:
    """Return the date a list version stands for, or None when the version states none."""
    value = iso_date(version) or ""
    parts = [int(p) for p in value.split("-") if p]
    if parts:
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return None


def _age_warning(source: str, version: str, now: date, max_age_days: int) -> str | None:
    """Return the warning a list version deserves at a date, or None."""
    stated = version_date(version)
    if stated is None:
        return (
            f"list {source} has no known publication date (version {version!r}), so its age cannot be "
            "checked; import it again with --version DATE"
        )
    age = (now - stated).days
    if age > max_age_days:
        return (
            f"list {source} version {version} is {age} days old (limit {max_age_days}); "
            "run `screening lists update` or import a newer file"
        )
    return None


def list_age_warnings(store: Store, max_age_days: int, today: date | None = None) -> list[str]:
    """Return one warning per imported list older than max_age_days or of unknown date, or when none is imported."""
    rows = store.frame("SELECT source, list_version FROM list_sources ORDER BY source")
    if rows.height == 0:
        return [
            "no sanctions lists imported, screening names against the bundled sample only; "
            "run `screening lists import FILE`"
        ]
    now = today or datetime.now(UTC).date()
    found = (_age_warning(source, version or "", now, max_age_days) for source, version in rows.iter_rows())
    return [w for w in found if w]
