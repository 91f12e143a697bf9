"""Realistic variants of listed names for the labelled benchmark (seeded, deterministic)."""

from __future__ import annotations

import random
import re
from typing import Final

TO_CYR: Final = [
    ("SHCH", "Щ"),
    ("ZH", "Ж"),
    ("KH", "Х"),
    ("TS", "Ц"),
    ("CH", "Ч"),
    ("SH", "Ш"),
    ("YU", "Ю"),
    ("YA", "Я"),
    ("YE", "Е"),
    ("YO", "Ё"),
    ("A", "А"),
    ("B", "Б"),
    ("V", "В"),
    ("G", "Г"),
    ("D", "Д"),
    ("E", "Е"),
    ("Z", "З"),
    ("I", "И"),
    ("Y", "Й"),
    ("K", "К"),
    ("L", "Л"),
    ("M", "М"),
    ("N", "Н"),
    ("O", "О"),
    ("P", "П"),
    ("R", "Р"),
    ("S", "С"),
    ("T", "Т"),
    ("U", "У"),
    ("F", "Ф"),
    ("C", "К"),
    ("H", "Х"),
    ("W", "В"),
    ("X", "КС"),
    ("J", "Дж"),
    ("Q", "К"),
]
ROMAN: Final = [
    ("KH", "H"),
    ("Y", "I"),
    ("TS", "TZ"),
    ("YE", "IE"),
    ("SH", "SCH"),
    ("IY", "I"),
    ("J", "Y"),
    ("YU", "IU"),
    ("YA", "IA"),
    ("V", "W"),
    ("KS", "X"),
    ("X", "KS"),
    ("E", "YE"),
    ("OU", "U"),
    ("CH", "TCH"),
]
LOOKALIKE: Final = dict(zip("AEOPCXKMTHB", "АЕОРСХКМТНВ", strict=True))
LEGAL_SWAPS: Final = [
    ("LLC", "OOO {}"),
    ("LIMITED LIABILITY COMPANY", "{} LLC"),
    ("CO., LTD.", "{} LIMITED"),
    ("CO. LTD", "{} COMPANY LIMITED"),
    ("JSC", "AO {}"),
    ("OJSC", "OAO {}"),
    ("CJSC", "ZAO {}"),
    ("PJSC", "PAO {}"),
    ("LTD", "{} LIMITED"),
    ("LIMITED", "{} LTD"),
    ("GMBH", "{} GmbH"),
]
KEYBOARD: Final = "QWERTYUIOPASDFGHJKLZXCVBNM"


def to_cyrillic(name: str) -> str:
    """Return a Latin name written in Cyrillic letters."""
    out, upper, i = [], name.upper(), 0
    while i < len(upper):
        for latin, cyr in TO_CYR:
            if upper.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(upper[i])
            i += 1
    return "".join(out)


def romanise(name: str, rng: random.Random) -> str | None:
    """Return the name with one or two romanisation variants applied, or None if none apply."""
    upper, options = name.upper(), [r for r in ROMAN if r[0] in name.upper()]
    if not options:
        return None
    for old, new in rng.sample(options, min(2, len(options))):
        upper = upper.replace(old, new, 1)
    return upper if upper != name.upper() else None


def typo(name: str, rng: random.Random) -> str | None:
    """Return the name with one typo in a token of five letters or more."""
    tokens = name.split(" ")
    long = [i for i, t in enumerate(tokens) if len(t) >= 5 and t.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    t, p = tokens[i], rng.randrange(1, len(tokens[i]) - 1)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    c = rng.choice(KEYBOARD)
    t = {
        "sub": t[:p] + c + t[p + 1 :],
        "del": t[:p] + t[p + 1 :],
        "ins": t[:p] + c + t[p:],
        "swap": t[:p] + t[p + 1] + t[p] + t[p + 2 :],
    }[kind]
    tokens[i] = t
    return " ".join(tokens)


def lookalike(name: str, rng: random.Random) -> str | None:
    """Return the name with one or two Latin letters replaced by Cyrillic look-alikes."""
    places = [i for i, ch in enumerate(name) if ch in LOOKALIKE]
    if not places:
        return None
    chars = list(name)
    for i in rng.sample(places, min(2, len(places))):
        chars[i] = LOOKALIKE[chars[i]]
    return "".join(chars)


def reorder(name: str, rng: random.Random) -> str | None:
    """Return the name with its words in another order ("SURNAME, First" → "First Surname")."""
    if "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}"
    tokens = name.split()
    if len(tokens) < 2:
        return None
    shuffled = tokens[:]
    while shuffled == tokens:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def legal_swap(name: str, rng: random.Random) -> str | None:
    """Return the name with its legal form written another way (or one added)."""
    upper = name.upper().rstrip(".")
    for form, template in LEGAL_SWAPS:
        if re.search(rf"(^|[\s,]){re.escape(form)}$", upper):
            core = upper[: -len(form)].strip(" ,")
            return template.format(core)
    return rng.choice(["OOO {}", "{} LLC", "{} LIMITED", "{} GmbH"]).format(upper)


def glue_inn(name: str, rng: random.Random) -> str:
    """Return the name with an INN and a KPP glued in front."""
    inn = "77" + "".join(rng.choice("0123456789") for _ in range(8))
    return f"{inn} {inn[:4]}01001 {name}"


def drop_middle(name: str, rng: random.Random) -> str | None:
    """Return a person name without its middle name or patronymic."""
    flat = name.replace(",", " ").split()
    if len(flat) < 3:
        return None
    return " ".join(flat[:1] + flat[2:]) if "," in name else " ".join(flat[:-2] + flat[-1:])


def initials(name: str, rng: random.Random) -> str | None:
    """Return a person name with its given name cut to an initial."""
    if "," not in name:
        return None
    last, _, first = name.partition(",")
    given = first.split()
    if not given:
        return None
    return f"{given[0][0]}. {' '.join(given[1:])} {last.strip()}".replace("  ", " ")


def two_typos(name: str, rng: random.Random) -> str | None:
    """Return the name with two typos (in one token or two)."""
    once = typo(name, rng)
    return typo(once, rng) if once else None


def year_off(date: str, rng: random.Random) -> str | None:
    """Return a ``YYYY[-MM-DD]`` birth date with its year one more or one less."""
    year = int(date[:4]) + rng.choice((-1, 1))
    return f"{year:04d}{date[4:]}"


def day_month_swapped(date: str, rng: random.Random) -> str | None:
    """Return a ``YYYY-MM-DD`` birth date with day and month swapped, where that is another valid date."""
    if len(date) != 10 or date[5:7] == date[8:10] or int(date[8:10]) > 12:
        return None
    return f"{date[:4]}-{date[8:10]}-{date[5:7]}"


def year_only_day(date: str, rng: random.Random) -> str | None:
    """Return a full birth date in the year of a list's year-only date (``YYYY`` or its 1 January)."""
    if len(date) == 10 and not date.endswith("-01-01"):
        return None
    return f"{date[:4]}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
