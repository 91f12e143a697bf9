"""Abbreviated words of company names read as the words they stand for, in both paths."""

from __future__ import annotations

import pytest

from tests.names.conftest import both_paths

# query, listed name, whether they match at the default threshold
ABBREVIATIONS = [
    ("TEHRAN IMP. & EXP. CO.", "TEHRAN IMPORT AND EXPORT COMPANY", True),
    ("ARIA IND'S GROUP", "ARIA INDUSTRIES GROUP", True),
    ("NOVIN HLDG CO", "NOVIN HOLDING COMPANY", True),
    ("NOVIN HLDGS LTD", "NOVIN HOLDINGS LIMITED", True),
    ("ZAGROS ENGG SERVICES", "ZAGROS ENGINEERING SERVICES", True),
    ("ATLAS MGMT LLC", "ATLAS MANAGEMENT LLC", True),
    ("DELTA TRDG FZE", "DELTA TRADING FZE", True),
    ("Mohd Faisal bin Ismail", "Mohammed Faisal bin Ismail", True),
    ("MHD Ayman KHATIB", "AL-KHATIB, Muhammad Ayman", True),
    ("ATLAS MGMT LLC", "ATLAS MINING LLC", False),  # an abbreviation stands for its own word only
]


@pytest.mark.parametrize(("query", "listed", "matched"), ABBREVIATIONS)
def test_abbreviations(query: str, listed: str, matched: bool) -> None:
    assert (both_paths(query, listed).height > 0) == matched
