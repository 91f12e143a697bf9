"""The list entry `explain` shows: its source, version, programmes and weak aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.lists import import_list
from screening.report.explain import _list_entry
from screening.store import open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("entity_id", "programs", "weak"),
    [
        ("us_ofac_sdn:306", "CUBA", ["BNC"]),
        ("us_ofac_sdn:30823", "CAATSA - RUSSIA; PEESA", []),
    ],
)
def test_list_entry_names_list_programme_and_weak_aliases(entity_id: str, programs: str, weak: list[str]) -> None:
    store = open_store(":memory:")
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    entry = _list_entry(store, entity_id)
    assert entry is not None
    assert (entry["source"], entry["list_version"], entry["programs"], entry["weak_aliases"]) == (
        "us_ofac_sdn",
        "2021-07",
        programs,
        weak,
    )
