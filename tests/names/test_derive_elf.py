"""ELF entries give company forms only, in a class that agrees with the same form elsewhere, without noise."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from screening.names.derive_elf import SOURCE, derive, entry_class, joined, lettered, main, read_entries, usable

KNOWN = {"GMBH": "LLC", "AG": "JSC", "E V": "NGO", "SA": "JSC", "S N C": "LP", "SOCIETE EN NOM COLLECTIF": "LP"}
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
    (["SOCIETA IN NOME COLLETTIVO"], ["S N C"], "GP"),  # its name says what it is, not an abbreviation elsewhere
    (["SOCIETE EN NOM COLLECTIF"], ["SNC"], "LP"),  # a name the tables have keeps its class there
    (["SOLE PROPRIETOR"], ["DBA", "GENERAL PARTNERSHIP"], "SP"),
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
    ("U A B", False),  # three initials: kept only where the tables have them joined
    ("S A C", True),  # SAC is in KNOWN_SHORT
    ("S R L S", True),
]
KNOWN_SHORT = {"SAC": "JSC"}


@pytest.mark.parametrize(("spelling", "ok"), USABLE)
def test_usable(spelling: str, ok: bool) -> None:
    assert usable(spelling, KNOWN_SHORT) is ok


JOINED = [
    (["S R L S", "SRL"], ["SRLS"]),
    (["S A P I B"], ["SAPIB"]),
    (["U A B"], []),  # three letters: MIN_SHORT
    (["SP Z O O"], []),  # not initials only
]


@pytest.mark.parametrize(("abbrevs", "found"), JOINED)
def test_joined(abbrevs: list[str], found: list[str]) -> None:
    assert joined(abbrevs) == found


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
        ("S A C", "JSC", "SAC"),  # SAC is in the project's table, so its initials are a form too
        ("SOCIEDAD ANONIMA CERRADA", "JSC", "SAC"),
        ("SOCIEDAD ANONIMA CERRADA SIMPLIFICADA", "JSC", "S A C"),
    ]


def test_derive_leaves_out_a_spelling_of_two_forms_with_its_twin() -> None:
    entries = [
        _entry(["SOCIETE EN NOM COLLECTIF LIMITEE"], ["S E N C R L", "SENCRL"]),
        _entry(["GENERAL PARTNERSHIP"], ["SENCRL"]),
        _entry(["SOCIETA LIMITATA SEMPLIFICATA"], ["S R L S", "SRLS"]),
    ]
    table = derive(entries, RIGOUR)
    assert set(table["spelling"]) == {
        "SOCIETE EN NOM COLLECTIF LIMITEE",
        "SOCIETA LIMITATA SEMPLIFICATA",
        "S R L S",
        "SRLS",
    }
    assert table.group_by("label").agg(pl.col("class").n_unique())["class"].max() == 1


HEADER = [
    "ELF Status ACTV/INAC",
    "Country Code (ISO 3166-1)",
    "Entity Legal Form name Local name",
    "Entity Legal Form name Transliterated name (per ISO 01-140-10)",
    "Abbreviations Local language",
    "Abbreviations transliterated",
    "Language Code (ISO 639-1)",
]


def test_read_entries_english_abbreviations_are_single_words(tmp_path: Path) -> None:
    path = tmp_path / "elf.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(["ACTV", "US", "Simple Company", "", "Simple Co.;Inc.;L.L.C.", "", "en"])
        writer.writerow(["ACTV", "IT", "Società a responsabilità limitata semplificata", "", "S.r.l.s.", "", "it"])
        writer.writerow(["INAC", "IT", "Società in nome collettivo", "", "S.n.c.", "", "it"])
    entries = read_entries(path)
    assert [e["abbrevs"] for e in entries] == [["INC", "L L C"], ["S R L S", "SRLS"]]
    assert [e["spelt"] for e in entries] == [[], ["SOCIETA A RESPONSABILITA LIMITATA SEMPLIFICATA"]]


@pytest.mark.parametrize(
    ("argv", "code"),
    [([], 2), (["elf.csv"], 2), ([f"/nowhere/{SOURCE}"], 1)],
)
def test_main_refuses_a_wrong_file(argv: list[str], code: int) -> None:
    assert main(argv) == code


# an entry, rigour's rows, the (spelling, class, label) rows derived
LABELS = [
    (  # a compound form listed as an entry's abbreviation is its own form, with its own label
        _entry(["KOMMANDITGESELLSCHAFT"], ["KG", "GMBH AND CO KG", "KGAA AND CO KG"]),
        [("GMBH AND CO KG", "LP", "GMBH AND CO KG")],
        [("KGAA AND CO KG", "LP", "KGAA AND CO KG"), ("KOMMANDITGESELLSCHAFT", "LP", "KOMMANDITGESELLSCHAFT")],
    ),
    (  # the entry's abbreviation labels its spellings
        _entry(["SOCIEDAD ANONIMA CERRADA"], ["SAC", "S A C"]),
        [],
        [("S A C", "JSC", "SAC"), ("SOCIEDAD ANONIMA CERRADA", "JSC", "SAC")],
    ),
]


@pytest.mark.parametrize(("entry", "rigour", "rows"), LABELS)
def test_derive_labels(
    entry: dict[str, list[str]], rigour: list[tuple[str, str, str]], rows: list[tuple[str, str, str]]
) -> None:
    table = pl.DataFrame(rigour, schema=["spelling", "class", "label"], orient="row")
    assert derive([entry], table).rows() == rows
