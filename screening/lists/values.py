"""Value normalisation shared by the importers: identifiers, countries, dates and schemas."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from typing import Final

import polars as pl

from screening.ingest.countries import normalize_country

ID_TYPES: Final = frozenset(
    {
        "IMO",
        "INN",
        "OGRN",
        "LEI",
        "BIC",
        "ISIN",
        "PASSPORT",
        "NATIONAL_ID",
        "TAX",
        "REGISTRATION",
        "CALL_SIGN",
        "OTHER",
    }
)


def _fold(text: str) -> str:
    """Return text without accents, case or punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.casefold())


# folded keywords of document types as lists write them in English, French and Spanish, first match wins
DOCUMENT_KEYWORDS: Final[tuple[tuple[str, str], ...]] = (
    ("passport", "PASSPORT"),
    ("passeport", "PASSPORT"),
    ("pasaporte", "PASSPORT"),
    ("imo", "IMO"),
    ("tax", "TAX"),
    ("fiscal", "TAX"),
    ("tributari", "TAX"),
    ("identi", "NATIONAL_ID"),  # identification, identité, identidad, identity card
    ("cedula", "NATIONAL_ID"),
)


def document_type(label: str | None) -> str:
    """Return the identifier type of a document label in English, French or Spanish, else OTHER."""
    folded = _fold(label or "")
    return next((kind for word, kind in DOCUMENT_KEYWORDS if word in folded), "OTHER")


@lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """Return the ISO-2 code of a country name or code, or None when unknown (ingestion's table)."""
    text = (name or "").strip()
    if not text or text == "-0-":
        return None
    code: str | None = pl.select(normalize_country(pl.lit(text))).item()
    return code


def normalize_identifier(raw: str) -> str:
    """Return an identifier in upper case without spaces or punctuation."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", raw).upper())


_MONTHS: Final = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


def _iso_numeric(value: str) -> str | None:
    """Return the ISO form of '1965', '1965-5' or '1965-05-13T…', else None."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?", value)
    if m is None:
        return None
    return "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(m.groups()) if p)


def _iso_day_first(value: str) -> str | None:
    """Return the ISO form of '13/05/1965'; an unknown day or month (00, dd, mm) leaves it out."""
    m = re.fullmatch(r"(\d{1,2}|dd)[/.](\d{1,2}|mm)[/.](\d{4})", value, re.IGNORECASE)
    if m is None:
        return None
    day, month = (int(p) if p.isdigit() else 0 for p in (m[1], m[2]))
    if not month:
        return m[3]
    return f"{m[3]}-{month:02d}" + (f"-{day:02d}" if day else "")


def _iso_words(value: str) -> str | None:
    """Return the ISO form of '13 May 1965' or 'May 1965', else None."""
    m = re.fullmatch(r"(?:(\d{1,2}) )?([A-Za-z]{3})[a-z]*\.? (\d{4})", value)
    month = _MONTHS.get(m[2].lower()) if m else None
    if m is None or month is None:
        return None
    day = f"-{int(m[1]):02d}" if m[1] else ""
    return f"{m[3]}-{month:02d}{day}"


def iso_date(text: str | None) -> str | None:
    """Return an ISO date, year-month or year from the common list date layouts, else None."""
    value = (text or "").strip().rstrip(".")
    if not value:
        return None
    return _iso_numeric(value) or _iso_day_first(value) or _iso_words(value)


def parse_date(text: str | None) -> date | None:
    """Return a full date from an ISO, day/month/year or '13 May 1965' layout, else None."""
    value = iso_date(text)
    if value is None or len(value) != 10:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None


def us_date(text: str | None) -> date | None:
    """Return a date from the US month/day/year layout, else None."""
    try:
        return datetime.strptime((text or "").strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


_SCHEMAS: Final[dict[str, str]] = {
    "individual": "Person",
    "person": "Person",
    "entity": "Organization",
    "organization": "Organization",
    "organisation": "Organization",
    "company": "Organization",
    "legalentity": "Organization",
    "enterprise": "Organization",
    "vessel": "Vessel",
    "ship": "Vessel",
    "aircraft": "Aircraft",
    "airplane": "Aircraft",
}


def entity_schema(kind: str | None, default: str = "Unknown") -> str:
    """Return the store's schema name for a list's entry type."""
    return _SCHEMAS.get(_fold(kind or ""), default)
