"""Legal-form aliases are kept in every spelling they are written in (Ё as Е, Greek letter by letter)."""

from __future__ import annotations

from typing import Any

import pytest

from screening.names.derive_forms import derive, spellings

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


# a rigour spec, the (spelling, class, label) rows derived: rigour's type corrected where it names another form
FIXED = [
    (
        {"display": "vof", "generic": "SP", "aliases": ["vennootschap onder firma"]},
        [("VENNOOTSCHAP ONDER FIRMA", "GP", "VOF")],  # a general partnership, not a sole trader
    ),
    (
        {"display": "snc", "generic": "LP", "aliases": ["société en nom collectif"]},
        [("SOCIETE EN NOM COLLECTIF", "GP", "SNC")],
    ),
    (
        {"display": "e.K.", "generic": "GP", "aliases": ["eingetragener Kaufmann"]},
        [("E K", "SP", "E K"), ("EINGETRAGENER KAUFMANN", "SP", "E K")],
    ),
    (
        {"display": "AG", "generic": "JSC", "aliases": ["Aktiengesellschaft", "AG & Co. KG"]},
        [("AG AND CO KG", "LP", "AG AND CO KG"), ("AKTIENGESELLSCHAFT", "JSC", "AG")],  # an alias of another form
    ),
    (
        {"display": "Co Ltd", "generic": "LLC", "aliases": ["cia ltda", "co., ltd."]},
        [("CIA LTDA", "LLC", "LTDA"), ("CO LTD", "LLC", "CO LTD")],
    ),
    ({"generic": "JSC", "aliases": ["株式会社"]}, [("ZHU SHI HUI SHE", "JSC", "KK")]),
    # a Czech state enterprise stays with its abbreviation s.p. (SP), a class the loader reads
    (
        {"generic": "SP", "aliases": ["s.p.", "státní podnik"]},
        [("S P", "SP", "S P"), ("STATNI PODNIK", "SP", "STATNI PODNIK")],
    ),
    ({"display": "ae", "aliases": ["anónimi etería"]}, [("ANONIMI ETERIA", "JSC", "AE")]),
    (
        {"display": "ПТ", "generic": "GP", "aliases": ["ПОЛНОЕ ТОВАРИЩЕСТВО"]},  # not labelled PT, Indonesia's
        [("POLNOE TOVARISHCHESTVO", "GP", "POLNOE TOVARISHCHESTVO")],
    ),
    (
        {"display": "GmbH", "generic": "LLC", "aliases": ["Gesellschaft mit beschränkter Haftung"]},
        [("GESELLSCHAFT MIT BESCHRANKTER HAFTUNG", "LLC", "GMBH"), ("GMBH", "LLC", "GMBH")],  # nothing to fix
    ),
]


@pytest.mark.parametrize(("spec", "rows"), FIXED)
def test_derive_corrects_rigours_types(spec: dict[str, Any], rows: list[tuple[str, str, str]]) -> None:
    assert derive([spec]).rows() == rows
