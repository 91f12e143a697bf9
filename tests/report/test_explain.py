"""The list entry `explain` shows: its source, version, programmes and weak aliases, from the lists the run screened."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.lists import import_list
from screening.report.explain import _list_entry, _names
from screening.store import open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("recorded", "entity_id", "entry"),
    [
        (None, "us_ofac_sdn:306", ("us_ofac_sdn", "2021-07", "CUBA", ["BNC"])),
        (None, "us_ofac_sdn:30823", ("us_ofac_sdn", "2021-07", "CAATSA - RUSSIA; PEESA", [])),
        (None, "un_sc:IQi.025", None),  # a sample entry: the store holds lists, so a run now screens them
        ("[]", "un_sc:IQi.025", ("un_sc", "2026-02-27", "Iraq", [])),  # a run that screened the sample before
        ("[]", "us_ofac_sdn:306", None),  # ... does not read the lists imported since
    ],
)
def test_list_entry_names_list_programme_and_weak_aliases(
    recorded: str | None, entity_id: str, entry: tuple[str, str, str, list[str]] | None
) -> None:
    store = open_store(":memory:")
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    if recorded is not None:
        store.append("runs", pl.DataFrame({"run_id": ["r1"], "lists": [recorded]}))
    found = _list_entry(store, "r1", entity_id)
    shown = found and (found["source"], found["list_version"], found["programs"], found["weak_aliases"])
    assert shown == entry


@pytest.mark.parametrize(
    ("party", "kind", "listed", "cores"),
    [
        # the scan screens a party as a LegalEntity, untyped: a title goes where two words and no legal form follow,
        # as from a Person's or an untyped entry's names
        ("Dr. Ibrahim Saleh", "Person", "DR IBRAHIM SALEH", ["IBRAHIM SALEH", "IBRAHIM SALEH"]),
        ("Dr. Ibrahim Saleh", None, "DR IBRAHIM SALEH", ["IBRAHIM SALEH", "IBRAHIM SALEH"]),
        ("Dr. Ibrahim Saleh", "Company", "DR IBRAHIM SALEH", ["IBRAHIM SALEH", "DR IBRAHIM SALEH"]),
        ("Dr Saleh Trading LLC", "Company", "DR SALEH TRADING", ["DR SALEH TRADING", "DR SALEH TRADING"]),
        # an untyped name keeps a title that one word follows (it may be a company)
        ("President Hotel", "Company", "PRESIDENT HOTEL", ["PRESIDENT HOTEL", "PRESIDENT HOTEL"]),
        # a listed Person keeps his initials B M, a party loses them as a legal form
        ("Smith, John B.M.", "Person", "SMITH, John B M", ["SMITH JOHN", "SMITH JOHN B M"]),
    ],
)
def test_names_shown_as_the_matcher_reads_them(party: str, kind: str | None, listed: str, cores: list[str]) -> None:
    shown = _names(party, {"names": [listed], "entity_schema": kind})
    assert [row["core"] for row in shown] == cores
