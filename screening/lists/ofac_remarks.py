"""Facts carried in OFAC's free-text remarks: identifiers, birth dates, nationalities, links.

A remark is a ``;``-separated sequence of statements such as ``DOB 13 May 1965``,
``alt. Passport AL720622 (Colombia)``, ``Tax ID No. 7744001497 (Russia)``,
``Linked To: BANK X.`` or ``a.k.a. 'BNC'`` (OFAC puts its weak aliases there, quoted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from screening.lists.values import country_code, iso_date, parse_date

# (statement label, id type); the first label that starts a statement wins.
ID_LABELS: Final[tuple[tuple[str, str], ...]] = (
    ("Vessel Registration Identification IMO", "IMO"),
    ("IMO", "IMO"),
    ("Diplomatic Passport", "PASSPORT"),
    ("Passport", "PASSPORT"),
    ("Tax ID No.", "TAX"),
    ("R.F.C.", "TAX"),
    ("NIT #", "TAX"),
    ("RUC #", "TAX"),
    ("C.U.I.T.", "TAX"),
    ("National ID No.", "NATIONAL_ID"),
    ("Cedula No.", "NATIONAL_ID"),
    ("Identification Number", "NATIONAL_ID"),
    ("C.U.R.P.", "NATIONAL_ID"),
    ("D.N.I.", "NATIONAL_ID"),
    ("Personal ID Card", "NATIONAL_ID"),
    ("Legal Entity Number", "LEI"),
    ("SWIFT/BIC", "BIC"),
    ("ISIN", "ISIN"),
    ("Unified Social Credit Code (USCC)", "REGISTRATION"),
    ("Registration Number", "REGISTRATION"),
    ("Public Registration Number", "REGISTRATION"),
    ("Registration ID", "REGISTRATION"),
    ("Business Registration Number", "REGISTRATION"),
    ("Company Number", "REGISTRATION"),
    ("Commercial Registry Number", "REGISTRATION"),
    ("Matricula Mercantil No", "REGISTRATION"),
)

_ID_VALUE: Final = re.compile(r"[:#]?\s*(?P<value>\S+)(?:.*?\((?P<country>[^()]+)\))?")
_ALIAS: Final = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*['\"](?P<name>.+?)['\"]?$")
_LISTING: Final = re.compile(r"^Listing Date \([^)]*\):? (?P<date>.+)$")


@dataclass
class RemarkFacts:
    """What a remark states about an entry."""

    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    listed_on: date | None = None


def parse_remarks(remarks: str) -> RemarkFacts:
    """Return the facts stated in an OFAC remark."""
    facts = RemarkFacts()
    for part in remarks.split(";"):
        statement = part.strip().removeprefix("alt. ").strip().rstrip(".").strip()
        if statement:
            _read_statement(statement, facts)
    return facts


def _read_statement(statement: str, facts: RemarkFacts) -> None:
    """Add what one statement says to the facts."""
    if statement.startswith("DOB "):
        facts.birth_dates.extend(_birth_dates(statement[4:]))
    elif m := re.match(r"^(?:nationality|citizen) (.+)$", statement):
        facts.countries.extend(c for c in [country_code(m[1])] if c)
    elif statement.startswith("Linked To:"):
        facts.linked_to.append(statement.removeprefix("Linked To:").strip())
    elif m := _ALIAS.match(statement):
        facts.weak_aliases.append(m["name"])
    elif m := _LISTING.match(statement):
        found = parse_date(m["date"])
        if found and (facts.listed_on is None or found < facts.listed_on):
            facts.listed_on = found
    else:
        _read_identifier(statement, facts)


def _birth_dates(text: str) -> list[str]:
    """Return ISO dates or years from 'circa 1960', '1960 to 1962', '13 May 1965'."""
    ends = text.replace("circa", "").split(" to ")
    return [d for d in (iso_date(end) for end in ends) if d]


def _read_identifier(statement: str, facts: RemarkFacts) -> None:
    """Add an identifier when the statement starts with a known label."""
    for label, id_type in ID_LABELS:
        if not statement.startswith(label + " ") and not statement.startswith(label + ":"):
            continue
        m = _ID_VALUE.match(statement[len(label) :])
        if m is None:
            return
        country = country_code(m["country"]) if m["country"] else None
        facts.identifiers.append((_russian_type(id_type, country, m["value"]), m["value"]))
        return


def _russian_type(id_type: str, country: str | None, value: str) -> str:
    """Return INN or OGRN for Russian tax and registration numbers, else the type given."""
    digits = re.sub(r"\D", "", value)
    if country != "RU":
        return id_type
    if id_type == "TAX" and len(digits) in (10, 12):
        return "INN"
    if id_type == "REGISTRATION" and len(digits) in (13, 15):
        return "OGRN"
    return id_type
