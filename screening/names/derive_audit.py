"""Audits the legal-form tables: every legal form whose spellings the loader puts in more than one class.

Run by a developer after a derivation, never at run time: ``python -m screening.names.derive_audit
RIGOUR_DIR ELF_FILE`` (the sources :mod:`.derive_forms` and :mod:`.derive_elf` read). One legal form
is one rigour organisation type (its display form and aliases), one ELF entry (its local and
transliterated names and abbreviations), one long spelling of the project's own table with its
short label, or a dotted abbreviation with its undotted twin (S N C, SNC); each spelling's class is
the loader's (:func:`.legal_forms.form_class`), and spellings the loader does not read are left
out. Two spellings of one form in two classes make equal names disagree on their legal form.
Prints each split form, then each ELF entry whose abbreviations' class is not its names'; exit 1
where one is not among the :data:`ACCEPTED`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from screening.names import derive_elf, derive_forms, legal_forms

Form = tuple[str, list[str]]  # (where the form comes from, its folded spellings)
SEP: Final = "; "
# forms whose sources spell other forms too, each with why it stays split (listed, not failed)
ACCEPTED: Final = {
    "rigour HALAFINETU YETEWESENE YEGL MAHBER": "rigour lists 股份有限公司 with it; Chinese forms are CO LTD",
    "ELF SOCIETE PAR ACTIONS": "Canada's business corporations end in Inc., Ltd. or Corp. (CO LTD) as often",
    "ELF SOCIETE PAR ACTIONS PAR LOI SUR LES SOCIETES PAR ACTIONS": "as SOCIETE PAR ACTIONS",
    "ELF SOCIEDAD ANONIMA SIMPLIFICADA": "S.A.S. is France's and Colombia's simplified company (LLC) far more often",
    "ELF SOCIEDAD EN COMANDITA SIMPLE": "S.C. is the sociedad colectiva or civil (GP) as often",
}


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
        if len(by_class) > 1:
            out.append((name, by_class))
    return out


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
        if named and short and named != short:
            out.append((f"ELF {e['names'][0]}", named, short))
    return out


def report(specs: Sequence[Mapping[str, Any]], entries: Sequence[Mapping[str, list[str]]]) -> list[str]:
    """Return the audit's lines: the split forms, then the ELF entries whose abbreviations disagree."""
    classes = legal_forms.form_class()
    forms = [*own_forms(), *rigour_forms(specs), *elf_forms(entries), *twin_forms(classes)]
    lines = [
        f"split {name}: " + " | ".join(f"{cls} {SEP.join(found)}" for cls, found in by_class.items())
        for name, by_class in split_forms(forms, classes)
    ]
    lines += [
        f"abbreviation {name}: names {SEP.join(named)} | abbreviations {SEP.join(short)}"
        for name, named, short in abbreviation_clashes(entries, classes)
    ]
    return [f"{line}  (accepted: {ACCEPTED[_form(line)]})" if _form(line) in ACCEPTED else line for line in lines]


def _form(line: str) -> str:
    """Return the form a line of the report names."""
    return line.split(" ", 1)[1].split(":", 1)[0]


def main(argv: list[str]) -> int:
    """Print the audit of the shipped tables; 0 where every form has one class, 1 where not, 2 on a usage error."""
    if len(argv) != 2:
        print("usage: python -m screening.names.derive_audit RIGOUR_1_6_2_DIR ISO_20275_FILE", file=sys.stderr)
        return 2
    lines = report(derive_forms.read_specs(Path(argv[0])), derive_elf.read_entries(Path(argv[1])))
    print("\n".join(lines) if lines else "every legal form has one class")
    return 1 if any("(accepted: " not in line for line in lines) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
