"""Importing into the store: replacement, the watchlist frame and list-age warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from screening.lists import (
    WATCHLIST_COLUMNS,
    import_list,
    import_sample,
    list_age_warnings,
    sample_watchlist,
    watchlist_frame,
    watchlist_from_import,
)
from screening.store import Store, open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.fixture
def store() -> Store:
    """Return an empty in-memory store."""
    return open_store(":memory:")


def _counts(store: Store) -> tuple[int, ...]:
    tables = ("list_sources", "list_entities", "list_names", "list_identifiers", "ownership")
    # Store.frame, not Store.scalar: scalar leaves DuckDB's result unfinished (see report).
    return tuple(int(store.frame(f"SELECT count(*) AS n FROM {t}")["n"][0]) for t in tables)


def test_reimport_is_idempotent(store: Store) -> None:
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    import_list(store, FIXTURES / "un_excerpt_2026-02-27.xml")
    first = _counts(store)
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    assert _counts(store) == first == (2, 22, 71, 32, 1)


def test_new_version_replaces_the_source(store: Store) -> None:
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    import_list(store, FIXTURES / "sdn_advanced_sample.xml")
    assert _counts(store) == (1, 3, 5, 4, 1)
    assert store.frame("SELECT list_version FROM list_sources")["list_version"][0] == "2024-03-05"


def test_watchlist_frame_matches_import(store: Store) -> None:
    imp = import_list(store, FIXTURES / "uk_sanctions_list_sample.xml")
    frame = watchlist_frame(store)
    assert frame.schema == pl.Schema(WATCHLIST_COLUMNS)
    expected = watchlist_from_import(imp).sort("entity_id", "name")
    assert frame.sort("entity_id", "name").equals(expected)
    row = frame.filter(pl.col("name") == "ROSSIYA").row(0, named=True)
    assert (row["strength"], row["entity_schema"], row["countries"]) == (
        "weak",
        "Organization",
        "RU",
    )


@pytest.mark.parametrize(
    ("today", "max_age", "expected"),
    [
        (date(2026, 3, 1), 30, []),
        (
            date(2026, 4, 1),
            30,
            [
                "list un_sc version 2026-02-27 is 33 days old (limit 30); "
                "run `screening lists update` or import a newer file"
            ],
        ),
    ],
)
def test_list_age_warnings(store: Store, today: date, max_age: int, expected: list[str]) -> None:
    assert list_age_warnings(store, 30) == [
        "no sanctions lists imported, screening names against the bundled sample only; "
        "run `screening lists import FILE`"
    ]
    import_list(store, FIXTURES / "un_excerpt_2026-02-27.xml")
    assert list_age_warnings(store, max_age, today=today) == expected


def test_sample_watchlist_ships_russia_sdn_un_and_hikvision(store: Store) -> None:
    sample = sample_watchlist()
    assert set(sample.entities["source"]) == {"us_ofac_sdn", "us_ofac_cons", "un_sc"}
    assert sample.problems.height == 0
    assert 100 <= sample.entities.height <= 200
    assert "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." in sample.entities["caption"]
    sdn = sample.entities.filter(pl.col("source") == "us_ofac_sdn")
    assert sdn["programs"].str.contains("RUSSIA|UKRAINE-EO1366|UKRAINE-EO13685").all()
    import_sample(store)
    assert watchlist_frame(store).height == sample.names.height
