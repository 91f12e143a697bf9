"""The numbers of a name, which the penalties compare: digit runs, ordinals and a closing roman numeral.

Two listed parties often differ by nothing but a number: aircraft registrations (YV2964 ~ YV2966),
units (77TH ~ 99TH LIGHT INFANTRY DIVISION, FIRST ~ FOURTH OCEAN GMBH) and a fleet's ships
(BICENTENARIO XIV ~ BICENTENARIO XV). A digit run counts inside a word too; an ordinal counts as
its number, spelt out as :mod:`.words` leaves ordinals in digits (44TH and FORTY-FOURTH: 40 FOURTH,
44), and so does a word spelt one letter off a short one or two off a long one, with its first and
last letters (ELVCENTH, FUORTH, FORTH: a typo must not read as a number on one side only; ELEMENT,
SIXTO and EIGHT are no ordinals). A roman numeral (I … XXXIX) counts where it closes a name after
a word, but not in a person's name nor one written family name first, whose closing single
letters are initials (SMITH, John V), nor in a name of no type of two words, most often a
person's (CHEN XI, YEONGSUK I as 영숙 이 transliterates); a ship's (DREAM II) is typed Vessel in the lists.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from screening.names import titles
from screening.names.align import FAMILY_COMMAS
from screening.names.words import ORDINALS


def _roman(n: int) -> str:
    """Return a number below 40 as a roman numeral."""
    units = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    return "X" * (n // 10) + units[n % 10]


ROMAN: Final[dict[str, str]] = {_roman(n): str(n) for n in range(1, 40)}
_ORDINAL_WORDS: Final = "|".join(sorted(ORDINALS, key=len, reverse=True))
_UNIT_WORDS: Final = "|".join(word for word, number in ORDINALS.items() if len(number) == 1)
# a tens digit and a unit's ordinal (20 FIRST: TWENTY-FIRST, 21ST), a digit run, an ordinal word
NUMBER: Final = rf"\b[2-9]0 (?:{_UNIT_WORDS})\b|\d+|\b(?:{_ORDINAL_WORDS})\b"
ROMAN_END: Final = r"\S\S ([IVX]+)$"  # the closing word, after a word of two letters or more
# a name holding any of them (most names hold none: only those are read)
ANY: Final = rf"\d| [IVX]+$|\b(?:{_ORDINAL_WORDS})\b"
# a word that may be a misspelt ordinal: an ordinal's first and last letters, four to twelve letters
NEAR: Final = r"\b[EFNST][A-Z]{2,10}[DHT]\b"
_ORDINAL_LIST: Final = list(ORDINALS)
_FIRSTS, _LASTS = (np.array([o[i] for o in _ORDINAL_LIST]) for i in (0, -1))
_ALLOWED: Final = np.array([1 if len(o) <= 6 else 2 for o in _ORDINAL_LIST])  # letters off an ordinal allowed
_FAR: Final = 99
_NUMBER, _ROMAN, _ANY, _NEAR = map(re.compile, (NUMBER, ROMAN_END, ANY, NEAR))


def near_ordinals(words: pl.Series) -> dict[str, str]:
    """Return the distinct words that are misspelt ordinals, each with its ordinal (the one nearest, if only one).

    Near: one letter off (OSA: a swap of neighbours is one) an ordinal of six letters or fewer, two
    off a longer one, with its first and last letters.
    """
    found = words.filter(~words.is_in(_ORDINAL_LIST)).unique().sort()
    if found.is_empty():
        return {}
    off = cdist(found.to_list(), _ORDINAL_LIST, scorer=OSA.distance, dtype=np.int32, workers=1)
    ends = pl.DataFrame({"first": found.str.slice(0, 1), "last": found.str.slice(-1)})
    first = ends["first"].to_numpy()[:, None] == _FIRSTS[None, :]
    last = ends["last"].to_numpy()[:, None] == _LASTS[None, :]
    off = np.where(first & last & (off <= _ALLOWED[None, :]), off, _FAR)
    best = off.min(axis=1)
    single = (off == best[:, None]).sum(axis=1) == 1
    near = np.flatnonzero((best < _FAR) & single)
    return dict(zip(found.gather(near).to_list(), [_ORDINAL_LIST[i] for i in off[near].argmin(axis=1)], strict=True))


def respelt(cores: pl.Series) -> pl.Series:
    """Return cores with their misspelt ordinals (:func:`near_ordinals`) spelt right, to read numbers from."""
    todo = np.flatnonzero(cores.str.contains(NEAR).fill_null(value=False).to_numpy())
    if not todo.size:
        return cores
    table = near_ordinals(cores.gather(todo).str.extract_all(NEAR).explode().drop_nulls())
    if not table:
        return cores
    todo = np.flatnonzero(cores.str.contains(r"\b(?:" + "|".join(table) + r")\b").fill_null(value=False).to_numpy())
    part = cores.gather(todo).str.split(" ").list.eval(pl.element().replace(table)).list.join(" ")
    return cores.scatter(todo, part)


def _value(found: pl.Expr) -> pl.Expr:
    """Return the number a found digit run, ordinal word or tens and ordinal (20 FIRST: 21) stands for."""
    tens = found.str.extract(r"^([2-9])0 ", 1).fill_null("")
    return (
        pl.when(found.str.contains(r"^\d+$"))
        .then(found)
        .otherwise(tens + found.str.extract(r"([A-Z]+)$", 1).replace_strict(ORDINALS, default=None))
    )


def _value_of(found: str) -> str:
    """Return the number one found digit run, ordinal word or tens and ordinal stands for, as :func:`_value`."""
    if found.isdigit():
        return found
    tens, _, word = found.rpartition(" ")
    return tens[:1] + ORDINALS[word]


def _numbers(core: pl.Expr, kind: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """Return the sorted distinct numbers of names that hold any (:data:`ANY`): cores, kinds, raw names."""
    typed = (kind == titles.OTHER) | ((kind == titles.UNTYPED) & (core.str.count_matches(" ") > 1))
    roman = typed & ~raw.str.contains(f"[{FAMILY_COMMAS}]")
    numeral = pl.when(roman).then(core.str.extract(ROMAN_END, 1).replace_strict(ROMAN, default=None))
    found = pl.concat_list(core.str.extract_all(NUMBER).list.eval(_value(pl.element())), numeral).list.drop_nulls()
    return found.list.unique().list.sort()


def numbers(cores: pl.Series, kinds: pl.Series, raws: pl.Series) -> pl.Series:
    """Return the sorted distinct numbers of names: cores, their rows' kinds (:func:`.titles.kind`) and raw names."""
    cores = respelt(cores)
    todo = np.flatnonzero(cores.str.contains(ANY).fill_null(value=False).to_numpy())
    # only the few names holding any are read (a list column cannot be scattered into: a join)
    part = pl.DataFrame({"i": todo, "core": cores.gather(todo), "kind": kinds.gather(todo), "raw": raws.gather(todo)})
    found = part.select("i", numbers=_numbers(pl.col("core"), pl.col("kind"), pl.col("raw")))
    rows = pl.DataFrame({"i": np.arange(len(cores), dtype=todo.dtype)})
    none = pl.lit([], pl.List(pl.String))
    return rows.join(found, on="i", how="left").select(pl.col("numbers").fill_null(none)).to_series()


def numbers_of(core: str, kind: str, raw: str) -> list[str]:
    """Return the sorted distinct numbers of one name (its core not yet :func:`respelt`), as :func:`numbers`."""
    if _NEAR.search(core):
        table = near_ordinals(pl.Series(_NEAR.findall(core), dtype=pl.String))
        core = " ".join(table.get(word, word) for word in core.split(" ")) if table else core
    if not _ANY.search(core):
        return []
    found = [_value_of(number) for number in _NUMBER.findall(core)]
    closing = _ROMAN.search(core)
    typed = kind == titles.OTHER or (kind == titles.UNTYPED and core.count(" ") > 1)
    if closing and typed and not any(c in raw for c in FAMILY_COMMAS):
        found += [ROMAN[closing.group(1)]] if closing.group(1) in ROMAN else []
    return sorted(set(found))
