"""OFAC advanced XML: the source comes from the entries' list, not from the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.lists import read_list

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "lists" / "sdn_advanced_sample.xml"


@pytest.mark.parametrize(
    ("name", "list_id", "source"),
    [
        ("sdn_advanced.xml", "1550", "us_ofac_sdn"),
        ("cons_advanced_copy.xml", "1550", "us_ofac_sdn"),  # a file name claims cons: the entries say SDN
        ("sdn_advanced.xml", "91512", "us_ofac_cons"),
    ],
)
def test_source_from_list_ids(tmp_path: Path, name: str, list_id: str, source: str) -> None:
    path = tmp_path / name
    text = SAMPLE.read_text(encoding="utf-8").replace('ListID="1550"', f'ListID="{list_id}"')
    path.write_text(text, encoding="utf-8")
    imp = read_list(path)
    assert (imp.source, imp.list_version) == (source, "2024-03-05")
    assert imp.entities["entity_id"].str.starts_with(f"{source}:").all()
