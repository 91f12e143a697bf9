"""Derives ``screening/data/legal_forms.csv`` from rigour's organisation types (MIT, OpenSanctions).

Run by a developer, never at run time: ``python -m screening.names.derive_forms DIR``, where DIR
holds ``rigour/data/names/org_types.py`` (unpacked from the pure-Python rigour 1.6.2 wheel; later
releases compile the table into a binary). Every alias is folded as names are (anyascii,
upper case, punctuation to spaces); its class is rigour's generic type (LLC, JSC, LP, SOE …, else
its display form; :data:`TYPE_FIXES` and :data:`SPELLING_FIXES` correct the types rigour gets
wrong, so that one legal form has one class), its label the folded display form. One-word aliases under four letters are
left out unless the project's own table has them: rigour lists short forms (NA, EP, CV) that are
ordinary words at the edge of a name. An alias is also kept in the spellings it is written in
besides rigour's: a Cyrillic one with Ё written Е, as Russian mostly writes it (ПАРТНЕРСТВО beside
ПАРТНЁРСТВО, ЕПИҚ beside ЁПИҚ), and a Greek one also read letter by letter (ΕΥΘΥΝΗΣ: EYTHYNIS
beside ELOT 743's EVTHYNIS).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any, Final

import polars as pl
from anyascii import anyascii

from screening.names.script import fold

OUT: Final = Path(__file__).parents[1] / "data" / "legal_forms.csv"
MIN_SHORT: Final = 4
# rigour 1.6.2's generic type where it names another form, by folded display form: one form, one class
TYPE_FIXES: Final = {
    "VOF": "GP",  # vennootschap onder firma: the Dutch general partnership, not a sole trader
    "VOS": "GP",  # verejna obchodni spolecnost: the Czech general partnership, not a sole trader
    "SNC": "GP",  # societe en nom collectif: the French general partnership, not a limited one
    "TU": "GP",  # taisuhing: the Estonian general partnership (usaldusuhing is the limited one)
    "GBR": "GP",  # Gesellschaft burgerlichen Rechts: a partnership of several partners, not a sole trader
    "KEG": "LP",  # Kommanditerwerbsgesellschaft: a limited partnership, not a general one
    "E K": "SP",  # eingetragener Kaufmann: a sole trader, not a partnership
    "S C A": "LP",  # societe en commandite par actions: a partnership limited by shares, as KGaA is
    "SAU": "JSC",  # sociedad anonima unipersonal: a one-member joint-stock company, not a sole trader
    "CA": "JSC",  # compania anonima: the joint-stock company of Venezuela and Ecuador, not an LLC
    "GMBH AND CO KG": "LP",  # a limited partnership whose general partner is a GmbH
    "AE": "JSC",  # anonymi etaireia: the Greek societe anonyme (rigour gives it no type), as ELF's entry is
}
# aliases rigour files under another form, by folded spelling -> (class, label); a label the
# project's table has gives its class there. STATNI PODNIK (a Czech state enterprise) stays a sole
# trader's, as rigour files it: its abbreviation s.p. is one (S P), and a class the loader drops
# (SOE) would make its words name words while S P is still read as a form
SPELLING_FIXES: Final = {
    "AG AND CO KG": ("LP", "AG AND CO KG"),  # under AG: a limited partnership whose general partner is an AG
    "AG UND CO KG": ("LP", "AG AND CO KG"),
    "AG AND CO KGAA": ("LP", "KGAA"),
    "CIA LTDA": ("LLC", "LTDA"),  # compania limitada under Co Ltd: a limitada, an LLC
    "COMPANIA LIMITADA": ("LLC", "LTDA"),
    "LIMITADA": ("LLC", "LTDA"),  # under Ltd: a limitada, as its abbreviation LTDA in the project's table
    "LTDA": ("LLC", "LTDA"),
    "POLNOE TOVARISHCHESTVO": ("GP", "POLNOE TOVARISHCHESTVO"),  # ПТ, a general partnership, not Indonesia's PT
    "ZHU SHI HUI SHE": ("JSC", "KK"),  # 株式会社 read as Chinese: the kabushiki kaisha
}
_YO: Final = str.maketrans("Ёё", "Ее")


def fold_form(text: str) -> str:
    """Return a legal form as the normaliser sees it: ASCII, upper case, words of letters and digits."""
    ascii_text = fold(text).upper().replace("&", " AND ").replace("'", "").replace("’", "")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in ascii_text).split())


def spellings(alias: str) -> list[str]:
    """Return the distinct folded spellings of an alias: as written, Ё as Е, Greek letter by letter."""
    found = [fold_form(alias), fold_form(alias.translate(_YO))]
    if any("\u0370" <= ch <= "\u03ff" for ch in alias):
        found.append(fold_form(anyascii(alias)))
    return list(dict.fromkeys(s for s in found if s))


def read_specs(root: Path) -> list[dict[str, Any]]:
    """Return rigour's list of organisation-type specs, read as data (the module is not imported)."""
    source = (root / "rigour" / "data" / "names" / "org_types.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "ORG_TYPES":
            specs: list[dict[str, Any]] = ast.literal_eval(node.value)  # type: ignore[arg-type]
            return specs
    raise SystemExit(f"{root}: no ORG_TYPES in rigour/data/names/org_types.py")


def derive(specs: list[dict[str, Any]]) -> pl.DataFrame:
    """Return (spelling, class, label) for every usable alias, the first spec of a spelling winning."""
    rows = []
    for spec in specs:
        label = fold_form(spec.get("display") or spec.get("compare") or "")
        group = TYPE_FIXES.get(label) or (spec.get("generic") or label or "").upper()
        aliases = [*spec.get("aliases", []), spec.get("display") or ""]
        found = [spelling for alias in aliases for spelling in spellings(alias)]
        rows += [_row(spelling, group, label) for spelling in found if group]
    frame = pl.DataFrame(rows).unique("spelling", keep="first", maintain_order=True)
    short = (pl.col("spelling").str.len_bytes() < MIN_SHORT) & ~pl.col("spelling").str.contains(" ")
    return frame.filter(~short).sort("spelling")


def _row(spelling: str, group: str, label: str) -> dict[str, str]:
    """Return one derived row: the spec's class and label, or the fix of a spelling filed under another form."""
    group, label = SPELLING_FIXES.get(spelling, (group, label or spelling))
    return {"spelling": spelling, "class": group, "label": label}


def main(argv: list[str]) -> None:
    """Write the derived table."""
    if len(argv) != 1:
        raise SystemExit("usage: python -m screening.names.derive_forms DIR_WITH_RIGOUR_1_6_2")
    table = derive(read_specs(Path(argv[0])))
    table.write_csv(OUT)
    print(f"{OUT}: {table.height} spellings in {table['class'].n_unique()} classes")


if __name__ == "__main__":
    main(sys.argv[1:])
