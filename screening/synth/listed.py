"""Listed parties written as a ledger would write them, and near misses that are other parties.

The bundled sample lists give the entities (listed companies and people). Each entity's base name
is one of its Latin names of at most six words, written in title case. Variants an analyst would
call the same entity (``variant``):

- ``transliteration``: Russian names in Cyrillic (``АО «Концерн Алмаз-Антей»``), others in their
  listed original script;
- ``reorder``: a person's given names first, or a company's words turned around the legal form;
- ``typo``: one or two letters substituted, dropped, doubled or swapped (not a word's first letter);
- ``lookalike``: two Latin letters replaced by the Cyrillic letters that look the same;
- ``legal_form``: OOO ↔ LLC ↔ Limited Liability Company, JSC ↔ AO ↔ Joint Stock Company, …;
- ``inn``: the Russian name with the entity's listed INN glued on (``ООО Ромашка ИНН 7701234567``).

Near misses (``near_miss``) are names an analyst would not call the entity: a company keeping one
distinctive word of the listed name with other words (``Almaz Trading LLC`` for ``Almaz-Antey``),
a person sharing the surname with other given names. The entity loops here run over the ~170 list
entries, not over records.
"""

from __future__ import annotations

import random
import re
from functools import cache
from typing import Final

import polars as pl

from screening.lists import sample_watchlist
from screening.lookalike import LATIN_TO_CYRILLIC as TO_CYRILLIC
from screening.synth.names import to_cyrillic

VARIANT_COLUMNS: Final = ("entity_id", "schema", "variant", "name")
LIST_COLUMNS: Final = ("entity_id", "name", "schema", "source", "country")
SCHEMAS: Final = ("Organization", "Person")
# form class -> spellings written in Latin ledgers (first: the Latin short form) and in Cyrillic
_FORMS: Final[dict[str, tuple[tuple[str, ...], str]]] = {
    "LLC": (("LLC", "OOO", "Limited Liability Company"), "ООО"),
    "JSC": (("JSC", "AO", "Joint Stock Company"), "АО"),
    "PJSC": (("PJSC", "PAO", "Public Joint Stock Company"), "ПАО"),
    "OJSC": (("OJSC", "OAO", "Open Joint Stock Company"), "ОАО"),
    "CJSC": (("CJSC", "ZAO", "Closed Joint Stock Company"), "ЗАО"),
    "LTD": (("Ltd", "Limited", "Co., Ltd."), "ООО"),
}
_SPELLINGS: Final[dict[str, str]] = {
    **{s.upper(): c for c, (spellings, _) in _FORMS.items() for s in spellings},
    "JOINT-STOCK COMPANY": "JSC",
    "OPEN JOINT-STOCK COMPANY": "OJSC",
    "PUBLIC JOINT-STOCK COMPANY": "PJSC",
    "CLOSED JOINT-STOCK COMPANY": "CJSC",
    "AKTSIONERNOE OBSHCHESTVO": "JSC",
    "OTKRYTOE AKTSIONERNOE OBSHCHESTVO": "OJSC",
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU": "LLC",
    "CO., LTD.": "LTD",
    "CO. LTD": "LTD",
    "CO LTD": "LTD",
    "COMPANY LIMITED": "LTD",
}
_FORM_WORDS: Final = frozenset(w for s in _SPELLINGS for w in re.split(r"[\s,.-]+", s) if w)
_FORM_RE: Final = "|".join(re.escape(s) for s in sorted(_SPELLINGS, key=len, reverse=True))
_LEADING: Final = re.compile(rf"^(?:{_FORM_RE})\s+", re.IGNORECASE)
_TRAILING: Final = re.compile(rf"[,\s]+(?:{_FORM_RE})$", re.IGNORECASE)
_ACRONYMS: Final = frozenset({"LLC", "OOO", "JSC", "AO", "PJSC", "PAO", "OJSC", "OAO", "CJSC", "ZAO", "NPO", "SGM"})
_RUSSIAN: Final = frozenset({"RU", "BY", "UA"})
_GENERIC: Final = frozenset(
    [
        "CONCERN",
        "CORPORATION",
        "CORP",
        "COMPANY",
        "GROUP",
        "STATE",
        "ENTERPRISE",
        "NPO",
        "SCIENTIFIC",
        "RESEARCH",
        "PRODUCTION",
        "PLANT",
        "FACTORY",
        "INSTITUTE",
        "OF",
        "THE",
        "AND",
        "FOR",
        "BANK",
        "COMMERCIAL",
        "MILITARY",
        "INDUSTRIAL",
        "CENTER",
        "CENTRAL",
        "FEDERAL",
        "RUSSIAN",
        "FGUP",
        "HOLDING",
        "TRADING",
        "GENERAL",
        "INTERNATIONAL",
        "SEA",
        "PORT",
        "AIR",
        "DEFENSE",
        "DESIGN",
        "BUREAU",
    ]
)
_NEAR_WORDS: Final = ("Trading", "Textiles", "Foods", "Furniture", "Auto Parts", "Travel", "Agro", "Packaging")
_NEAR_ENDINGS: Final = ("mebel", "tekstil", "agro", "tur", "pak", "moloko")
_GIVEN: Final = ("Oleg", "Pavel", "Roman", "Artem", "Kirill", "Stepan", "Anton", "Maksim")
_OTHER_GIVEN: Final = ("Omar Yusuf", "Karim Nabil", "Samir Adnan", "Faisal Rami", "Walid Hani", "Tarek Ziad")
_ENGLISH: Final = frozenset(
    [
        "STATE",
        "ENTERPRISE",
        "SEA",
        "PORT",
        "TRADING",
        "COMPANY",
        "MANAGING",
        "OF",
        "THE",
        "AND",
        "FOR",
        "PLANT",
        "FACTORY",
        "BANK",
        "COMMERCIAL",
        "RESORT",
        "CENTER",
        "CENTRE",
        "RESEARCH",
        "SCIENTIFIC",
        "MAIN",
        "INTELLIGENCE",
        "DIRECTORATE",
        "AIR",
        "DEFENSE",
        "SHIPYARD",
        "SHIPBUILDING",
        "SPARKLING",
        "WINE",
        "INSTITUTE",
        "NATIONAL",
        "GROUP",
        "CORP",
        "CORPORATION",
        "HOLDING",
        "INTERNATIONAL",
        "DISTILLERY",
        "ENGINEERING",
    ]
)
_PATRONYMIC: Final = ("Ilyich", "Stepanovich", "Romanovich", "Kirillovich", "Antonovich", "Maksimovich")
_KEYBOARD: Final = "qwertyuiopasdfghjklzxcvbnm"
_LIMITS = re.compile(r"[\"'()]")


def _cap(word: str) -> str:
    """Return a word in title case, each hyphenated part capitalised, legal-form acronyms in capitals."""
    if word.upper().strip(",") in _ACRONYMS:
        return word.upper()
    return "-".join(part.capitalize() for part in word.split("-"))


def _title(name: str) -> str:
    """Return a list name in ledger case."""
    return " ".join(_cap(w) for w in _LIMITS.sub("", name).split())


def _split_form(name: str) -> tuple[str | None, str]:
    """Return (form class or None, the name without its leading or trailing legal form)."""
    for pattern in (_LEADING, _TRAILING):
        found = pattern.search(name)
        if found:
            spelling = found.group(0).strip(" ,").upper()
            return _SPELLINGS[spelling], (name[: found.start()] + name[found.end() :]).strip(" ,")
    return None, name


def _typo(name: str, rnd: random.Random) -> str:
    """Return the name with one letter edited inside each of one or two words of six letters or more."""
    _, core = _split_form(name)
    words = [m for m in re.finditer(r"[A-Za-z]{6,}", name) if m.start() >= name.find(core) and m.end() <= len(name)]
    words = [m for m in words if m.group(0).upper() not in _FORM_WORDS]
    chars = list(name)
    for word in sorted(rnd.sample(words, min(len(words), 1 if len(core) < 20 else 2)), key=lambda m: -m.start()):
        spot = rnd.randrange(word.start() + 1, word.end() - 1)
        edit = rnd.randrange(4)
        if edit == 0:
            chars[spot] = rnd.choice(_KEYBOARD)
        elif edit == 1:
            del chars[spot]
        elif edit == 2:
            chars.insert(spot, chars[spot])
        else:
            chars[spot], chars[spot + 1] = chars[spot + 1], chars[spot]
    return "".join(chars)


def _lookalike(name: str, rnd: random.Random) -> str:
    """Return the name with two Latin letters replaced by their Cyrillic look-alikes."""
    spots = [i for i, c in enumerate(name) if c in TO_CYRILLIC]
    chars = list(name)
    for spot in rnd.sample(spots, min(2, len(spots))):
        chars[spot] = TO_CYRILLIC[chars[spot]]
    return "".join(chars)


def _cyrillic(form: str | None, core: str, person: bool) -> str:
    """Return a Russian name in Cyrillic: a company with its Cyrillic form and quoted name."""
    words = " ".join(_cap(w.lower()) for w in to_cyrillic(core.replace(",", "")).split())
    if person:
        return words
    return f"{_FORMS[form or 'LLC'][1]} «{words}»"


def _company_variants(base: str, russian: bool, inn: str | None, rnd: random.Random) -> dict[str, str]:
    """Return the variants of one company name."""
    form, core = _split_form(base)
    spellings = _FORMS[form or ("LLC" if russian else "LTD")][0]
    words = core.split()
    turned = " ".join(words[1:2] + words[:1] + words[2:]) if 1 < len(words) <= 3 else core
    out = {
        "typo": _typo(base, rnd),
        "lookalike": _lookalike(base, rnd),
        "legal_form": f"{core} {rnd.choice([s for s in spellings if s.upper() != (form or '')][:2])}",
        "reorder": f"{turned} {spellings[0]}" if base.startswith(core) else f"{spellings[0]} {turned}",
    }
    english = any(w.strip(",").upper() in _ENGLISH for w in words)
    if russian and not english:
        out["transliteration"] = _cyrillic(form, core, person=False)
    if inn:
        out["inn"] = f"{out['transliteration']} ИНН {inn}" if "transliteration" in out else f"{base} INN {inn}"
    return out


def _person_parts(base: str) -> tuple[str, str]:
    """Return (surname, given names) of a list person name (``SURNAME, Given`` or ``Given SURNAME``)."""
    if "," in base:
        surname, given = (p.strip() for p in base.split(",", 1))
        return surname, given
    words = base.split()
    return words[-1], " ".join(words[:-1])


def _person_variants(base: str, russian: bool, rnd: random.Random) -> dict[str, str]:
    """Return the variants of one person name."""
    surname, given = _person_parts(base)
    out = {
        "reorder": f"{given} {surname}" if "," in base else f"{surname} {given}",
        "typo": _typo(base, rnd),
        "lookalike": _lookalike(base, rnd),
    }
    if russian:
        out["transliteration"] = _cyrillic(None, f"{surname} {given}", person=True)
    return out


def _near_miss(base: str, person: bool, rnd: random.Random) -> str:
    """Return a name sharing one distinctive word with the listed one, naming somebody else."""
    if person:
        surname, _ = _person_parts(base)
        if surname.upper().startswith("AL-") or "," not in base:
            return f"{rnd.choice(_OTHER_GIVEN)} {surname}"
        return f"{rnd.choice(_GIVEN)} {rnd.choice(_PATRONYMIC)} {surname}"
    _, core = _split_form(base)
    tokens = [t for t in re.split(r"[\s-]+", core) if t.upper() not in _GENERIC and len(t) > 2]
    if len(tokens) > 1 or len(re.split(r"[\s-]+", core)) > 1:
        return f"{(tokens or [core.split()[0]])[0]} {rnd.choice(_NEAR_WORDS)} LLC"
    word = tokens[0] if tokens else core
    return f"{word[: max(3, len(word) // 2)]}{rnd.choice(_NEAR_ENDINGS)} LLC"


@cache
def _entities() -> pl.DataFrame:
    """Return listed companies and people of the sample lists with a base name, Russian flag and INN."""
    watch = sample_watchlist()
    entities = watch.entities.filter(pl.col("listed").fill_null(True) & pl.col("entity_schema").is_in(SCHEMAS))
    latin = watch.names.filter(
        pl.col("name").str.contains(r"^[\x00-\x7f]+$")
        & (pl.col("name").str.count_matches(r"\s+") < 6)
        & (pl.col("name").str.replace_all(r"(?i)\b(?:OOO|AO|LLC|JSC|LTD)\b|\W", "").str.len_chars() >= 6)
    ).with_columns(pl.col("name_type").eq("primary").alias("primary"), pl.col("name").str.len_chars().alias("len"))
    base = latin.sort(["entity_id", "primary", "len"], descending=[False, True, False]).group_by("entity_id").first()
    inn = watch.identifiers.filter(pl.col("id_type") == "INN").group_by("entity_id").agg(pl.col("value").first())
    return (
        entities.join(base.select("entity_id", pl.col("name").alias("base")), on="entity_id")
        .join(inn.rename({"value": "inn"}), on="entity_id", how="left")
        .select(
            "entity_id",
            pl.col("entity_schema").alias("schema"),
            "base",
            "inn",
            pl.col("countries").fill_null("").str.contains("RU|BY|UA").alias("russian")
            | pl.col("entity_id").str.starts_with("us_ofac_sdn"),
        )
        .sort("entity_id")
    )


def listed_variants(seed: int) -> pl.DataFrame:
    """Return the variants of every listed company and person name (VARIANT_COLUMNS), seeded."""
    rnd = random.Random(seed)
    rows: list[tuple[str, str, str, str]] = []
    for eid, schema, base, inn, russian in _entities().iter_rows():
        titled = _title(base)
        if len(re.sub(r"\W", "", _split_form(titled)[1])) < 5:  # too short to vary safely (ADF, VVB)
            continue
        found = (
            _person_variants(titled, russian, rnd)
            if schema == "Person"
            else _company_variants(titled, russian, inn, rnd)
        )
        rows += [(eid, schema, kind, name) for kind, name in found.items() if name.strip()]
    return pl.DataFrame(rows, schema=list(VARIANT_COLUMNS), orient="row")


def near_misses(seed: int) -> pl.DataFrame:
    """Return one near-miss name per listed company and person (VARIANT_COLUMNS, variant ``near_miss``)."""
    rnd = random.Random(seed + 1)
    rows = [
        (eid, schema, "near_miss", _near_miss(_title(base), schema == "Person", rnd))
        for eid, schema, base, _, _ in _entities().iter_rows()
        if len(re.sub(r"\W", "", _split_form(_title(base))[1])) >= 5
    ]
    return pl.DataFrame(rows, schema=list(VARIANT_COLUMNS), orient="row")


def planted_lists() -> pl.DataFrame:
    """Return every name of the entities planted against, in the generic list CSV columns."""
    watch = sample_watchlist()
    entities = watch.entities.join(_entities().select("entity_id"), on="entity_id")
    return (
        watch.names.join(entities, on="entity_id")
        .select(
            "entity_id",
            "name",
            pl.col("entity_schema").alias("schema"),
            "source",
            pl.col("countries").str.split(";").list.first().alias("country"),
        )
        .sort("entity_id", maintain_order=True)
    )
