"""The sample lists shipped inside the package (see ``screening/data/lists/README.md``)."""

from __future__ import annotations

import hashlib
import weakref
from functools import cache
from pathlib import Path
from typing import Any, Final, Protocol

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
# The list entities and ownership links a run's hits can name: the imported lists', or the bundled
# sample's when none are imported; read them through listed_relations, which registers the sample's views.
LISTED_ENTITIES: Final = (
    f"(SELECT * FROM list_entities UNION ALL BY NAME SELECT * FROM sample_list_entities WHERE {NO_LISTS})"
)
LISTED_OWNERSHIP: Final = f"(SELECT * FROM ownership UNION ALL BY NAME SELECT * FROM sample_ownership WHERE {NO_LISTS})"
# The connections the sample is registered on: once each, not once per query.
_REGISTERED: Final[weakref.WeakSet[duckdb.DuckDBPyConnection]] = weakref.WeakSet()


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


def listed_relations(store: Store) -> tuple[str, str]:
    """Return the SQL relations of the listed entities and ownership links, registering the sample once a connection."""
    if store.con not in _REGISTERED:
        sample = sample_watchlist()
        store.register("sample_list_entities", "list_entities", sample.entities)
        store.register("sample_ownership", "ownership", sample.ownership)
        _REGISTERED.add(store.con)
    return LISTED_ENTITIES, LISTED_OWNERSHIP
