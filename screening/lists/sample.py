"""The sample lists shipped inside the package (see ``screening/data/lists/README.md``)."""

from __future__ import annotations

import hashlib
import weakref
from functools import cache
from pathlib import Path
from typing import Any, Final, NamedTuple, Protocol

import duckdb
import polars as pl

from screening.lists.model import ListImport
from screening.lists.registry import read_list
from screening.lists.storage import store_import
from screening.store import Store

SAMPLE_DIR: Final = Path(__file__).resolve().parents[1] / "data" / "lists"
SAMPLE_FILES: Final = (
    "us_ofac_sdn_russia_2021-07",
    "us_ofac_cons_cmic_2025-12",
    "un_sc_2026-02-27_sample.xml",
)
# The one condition under which a store's readers fall back to the bundled sample: no list is imported
# (as a scan then screens against the sample). A scalar SQL condition, so that a view built on it
# follows an import made while a connection is open.
NO_LISTS: Final = "NOT EXISTS (SELECT 1 FROM list_entities)"
# The list tables whose facts a run's evidence reads, and the views the bundled sample's are registered as.
_SAMPLE_VIEWS: Final = {
    "list_entities": "sample_list_entities",
    "list_names": "sample_list_names",
    "list_identifiers": "sample_list_identifiers",
    "ownership": "sample_ownership",
}
# The connections the sample is registered on: once each, not once per query.
_REGISTERED: Final[weakref.WeakSet[duckdb.DuckDBPyConnection]] = weakref.WeakSet()


class Listed(NamedTuple):
    """The SQL relations of the list facts a run screened against: the imported lists', or the bundled sample's."""

    entities: str
    names: str
    identifiers: str
    ownership: str


def sample_paths() -> list[Path]:
    """Return the bundled sample list files and folders."""
    return [SAMPLE_DIR / name for name in SAMPLE_FILES]


def sample_imports() -> list[ListImport]:
    """Return each bundled sample list read on its own."""
    return [read_list(path) for path in sample_paths()]


@cache
def sample_watchlist() -> ListImport:
    """Return all bundled sample lists as one import (entities keep their own sources)."""
    parts = sample_imports()
    digest = hashlib.sha256("".join(p.sha256 for p in parts).encode()).hexdigest()
    return ListImport(
        source="sample",
        list_version=";".join(f"{p.source}={p.list_version}" for p in parts),
        format="sample",
        path=str(SAMPLE_DIR),
        sha256=digest,
        entities=pl.concat([p.entities for p in parts]),
        names=pl.concat([p.names for p in parts]),
        identifiers=pl.concat([p.identifiers for p in parts]),
        ownership=pl.concat([p.ownership for p in parts]),
        problems=pl.concat([p.problems for p in parts]),
    )


def import_sample(store: Store) -> list[ListImport]:
    """Write the bundled sample lists into the store, one source each."""
    parts = sample_imports()
    for part in parts:
        store_import(store, part)
    return parts


class Queried(Protocol):
    """What :func:`has_lists` needs of a store: a query's result as a frame (a scan's store protocol has it)."""

    def frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Return a query's result as a polars frame."""
        ...


def has_lists(store: Queried) -> bool:
    """Tell whether the store holds an imported list (else its readers read the bundled sample)."""
    return not store.frame(f"SELECT {NO_LISTS} AS none")["none"][0]


def sample_versions() -> list[dict[str, Any]]:
    """Return the bundled sample lists' sources, versions and hashes as a run's provenance records them."""
    return [
        {"source": p.source, "list_version": p.list_version, "sha256": p.sha256, "bundled": True}
        for p in sample_imports()
    ]


def screened_sample(run_id: str | None) -> str:
    """Return the SQL condition that a run screened the bundled sample, as its recorded lists say.

    A run recorded before the sample was named in its provenance has an empty list of lists; a run
    with none recorded yet (running, or no such run) follows the store's present state (:data:`NO_LISTS`).
    """
    if run_id is None:
        return NO_LISTS
    quoted = run_id.replace("'", "''")
    lists = f"(SELECT lists FROM runs WHERE run_id = '{quoted}')"
    return f"coalesce({lists} = '[]' OR contains({lists}, '\"bundled\": true'), {NO_LISTS})"


def listed_relations(store: Store, run_id: str | None = None) -> Listed:
    """Return the relations of the list facts a run screened against (the store's present lists without a run).

    The bundled sample's frames are registered once a connection.
    """
    if store.con not in _REGISTERED:
        sample = sample_watchlist()
        for table, view in _SAMPLE_VIEWS.items():
            store.register(view, table, getattr(sample, table.removeprefix("list_")))
        _REGISTERED.add(store.con)
    screened = screened_sample(run_id)
    return Listed(
        *(
            f"(SELECT * FROM {table} WHERE NOT {screened} UNION ALL BY NAME SELECT * FROM {view} WHERE {screened})"
            for table, view in _SAMPLE_VIEWS.items()
        )
    )
