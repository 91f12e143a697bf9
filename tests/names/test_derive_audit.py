"""The legal-form audit names each form whose spellings fall in two classes; the shipped tables have none."""

from __future__ import annotations

import pytest

from screening.names.derive_audit import abbreviation_clashes, elf_forms, own_forms, split_forms, twin_forms
from screening.names.legal_forms import form_class

CLASSES = {"VOF": "GP", "VENNOOTSCHAP ONDER FIRMA": "SP", "V O F": "GP", "SNC": "GP", "S N C": "LP", "AG": "JSC"}

# spellings of one form, the classes they split into ({} where they agree or are not read)
SPLITS = [
    (["VENNOOTSCHAP ONDER FIRMA", "VOF"], {"SP": ["VENNOOTSCHAP ONDER FIRMA"], "GP": ["VOF"]}),
    (["VOF", "V O F"], {}),
    (["SNC", "S N C"], {"GP": ["SNC"], "LP": ["S N C"]}),
    (["AG", "AKTIENGESELLSCHAFT"], {}),  # a spelling the loader does not read has no class
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
    (_entry(["VENNOOTSCHAP ONDER FIRMA"], ["VOF"], english=True), None),  # English entries name categories
]


@pytest.mark.parametrize(("entry", "clash"), CLASHES)
def test_abbreviation_clashes(entry: dict[str, list[str]], clash: tuple[list[str], list[str]] | None) -> None:
    found = abbreviation_clashes([entry], CLASSES)
    assert found == ([(f"ELF {entry['names'][0]}", *clash)] if clash else [])
    assert len(elf_forms([entry])) == (0 if not entry["spelt"] else 1)


def test_shipped_own_forms_and_twins_have_one_class() -> None:
    classes = form_class()
    assert twin_forms(classes)  # the tables hold dotted forms with undotted twins (S R L S, SRLS)
    assert split_forms([*own_forms(), *twin_forms(classes)], classes) == []
