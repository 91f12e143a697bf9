"""UK Sanctions List (FCDO) in its CSV and XML layouts.

The CSV has one row per name (``Unique ID`` repeats for aliases), after a ``Report Date`` line;
the XML has one ``Designation`` per entry with ``Names/Name``. ``Name 1``–``Name 5`` are given
names, ``Name 6`` the surname (or an entity's whole name); low-quality aliases are weak.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.textio import csv_rows
from screening.lists.values import country_code, entity_schema, iso_date, parse_date
from screening.lists.version import stated_or_named
from screening.lists.xmlsafe import line_of, parse_list_xml, text, texts

SOURCE: Final = "gb_fcdo"
# normalised header -> field; the FCDO has renamed columns before, so prefixes are accepted.
CSV_FIELDS: Final[dict[str, str]] = {
    "uniqueid": "id",
    "name1": "name1",
    "name2": "name2",
    "name3": "name3",
    "name4": "name4",
    "name5": "name5",
    "name6": "name6",
    "nametype": "name_type",
    "aliasstrength": "strength",
    "namenonlatinscript": "non_latin",
    "regimename": "regime",
    "regime": "regime",
    "individualentityship": "kind",
    "designationtype": "kind",
    "datedesignated": "designated",
    "dob": "dob",
    "nationality": "nationality",
    "addresscountry": "country",
    "passportnumber": "passport",
    "nationalidentifiernumber": "national_id",
    "businessregistrationnumber": "registration",
    "imonumber": "imo",
    "currentbelievedflagofship": "flag",
    "countryofbirth": "birth_country",
}
ID_FIELDS: Final = (
    ("passport", "PASSPORT"),
    ("national_id", "NATIONAL_ID"),
    ("registration", "REGISTRATION"),
    ("imo", "IMO"),
)

XML_ID_TAGS: Final = (
    ("PassportNumber", "PASSPORT"),
    ("NationalIdentifierNumber", "NATIONAL_ID"),
    ("BusinessRegistrationNumber", "REGISTRATION"),
    ("IMONumber", "IMO"),
)


def _field(header: str) -> str | None:
    """Return the field a CSV header stands for, or None."""
    key = re.sub(r"[^a-z0-9]", "", header.lower())
    for prefix, name in CSV_FIELDS.items():
        if key == prefix or (key.startswith(prefix) and not key[len(prefix)].isdigit()):
            return name
    return None


def _full_name(parts: list[str]) -> str:
    """Return given names followed by the surname (Name 6)."""
    return " ".join(p for p in parts[:5] + parts[5:6] if p)


def _add_name(b: ListBuilder, local: str, line: int, row: dict[str, str]) -> None:
    """Add one CSV name row, creating its entry on first sight."""
    eid = b.entity_id(local)
    name = _full_name([row.get(f"name{i}", "") for i in range(1, 7)])
    primary = "primary" in row.get("name_type", "").lower()
    if not name:
        b.problem(line, f"name row of {eid} has an empty name", ",".join(row.values()))
        return
    if eid not in b.entities:
        b.add_entity(
            Entity(
                entity_id=eid,
                entity_schema=entity_schema(row.get("kind")),
                caption=name,
                programs=[row.get("regime", "")],
                listed_on=parse_date(row.get("designated")),
            ),
            line,
            ",".join(row.values()),
        )
    entity = b.entities.get(eid)
    if entity is None:
        return
    weak = "low" in row.get("strength", "").lower()
    b.add_name(eid, name, "weak_alias" if weak else ("alias" if not primary else "primary"))
    b.add_name(eid, row.get("non_latin"), "original_script")
    entity.countries += [
        country_code(c) or ""
        for c in re.split(
            r"[;|]", ";".join(row.get(k, "") for k in ("nationality", "country", "flag", "birth_country"))
        )
    ]
    entity.birth_dates += [d for d in [iso_date(row.get("dob"))] if d]
    for key, kind in ID_FIELDS:
        for value in re.split(r"[;|]", row.get(key, "")):
            b.add_identifier(eid, kind, value.split("(")[0])


def read_uk_csv(path: Path) -> ListImport:
    """Read the UK Sanctions List CSV."""
    b = ListBuilder(SOURCE, str(path))
    version, header = "", None
    for line, fields in csv_rows(path):
        if header is None:
            if m := re.search(r"(\d{1,2}[-/][\w]{2,3}[-/]\d{4}|\d{4}-\d{2}-\d{2})", fields[0]):
                version = iso_date(m[1].replace("-", " ")) or iso_date(m[1]) or version
            if any(_field(f) == "id" for f in fields):
                header = [_field(f) for f in fields]
            continue
        row = {k: v.strip() for k, v in zip(header, fields, strict=False) if k}
        if not row.get("id"):
            b.problem(line, "row without a Unique ID", ",".join(fields))
            continue
        _add_name(b, row["id"], line, row)
    if header is None:
        raise ListError(located(str(path), 1, "no header row with a 'Unique ID' column found"))
    return b.finish(stated_or_named(version, path), "uk_csv", path)


def read_uk_xml(path: Path) -> ListImport:
    """Read the UK Sanctions List XML."""
    root = parse_list_xml(path, "Designations", "UK <Designations>")
    b = ListBuilder(SOURCE, str(path))
    for node in root.iter("Designation"):
        _add_designation(b, node)
    version = stated_or_named(iso_date(text(root, "DateGenerated")), path)
    return b.finish(version, "uk_xml", path)


def _add_designation(b: ListBuilder, node: ET.Element) -> None:
    """Add one Designation with its names, details and identifiers."""
    local = text(node, "UniqueID")
    names = [
        (
            _full_name([text(n, f"Name{i}") for i in range(1, 7)]),
            text(n, "NameType"),
            text(n, "AliasStrength"),
        )
        for n in node.iterfind("Names/Name")
    ]
    primary = next((n for n, t, _ in names if "primary" in t.lower()), names[0][0] if names else "")
    countries = [
        *texts(node, ".//Nationality"),
        *texts(node, ".//AddressCountry"),
        *texts(node, ".//CurrentBelievedFlagOfShip"),
        *texts(node, ".//CountryOfBirth"),
    ]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(local),
            entity_schema=entity_schema(text(node, "IndividualEntityShip")),
            caption=primary,
            programs=[text(node, "RegimeName")],
            countries=[country_code(c) or "" for c in countries],
            birth_dates=[d for d in map(iso_date, texts(node, ".//DOB")) if d],
            listed_on=parse_date(text(node, "DateDesignated")),
            remarks=text(node, "OtherInformation") or None,
        ),
        line_of(node),
        local,
    )
    if entity is None:
        return
    for name, _type, strength in names:
        weak = "low" in strength.lower()
        b.add_name(entity.entity_id, name, "weak_alias" if weak else "alias")
    for name in texts(node, ".//NameNonLatinScript"):
        b.add_name(entity.entity_id, name, "original_script")
    for tag, kind in XML_ID_TAGS:
        for value in texts(node, f".//{tag}"):
            b.add_identifier(entity.entity_id, kind, value)
