"""The name_match kind against lists imported into the store: names and glued identifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.lists import import_list
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
