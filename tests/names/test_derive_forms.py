"""Legal-form aliases are kept in every spelling they are written in (Ё as Е, Greek letter by letter)."""

from __future__ import annotations

import pytest

from screening.names.derive_forms import spellings

# rigour's alias, its folded spellings
SPELLINGS = [
    (
        "Партнёрство с ограниченной ответственностью",
        ["PARTNYORSTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "PARTNERSTVO S OGRANICHENNOY OTVETSTVENNOSTYU"],
    ),
    (
        "Государственное казённое учреждение",
        ["GOSUDARSTVENNOE KAZYONNOE UCHREZHDENIE", "GOSUDARSTVENNOE KAZENNOE UCHREZHDENIE"],
    ),
    ("Ёпиқ акциядорлик жамияти", ["YOPIQ AKTSIYADORLIK ZHAMIYATI", "EPIQ AKTSIYADORLIK ZHAMIYATI"]),
    ("Εταιρεία Περιορισμένης Ευθύνης", ["ETAIREIA PERIORISMENIS EVTHYNIS", "ETAIREIA PERIORISMENIS EYTHYNIS"]),
    ("Общество с ограниченной ответственностью", ["OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU"]),  # no Ё: one
    ("Gesellschaft mit beschränkter Haftung", ["GESELLSCHAFT MIT BESCHRANKTER HAFTUNG"]),
    ('בע"מ', ["B M"]),
]


@pytest.mark.parametrize(("alias", "found"), SPELLINGS)
def test_aliases_keep_their_spellings(alias: str, found: list[str]) -> None:
    assert spellings(alias) == found
