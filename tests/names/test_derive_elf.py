"""ELF entries give company forms only, in a class that agrees with the same form elsewhere, without noise."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names.derive_elf import derive, entry_class, lettered, usable

KNOWN = {"GMBH": "LLC", "AG": "JSC", "E V": "NGO", "SA": "JSC"}
RIGOUR = pl.DataFrame({"spelling": ["E V"], "class": ["NGO"], "label": ["EV"]})


def _entry(names: list[str], abbrevs: list[str]) -> dict[str, list[str]]:
    return {"names": names, "abbrevs": abbrevs, "spelt": names}


# folded names, folded abbreviations, the class (None: not a company form)
CLASSES = [
    (["GESELLSCHAFT MIT BESCHRANKTER HAFTUNG"], ["GMBH"], "LLC"),  # a spelling the tables have
    (["SOCIEDAD ANONIMA CERRADA"], ["SAC", "S A C"], "JSC"),
    (["AL SHRKH DHT AL MSUWLYH AL MHDWDH"], ["DH M M"], "LLC"),
    (["KOMMANDITGESELLSCHAFT"], ["KG"], "LP"),
    (["SOCIEDAD CONTRACTUAL MINERA"], ["SCM"], "SCM"),  # a company no class names: its own
    (["EINGETRAGENER VEREIN"], ["E V"], None),  # the tables' own non-company class
    (["STIFTUNG"], [], None),
    (["SIHTASUTUS"], ["SA"], None),  # a foundation, though SA is a company form elsewhere
    (["SOCIEDAD COOPERATIVA"], [], None),
    (["MUNICIPIO"], ["MPO"], None),
    (["EJIDO"], [], None),  # no company word
]


@pytest.mark.parametrize(("names", "abbrevs", "cls"), CLASSES)
def test_entry_class(names: list[str], abbrevs: list[str], cls: str | None) -> None:
    assert entry_class(_entry(names, abbrevs), KNOWN) == cls


USABLE = [
    ("S A C", True),
    ("SOCIEDAD ANONIMA CERRADA", True),
    ("SAC", False),  # one short word: a name word as often
    ("K G", False),  # two letters: a person's initials as often
    ("SOCIETE", False),
    ("INVESTMENT COMPANY", False),  # names the business
    ("AL SHRKH AL MSHMH AL KHSH", True),
    ("PUBLIC COMPANY LIMITED BY GUARANTEE HAVING A SHARE CAPITAL", False),  # a register's category
    ("CORP OR INC", False),
    ("STIFTUNG AND CO KG", False),
]


@pytest.mark.parametrize(("spelling", "ok"), USABLE)
def test_usable(spelling: str, ok: bool) -> None:
    assert usable(spelling) is ok


LETTERED = [
    (["SAC"], ["SOCIEDAD ANONIMA CERRADA"], ["S A C"]),
    (["SRL"], ["SOCIEDAD COMERCIAL DE RESPONSABILIDAD LIMITADA"], ["S R L"]),
    (["EIRL"], ["EMPRESA INDIVIDUAL DE RESPONSABILIDAD LIMITADA"], ["E I R L"]),
    (["GMBH"], ["GESELLSCHAFT MIT BESCHRANKTER HAFTUNG"], ["G M B H"]),
    (["OOD"], ["DRUZHESTVO S OGRANICHENA OTGOVORNOST"], []),  # not its initials in order
    (["S A"], ["SOCIEDAD ANONIMA"], []),  # lettered already
    (["PCC"], ["PROTECTED CELL COMPANY"], []),  # the initials of a name the filters leave out (a business)
    (["CLG"], ["COMPANY LIMITED BY GUARANTEE"], []),
    (["SCS"], ["SOCIETE EN COMMANDITE SIMPLE", "STIFTUNG"], ["S C S"]),  # one name passing is enough
]


@pytest.mark.parametrize(("abbrevs", "names", "found"), LETTERED)
def test_lettered(abbrevs: list[str], names: list[str], found: list[str]) -> None:
    assert lettered(abbrevs, names) == found


def test_derive_keeps_new_usable_spellings_once() -> None:
    entries = [
        _entry(["SOCIEDAD ANONIMA CERRADA"], ["SAC", "S A C"]),
        _entry(["SOCIEDAD ANONIMA CERRADA SIMPLIFICADA"], ["S A C"]),  # S A C again: the first wins
        _entry(["EINGETRAGENER VEREIN"], ["E V"]),
    ]
    table = derive(entries, RIGOUR)
    assert table.rows() == [
        ("S A C", "JSC", "SAC"),
        ("SOCIEDAD ANONIMA CERRADA", "JSC", "SAC"),
        ("SOCIEDAD ANONIMA CERRADA SIMPLIFICADA", "JSC", "S A C"),
    ]
