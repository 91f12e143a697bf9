"""The bundled sample fallback: one condition (no list imported), its views registered once a connection."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from screening.lists import ImportOptions, has_lists, import_list, listed_relations, sample_watchlist
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
    listed, _ = listed_relations(store)  # registered before the import: the views follow the store
    if imported:
        _import(store, tmp_path)
    assert has_lists(store) is lists
    assert store.scalar(f"SELECT count(*) FROM {listed}") == entities
    assert load_state(store).sources == served
    store.close()


def test_the_sample_is_registered_once_a_connection(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.duckdb")
    listed, ownership = listed_relations(store)
    store.con.unregister("sample_list_entities")
    listed_relations(store)  # the same connection: nothing registered again
    with pytest.raises(duckdb.CatalogException):
        store.scalar(f"SELECT count(*) FROM {listed}")
    store.close()
    again = open_store(tmp_path / "s.duckdb")  # a new connection registers the views afresh
    assert again.scalar(f"SELECT count(*) FROM {listed_relations(again)[0]}") == sample_watchlist().entities.height
    assert again.scalar(f"SELECT count(*) FROM {ownership}") == sample_watchlist().ownership.height
    again.close()
