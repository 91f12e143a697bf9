"""The legal-form audit names each form whose spellings fall in two classes; the shipped tables have none unaccepted."""

from __future__ import annotations

import pytest

from screening.names.derive_audit import (
    ACCEPTED,
    abbreviation_clashes,
    own_forms,
    report,
    shipped_classes,
    shipped_rows,
    split_forms,
    table_splits,
    twin_forms,
)

CLASSES = {
    "VOF": "GP",
    "VENNOOTSCHAP ONDER FIRMA": "SP",
    "V O F": "GP",
    "SNC": "GP",
    "S N C": "LP",
    "AG": "JSC",
    "KK": "CO LTD/JSC",
    "AO": "JSC",
    "S P": "SP",
    "STATNI PODNIK": "SOE not read",
}

# spellings of one form, the classes they split into ({} where they agree or are not read)
SPLITS = [
    (["VENNOOTSCHAP ONDER FIRMA", "VOF"], {"SP": ["VENNOOTSCHAP ONDER FIRMA"], "GP": ["VOF"]}),
    (["VOF", "V O F"], {}),
    (["SNC", "S N C"], {"GP": ["SNC"], "LP": ["S N C"]}),
    (["AG", "AKTIENGESELLSCHAFT"], {}),  # a spelling the loader does not read has no class
    (["KK", "AO"], {}),  # a form in two classes agrees with either
    (["S P", "STATNI PODNIK"], {"SP": ["S P"], "SOE not read": ["STATNI PODNIK"]}),  # one spelling read, one dropped
]


@pytest.mark.parametrize(("spellings", "split"), SPLITS)
def test_split_forms(spellings: list[str], split: dict[str, list[str]]) -> None:
    found = split_forms([("form", spellings)], CLASSES)
    assert found == ([("form", split)] if split else [])


def _entry(names: list[str], abbrevs: list[str], *, english: bool = False) -> dict[str, list[str]]:
    return {"names": names, "abbrevs": abbrevs, "spelt": [] if english else names}


# ELF entry, its names' classes and abbreviations' classes where they differ (None: they agree)
CLASHES = [
    (_entry(["VENNOOTSCHAP ONDER FIRMA"], ["VOF", "V O F"]), (["SP"], ["GP"])),
    (_entry(["VENNOOTSCHAP ONDER FIRMA"], ["AKTIENGESELLSCHAFT"]), None),  # an abbreviation not read
    (_entry(["SNC"], ["SNC"]), None),
    (_entry(["AO"], ["KK"]), None),  # classes that meet
    (_entry(["VENNOOTSCHAP ONDER FIRMA"], ["VOF"], english=True), None),  # English entries name categories
]


@pytest.mark.parametrize(("entry", "clash"), CLASHES)
def test_abbreviation_clashes(entry: dict[str, list[str]], clash: tuple[list[str], list[str]] | None) -> None:
    found = abbreviation_clashes([entry], CLASSES)
    assert found == ([(f"ELF {entry['names'][0]}", *clash)] if clash else [])


# table rows (spelling, class, label), the loader's classes, the groups split (key -> class -> spellings)
TABLES = [
    (  # a label the loader does not read (VOF) meets an ELF entry's own class (VOF)
        [
            ("VENNOOTSCHAP ONDER FIRMA", "SP", "VOF"),
            ("VENNOOTSCHAP ONDER EEN FIRMA", "VOF", "VENNOOTSCHAP ONDER EEN FIRMA"),
        ],
        {"VENNOOTSCHAP ONDER FIRMA": "SP", "VENNOOTSCHAP ONDER EEN FIRMA": "VOF"},
        {"table VOF": {"SP": ["VENNOOTSCHAP ONDER FIRMA"], "VOF": ["VENNOOTSCHAP ONDER EEN FIRMA"]}},
    ),
    (  # one label spelt dotted and undotted
        [("SOCIETE EN NOM COLLECTIF", "LP", "SNC"), ("SOCIETA IN NOME COLLETTIVO", "GP", "S N C")],
        {"SOCIETE EN NOM COLLECTIF": "LP", "SOCIETA IN NOME COLLETTIVO": "GP"},
        {"table SNC": {"LP": ["SOCIETE EN NOM COLLECTIF"], "GP": ["SOCIETA IN NOME COLLETTIVO"]}},
    ),
    (  # the loader's class counts, not the table's (a label's class in the project's table)
        [("KK", "JSC", "KK"), ("ZHU SHI HUI SHE", "JSC", "KK")],
        {"KK": "CO LTD/JSC", "ZHU SHI HUI SHE": "CO LTD"},
        {},
    ),
    (  # a spelling dropped by class splits its label from the spellings read
        [("S P", "SP", "S P"), ("STATNI PODNIK", "SOE", "S P")],
        {"S P": "SP", "STATNI PODNIK": "SOE not read"},
        {"table SP": {"SP": ["S P"], "SOE not read": ["STATNI PODNIK"]}},
    ),
    (  # a spelling in no class (left out as a word) is no split
        [("LIMITED", "LLC", "LTD"), ("LIMITE", "LLC", "LTD")],
        {"LIMITED": "CO LTD"},
        {},
    ),
    (  # two classes that meet agree
        [("LTDA", "LLC", "LTDA"), ("LIMITADA", "LLC", "LTDA"), ("SOCIEDADE LIMITADA", "LLC", "LTDA")],
        {"LTDA": "CO LTD/LLC", "LIMITADA": "CO LTD/LLC", "SOCIEDADE LIMITADA": "LLC"},
        {},
    ),
]


@pytest.mark.parametrize(("rows", "classes", "splits"), TABLES)
def test_table_splits(
    rows: list[tuple[str, str, str]], classes: dict[str, str], splits: dict[str, dict[str, list[str]]]
) -> None:
    assert dict(table_splits(rows, classes)) == splits


def test_report_marks_the_accepted_findings() -> None:
    found = [("split", "table SS", "JSC SAAKTSIO SAZOGADOEBA | SS SOCIETA SEMPLICE"), ("split", "table X", "A a | B b")]
    assert report(found, {"table SS": "two forms"}) == [
        "split table SS: JSC SAAKTSIO SAZOGADOEBA | SS SOCIETA SEMPLICE  (accepted: two forms)",
        "split table X: A a | B b",
    ]


def test_shipped_tables_split_only_where_accepted() -> None:
    rows = shipped_rows()
    classes = shipped_classes(rows)
    found = [
        form for form, _ in [*table_splits(rows, classes), *split_forms([*own_forms(), *twin_forms(classes)], classes)]
    ]
    assert [form for form in found if form not in ACCEPTED] == []
    assert sorted(form for form in ACCEPTED if form.startswith("table ")) == sorted(found)  # none accepted in vain
