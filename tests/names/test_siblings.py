"""A listed subsidiary or branch named in a query matches itself, not its parent nor its siblings, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names.index import NameIndex, build_index
from tests.names.conftest import both_paths_in, by_scorer

# real entries of OFAC's consolidated non-SDN list (2025-12, benchmarks/names/dev/watchlist.csv): a bank, a
# state oil company and the subsidiaries each lists apart, by country or business; some of their aliases
LISTED = [
    ("us_ofac_cons:17013", "VTB BANK PUBLIC JOINT STOCK COMPANY", "Organization"),
    ("us_ofac_cons:17013", "VTB BANK PJSC", "Organization"),
    ("us_ofac_cons:18720", "PJSC VTB BANK (KIEV)", "Organization"),
    ("us_ofac_cons:18720", "PUBLIC-JOINT STOCK COMPANY VTB BANK (UKRAINE)", "Organization"),
    ("us_ofac_cons:18721", "VTB BANK BELARUS CJSC", "Organization"),
    ("us_ofac_cons:18722", "VTB BANK ARMENIA CLOSED JOINT STOCK COMPANY", "Organization"),
    ("us_ofac_cons:18722", "VTB BANK ARMENIA CJSC", "Organization"),
    ("us_ofac_cons:17018", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", "Organization"),
    ("us_ofac_cons:17018", "SBERBANK OF RUSSIA", "Organization"),
    ("us_ofac_cons:18669", "SBERBANK CAPITAL LLC", "Organization"),
    ("us_ofac_cons:18709", "SBERBANK LEASING JSC", "Organization"),
    ("us_ofac_cons:18716", "SBERBANK EUROPE AG", "Organization"),
    ("us_ofac_cons:17022", "OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY", "Organization"),
    ("us_ofac_cons:17022", "ROSNEFT", "Organization"),
    ("us_ofac_cons:18299", "ROSNEFT TRADING S.A.", "Organization"),
    ("us_ofac_cons:18300", "ROSNEFT TRADE LIMITED", "Organization"),
    ("us_ofac_cons:18301", "ROSNEFT FINANCE S.A.", "Organization"),
]
# query, its entity type, the entities it matches at the scorer's default threshold (best first)
CASES = [
    ("VTB Bank (Armenia)", "Organization", ["us_ofac_cons:18722"]),  # the parent VTB BANK PJSC 0.69 by hand
    ("VTB Bank Belarus", "Organization", ["us_ofac_cons:18721"]),
    ("VTB Bank (Kiev)", "Organization", ["us_ofac_cons:18720"]),  # the parent 0.81 by hand
    ("VTB Bank PJSC", "Organization", ["us_ofac_cons:17013"]),
    ("Sberbank Europe AG", "Organization", ["us_ofac_cons:18716"]),
    ("Sberbank of Russia", "Organization", ["us_ofac_cons:17018"]),
    ("Sberbank Capital LLC", "Organization", ["us_ofac_cons:18669"]),
    ("Rosneft Trading SA", "Organization", ["us_ofac_cons:18299"]),  # ROSNEFT TRADE LIMITED 0.68 by hand
    ("Rosneft Trade Limited", "Organization", ["us_ofac_cons:18300"]),
    ("Rosneft Finance SA", "Organization", ["us_ofac_cons:18301"]),
    ("Rosneft", "Organization", ["us_ofac_cons:17022"]),  # its subsidiaries 0.66 to 0.72 by hand
    ("Rosneft Marketing", "Organization", []),  # no such listed subsidiary: ROSNEFT 0.61 by hand
]


LOW = 0.5  # a threshold under every default: the siblings a reviewer would see below the entity


def _index() -> NameIndex:
    """Return the index of the listed names."""
    return build_index(pl.DataFrame(LISTED, schema=["entity_id", "name", "entity_schema"], orient="row"))


@pytest.mark.parametrize(("query", "schema", "expected", "scorer"), by_scorer(CASES))
def test_a_subsidiary_matches_itself_not_its_siblings_in_both_paths(
    query: str, schema: str, expected: list[str], scorer: str
) -> None:
    assert both_paths_in(_index(), query, schema, scorer=scorer)["entity_id"].to_list() == expected


@pytest.mark.parametrize(("query", "schema", "expected", "scorer"), by_scorer([c for c in CASES if c[2]]))
def test_a_subsidiary_ranks_itself_above_its_siblings_in_both_paths(
    query: str, schema: str, expected: list[str], scorer: str
) -> None:
    hits = both_paths_in(_index(), query, schema, top=len(LISTED), threshold=LOW, scorer=scorer)
    assert hits["entity_id"][0] == expected[0]
    assert hits["score"].head(2).n_unique() == min(hits.height, 2)  # no sibling ties with it
