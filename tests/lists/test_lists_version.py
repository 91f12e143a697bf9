"""List versions come from the publication date a file states or its dated name, never its mtime."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from screening.lists import ImportOptions, import_list, list_age_warnings, read_list
from screening.lists.version import UNKNOWN, dated_name
from screening.store import open_store


@pytest.mark.parametrize(
    ("folder", "name", "expected"),
    [
        ("lists", "sdn_2021-07-15.csv", "2021-07-15"),
        ("lists", "sdn_20210715.csv", "2021-07-15"),
        ("ofac_sdn_csv_2021-07", "sdn.csv", "2021-07"),
        ("lists", "sdn.csv", None),
        ("lists", "list_12345678.csv", None),  # not a date: month 56
        ("lists", "batch_2021-13.csv", None),
    ],
)
def test_dated_name(tmp_path: Path, folder: str, name: str, expected: str | None) -> None:
    path = tmp_path / folder / name
    path.parent.mkdir()
    path.write_text("entity_id,name\n1,ACME\n", encoding="utf-8")
    assert dated_name(path) == expected


@pytest.mark.parametrize(
    ("version", "expected_version", "warning"),
    [
        (None, UNKNOWN, "list generic has no known publication date (version 'unknown')"),
        ("2026-01-05", "2026-01-05", "list generic version 2026-01-05 is 55 days old (limit 30)"),
        ("2026-02-20", "2026-02-20", None),
    ],
)
def test_undated_list_is_unknown_and_warns(
    tmp_path: Path, version: str | None, expected_version: str, warning: str | None
) -> None:
    path = tmp_path / "watch.csv"
    path.write_text("entity_id,name\n1,ACME\n", encoding="utf-8")
    assert read_list(path).list_version == UNKNOWN
    store = open_store(":memory:")
    assert import_list(store, path, options=ImportOptions(version=version)).list_version == expected_version
    warnings = list_age_warnings(store, 30, today=date(2026, 3, 1))
    assert [w[: len(warning)] for w in warnings] == ([warning] if warning else [])
