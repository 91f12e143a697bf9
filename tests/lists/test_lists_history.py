"""Imports as transactions: refusal of worse imports, source namespaces, the history and diffs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.errors import ListError
from screening.lists import ImportOptions, ImportRefusedError, diff_imports, history, import_list
from screening.store import Store, open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
UK_HEADER = "Report Date: 20-Feb-2026\nName 6,Name 1,Unique ID,Name Type,Individual/Entity/Ship\n"


@pytest.fixture
def store() -> Store:
    """Return an empty in-memory store."""
    return open_store(":memory:")


def _entities(store: Store, source: str) -> int:
    return int(store.frame("SELECT count(*) AS n FROM list_entities WHERE source = ?", [source])["n"][0])


def _uk(tmp_path: Path, good: int, bad: int) -> Path:
    """Write a UK CSV with good rows and rows without a Unique ID."""
    rows = [f"NAME {i},ANNA,RUS{i:04d},Primary Name,Individual" for i in range(good)]
    rows += [f"NOBODY {i},,,Primary Name,Individual" for i in range(bad)]
    path = tmp_path / "uk.csv"
    path.write_text(UK_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("good", "bad", "options", "stored", "status"),
    [
        (200, 2, ImportOptions(), 200, "accepted"),  # 1.0 %: at the limit
        (200, 3, ImportOptions(), 3, "refused"),  # 1.5 %: the three stored entries stay
        (0, 50, ImportOptions(), 3, "refused"),  # nothing read: never empties the list
        (200, 3, ImportOptions(max_problem_share=0.02), 200, "accepted"),
        (200, 3, ImportOptions(force=True), 200, "accepted"),
        (0, 50, ImportOptions(force=True), 0, "accepted"),
    ],
)
def test_a_worse_import_never_replaces_a_stored_list(
    store: Store, tmp_path: Path, good: int, bad: int, options: ImportOptions, stored: int, status: str
) -> None:
    import_list(store, FIXTURES / "uk_sanctions_list_sample.xml")
    assert _entities(store, "gb_fcdo") == 3
    path = _uk(tmp_path, good, bad)
    if status == "refused":
        with pytest.raises(ImportRefusedError, match=r"refused: .*the stored version 2026-02-\d\d is kept"):
            import_list(store, path, options=options)
    else:
        import_list(store, path, options=options)
    assert _entities(store, "gb_fcdo") == stored
    last = history(store, "gb_fcdo").row(0, named=True)
    assert (last["status"], last["problems"], last["forced"]) == (status, bad, options.force and bad > 2)


def test_a_generic_list_never_touches_a_publishers_entries(store: Store, tmp_path: Path) -> None:
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    before = _entities(store, "us_ofac_sdn")
    path = tmp_path / "us_ofac_sdn.csv"  # the file name and the source column both claim OFAC
    path.write_text("entity_id,name,source\n306,ROSOBORONEXPORT,us_ofac_sdn\n", encoding="utf-8")
    imp = import_list(store, path)
    assert (imp.source, imp.entities["entity_id"].to_list()) == ("generic", ["generic:306"])
    assert _entities(store, "us_ofac_sdn") == before
    import_list(store, path, options=ImportOptions(source="watch_2"))
    assert (_entities(store, "generic"), _entities(store, "watch_2"), _entities(store, "us_ofac_sdn")) == (
        1,
        1,
        before,
    )


@pytest.mark.parametrize(
    ("source", "fmt", "message"),
    [
        ("us_ofac_sdn", None, "is not allowed"),
        ("Bad Name", None, "is not allowed"),
        ("mine", "ofac_csv", "can only be given to a generic_csv list"),
    ],
)
def test_a_source_name_is_checked(store: Store, tmp_path: Path, source: str, fmt: str | None, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text("entity_id,name\n1,ACME\n", encoding="utf-8")
    with pytest.raises(ListError, match=message):
        import_list(store, path, fmt, options=ImportOptions(source=source))


def _generic(tmp_path: Path, rows: str, version: str, store: Store) -> None:
    path = tmp_path / "watch.csv"
    path.write_text("entity_id,name,country\n" + rows, encoding="utf-8")
    import_list(store, path, options=ImportOptions(version=version))


def test_diff_lists_added_removed_and_changed_entries(store: Store, tmp_path: Path) -> None:
    _generic(tmp_path, "1,ACME,RU\n2,BETA,BY\n3,GAMMA,KG\n", "2026-01-01", store)
    _generic(tmp_path, "1,ACME,RU\n2,BETA,KZ\n2,BETA TRADING,KZ\n4,DELTA,AM\n", "2026-02-01", store)
    expected = [
        ("added", "generic:4", "DELTA", None),
        ("changed", "generic:2", "BETA", "countries, names"),
        ("removed", "generic:3", "GAMMA", None),
    ]
    assert diff_imports(store, "generic").rows() == expected
    assert diff_imports(store, "generic", "2026-01-01", "2026-02-01").rows() == expected
    assert diff_imports(store, "generic", "2026-02-01", "2026-02-01").height == 0
    versions = store.frame("SELECT DISTINCT list_version FROM list_entity_versions ORDER BY 1")
    assert versions["list_version"].to_list() == ["2026-01-01", "2026-02-01"]  # the old one stays queryable


@pytest.mark.parametrize(
    ("versions", "message"),
    [
        ((None, None), "has 1 accepted import"),
        (("2025-01-01", "2026-01-01"), "no imported version '2025-01-01'; imported versions: 2026-01-01"),
        (("2026-01-01", None), "takes no version or two"),
    ],
)
def test_diff_errors_name_the_known_versions(
    store: Store, tmp_path: Path, versions: tuple[str | None, str | None], message: str
) -> None:
    _generic(tmp_path, "1,ACME,RU\n", "2026-01-01", store)
    with pytest.raises(ListError, match=message):
        diff_imports(store, "generic", *versions)


def test_history_records_hashes_and_counts(store: Store) -> None:
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    row = history(store).row(0, named=True)
    files = pl.read_json(row["files"].encode())
    assert sorted(files["name"]) == ["add.csv", "alt.csv", "sdn.csv", "sdn_comments.csv"]
    summary = (row["source"], row["list_version"], row["status"], row["entities"])
    assert summary == ("us_ofac_sdn", "2021-07", "accepted", 15)


FTM = '{{"id": "p{n}", "schema": "Company", "properties": {{"name": ["DAIMLER AG {n}"]{topics}}}}}\n'


@pytest.mark.parametrize(
    ("topics", "force", "status", "stored"),
    [
        ("", False, "refused", []),  # a party-donations dataset: no topics at all
        ("", True, "accepted", ["none"]),
        (', "topics": ["role.pep"]', False, "refused", []),
        (', "topics": ["role.pep"]', True, "accepted", ["role.pep"]),
        (', "topics": ["sanction", "debarment"]', False, "accepted", ["sanction;debarment"]),
    ],
)
def test_an_ftm_file_without_sanctions_is_not_a_sanctions_list(
    store: Store, tmp_path: Path, topics: str, force: bool, status: str, stored: list[str]
) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text("".join(FTM.format(n=n, topics=topics) for n in range(3)), encoding="utf-8")
    if status == "refused":
        with pytest.raises(ImportRefusedError, match="no entry carries the 'sanction' topic"):
            import_list(store, path)
    else:
        import_list(store, path, options=ImportOptions(force=force))
    assert history(store).row(0, named=True)["status"] == status
    assert store.frame("SELECT DISTINCT topics FROM list_entities")["topics"].to_list() == stored
