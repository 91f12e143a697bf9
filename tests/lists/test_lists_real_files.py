"""The readers on the full files in ../shared/data/lists, when that folder is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.lists import read_list

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lists"

# path, source, entities, names, identifiers, links
REAL = [
    ("ofac_sdn_csv_2021-07", "us_ofac_sdn", 8976, 23321, 5817, 2733),  # 70 call signs, no titles
    ("ofac_cons_nonsdn_csv_2025-12", "us_ofac_cons", 442, 1585, 749, 277),
    ("un_consolidated_2026-02-27_excerpt.xml", "un_sc", 210, 591, 33, 0),
    ("bis_dpl_2022-09.txt", "us_bis_dpl", 461, 461, 0, 0),
    ("us_csl_2019-12.csv", "us_trade_csl", 115, 276, 63, 0),
    ("opensanctions_ftm/zala_entities.ftm.json", "opensanctions", 17, 245, 55, 14),
    ("opensanctions_ftm/t1_entities.ftm.json", "opensanctions", 6, 35, 2, 0),
]


def _needs(case: tuple[str, str, int, int, int, int]) -> pytest.MarkDecorator:
    """Return the mark that skips a case whose file is not in ../shared, naming the file."""
    return pytest.mark.skipif(not (SHARED / case[0]).exists(), reason=f"needs ../shared/data/lists/{case[0]}")


@pytest.mark.parametrize("case", [pytest.param(c, marks=_needs(c), id=c[0]) for c in REAL])
def test_real_file(case: tuple[str, str, int, int, int, int]) -> None:
    name, source, ents, names, ids, links = case
    imp = read_list(SHARED / name)
    assert imp.source == source
    got = (imp.entities.height, imp.names.height, imp.identifiers.height, imp.ownership.height)
    assert got == (ents, names, ids, links)
    assert imp.problems.height == 0
