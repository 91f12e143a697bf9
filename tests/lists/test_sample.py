"""The bundled sample fallback: a run reads the lists it screened; the sample is registered once a connection."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from screening.lists import (
    ImportOptions,
    has_lists,
    import_list,
    listed_relations,
    sample_versions,
    sample_watchlist,
)
from screening.serve.live import load_state
from screening.store import Store, open_store

WATCH = "entity_id,name,schema\n1,ROSOBORONEXPORT,Organization\n2,SEA BREEZE,Vessel\n"


def _import(store: Store, directory: Path) -> None:
    """Import a two-entry generic list into the store."""
    path = directory / "watch.csv"
    path.write_text(WATCH, encoding="utf-8")
    import_list(store, path, options=ImportOptions(version="2026-01-01", source="testlist"))


@pytest.mark.parametrize(
    ("imported", "lists", "entities", "served"),
    [
        (False, False, sample_watchlist().entities.height, ["sample"]),  # nothing imported: the sample
        (True, True, 2, ["testlist"]),  # an imported list replaces the sample everywhere
    ],
)
def test_one_condition_decides_the_sample(
    tmp_path: Path, imported: bool, lists: bool, entities: int, served: list[str]
) -> None:
    store = open_store(tmp_path / "s.duckdb")
    listed = listed_relations(store).entities  # registered before the import: the views follow the store
    if imported:
        _import(store, tmp_path)
    assert has_lists(store) is lists
    assert store.scalar(f"SELECT count(*) FROM {listed}") == entities
    assert load_state(store).sources == served
    store.close()


def test_the_sample_is_registered_once_a_connection(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.duckdb")
    listed, _, _, ownership = listed_relations(store)
    store.con.unregister("sample_list_entities")
    listed_relations(store)  # the same connection: nothing registered again
    with pytest.raises(duckdb.CatalogException):
        store.scalar(f"SELECT count(*) FROM {listed}")
    store.close()
    again = open_store(tmp_path / "s.duckdb")  # a new connection registers the views afresh
    assert again.scalar(f"SELECT count(*) FROM {listed_relations(again)[0]}") == sample_watchlist().entities.height
    assert again.scalar(f"SELECT count(*) FROM {ownership}") == sample_watchlist().ownership.height
    again.close()


TESTLIST = json.dumps([{"source": "testlist", "list_version": "2026-01-01", "sha256": "x"}])


@pytest.mark.parametrize(
    ("recorded", "imported", "sources"),
    [
        (None, False, {"us_ofac_sdn", "us_ofac_cons", "un_sc"}),  # no run recorded: the store's present state
        (None, True, {"testlist"}),
        ("[]", True, {"us_ofac_sdn", "us_ofac_cons", "un_sc"}),  # a run recorded before the sample was named
        (json.dumps(sample_versions()), True, {"us_ofac_sdn", "us_ofac_cons", "un_sc"}),  # lists imported since
        (TESTLIST, True, {"testlist"}),
    ],
)
def test_a_run_reads_the_lists_it_screened(
    tmp_path: Path, recorded: str | None, imported: bool, sources: set[str]
) -> None:
    store = open_store(tmp_path / "s.duckdb")
    if recorded is not None:
        store.append("runs", pl.DataFrame({"run_id": ["r1"], "lists": [recorded]}))
    if imported:
        _import(store, tmp_path)
    listed = listed_relations(store, "r1")
    assert set(store.frame(f"SELECT DISTINCT source FROM {listed.entities}")["source"]) == sources
    names = store.scalar(
        f"SELECT count(*) FROM {listed.names} WHERE entity_id NOT IN (SELECT entity_id FROM {listed.entities})"
    )
    assert names == 0
    store.close()


def test_a_run_on_the_sample_records_its_versions(tmp_path: Path) -> None:
    assert {v["source"] for v in sample_versions()} == set(sample_watchlist().entities["source"].unique())
    assert all(v["bundled"] and v["sha256"] for v in sample_versions())
