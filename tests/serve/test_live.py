"""The served index follows the store's list imports, swapping whole."""

from __future__ import annotations

from pathlib import Path

from screening.lists import ImportOptions, import_list
from screening.serve.access import StoreAccess
from screening.serve.live import LiveIndex
from screening.store import open_store
from tests.serve.conftest import Served


def test_index_swaps_when_a_list_is_imported(served: Served, tmp_path: Path) -> None:
    """A new import is picked up on the next refresh; an unchanged store is not rebuilt."""
    live = LiveIndex(StoreAccess(str(served.db)))
    assert live.refresh() is True
    first = live.state
    assert first is not None and first.sources == ["testlist"]
    assert live.refresh() is False and live.state is first
    extra = tmp_path / "more.csv"
    extra.write_text("entity_id,name,schema\n9,NEW LISTED CO,Organization\n", encoding="utf-8")
    store = open_store(served.db)
    import_list(store, extra, options=ImportOptions(version="2026-02-01", source="second"))
    store.close()
    assert live.refresh() is True
    assert live.state is not None and live.state.sources == ["second", "testlist"]
    assert live.state.entity("second:9") is not None and first.entity("second:9") is None


def test_store_without_lists_serves_the_sample(tmp_path: Path) -> None:
    """A store with no imported lists serves the bundled sample, as a scan screens against it."""
    open_store(tmp_path / "empty.duckdb").close()
    live = LiveIndex(StoreAccess(str(tmp_path / "empty.duckdb")))
    assert live.refresh() is True
    assert live.state is not None and live.state.sources == ["sample"] and live.state.entities.height > 0
