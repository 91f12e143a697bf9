"""Titles opening a person's name, dropped the same on both sides.

A title says how a person is addressed, not who they are: ``Mr``, ``Dr``, ``Ayatollah``,
``Hojatoleslam``, ``President`` (in the languages customers write it), and in the Arabic script
الدكتور, الرئيس, حجة الاسلام, آية الله. Latin ones go from the cleaned name (upper case ASCII
words), Arabic-script ones from the name before it is transliterated (their folded spellings could
be Latin words, and an Arabic name's folded spelling a Latin title: عمر, OMAR, folds to MR). A run of
titles opening a name goes; one inside it stays, and a name of titles alone keeps them. Titles that
lists write as part of a name are not dropped: OFAC and the UN list ``HAJI FIAZULLAH``, ``HABIB,
Sayed``, ``AL-SHAYKH, Muhammad``, ``ABD-AL-TAWWAB MULLAH HUWAYSH`` (dropping Sheikh, Haji, Sayyid and
Mullah where they open a name lost such listed names on the fit split: the list's own order puts
them elsewhere, and the family names AL-SHAYKH and AL-SAYYID are no titles). Only the names of
people lose titles (a query or list entry of type Person, or of no type or LegalEntity, the same
rule on both sides): ``PRESIDENT HOTEL LLC`` and a list's Company ``PRESIDENT HOTEL`` are companies' names, not a
title and ``HOTEL``; network node keys keep them. A name of no type may be a company's: it loses its
titles only without a legal form and where two words or more remain (``Dr Ahmad Hassan``, not
``PRESIDENT HOTEL``); a Person's name loses them whatever follows (``Presidente Putin``, ``DR. KHAMIS``).
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import polars as pl

# honorifics, religious ranks and heads of state (in the languages names come in) that no list writes as a name
_LATIN: Final = (
    "MR",
    "MRS",
    "MS",
    "MISS",
    "MME",
    "MLLE",
    "MONSIEUR",
    "MADAME",
    "DR",
    "DOCTOR",
    "PROF",
    "PROFESSOR",
    "HERR",
    "FRAU",
    "HOJATOLESLAM",
    "HOJJATOLESLAM",
    "HOJATOLISLAM",
    "HUJJATULISLAM",
    "AYATOLLAH",
    "AYATULLAH",
    "PRESIDENT",
    "PRESIDENTE",
    "PRASIDENT",
    "PRAESIDENT",
    "PREZIDENT",
    "PREZYDENT",
    "PRESIDEN",
    "PRESEDINTELE",
    "PREDSJEDNIK",
    "PREDSEDNIK",
    "HUJJAT AL ISLAM",
    "HOJJAT OL ESLAM",
)
# the same in the Arabic script, dropped before transliteration (see :func:`.script.fold`)
ARABIC: Final = (
    "الدكتور",
    "دكتور",
    "المهندس",
    "مهندس",
    "الرئيس",
    "سماحة",
    "فضيلة",
    "حجة الاسلام",
    "حجة الإسلام",
    "حجت الاسلام",
    "حجت\u200cالاسلام",
    "آية الله",
    "آیت الله",
    "آیت\u200cالله",
)
ARABIC_LEAD: Final = re.compile(r"^\s*(?:(?:" + "|".join(sorted(ARABIC, key=len, reverse=True)) + r")\s+)+(?=\S)")
TITLES: Final = tuple(sorted(_LATIN, key=lambda t: (-len(t), t)))
_ANY: Final = "(?:" + "|".join(TITLES) + ")"
LEAD: Final = rf"^(?:{_ANY} )+"
HELD: Final = rf"^{_ANY} "
_LEAD_RE: Final = re.compile(LEAD)
# the kinds of a name's row, from its entity type: a person, no type (maybe a person), anything else
PERSON: Final = "person"
UNTYPED: Final = "untyped"
OTHER: Final = "other"


# entity types (lower case) of a person: FollowTheMoney's Person, and the Individual of the UK's and OFAC's lists
PERSON_TYPES: Final = ("person", "individual")
# entity types (lower case) that say nothing of a person or a company: none, FollowTheMoney's LegalEntity
# (a bank's counterparty column holds both: the scan screens its parties so) and the list readers'
# Unknown (BIS and CSL entries of no type, people and companies: EDWIN NAVARRO MAKASIAR II)
UNTYPED_TYPES: Final = ("", "legalentity", "unknown")


def kind(column: str) -> pl.Expr:
    """Return the kind of each row from an entity-type column (case and edge spaces aside): PERSON, UNTYPED, OTHER."""
    typed = pl.col(column).str.strip_chars().str.to_lowercase().fill_null("")
    return (
        pl.when(typed.is_in(PERSON_TYPES))
        .then(pl.lit(PERSON))
        .when(typed.is_in(UNTYPED_TYPES))
        .then(pl.lit(UNTYPED))
        .otherwise(pl.lit(OTHER))
    )


# entity types (lower case) of an organisation: FollowTheMoney's Organization and its kinds, and a list's
# Entity (no vessel, no aircraft, no untyped or ``Unknown`` entity: a list of those holds people too)
ORGANISATION_TYPES: Final = ("organization", "company", "publicbody", "entity")


def organisation(column: str) -> pl.Expr:
    """Return whether an entity-type column names an organisation (case and edge spaces aside)."""
    return pl.col(column).str.strip_chars().str.to_lowercase().is_in(ORGANISATION_TYPES).fill_null(value=False)


def is_organisation(entity_type: str | None) -> bool:
    """Return whether one entity type names an organisation, as :func:`organisation` reads a column."""
    return (entity_type or "").strip().lower() in ORGANISATION_TYPES


def person(column: str) -> pl.Expr:
    """Return whether an entity-type column says Person or nothing (case and edge spaces aside): maybe a person."""
    return kind(column) != OTHER


def drop(names: pl.Series, untitled: pl.Series, alone: pl.Series) -> pl.Series:
    """Return cleaned names without the titles opening them where ``untitled`` holds (people's names, no abjad).

    A name written in an abjad folds to consonants that spell Latin titles (عمر: MR, OMAR), and its
    own titles went before transliteration (:func:`drop_arabic`); a name of titles alone keeps them,
    and so does one where a single word would remain unless ``alone`` holds (a Person's).
    """
    held = names.str.contains(HELD).fill_null(value=False) & untitled
    todo = np.flatnonzero(held.to_numpy())
    if not todo.size:
        return names
    held_names = names.gather(todo)
    rest = held_names.str.replace(LEAD, "")
    return names.scatter(todo, rest.zip_with(rest.str.contains(" ") | alone.gather(todo), held_names))


def drop_one(name: str, *, untitled: bool, alone: bool) -> str:
    """Return one cleaned name without the titles opening it where ``untitled``, as :func:`drop`."""
    if not untitled:
        return name
    rest = _LEAD_RE.sub("", name, count=1)
    return rest if alone or " " in rest else name


def drop_arabic(name: str) -> str:
    """Return a person's name in the Arabic script without the titles opening it (before transliteration)."""
    return ARABIC_LEAD.sub("", name, count=1)
