"""The server's name index: built once from the store's lists and swapped whole when they change.

A poller reads the store's list versions (and the live API keys) every few seconds; when the
versions differ from those the index was built from, a new index is built beside the old one,
which keeps answering until one assignment replaces it. A store with no imported lists is
served the bundled sample lists, as ``screening scan`` screens against them.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import polars as pl

from screening import lists
from screening.errors import StoreError
from screening.names import NameIndex, build_index
from screening.names.single.serve import prepare
from screening.serve.access import StoreAccess
from screening.serve.accounts import live_keys
from screening.store import Store

POLL_SECONDS: Final = 3.0
REREAD_SECONDS: Final = 60.0  # a poll reads an unchanged store file at least this often all the same
_VERSIONS: Final = (
    "SELECT source, list_version, CAST(imported_at AS VARCHAR) AS imported_at, entity_count "
    "FROM list_sources ORDER BY source"
)


@dataclass(frozen=True)
class ListState:
    """One generation of the served lists: the index, the entities it answers with, and their versions."""

    index: NameIndex
    entities: pl.DataFrame  # one row per entity, names and identifiers gathered into lists
    position: dict[str, int]  # entity_id -> row of ``entities``
    versions: list[dict[str, Any]]  # source, list_version, imported_at, entity_count
    built_at: datetime

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """Return one entity's row, or None when it is not served."""
        row = self.position.get(entity_id)
        return None if row is None else self.entities.row(row, named=True)

    @property
    def sources(self) -> list[str]:
        """Return the served list sources."""
        return [str(v["source"]) for v in self.versions]


def gather_entities(entities: pl.DataFrame, names: pl.DataFrame, identifiers: pl.DataFrame) -> pl.DataFrame:
    """Return one row per listed entity with its names (and their types) and identifiers as list columns."""
    named = names.group_by("entity_id").agg(pl.col("name"), pl.col("name_type"))
    ids = identifiers.group_by("entity_id").agg(pl.col("id_type"), pl.col("raw").fill_null(pl.col("value")))
    listed = entities.filter(pl.col("listed").fill_null(True)).sort("entity_id")
    return listed.join(named, on="entity_id", how="left").join(ids, on="entity_id", how="left")


def _from_store(store: Store) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[dict[str, Any]]] | None:
    """Return the watchlist, identifiers, entities and versions of the store's lists, or None when it has none."""
    if not lists.has_lists(store):
        return None
    versions = store.frame(_VERSIONS).to_dicts()
    watch = lists.watchlist_frame(store)
    ids = store.frame("SELECT entity_id, id_type, value, raw FROM list_identifiers")
    entities = gather_entities(
        store.frame("SELECT * FROM list_entities"),
        store.frame("SELECT entity_id, name, name_type FROM list_names"),
        ids,
    )
    return watch, ids, entities, versions


def _from_sample() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[dict[str, Any]]]:
    """Return the watchlist, identifiers, entities and version of the bundled sample lists."""
    imp = lists.sample_watchlist()
    entities = gather_entities(imp.entities, imp.names, imp.identifiers)
    version = {
        "source": "sample",
        "list_version": imp.list_version,
        "imported_at": None,
        "entity_count": entities.height,
    }
    return lists.watchlist_from_import(imp), imp.identifiers, entities, [version]


def build_state(read: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[dict[str, Any]]] | None) -> ListState:
    """Build the served lists from what was read from the store, or from the bundled sample when it has none."""
    watch, ids, entities, versions = read or _from_sample()
    position = dict(zip(entities["entity_id"].to_list(), range(entities.height), strict=True))
    return ListState(prepare(build_index(watch, ids)), entities, position, versions, datetime.now(UTC))


def load_state(store: Store) -> ListState:
    """Build the served lists from the store, or from the bundled sample when it has none."""
    return build_state(_from_store(store))


def file_stamp(path: str) -> tuple[tuple[int, int] | None, ...]:
    """Return the modification time and size of a store file and of its write-ahead log (None: no such file)."""
    return tuple(_stat(name) for name in (path, f"{path}.wal"))


def _stat(path: str) -> tuple[int, int] | None:
    """Return a file's modification time in nanoseconds and its size, or None when it is not there."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def fingerprint(store: Store) -> str:
    """Return a string that changes whenever an import replaces a list version."""
    return repr(store.frame(_VERSIONS).rows())


@dataclass
class LiveIndex:
    """The lists a server answers from, and the API keys it accepts, kept in step with the store."""

    access: StoreAccess
    poll: float = POLL_SECONDS
    state: ListState | None = None
    keys: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # why the last refresh failed, for /readyz
    _seen: str | None = None
    _stamp: tuple[tuple[int, int] | None, ...] | None = None  # the store file as the last good refresh found it
    _read_at: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def poll_once(self) -> bool:
        """Refresh when the store file changed since the last refresh; return whether the index was rebuilt.

        Opening the store takes DuckDB's file lock, which a scan, an import or another worker then
        waits for or fails on; an unchanged file (opening and reading do not touch it) is not opened.
        """
        stamp = file_stamp(self.access.path)  # before reading: a write after it shows at the next poll
        fresh = time.monotonic() - self._read_at < REREAD_SECONDS
        if stamp == self._stamp and self.error is None and fresh:
            return False
        rebuilt = self.refresh()
        if self.error is None:
            self._stamp, self._read_at = stamp, time.monotonic()
        return rebuilt

    def refresh(self) -> bool:
        """Reload the keys, and rebuild the index when the list versions changed; return whether it was rebuilt."""
        try:
            with self.access.open() as store:
                self.keys = live_keys(store)
                seen = fingerprint(store)
                if seen == self._seen and self.state is not None:
                    self.error = None
                    return False
                read = _from_store(store)
        except StoreError as exc:
            self.error = str(exc)
            return False
        state = build_state(read)  # outside the store's lock: the workbench goes on meanwhile
        self.state, self._seen, self.error = state, seen, None  # one assignment swaps what requests see
        return True

    def start(self) -> None:
        """Start polling the store in a background thread."""
        self._stop.clear()
        threading.Thread(target=self._run, name="screening-serve-poll", daemon=True).start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()

    def _run(self) -> None:
        """Poll until stopped."""
        while not self._stop.wait(self.poll):
            self.poll_once()


def age_seconds(version: dict[str, Any], now: float | None = None) -> float | None:
    """Return how long ago a list version was imported, in seconds, or None when unknown."""
    stamp = version.get("imported_at")
    if not stamp:
        return None
    imported = datetime.fromisoformat(str(stamp)).replace(tzinfo=UTC)
    return round((now or time.time()) - imported.timestamp(), 1)
