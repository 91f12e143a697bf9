"""The name_match kind against lists imported into the store: names and glued identifiers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.kinds.base import Resources, ScanContext
from screening.kinds.names import NAME_INDEX, name_match
from screening.lists import import_list
from screening.names import build_index
from screening.pipeline import scan
from screening.store import open_store

SDN = Path(__file__).parents[2] / "screening" / "data" / "lists" / "us_ofac_sdn_russia_2021-07"


@pytest.mark.parametrize(
    ("consignee", "detail"),
    [
        ("5012039795 772201001 OOO NOTTHENAME", "5012039795"),  # INN of an SDN entry glued to another name
        ("Concern Almaz-Antey JSC", "ALMAZ-ANTEY"),
    ],
)
def test_imported_list_matches_names_and_identifiers(tmp_path: Path, consignee: str, detail: str) -> None:
    store = open_store(":memory:")
    import_list(store, SDN)
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(f"id,consignee\n1,{consignee}\n", encoding="utf-8")
    hits = scan([ledger], store=store).hits
    assert hits["rule_id"].to_list() == ["NAME-001"]
    assert detail in hits["detail"][0]
    assert hits["party"][0] == consignee


BATCHES = [
    ["Concern Almaz-Antey JSC", "Harmless Trading Ltd"],
    ["Harmless Trading Ltd", "Concern Almaz-Antey JSC", "Almaz Antey Concern"],
    ["Almaz Antey Concern", "Someone Else GmbH"],
]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 1, 0)])
def test_names_screened_in_earlier_batches_match_the_same(order: tuple[int, ...]) -> None:
    check = name_match(columns=["consignee"])
    shared = ScanContext(record_kind="transactions")
    for number in order:
        names = BATCHES[number]
        batch = pl.DataFrame({"record_id": [f"r{i}" for i in range(len(names))], "consignee": names})
        alone = check(batch.lazy(), ScanContext(record_kind="transactions")).collect().sort("record_id")
        remembered = check(batch.lazy(), shared).collect().sort("record_id")
        assert remembered.equals(alone)
        assert remembered.height >= 1


# a party column holds people and companies alike: its names read untyped, as a list entry of no type
PARTY_CASES = [
    ("Dr Ahmad Hassan", "HASSAN, Ahmad"),  # a title before two words goes
    ("Ahmad Hassan", "HASSAN, Ahmad"),
    ("President Hotel", None),  # one word after it: kept, it may be a company's name (HOTEL)
    ("Dr Hotel LLC", None),  # a legal form: a company's name keeps its title (no HOTEL)
    ("Hotel Holdings LLC", "HOTEL HOLDINGS LLC"),
]


@pytest.mark.parametrize(("party", "listed"), PARTY_CASES)
def test_a_party_reads_as_a_person_or_a_company(party: str, listed: str | None) -> None:
    watchlist = pl.DataFrame(
        {
            "entity_id": ["p", "h", "c"],
            "name": ["HASSAN, Ahmad", "HOTEL", "HOTEL HOLDINGS LLC"],
            "entity_schema": ["Person", "Organization", "Organization"],
        }
    )
    ctx = ScanContext(record_kind="transactions", resources=Resources({NAME_INDEX.name: build_index(watchlist)}))
    batch = pl.LazyFrame({"record_id": ["r1"], "counterparty": [party]})
    hits = name_match(columns=["counterparty"])(batch, ctx).collect()
    assert [d.split(" ~ ")[1].split(" (")[0] for d in hits["detail"]] == ([] if listed is None else [listed])
