"""The served index follows the store's list imports, swapping whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screening.lists import ImportOptions, import_list
from screening.serve.access import StoreAccess
from screening.serve.accounts import add_key
from screening.serve.live import LiveIndex
from screening.store import Store, open_store
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


class CountingAccess(StoreAccess):
    """The real store access, counting how often the store is opened."""

    opened = 0

    def _connect(self, deadline: float) -> Store:
        """Open the store and count it."""
        self.opened += 1
        return super()._connect(deadline)


def _add_key(db: Path) -> None:
    """Create an API key in the store."""
    store = open_store(db)
    add_key(store, "later")
    store.close()


def _import(db: Path) -> None:
    """Import a second list into the store."""
    extra = db.with_name("more.csv")
    extra.write_text("entity_id,name,schema\n9,NEW LISTED CO,Organization\n", encoding="utf-8")
    store = open_store(db)
    import_list(store, extra, options=ImportOptions(version="2026-02-01", source="second"))
    store.close()


def _nothing(db: Path) -> None:
    """Leave the store alone."""


@pytest.mark.parametrize(
    ("change", "opened", "rebuilt", "keys"),
    [(_nothing, 0, False, 1), (_add_key, 1, False, 2), (_import, 1, True, 1)],
)
def test_poll_opens_the_store_only_when_its_file_changed(
    served: Served, change: Callable[[Path], None], opened: int, rebuilt: bool, keys: int
) -> None:
    """A poll leaves an unchanged store file alone (its lock stays free for scans and other workers)."""
    access = CountingAccess(str(served.db))
    live = LiveIndex(access)
    live.poll_once()
    access.opened = 0
    change(served.db)
    assert (live.poll_once(), access.opened, len(live.keys)) == (rebuilt, opened, keys)
