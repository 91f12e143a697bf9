"""Qualifiers of one (query, list entity) pair, as :func:`screening.names.qualifiers.qualify` adjusts them.

Country, birth date and entity type, each an adjustment and a note (None where it says nothing),
summed in that order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from screening.names.qualifiers import (
    _CLASH_KEYS,
    _TYPES,
    BIRTH_AGREE,
    BIRTH_FAR,
    BIRTH_FEW,
    BIRTH_FEW_CLASH,
    BIRTH_NEAR,
    BIRTH_SAME_DAY,
    COUNTRY_AGREE,
    COUNTRY_DIFFER,
    FEW_YEARS,
    NEAR_YEARS,
    SCHEMA_CLASH,
)

Note = tuple[float, str | None]
_DATE = re.compile(r"\d{4}(?:-\d{2}-\d{2})?")
# whitespace as polars strips it (Rust's White_Space, without Python's extra separators \x1c-\x1f)
_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def strip(text: str) -> str:
    """Return ``text`` without leading and trailing whitespace, as polars ``strip_chars`` does."""
    return text.strip(_SPACE)


def _known(value: str | None) -> bool:
    """Return whether a qualifier has a value."""
    return value is not None and strip(value) != ""


def country(query: str | None, listed: str | None) -> Note:
    """Return the country adjustment and note."""
    if not (_known(query) and _known(listed)):
        return 0.0, None
    assert query is not None and listed is not None  # known
    code = strip(query).upper()
    if code in listed.upper().split(";"):
        return COUNTRY_AGREE, f"country {code} agrees"
    return COUNTRY_DIFFER, f"country {code} not in {listed}"


def _year(date: str) -> int | None:
    """Return the year of a found date, None where its digits are not ASCII (polars casts them to null)."""
    head = date[:4]
    return int(head) if head.isascii() else None


def _gap(year: int | None, dates: list[str] | None) -> int | None:
    """Return the least distance of ``year`` to the years of ``dates``."""
    if year is None or not dates:
        return None
    return min((abs(y - year) for y in (_year(d) for d in dates) if y is not None), default=None)


def birth_year_agrees(query: str | None, listed: str | None) -> bool:
    """Return whether a query's birth year is one the listed dates give (whatever their days)."""
    found = _DATE.search(query) if query is not None else None
    dates = _DATE.findall(listed) if listed is not None else None
    return found is not None and _gap(_year(found.group(0)), dates) == 0


def birth(query: str | None, listed: str | None) -> Note:
    """Return the graded birth-date adjustment and note."""
    found = _DATE.search(query) if query is not None else None
    dates = _DATE.findall(listed) if listed is not None else None
    if found is None:
        return 0.0, None
    date = found.group(0)
    gap = _gap(_year(date), dates)
    if gap is None:
        return 0.0, None
    full = [d for d in dates or [] if _day_listed(d)]
    day_known = len(date.encode()) == 10 and bool(full)
    swapped = f"{date[:5]}{date[8:10]}-{date[5:7]}"
    same_day = date in full or swapped in full
    agrees = f"birth date {date} agrees"
    if gap == 0:
        if not day_known:
            return BIRTH_AGREE, agrees
        return (BIRTH_SAME_DAY, agrees) if same_day else (BIRTH_NEAR, f"birth date {date} differs (list {listed})")
    clash = day_known and not {date[5:], swapped[5:]} & {d[5:] for d in full}
    return _graded(gap, clash), f"birth date {date} differs (list {listed})"


def _day_listed(date: str) -> bool:
    """Return whether a listed date gives its day: a full date other than 1 January (a year only, as lists write it)."""
    return len(date.encode()) == 10 and not date.endswith("-01-01")


def _graded(gap: int, clash: bool) -> float:
    """Return the adjustment of birth years ``gap`` apart (not 0); ``clash``: both give a day, and the days differ."""
    if gap <= NEAR_YEARS:
        return BIRTH_NEAR
    if gap <= FEW_YEARS:
        return BIRTH_FEW_CLASH if clash else BIRTH_FEW
    return BIRTH_FAR


def _schema_class(value: str | None) -> str | None:
    """Return an entity type as one of the classes compared."""
    return None if value is None else _TYPES.get(strip(value).lower())


def schema(query: str | None, listed: str | None) -> Note:
    """Return the entity-type adjustment and note: types that cannot be one entity rule the pair out."""
    q, w = _schema_class(query), _schema_class(listed)
    if q is None or w is None or f"{q}|{w}" not in _CLASH_KEYS:
        return 0.0, None
    return SCHEMA_CLASH, f"entity type {q} vs listed {w}"


def year_listed(query: str | None, listed: str | None) -> bool:
    """Return whether a query's birth year is one its entity gives as a year only (``YYYY`` or 1 January)."""
    found = _DATE.search(query) if query is not None else None
    if found is None or listed is None:
        return False
    years = {d[:4] for d in _DATE.findall(listed) if not _day_listed(d)}
    return found.group(0)[:4] in years


def lift(query: Mapping[str, str | None]) -> float:
    """Return the most a query row's country and birth date can add to a name score (0 where it has neither)."""
    found = _DATE.search(query.get("birth_date") or "")
    birth = 0.0 if found is None else BIRTH_SAME_DAY if len(found.group(0).encode()) == 10 else BIRTH_AGREE
    return (COUNTRY_AGREE if _known(query.get("country")) else 0.0) + birth


class Qualified(NamedTuple):
    """The qualifiers of a query row and a list entity row: their sum, notes and each adjustment (``ADJUSTMENTS``)."""

    adjust: float
    notes: list[str]
    parts: tuple[float, float, float]  # country, birth date, entity type


def qualify(query: Mapping[str, str | None], entity: Mapping[str, object]) -> Qualified:
    """Return the summed adjustment, the notes and each adjustment of a query row and a list entity row."""
    parts = (
        country(query.get("country"), text(entity, "countries")),
        birth(query.get("birth_date"), text(entity, "birth_dates")),
        schema(query.get("schema"), text(entity, "entity_schema")),
    )
    adjusts = (parts[0][0], parts[1][0], parts[2][0])
    return Qualified(sum(adjusts), [note for _, note in parts if note is not None], adjusts)


def text(row: Mapping[str, object], key: str) -> str | None:
    """Return a text field of a row, None where missing."""
    value = row.get(key)
    return None if value is None else str(value)
