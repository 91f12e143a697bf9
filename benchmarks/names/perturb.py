"""Named perturbations of a real listed person's record (name, birth date, country): one change each, seeded.

Each perturbation takes the listed name, the first birth date and the first country and returns
the changed record, or None where it does not apply (no middle name to drop, no Cyrillic source
to spell another way). The names are real; the perturbations are ours.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final

import variants

Record = tuple[str, str | None, str | None]  # name, birth date, country
Perturbation = Callable[[str, str | None, str | None, random.Random], Record | None]

LONG_NAME: Final = 15  # letters a name needs for two typos
CYRILLIC_SOURCE: Final = frozenset({"RU", "UA", "BY", "KZ", "KG", "TJ", "UZ", "MD", "BG", "RS", "MK", "MN"})
# land (or narrow-sea) neighbours of the countries listed people come from most; others get no neighbour query
NEIGHBOURS: Final[dict[str, tuple[str, ...]]] = {
    "AF": ("PK", "IR", "TJ"),
    "AE": ("OM", "SA"),
    "BY": ("RU", "UA", "PL"),
    "CD": ("CG", "RW", "UG"),
    "CN": ("HK", "MO", "KP"),
    "CO": ("VE", "EC", "PA"),
    "CU": ("MX",),
    "EG": ("LY", "SD"),
    "ES": ("PT", "FR"),
    "GB": ("IE",),
    "IQ": ("SY", "JO", "KW"),
    "IR": ("IQ", "AF", "TR"),
    "JO": ("SY", "IQ", "SA"),
    "KP": ("KR", "CN"),
    "KW": ("IQ", "SA"),
    "LB": ("SY",),
    "LY": ("TN", "EG"),
    "MX": ("GT", "US"),
    "PA": ("CO", "CR"),
    "PK": ("AF", "IN"),
    "PS": ("JO", "EG"),
    "RU": ("UA", "BY", "KZ"),
    "SA": ("YE", "JO", "KW"),
    "SD": ("SS", "EG"),
    "SO": ("ET", "KE"),
    "SY": ("LB", "IQ", "JO"),
    "TR": ("SY", "GR"),
    "UA": ("RU", "BY", "MD"),
    "VE": ("CO", "BR"),
    "YE": ("SA", "OM"),
    "ZW": ("ZA", "ZM", "MZ"),
}


def _flat(name: str) -> list[str]:
    """Return a name's words, the comma of ``SURNAME, Given`` dropped."""
    return name.replace(",", " ").split()


def _name(change: Callable[[str, random.Random], str | None]) -> Perturbation:
    """Return a perturbation that changes the name only."""

    def perturb(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
        made = change(name, rng)
        return (made, birth, country) if made and made.upper() != name.upper() else None

    return perturb


def two_typos(name: str, rng: random.Random) -> str | None:
    """Return a long name (``LONG_NAME`` letters or more) with two typos."""
    return variants.two_typos(name, rng) if sum(ch.isalpha() for ch in name) >= LONG_NAME else None


def reorder(name: str, rng: random.Random) -> str | None:
    """Return the name's words in another order than the list's (the comma dropped)."""
    words = _flat(name)
    if len({w.upper() for w in words}) < 2:
        return None
    shuffled = words[:]
    while [w.upper() for w in shuffled] == [w.upper() for w in words]:  # a change of case alone is no reordering
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def drop_middle(name: str, rng: random.Random) -> str | None:
    """Return the name without one middle name (a given name after the first, or an inner word)."""
    if "," in name:
        last, _, first = name.partition(",")
        given = first.split()
        if len(given) < 2:
            return None
        given.pop(rng.randrange(1, len(given)))
        return f"{last.strip()}, {' '.join(given)}"
    words = name.split()
    if len(words) < 3:
        return None
    words.pop(rng.randrange(1, len(words) - 1))
    return " ".join(words)


def initials(name: str, rng: random.Random) -> str | None:
    """Return the name with its (first) given name cut to an initial."""
    if "," in name:
        last, _, first = name.partition(",")
        given = first.split()
        initial = _initial(given[0]) if given else None
        return f"{last.strip()}, {' '.join([initial, *given[1:]])}" if initial else None
    words = name.split()
    initial = _initial(words[0]) if len(words) >= 3 else None
    return " ".join([initial, *words[1:]]) if initial else None


def _initial(word: str) -> str | None:
    """Return a word's initial (its first letter, past any apostrophe) with a full stop, or None for a short word."""
    letters = [ch for ch in word if ch.isalpha()]
    return f"{letters[0]}." if len(letters) >= 2 else None


def _date(change: Callable[[str, random.Random], str | None]) -> Perturbation:
    """Return a perturbation that changes the birth date only."""

    def perturb(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
        made = change(birth, rng) if birth else None
        return (name, made, country) if made and made != birth else None

    return perturb


def year_only(date: str, rng: random.Random) -> str | None:
    """Return another day of the year of a list's year-only date (``YYYY`` or its 1 January)."""
    made = variants.year_only_day(date, rng)
    return None if made and made.endswith("-01-01") else made


def birth_missing(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
    """Return the record without its birth date."""
    return (name, None, country) if birth else None


def country_missing(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
    """Return the record without its country."""
    return (name, birth, None) if country else None


def neighbour_country(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
    """Return the record with a neighbour of its country (``NEIGHBOURS``)."""
    near = NEIGHBOURS.get(country or "")
    return (name, birth, rng.choice(near)) if near else None


def transliteration(name: str, birth: str | None, country: str | None, rng: random.Random) -> Record | None:
    """Return a name of a Cyrillic-writing country spelt by another romanisation (``variants.ROMAN``)."""
    if country not in CYRILLIC_SOURCE:
        return None
    made = variants.romanise(name, rng)
    return (made, birth, country) if made and made.upper() != name.upper() else None


PERTURBATIONS: Final[dict[str, Perturbation]] = {
    "typo": _name(variants.typo),
    "two_typos": _name(two_typos),
    "reorder": _name(reorder),
    "drop_middle": _name(drop_middle),
    "initials": _name(initials),
    "transliteration": transliteration,
    "year_off": _date(variants.year_off),
    "day_month_swapped": _date(variants.day_month_swapped),
    "year_only": _date(year_only),
    "birth_missing": birth_missing,
    "country_missing": country_missing,
    "neighbour_country": neighbour_country,
}


# an organisation's: its words are not reordered nor dropped (that names another company as often as not)
ENTITY_PERTURBATIONS: Final = {
    op: PERTURBATIONS[op] for op in ("typo", "two_typos", "transliteration", "country_missing", "neighbour_country")
}


def perturbed(
    key: str, record: Record, classes: int, ops: dict[str, Perturbation] = PERTURBATIONS
) -> list[tuple[str, Record]]:
    """Return up to ``classes`` perturbations (of ``ops``) of one record, the classes drawn by a seed of ``key``."""
    rng = random.Random(key)
    made = [(op, change(*record, rng)) for op, change in ops.items()]
    applied = [(op, r) for op, r in made if r is not None]
    return sorted(rng.sample(applied, min(classes, len(applied))))
