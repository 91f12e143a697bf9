"""Qualifiers: country, birth date and entity type adjust a name score but never create a match.

Each qualifier is an (adjustment, note) pair of expressions over a frame holding the query's
``country``, ``birth_date`` and ``schema`` and the list entity's ``countries``, ``birth_dates``
and ``entity_schema``. The matcher scores the name pairs whose name score plus the most their query's
qualifiers could add (:func:`lift`) reaches the threshold, and keeps those whose qualified score
reaches it: an agreeing birth date raises a name just below the threshold over it (issue 16), a
disagreeing one pushes a name below it.

They are graded: a birth year one off is a typo's distance and costs little, a few years cost
more (enough to drop an exact name below the default threshold where both dates give a day and
the days differ too), and more than five years apart is another person; a list's 1 January stands
for "year only"; a day and month swapped still agree. A
company never matches a vessel, nor a person a company. A missing value on either side is neutral.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

COUNTRY_AGREE: Final = 0.02
COUNTRY_DIFFER: Final = -0.08
BIRTH_SAME_DAY: Final = 0.04
BIRTH_AGREE: Final = 0.03
BIRTH_NEAR: Final = -0.03  # one year apart, or the same year with another day
BIRTH_FEW: Final = -0.12  # two to five years apart, one of the dates a year only (or day and month agreeing)
BIRTH_FEW_CLASH: Final = -0.2  # two to five years apart, both dates full and their days differ: another person
BIRTH_FAR: Final = -0.3  # more than five years apart: another person
NEAR_YEARS: Final = 1
FEW_YEARS: Final = 5
SCHEMA_CLASH: Final = -0.4
# entity types that can never be one entity (an unknown party, LegalEntity, may be a person or a company)
_CLASHES: Final = frozenset(
    {
        ("Person", "Organization"),
        ("Person", "Vessel"),
        ("Person", "Aircraft"),
        ("Organization", "Vessel"),
        ("Organization", "Aircraft"),
        ("Vessel", "Aircraft"),
        ("LegalEntity", "Vessel"),
        ("LegalEntity", "Aircraft"),
    }
)
_CLASH_KEYS: Final = frozenset(f"{a}|{b}" for pair in _CLASHES for a, b in (pair, pair[::-1]))
_TYPES: Final[dict[str, str]] = {
    "person": "Person",
    "individual": "Person",  # as :func:`.titles.kind` reads it
    "organization": "Organization",
    "company": "Organization",  # FollowTheMoney's kinds of Organization
    "publicbody": "Organization",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
    "legalentity": "LegalEntity",
}

ADJUSTMENTS: Final = ("country_adj_", "birth_adj_", "schema_adj_")  # the columns of each qualifier's adjustment


def _known(column: str) -> pl.Expr:
    """Return whether a qualifier column has a value."""
    return pl.col(column).is_not_null() & (pl.col(column).str.strip_chars() != "")


@cache  # the expression is built once: building it costs more than running it on a few rows
def country() -> tuple[pl.Expr, pl.Expr]:
    """Return the country adjustment and note."""
    q = pl.col("country").str.strip_chars().str.to_uppercase()
    listed = pl.col("countries").str.to_uppercase().str.split(";")
    both = _known("country") & _known("countries")
    agree = listed.list.contains(q)
    adj = pl.when(both & agree).then(COUNTRY_AGREE).when(both).then(COUNTRY_DIFFER)
    note = (
        pl.when(both & agree)
        .then(pl.lit("country ") + q + pl.lit(" agrees"))
        .when(both)
        .then(pl.lit("country ") + q + pl.lit(" not in ") + pl.col("countries"))
    )
    return adj.otherwise(0.0), note


def _query_date(column: str = "birth_date") -> pl.Expr:
    """Return a query row's first date or year as written (``YYYY`` or ``YYYY-MM-DD``; null where none)."""
    return pl.col(column).str.extract(r"(\d{4}(?:-\d{2}-\d{2})?)", 1)


def _dates(column: str) -> pl.Expr:
    """Return the ``YYYY-MM-DD`` or ``YYYY`` dates in a text column, as a list."""
    return pl.col(column).str.extract_all(r"\d{4}(?:-\d{2}-\d{2})?")


def _full(dates: pl.Expr) -> pl.Expr:
    """Return the dates of a list that give day and month (1 January is a list's "year only")."""
    day = (pl.element().str.len_bytes() == 10) & ~pl.element().str.ends_with("-01-01")
    return dates.list.eval(pl.element().filter(day))


def _birth_gap() -> pl.Expr:
    """Return the least distance in years of a query row's birth year to its entity's (null where either lacks one)."""
    year = _query_date().str.slice(0, 4).cast(pl.Int32, strict=False)
    years = _dates("birth_dates").list.eval(pl.element().str.slice(0, 4).cast(pl.Int32))
    return (years - year).list.eval(pl.element().abs()).list.min()


def birth_year_agrees() -> pl.Expr:
    """Return whether a query row's birth year is one its entity's dates give (whatever their days)."""
    return (_birth_gap() == 0).fill_null(value=False)


def year_listed() -> pl.Expr:
    """Return whether a query row's birth year is one its entity gives as a year only (``YYYY`` or 1 January)."""
    listed = _dates("birth_dates")
    years = listed.list.set_difference(_full(listed)).list.eval(pl.element().str.slice(0, 4))
    return years.list.contains(_query_date().str.slice(0, 4)).fill_null(value=False)


@cache  # the expression is built once: building it costs more than running it on a few rows
def birth() -> tuple[pl.Expr, pl.Expr]:
    """Return the graded birth-date adjustment and note."""
    query = _query_date()
    year = query.str.slice(0, 4).cast(pl.Int32, strict=False)
    listed = _dates("birth_dates")
    gap = _birth_gap()
    swapped = query.str.slice(0, 5) + query.str.slice(8, 2) + "-" + query.str.slice(5, 2)
    full = _full(listed)
    day_known = (query.str.len_bytes() == 10) & (full.list.len() > 0)
    same_day = full.list.contains(query) | full.list.contains(swapped)
    days = full.list.eval(pl.element().str.slice(5))
    same_md = days.list.contains(query.str.slice(5)) | days.list.contains(swapped.str.slice(5))
    both = year.is_not_null() & gap.is_not_null()
    adj = (
        pl.when(~both)
        .then(0.0)
        .when(gap == 0)
        .then(pl.when(~day_known).then(BIRTH_AGREE).when(same_day).then(BIRTH_SAME_DAY).otherwise(BIRTH_NEAR))
        .when(gap <= NEAR_YEARS)
        .then(BIRTH_NEAR)
        .when(gap <= FEW_YEARS)
        .then(pl.when(day_known & ~same_md).then(BIRTH_FEW_CLASH).otherwise(BIRTH_FEW))
        .otherwise(BIRTH_FAR)
    )
    shown = pl.col("birth_dates")
    note = (
        pl.when(~both)
        .then(None)
        .when((gap == 0) & (~day_known | same_day))
        .then(pl.lit("birth date ") + query + pl.lit(" agrees"))
        .otherwise(pl.lit("birth date ") + query + pl.lit(" differs (list ") + shown + ")")
    )
    return adj, note


def _schema_class(column: str) -> pl.Expr:
    """Return an entity type as one of the classes compared, FollowTheMoney's kinds of Organization folded in."""
    return pl.col(column).str.strip_chars().str.to_lowercase().replace_strict(_TYPES, default=None)


@cache  # the expression is built once: building it costs more than running it on a few rows
def schema() -> tuple[pl.Expr, pl.Expr]:
    """Return the entity-type adjustment and note: types that cannot be one entity rule the pair out."""
    q, w = _schema_class("schema"), _schema_class("entity_schema")
    clash = pl.concat_str(q, w, separator="|").is_in(sorted(_CLASH_KEYS)).fill_null(value=False)
    note = pl.when(clash).then(pl.lit("entity type ") + q + pl.lit(" vs listed ") + w)
    return pl.when(clash).then(SCHEMA_CLASH).otherwise(0.0), note


@cache  # the expression is built once: building it costs more than running it on a few rows
def lift() -> pl.Expr:
    """Return the most a query row's country and birth date can add to a name score (0 where it has neither)."""
    date = _query_date()
    birth = pl.when(date.str.len_bytes() == 10).then(BIRTH_SAME_DAY).when(date.is_not_null()).then(BIRTH_AGREE)
    return pl.when(_known("country")).then(COUNTRY_AGREE).otherwise(0.0) + birth.otherwise(0.0)


def qualify(frame: pl.DataFrame) -> pl.DataFrame:
    """Add each qualifier's adjustment (``ADJUSTMENTS``), ``adjust`` (their sum) and ``qual_notes`` to pairs."""
    if frame.is_empty():  # the expressions cost milliseconds to evaluate even on no rows
        return frame.with_columns(
            *[pl.lit(None, pl.Float64).alias(name) for name in ADJUSTMENTS],
            adjust=pl.lit(0.0),
            qual_notes=pl.lit([], pl.List(pl.String)),
        )
    parts = [country(), birth(), schema()]
    # the learned model reads each adjustment apart: kept as columns, not evaluated again
    frame = frame.with_columns([adj.alias(name) for name, (adj, _) in zip(ADJUSTMENTS, parts, strict=True)])
    return frame.with_columns(
        adjust=pl.sum_horizontal(ADJUSTMENTS),
        qual_notes=pl.concat_list([note for _, note in parts]).list.drop_nulls(),
    )
