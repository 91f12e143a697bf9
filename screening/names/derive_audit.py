"""Audits the legal-form tables: every legal form whose spellings the loader puts in more than one class.

Run by a developer after a derivation: ``python -m screening.names.derive_audit RIGOUR_DIR ELF_FILE``
(the sources :mod:`.derive_forms` and :mod:`.derive_elf` read). One legal form is one rigour
organisation type (its display form and aliases), one ELF entry (its local and transliterated
names and abbreviations), one long spelling of the project's own table with its short label, or a
dotted abbreviation with its undotted twin (S N C, SNC); each spelling's classes are the loader's
(:func:`.legal_forms.form_classes`), a spelling the tables hold in a class the loader drops is in
that class "not read" (its words are name words while the form's other spellings are a form), and
spellings in neither are left out. Two spellings of one form in two classes make equal names
disagree on their legal form. The sources compare spellings only within one spec or one entry, so
:func:`table_splits` groups the shipped rows alone, by label and by folded abbreviation, across
the three tables (a test runs it, no source needed). Prints each finding; exit 1 where one is not
among the :data:`ACCEPTED`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from screening.names import derive_elf, derive_forms, legal_forms

Form = tuple[str, list[str]]  # (where the form comes from, its folded spellings)
Row = tuple[str, str, str]  # a table's (spelling, class, label)
Finding = tuple[str, str, str]  # (what kind of split, the form, its classes and spellings)
SEP: Final = "; "
NOT_READ: Final = " not read"
# forms whose sources spell other forms too, each with why it stays split (listed, not failed)
ACCEPTED: Final = {
    "rigour HALAFINETU YETEWESENE YEGL MAHBER": "rigour lists 股份有限公司 with it; Chinese forms are CO LTD",
    "ELF SOCIETE PAR ACTIONS": "Canada's business corporations end in Inc., Ltd. or Corp. (CO LTD) as often",
    "ELF SOCIETE PAR ACTIONS PAR LOI SUR LES SOCIETES PAR ACTIONS": "as SOCIETE PAR ACTIONS",
    "ELF SOCIEDAD ANONIMA SIMPLIFICADA": "S.A.S. is France's and Colombia's simplified company (LLC) far more often",
    "ELF SOCIEDAD EN COMANDITA SIMPLE": "S.C. is the sociedad colectiva or civil (GP) as often",
    "ELF SOCIEDAD ANONIMA EUROPEA": "S.E. is Argentina's sociedad del estado in rigour (a state enterprise, not read)",
    "ELF EUROPABOLAG": "S.E. is Argentina's sociedad del estado in rigour (a state enterprise, not read)",
    "rigour SCPA": "rigour files Spain's sociedad civil privada under Italy's SCPA (a partnership limited by shares)",
    # one label or abbreviation of unrelated forms in different countries
    "table DA": "Belarus's dabrachynnaya arganizatsyya (an NGO), Norway's ansvarlig selskap med delt ansvar",
    "table ET": "Bulgaria's ednolichen targovets (a sole trader), Hungary's egyszeru tarsasag (a partnership)",
    "table GP": "rigour's gosudarstvennoe predpriyatie (a state enterprise), the general partnership",
    "table SC": "the Romanian and Spanish S.C. (GP), Greece's naftiki eteria (a shipping company)",
    "table SCPA": "the partnership limited by shares (LP), Spain's sociedad civil privada",
    "table SENC": "Quebec's societe en nom collectif (GP); S. en C. is the Spanish limited partnership",
    "table SNC": "the French societe en nom collectif (GP), Mexico's sociedad nacional de credito",
    "table SPK": "Russia's agricultural cooperative (SPK), Poland's spolka komandytowa (SP K)",
    "table SS": "Georgia's saaktsio sazogadoeba (JSC), the Italian and Brazilian societa semplice",
    # one form split, left as found: rigour reads it JSC or a cooperative, ELF's entries a class of their own
    "table SE": "the Societas Europaea: JSC in rigour, SE in ELF; S.E. is also Argentina's state enterprise",
    "table SCE": "the European cooperative: a cooperative (not read) in rigour, SCE in ELF",
}


def shipped_rows() -> list[Row]:
    """Return the rows of the three tables: the project's own, then rigour's and ELF's derived files."""
    labels = legal_forms.form_label()
    own = [(s, cls, labels[s]) for s, cls in legal_forms.own_classes().items()]
    derived = [legal_forms.read_derived(name).rows() for name in ("legal_forms.csv", "legal_forms_elf.csv")]
    return [*own, *(row for table in derived for row in table)]


def shipped_classes(rows: Iterable[Row]) -> dict[str, str]:
    """Return spelling -> the loader's classes (joined by /), or its table's class not read where the loader drops it.

    Spellings left out as words (:data:`.legal_forms.NOT_DERIVED`) or as naming a business are in neither.
    """
    loaded = {s: "/".join(classes) for s, classes in legal_forms.form_classes().items()}
    dropped = {
        s: f"{cls}{NOT_READ}"
        for s, cls, _ in rows
        if s not in loaded and s not in legal_forms.NOT_DERIVED and cls not in legal_forms.DERIVED_CLASSES
    }
    return dropped | loaded


def rigour_forms(specs: Sequence[Mapping[str, Any]]) -> list[Form]:
    """Return each rigour organisation type as one form: its display form and aliases, folded."""
    out = []
    for spec in specs:
        aliases = [*spec.get("aliases", []), spec.get("display") or ""]
        found = [s for alias in aliases if alias for s in derive_forms.spellings(alias)]
        name = f"rigour {derive_forms.fold_form(spec.get('display') or '') or found[0]}"
        out.append((name, [s for s in found if s not in derive_forms.SPELLING_FIXES]))  # those are another form
    return out


def elf_forms(entries: Sequence[Mapping[str, list[str]]]) -> list[Form]:
    """Return each ELF entry that spells a form as one form: its folded names and abbreviations.

    English entries are left out, as :mod:`.derive_elf` reads them: their names are categories of
    a register, their abbreviations the endings it allows (a US state's LLC may end in Ltd).
    """
    return [(f"ELF {e['names'][0]}", [*e["names"], *e["abbrevs"]]) for e in entries if e["spelt"]]


def own_forms() -> list[Form]:
    """Return the project's own long spellings, each with its short label."""
    return [(f"own {label}", [spelling, label]) for spelling, label in legal_forms._LONG_LABELS.items()]


def twin_forms(classes: Mapping[str, str]) -> list[Form]:
    """Return each loaded abbreviation written in single letters with its undotted twin (S N C, SNC)."""
    dotted = [s for s in classes if " " in s and max(len(w) for w in s.split()) == 1]
    return [(f"twins {s.replace(' ', '')}", [s, s.replace(" ", "")]) for s in dotted]


def split_forms(forms: Sequence[Form], classes: Mapping[str, str]) -> list[tuple[str, dict[str, list[str]]]]:
    """Return (form, class -> its spellings) of every form whose loaded spellings fall in two classes or more."""
    out = []
    for name, found in forms:
        by_class: dict[str, list[str]] = {}
        for spelling in dict.fromkeys(found):
            if spelling in classes:
                by_class.setdefault(classes[spelling], []).append(spelling)
        if disagree(by_class):
            out.append((name, by_class))
    return out


def disagree(by_class: Mapping[str, list[str]]) -> bool:
    """Return whether two of the classes found share no class (CO LTD/JSC meets JSC: a form in both agrees with it)."""
    sets = [set(found.split("/")) for found in by_class]
    return any(not a & b for i, a in enumerate(sets) for b in sets[i + 1 :])


def abbreviation_clashes(
    entries: Sequence[Mapping[str, list[str]]], classes: Mapping[str, str]
) -> list[tuple[str, list[str], list[str]]]:
    """Return (entry, its names' classes, its abbreviations' classes) where the abbreviations' are not the names'."""
    out = []
    for e in entries:
        if not e["spelt"]:
            continue
        named = sorted({classes[n] for n in e["names"] if n in classes})
        short = sorted({classes[a] for a in e["abbrevs"] if a in classes})
        if named and short and any(disagree({a: [], b: []}) for a in named for b in short):
            out.append((f"ELF {e['names'][0]}", named, short))
    return out


def table_splits(rows: Sequence[Row], classes: Mapping[str, str]) -> list[tuple[str, dict[str, list[str]]]]:
    """Return (key, class -> its spellings) of every group of rows sharing a key whose spellings fall in two classes.

    A row's keys are its label and, where its class is no class the loader knows but an ELF
    entry's own abbreviation (VOF), that class, both folded without spaces: so VENNOOTSCHAP ONDER
    FIRMA (label VOF, an abbreviation the loader does not read) meets ELF's VENNOOTSCHAP ONDER EEN
    FIRMA (class VOF). Spellings are classed as :func:`shipped_classes` gives; the others are left out.
    """
    known = {*legal_forms.DERIVED_CLASSES.values(), *legal_forms.LEGAL_FORMS}
    groups: dict[str, dict[str, list[str]]] = {}
    for spelling, cls, label in rows:
        keys = {label.replace(" ", ""), *([] if cls in known else [cls.replace(" ", "")])}
        if spelling not in classes:
            continue
        for key in keys:
            spelt = groups.setdefault(key, {}).setdefault(classes[spelling], [])
            spelt += [] if spelling in spelt else [spelling]
    return [(f"table {key}", by_class) for key, by_class in sorted(groups.items()) if disagree(by_class)]


def findings(specs: Sequence[Mapping[str, Any]], entries: Sequence[Mapping[str, list[str]]]) -> list[Finding]:
    """Return the audit's findings: split forms, ELF entries whose abbreviations disagree, the tables' splits."""
    rows = shipped_rows()
    classes = shipped_classes(rows)
    forms = [*own_forms(), *rigour_forms(specs), *elf_forms(entries), *twin_forms(classes)]
    found = [("split", name, _classes(by_class)) for name, by_class in split_forms(forms, classes)]
    found += [
        ("abbreviation", name, f"names {SEP.join(named)} | abbreviations {SEP.join(short)}")
        for name, named, short in abbreviation_clashes(entries, classes)
    ]
    found += [("split", name, _classes(by_class)) for name, by_class in table_splits(rows, classes)]
    return list(dict.fromkeys(found))  # two ELF entries of one name (SOCIEDAD CIVIL) may find one split


def report(found: Sequence[Finding], accepted: Mapping[str, str] = ACCEPTED) -> list[str]:
    """Return one line per finding, with the reason it is accepted where it is."""
    return [
        f"{kind} {form}: {text}" + (f"  (accepted: {accepted[form]})" if form in accepted else "")
        for kind, form, text in found
    ]


def _classes(by_class: Mapping[str, list[str]]) -> str:
    """Return a split's classes, each with its spellings."""
    return " | ".join(f"{cls} {SEP.join(found)}" for cls, found in by_class.items())


def main(argv: list[str]) -> int:
    """Print the audit of the shipped tables; 0 where every form has one class, 1 where not, 2 on a usage error."""
    if len(argv) != 2:
        print("usage: python -m screening.names.derive_audit RIGOUR_1_6_2_DIR ISO_20275_FILE", file=sys.stderr)
        return 2
    found = findings(derive_forms.read_specs(Path(argv[0])), derive_elf.read_entries(Path(argv[1])))
    print("\n".join(report(found)) if found else "every legal form has one class")
    return 1 if any(form not in ACCEPTED for _, form, _ in found) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
