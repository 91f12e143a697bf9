"""The list-import history: every import recorded, each accepted version's entries kept for diffs.

``list_imports`` has one row per import, accepted or refused, with its counts and file hashes;
``list_entity_versions`` keeps a snapshot of each accepted version's entries, so that a run can
name the version that screened it and ``diff`` can list what a list update added, removed or changed.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import polars as pl

from screening.errors import ListError
from screening.lists.model import ListImport, file_hashes
from screening.schema import conform
from screening.store import LIST_HISTORY_TABLES, Store

COMPARED: Final = ("entity_schema", "caption", "programs", "countries", "birth_dates", "names", "identifiers")
DIFF_COLUMNS: Final[dict[str, pl.DataType]] = {
    "change": pl.String(),
    "entity_id": pl.String(),
    "caption": pl.String(),
    "fields": pl.String(),
}


def files_json(path: str) -> str:
    """Return the JSON list of a file's (or a folder's files') names and SHA-256 hashes."""
    return json.dumps(file_hashes(Path(path)))


def import_row(imp: ListImport, status: str, forced: bool, reason: str | None) -> pl.DataFrame:
    """Return the list_imports row of an import."""
    row = {
        "import_id": uuid.uuid4().hex[:16],
        "source": imp.source,
        "list_version": imp.list_version,
        "format": imp.format,
        "path": imp.path,
        "sha256": imp.sha256,
        "files": files_json(imp.path) if Path(imp.path).exists() else "[]",
        "imported_at": datetime.now(UTC).replace(tzinfo=None),
        "status": status,
        "forced": forced,
        "entities": imp.entities.height,
        "names": imp.names.height,
        "identifiers": imp.identifiers.height,
        "birth_dates": imp.entities.filter(pl.col("birth_dates").is_not_null()).height,
        "problems": imp.problems.height,
        "reason": reason,
    }
    return pl.DataFrame([row], schema=LIST_HISTORY_TABLES["list_imports"])


def _joined(frame: pl.DataFrame, value: pl.Expr, alias: str) -> pl.DataFrame:
    """Return one row per entity with its values sorted and joined by '; '."""
    return frame.group_by("entity_id").agg(value.sort().str.join("; ").alias(alias))


def snapshot(imp: ListImport, import_id: str) -> pl.DataFrame:
    """Return the list_entity_versions rows of an import."""
    names = _joined(imp.names, pl.col("name"), "names")
    ids = _joined(imp.identifiers, pl.concat_str("id_type", pl.lit(":"), "value"), "identifiers")
    frame = (
        imp.entities.join(names, on="entity_id", how="left")
        .join(ids, on="entity_id", how="left")
        .with_columns(pl.lit(import_id).alias("import_id"), pl.lit(imp.source).alias("source"))
    )
    columns = LIST_HISTORY_TABLES["list_entity_versions"]
    return conform(frame, columns)


def history(store: Store, source: str | None = None) -> pl.DataFrame:
    """Return the recorded imports, newest first, of one source or of all."""
    where = "WHERE source = ?" if source else ""
    return store.frame(
        f"SELECT * FROM list_imports {where} ORDER BY imported_at DESC, import_id", [source] if source else None
    )


def _accepted(store: Store, source: str) -> pl.DataFrame:
    """Return the accepted imports of a source, oldest first."""
    return store.frame(
        "SELECT import_id, list_version FROM list_imports WHERE source = ? AND status = 'accepted' "
        "ORDER BY imported_at, import_id",
        [source],
    )


def _import_of(accepted: pl.DataFrame, source: str, version: str) -> str:
    """Return the latest accepted import of a version; raise ListError naming the known ones."""
    found = accepted.filter(pl.col("list_version") == version)
    if found.height == 0:
        known = ", ".join(dict.fromkeys(accepted["list_version"].to_list())) or "none"
        raise ListError(f"list {source} has no imported version {version!r}; imported versions: {known}")
    return str(found["import_id"][-1])


def diff_imports(store: Store, source: str, old: str | None = None, new: str | None = None) -> pl.DataFrame:
    """Return the entries added, removed and changed from one version of a source to another."""
    accepted = _accepted(store, source)
    if (old is None) != (new is None):
        raise ListError("lists diff takes no version or two (OLD NEW)")
    if old is None or new is None:
        if accepted.height < 2:
            raise ListError(f"list {source} has {accepted.height} accepted import(s); a diff needs two")
        ids = [str(accepted["import_id"][-2]), str(accepted["import_id"][-1])]
    else:
        ids = [_import_of(accepted, source, old), _import_of(accepted, source, new)]
    return _diff(_version(store, ids[0]), _version(store, ids[1]))


def _version(store: Store, import_id: str) -> pl.DataFrame:
    """Return the snapshot of one import."""
    return store.frame("SELECT * FROM list_entity_versions WHERE import_id = ?", [import_id])


def _diff(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Return added, removed and changed entries between two snapshots, ordered by change and id."""
    both = before.select("entity_id", *COMPARED).join(
        after.select("entity_id", *COMPARED), on="entity_id", how="full", suffix="_new", coalesce=True
    )
    differs = [pl.col(c).ne_missing(pl.col(f"{c}_new")) for c in COMPARED]
    named = [pl.when(d).then(pl.lit(c)) for d, c in zip(differs, COMPARED, strict=True)]
    fields = pl.concat_str(named, separator=", ", ignore_nulls=True)
    change = (
        pl.when(pl.col("caption").is_null())
        .then(pl.lit("added"))
        .when(pl.col("caption_new").is_null())
        .then(pl.lit("removed"))
        .when(pl.any_horizontal(differs))
        .then(pl.lit("changed"))
    )
    result = both.select(
        change.alias("change"),
        "entity_id",
        pl.coalesce("caption_new", "caption").alias("caption"),
        pl.when(change == "changed").then(fields).alias("fields"),
    )
    return conform(result.filter(pl.col("change").is_not_null()).sort("change", "entity_id"), DIFF_COLUMNS)
