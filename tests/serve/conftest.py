"""A served store: a small generic list (one entry named like a script tag), a scanned counterparty file,
a user of each role and an API key; and, once per session, a store of the planted cases (ownership chains,
corridor surges, about 19,000 hits)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from screening.lists import ImportOptions, import_list
from screening.pipeline import scan
from screening.serve.accounts import add_key, add_user
from screening.store import open_store
from screening.synth import plant_cases, write_planted

WATCH = """entity_id,name,schema,source,country,birth_date
1,ROSOBORONEXPORT,Organization,,RU,
2,SEA BREEZE,Vessel,,,
3,<script>alert(1)</script> TRADING,Organization,,AE,
4,Ivan Petrovich Ivanov,Person,,RU,1970-03-15
"""
PARTIES = """party_name,country,entity_type
Rosoboronexport,RU,company
<script>alert(1)</script> Trading,AE,company
=Ivan Petrovich Ivanov,RU,individual
Rosoboronexprot,RU,company
Acme GmbH,DE,company
"""
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Served:
    """A store ready to serve, with the secrets the tests sign in with."""

    db: Path
    parties: Path
    key: str
    run_id: str


def make_store(directory: Path) -> Served:
    """Write a store with the list imported, one scan recorded, users and an API key."""
    db, watch, parties = directory / "serve.duckdb", directory / "watch.csv", directory / "parties.csv"
    watch.write_text(WATCH, encoding="utf-8")
    parties.write_text(PARTIES, encoding="utf-8")
    store = open_store(db)
    import_list(store, watch, options=ImportOptions(version="2026-01-01", source="testlist"))
    for name, role in (("ana", "analyst"), ("rev", "reviewer"), ("adm", "admin")):
        add_user(store, name, role, PASSWORD)
    key = add_key(store, "onboarding")
    store.close()
    result = scan([parties], store=db)
    run_id = result.run_id
    result.store.close()
    return Served(db, parties, key, run_id)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Return a fresh served store."""
    yield make_store(tmp_path)


HOSTILE_OWNERSHIP = """owner,owned,share
<script>alert(1)</script> Holding,Ural Detal LLC,10 %
"""


@dataclass(frozen=True)
class Planted:
    """A store holding one scan of the planted cases, and its run id."""

    db: Path
    run_id: str


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    """Return a store with the planted cases scanned (ownership chains, corridor surges) and an analyst."""
    directory = tmp_path_factory.mktemp("case")
    files = write_planted(plant_cases(7), directory)
    hostile = directory / "hostile_ownership.csv"
    hostile.write_text(HOSTILE_OWNERSHIP, encoding="utf-8")
    db = directory / "case.duckdb"
    result = scan([files["transactions"], files["flows"], files["ownership"], hostile], store=db)
    add_user(result.store, "ana", "analyst", PASSWORD)
    result.store.close()
    return Planted(db, result.run_id)
