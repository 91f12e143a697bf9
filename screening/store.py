"""The DuckDB store: schema, migrations, appends and reads through Arrow.

Record tables are created from the canonical columns in :mod:`screening.schema`, so the store,
ingestion and the rules cannot drift apart. The schema is versioned in ``meta``: an older store
is migrated in place, a newer one is refused.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from screening import schema
from screening.errors import StoreError

SCHEMA_VERSION: Final = 5
DEFAULT_PATH: Final = "screening.duckdb"
# DuckDB's own default (80 % of memory) assumes it is alone; the scan's polars frames share the
# machine, so the store caches and aggregates in less and spills to disk past it.
DEFAULT_MEMORY: Final = "30%"
_DUCKDB_MAGIC: Final = b"DUCK"  # bytes 8-11 of every DuckDB database file
MEMORY_ENV: Final = "SCREENING_STORE_MEMORY"
WAIT_ENV: Final = "SCREENING_STORE_WAIT"
DEFAULT_WAIT: Final = 10.0  # seconds a command waits while another process (a serve worker, a scan) holds the file
_RETRY_SECONDS: Final = 0.05

_DUCK_TYPES: Final[dict[type[pl.DataType], str]] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Float64: "DOUBLE",
    pl.Date: "DATE",
    pl.Boolean: "BOOLEAN",
    pl.Datetime: "TIMESTAMP",
}

LIST_TABLES: Final[dict[str, dict[str, pl.DataType]]] = {
    "list_sources": {
        "source": pl.String(),  # e.g. us_ofac_sdn, un_sc, eu_fsf, gb_fcdo, opensanctions
        "list_version": pl.String(),  # publication date or file date, as the list states it
        "format": pl.String(),
        "path": pl.String(),
        "sha256": pl.String(),
        "imported_at": pl.Datetime(),
        "entity_count": pl.Int64(),
    },
    "list_entities": {
        "entity_id": pl.String(),  # globally unique: "<source>:<id in the list>"
        "source": pl.String(),
        "list_version": pl.String(),
        "entity_schema": pl.String(),  # Person | Organization | Vessel | Aircraft | Unknown
        "caption": pl.String(),  # the primary name
        "programs": pl.String(),  # "; "-joined programme codes
        "countries": pl.String(),  # ";"-joined ISO-2 codes
        "birth_dates": pl.String(),  # ";"-joined ISO dates or years
        "listed_on": pl.Date(),
        "remarks": pl.String(),
        "listed": pl.Boolean(),  # false for context entities (owned companies, relatives); null reads as true
        "topics": pl.String(),  # ";"-joined FtM topics (sanction, role.pep, crime …); null: a sanctions list's entry
    },
    "list_names": {
        "entity_id": pl.String(),
        "name": pl.String(),
        "name_type": pl.String(),  # primary | alias | weak_alias | original_script | former
        "strength": pl.String(),  # strong | weak
    },
    "list_identifiers": {
        "entity_id": pl.String(),
        "id_type": pl.String(),  # IMO | INN | OGRN | LEI | BIC | PASSPORT | NATIONAL_ID | TAX | OTHER
        "value": pl.String(),  # normalised: upper case, no spaces or punctuation
        "raw": pl.String(),
    },
    "ownership": {
        "owner_id": pl.String(),
        "owned_id": pl.String(),
        "share": pl.Float64(),  # fraction 0..1, null when unknown
        "source": pl.String(),
        "source_file": pl.String(),
        "line": pl.Int64(),
    },
}

# Every list import, accepted or refused, and a snapshot of each accepted version's entries (for diffs).
LIST_HISTORY_TABLES: Final[dict[str, dict[str, pl.DataType]]] = {
    "list_imports": {
        "import_id": pl.String(),
        "source": pl.String(),
        "list_version": pl.String(),  # the publication date the list states, or "unknown"
        "format": pl.String(),
        "path": pl.String(),
        "sha256": pl.String(),
        "files": pl.String(),  # JSON: [{name, sha256}]
        "imported_at": pl.Datetime(),
        "status": pl.String(),  # accepted | refused
        "forced": pl.Boolean(),
        "entities": pl.Int64(),
        "names": pl.Int64(),
        "identifiers": pl.Int64(),
        "birth_dates": pl.Int64(),
        "problems": pl.Int64(),
        "reason": pl.String(),  # why a refused import was refused
    },
    "list_entity_versions": {
        "import_id": pl.String(),
        "source": pl.String(),
        "list_version": pl.String(),
        "entity_id": pl.String(),
        "entity_schema": pl.String(),
        "caption": pl.String(),
        "programs": pl.String(),
        "countries": pl.String(),
        "birth_dates": pl.String(),
        "names": pl.String(),  # "; "-joined, sorted
        "identifiers": pl.String(),  # "; "-joined TYPE:VALUE, sorted
    },
}

RUN_COLUMNS: Final[dict[str, pl.DataType]] = {
    "run_id": pl.String(),
    "started_at": pl.Datetime(),
    "finished_at": pl.Datetime(),
    "command": pl.String(),
    "engine_version": pl.String(),
    "fingerprint": pl.String(),
    "inputs": pl.String(),  # JSON: [{path, sha256, rows_read, stored, quarantined}]
    "lists": pl.String(),  # JSON: [{source, list_version, sha256}]
    "params": pl.String(),  # JSON: thresholds and options
    "counts": pl.String(),  # JSON
    "timings": pl.String(),  # JSON: seconds per stage
    "status": pl.String(),  # running | complete | interrupted | failed (screening.runstate); null: complete
}


def _ddl(table: str, columns: Mapping[str, pl.DataType], extra: str = "") -> str:
    """Return a CREATE TABLE statement for canonical columns."""
    cols = [f'"{name}" {_DUCK_TYPES[type(dtype)]}' for name, dtype in columns.items()]
    if extra:
        cols.append(extra)
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


def _run_scoped(columns: Mapping[str, pl.DataType]) -> dict[str, pl.DataType]:
    """Prefix canonical columns with the run they belong to."""
    return {"run_id": pl.String(), **columns}


DECISION_COLUMNS: Final[dict[str, pl.DataType]] = {
    "decision_id": pl.String(),
    "decided_at": pl.Datetime(),
    "run_id": pl.String(),  # the run whose hit the analyst looked at
    "hit_id": pl.String(),
    "rule_id": pl.String(),
    "subject": pl.String(),  # the hit's party, or its record id when it names none
    "entity_id": pl.String(),
    "entry_hash": pl.String(),  # the list entry's data when decided
    "party_hash": pl.String(),  # the party's data when decided
    "decision": pl.String(),  # confirmed | cleared
    "reason": pl.String(),
    "analyst": pl.String(),
}

TABLES: Final[dict[str, dict[str, pl.DataType]]] = {
    **{schema.RECORD_TABLES[kind]: _run_scoped(cols) for kind, cols in schema.RECORD_COLUMNS.items()},
    "quarantine": _run_scoped(schema.QUARANTINE_COLUMNS),
    "notes": _run_scoped(schema.NOTE_COLUMNS),
    "hits": schema.HIT_COLUMNS,
    "runs": RUN_COLUMNS,
    "decisions": DECISION_COLUMNS,
    **LIST_TABLES,
    **LIST_HISTORY_TABLES,
}


def _create_v1(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of schema version 1."""
    for table, columns in TABLES.items():
        extra = "PRIMARY KEY (run_id)" if table == "runs" else ""
        con.execute(_ddl(table, columns, extra))


def _add_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Add flow and ownership record tables and the columns version 2 added to older tables."""
    _create_v1(con)  # creates the new tables; existing ones keep their columns
    for table, columns in TABLES.items():
        for name, dtype in columns.items():
            con.execute(f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{name}" {_DUCK_TYPES[type(dtype)]}')


def _add_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Add the list-import history tables, the list entities' topics, the data-quality notes table, the
    party columns version 3 added to transactions and the runs' status."""
    _add_v2(con)


# The workbench's accounts (issue 22): created on open whatever the schema version, apart from the migrations.
SERVE_TABLES: Final[dict[str, tuple[dict[str, pl.DataType], str]]] = {
    "users": (
        {"name": pl.String(), "role": pl.String(), "password_hash": pl.String(), "created_at": pl.Datetime()},
        "PRIMARY KEY (name)",
    ),
    "sessions": (
        {
            "token_hash": pl.String(),  # SHA-256 of the cookie's token: the store never holds a usable token
            "user_name": pl.String(),
            "csrf": pl.String(),
            "created_at": pl.Datetime(),
            "expires_at": pl.Datetime(),
        },
        "PRIMARY KEY (token_hash)",
    ),
    "api_keys": (
        {
            "key_id": pl.String(),
            "name": pl.String(),
            "key_hash": pl.String(),
            "created_at": pl.Datetime(),
            "revoked": pl.Boolean(),
        },
        "PRIMARY KEY (key_id)",
    ),
}


def _add_serve_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the users, sessions and API-keys tables of ``screening serve`` where they are missing."""
    for table, (columns, key) in SERVE_TABLES.items():
        con.execute(_ddl(table, columns, key))


def _add_v4(con: duckdb.DuckDBPyConnection) -> None:
    """Add the payment-message columns (roles, accounts, message references) version 4 added to transactions."""
    _add_v2(con)


def _add_v5(con: duckdb.DuckDBPyConnection) -> None:
    """Add the postal-address countries of ultimate parties and initiating parties version 5 added to transactions."""
    _add_v2(con)


# version reached -> step that reaches it from the version before
MIGRATIONS: Final[dict[int, Callable[[duckdb.DuckDBPyConnection], None]]] = {
    1: _create_v1,
    2: _add_v2,
    3: _add_v3,
    4: _add_v4,
    5: _add_v5,
}


@dataclass
class Store:
    """An open DuckDB store."""

    con: duckdb.DuckDBPyConnection
    path: str

    def append(self, table: str, frame: pl.DataFrame) -> int:
        """Append a frame to a table, matching columns by name; return the row count."""
        if frame.height == 0:
            return 0
        aligned = self.register("_incoming", table, frame)
        try:
            names = ", ".join(f'"{c}"' for c in TABLES[table])  # by name: a migrated table orders columns its own way
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT * FROM _incoming")
        except duckdb.ConstraintException as exc:
            raise StoreError(f"{self.path}: {table}: refused to overwrite a recorded row ({exc})") from exc
        finally:
            self.con.unregister("_incoming")
        return aligned.height

    def register(self, view: str, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        """Register ``frame`` as the view ``view`` with ``table``'s columns and types (missing ones null); return it."""
        aligned = frame.select(
            [(pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in TABLES[table].items()]
        )
        self.con.register(view, aligned.to_arrow(compat_level=pl.CompatLevel.newest()))  # a view, no copy
        return aligned

    def frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run a query and return its result as a polars frame."""
        frame: pl.DataFrame = self.con.sql(sql, params=params or None).pl()
        return frame

    def batches(self, sql: str, params: list[Any] | None = None, rows: int = 1_000_000) -> Iterator[pl.DataFrame]:
        """Run a query and yield its result as polars frames of at most ``rows`` rows, read as they are needed."""
        reader = self.con.sql(sql, params=params or None).to_arrow_reader(rows)
        for batch in reader:
            yield pl.DataFrame(pl.from_arrow(batch))

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """Run a query and return the first column of its first row."""
        rows = self.con.execute(sql, params or []).fetchall()  # fetch all: DuckDB 2 keeps partial results open
        return rows[0][0] if rows else None

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def open_store(path: str | Path = DEFAULT_PATH, memory_limit: str | None = None, wait: float | None = None) -> Store:
    """Open (creating or migrating) the store at ``path``; ``:memory:`` gives a throwaway one.

    ``memory_limit`` (DuckDB's form: "30%", "4GB") defaults to ``$SCREENING_STORE_MEMORY``, else 30 %; while another
    process holds the file, the call retries for ``wait`` seconds (default ``$SCREENING_STORE_WAIT``, else 10).
    """
    target = str(path)
    limit = memory_limit or os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY
    check_store_file(target)
    con = _connect(target, _wait_seconds(wait))
    if target != ":memory:" and not Path(target).is_file():  # DuckDB reads some names as something else
        con.close()
        raise StoreError(f"{target}: DuckDB did not create a store file there; choose a path ending in .duckdb")
    try:
        con.execute("SET memory_limit = ?", [limit])
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"{target}: memory limit {limit!r} ({MEMORY_ENV} or the caller) is not valid: {exc}") from exc
    version = _schema_version(con, target)
    if version > SCHEMA_VERSION:
        con.close()
        raise StoreError(
            f"{target}: store schema version {version} is newer than this engine's "
            f"({SCHEMA_VERSION}); upgrade screening or use another --db"
        )
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](con)
    _add_serve_tables(con)
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    return Store(con=con, path=target)


class StoreLockedError(StoreError):
    """Another process holds the store file's lock (a scan, an import, a serve worker)."""


def _wait_seconds(wait: float | None) -> float:
    """Return the seconds to wait for another process's lock: the caller's, else the environment's, else 10."""
    if wait is not None:
        return max(wait, 0.0)
    text = os.environ.get(WAIT_ENV)
    if text is None:
        return DEFAULT_WAIT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError(f"{WAIT_ENV}={text!r} is not a number of seconds (0 or more)")
    return seconds


def _connect(target: str, wait: float) -> duckdb.DuckDBPyConnection:
    """Connect to the store, retrying for ``wait`` seconds while another process holds its lock."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(target)
        except duckdb.Error as exc:
            if not (isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)):
                raise StoreError(f"{target}: cannot open the store: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{target}: the store is in use by another process (waited {wait:g} s; "
                    f"{WAIT_ENV} sets the wait): {exc}"
                ) from exc
        time.sleep(_RETRY_SECONDS)


def check_store_file(target: str) -> None:
    """Refuse a store path that exists but is not a DuckDB database file (a CSV, a folder, a device)."""
    place = Path(target)
    if target == ":memory:" or not place.exists():
        return
    if not place.is_file():
        raise StoreError(f"{target}: not a DuckDB store (not a regular file); choose another --db or a new path")
    with place.open("rb") as handle:
        head = handle.read(12)
    if head and head[8:12] != _DUCKDB_MAGIC:
        raise StoreError(f"{target}: not a DuckDB store (another kind of file); choose another --db or a new path")


def _schema_version(con: duckdb.DuckDBPyConnection, target: str) -> int:
    """Return the store's schema version: 0 for an empty database."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in tables:
        if tables:
            con.close()
            raise StoreError(
                f"{target}: not a screening store (it has tables {sorted(tables)[:5]} "
                "but no meta table); choose another --db"
            )
        return 0
    value = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(value[0]) if value else 0
