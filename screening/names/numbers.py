"""The numbers of a name, which the penalties compare: digit runs and a closing roman numeral.

Two listed parties often differ by nothing but a number: aircraft registrations (YV2964 ~ YV2966),
units (77TH ~ 99TH LIGHT INFANTRY DIVISION, FIRST ~ FOURTH OCEAN GMBH) and a fleet's ships
(BICENTENARIO XIV ~ BICENTENARIO XV). A digit run counts inside a word too: ordinals are in digits
by then (:mod:`.words`: FIRST is 1ST, TWENTY-FIRST 21ST); an ordinal's word opening a word counts as
its number outside a person's name (:data:`.words.OPENING`: FIRSTPOINT holds 1, so that it meets
FIFTH POINT as 1ST POINT does; FIRSTENBERG, a surname, holds none in a person's name). A roman
numeral (I … XXXIX) counts where it closes a name after a word, but not in a person's name nor one
written family name first, whose closing single letters are initials (SMITH, John V). In a name of
no type of two words, most often a person's (CHEN XI, YEONGSUK I as 영숙 이 transliterates), it is held
apart (:func:`numeral`): it counts only against a name that holds a number (HAPPINESS II ~ HAPPINESS
I, a fleet's Vessel), so that CHEN XI ~ CHEN, Xi takes no penalty for a number on one side only.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import polars as pl

from screening.names import titles, words
from screening.names.align import FAMILY_COMMAS


def _roman(n: int) -> str:
    """Return a number below 40 as a roman numeral."""
    units = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    return "X" * (n // 10) + units[n % 10]


ROMAN: Final[dict[str, str]] = {_roman(n): str(n) for n in range(1, 40)}
DIGITS: Final = r"\d+"
ROMAN_END: Final = r"\S\S ([IVX]+)$"  # the closing word, after a word of two letters or more
# a name holding any of them (most names hold none: only those are read)
ANY: Final = r"\d| [IVX]+$"
_DIGITS, _ROMAN, _ANY = map(re.compile, (DIGITS, ROMAN_END, ANY))
_OPENING, _ORDINAL = map(re.compile, (words.OPENING, words.OPENING_ORDINAL))


def _closing(core: pl.Expr) -> pl.Expr:
    """Return the number of the closing roman numeral of names (null where none)."""
    return core.str.extract(ROMAN_END, 1).replace_strict(ROMAN, default=None)


def numeral(core: pl.Expr, kind: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """Return the number of the closing roman numeral of names of no type and two words, not written family first."""
    two = (kind == titles.UNTYPED) & (core.str.count_matches(" ") == 1) & ~raw.str.contains(f"[{FAMILY_COMMAS}]")
    return pl.when(two).then(_closing(core))


def numbers(core: pl.Expr, kind: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """Return the sorted distinct numbers of names: cores, their rows' kinds (:func:`.titles.kind`) and raw names."""
    typed = (kind == titles.OTHER) | ((kind == titles.UNTYPED) & (core.str.count_matches(" ") > 1))
    roman = typed & ~raw.str.contains(f"[{FAMILY_COMMAS}]")
    found = pl.concat_list(core.str.extract_all(DIGITS), pl.when(roman).then(_closing(core)))
    return found.list.drop_nulls().list.unique().list.sort()


def opening(core: pl.Expr, kind: pl.Expr) -> pl.Expr:
    """Return the sorted distinct numbers of the ordinals opening glued words of names not a person's (FIRSTPOINT: 1).

    Held apart from :func:`numbers`: they count only against a name holding a number
    (:func:`.penalties.paired_numbers`): FIRSTENBERG untyped meets FIRSTENBERG the Person, FIRSTPOINT meets
    FIFTH POINT as 1 against 5.
    """
    glued = pl.element().filter(~pl.element().str.replace(words.OPENING_ORDINAL, "").is_in(list(words.NOT_GLUED)))
    found = core.str.extract_all(words.OPENING).list.eval(
        glued.str.extract(words.OPENING_ORDINAL, 1).replace_strict(words.OPENING_ORDINALS)
    )
    read = found.list.unique().list.sort()
    return pl.when(kind != titles.PERSON).then(read).otherwise(pl.lit([], pl.List(pl.String)))


def read(frame: pl.DataFrame) -> pl.DataFrame:
    """Return the ``numbers`` and ``opening`` of names (``core``, ``kind``, ``raw``), read only where a name holds any.

    Most names hold no digit, closing numeral nor opening ordinal: their lists are empty without reading them.
    """
    core, kind, raw = pl.col("core"), pl.col("kind"), pl.col("raw")
    read = {"numbers": (numbers(core, kind, raw), ANY), "opening": (opening(core, kind), words.OPENING)}
    return pl.DataFrame([_where(frame, held, expr.alias(name)) for name, (expr, held) in read.items()])


def _where(frame: pl.DataFrame, held: str, expr: pl.Expr) -> pl.Series:
    """Return the list column ``expr`` of the rows whose core matches ``held``, empty lists on the others."""
    todo = frame["core"].str.contains(held).fill_null(value=True).to_numpy()
    found = frame.filter(todo).select(expr).to_series()
    # the rows found first, then the others' empty lists: a gather puts each row back in its place
    place = np.empty(todo.size, dtype=np.int64)
    place[todo] = np.arange(found.len())
    place[~todo] = found.len() + np.arange(todo.size - found.len())
    empty = pl.repeat([], todo.size - found.len(), dtype=found.dtype, eager=True)
    return pl.concat([found, empty.alias(found.name)]).gather(place)


def opening_of(core: str, kind: str) -> list[str]:
    """Return the numbers of the ordinals opening glued words of one name, as :func:`opening`."""
    if kind == titles.PERSON:
        return []
    starts = (_ORDINAL.match(word) for word in _OPENING.findall(core))
    glued = (m.group(1) for m in starts if m and m.string[m.end() :] not in words.NOT_GLUED)
    return sorted({words.OPENING_ORDINALS[word] for word in glued})


def numbers_of(core: str, kind: str, raw: str) -> list[str]:
    """Return the sorted distinct numbers of one name, as :func:`numbers`."""
    if not _ANY.search(core):
        return []
    found = _DIGITS.findall(core)
    closing = _ROMAN.search(core)
    typed = kind == titles.OTHER or (kind == titles.UNTYPED and core.count(" ") > 1)
    if closing and typed and not any(c in raw for c in FAMILY_COMMAS):
        found += [ROMAN[closing.group(1)]] if closing.group(1) in ROMAN else []
    return sorted(set(found))


def numeral_of(core: str, kind: str, raw: str) -> str | None:
    """Return the number of one name's closing roman numeral if of no type and two words, as :func:`numeral`."""
    closing = _ROMAN.search(core)
    two = kind == titles.UNTYPED and core.count(" ") == 1 and not any(c in raw for c in FAMILY_COMMAS)
    return ROMAN.get(closing.group(1)) if closing and two else None
