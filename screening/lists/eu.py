"""EU Financial Sanctions Files XML (``export`` of ``sanctionEntity``, schema 1.1).

Each ``nameAlias`` carries ``strong="true|false"``; the first one names the entry. Regulations
give programmes and the listing date, ``identification`` elements give identifiers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.values import country_code, entity_schema, iso_date, parse_date
from screening.lists.version import stated_or_named
from screening.lists.xmlsafe import line_of, parse_list_xml

SOURCE: Final = "eu_fsf"
ID_TYPES: Final[dict[str, str]] = {
    "passport": "PASSPORT",
    "id": "NATIONAL_ID",
    "tin": "TAX",
    "fiscalcode": "TAX",
    "regnumber": "REGISTRATION",
    "swiftbic": "BIC",
    "imo": "IMO",
    "lei": "LEI",
}


def read_eu_xml(path: Path) -> ListImport:
    """Read the EU consolidated Financial Sanctions File XML."""
    root = parse_list_xml(path, "export", "an EU FSF <export>")
    b = ListBuilder(SOURCE, str(path))
    for node in root.iter("sanctionEntity"):
        _add(b, node)
    return b.finish(stated_or_named(iso_date(root.get("generationDate")), path), "eu_xml", path)


def _add(b: ListBuilder, node: ET.Element) -> None:
    """Add one sanctionEntity with its aliases, dates and identifications."""
    local = node.get("logicalId") or node.get("euReferenceNumber") or ""
    aliases = [a for a in node.iterfind("nameAlias") if (a.get("wholeName") or "").strip()]
    subject = node.find("subjectType")
    regulations = list(node.iterfind("regulation"))
    listed = [d for d in (parse_date(r.get("publicationDate")) for r in regulations) if d]
    countries = [
        country_code(c.get("countryIso2Code")) or "" for c in [*node.iterfind("citizenship"), *node.iterfind("address")]
    ]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(local),
            entity_schema=entity_schema(subject.get("code") if subject is not None else None),
            caption=aliases[0].get("wholeName", "") if aliases else "",
            programs=[r.get("programme") or "" for r in regulations],
            countries=countries,
            birth_dates=_birth_dates(node),
            listed_on=min(listed) if listed else None,
            remarks=(node.findtext("remark") or "").strip() or None,
        ),
        line_of(node),
        local,
    )
    if entity is None:
        return
    for alias in aliases[1:]:
        weak = alias.get("strong", "true").lower() == "false"
        b.add_name(entity.entity_id, alias.get("wholeName"), "weak_alias" if weak else "alias")
    for ident in node.iterfind("identification"):
        kind = ID_TYPES.get((ident.get("identificationTypeCode") or "").lower(), "OTHER")
        b.add_identifier(entity.entity_id, kind, ident.get("number"))


def _birth_dates(node: ET.Element) -> list[str]:
    """Return ISO birth dates, or years when only the year is known."""
    found = []
    for item in node.iterfind("birthdate"):
        value = iso_date(item.get("birthdate")) or iso_date(item.get("year"))
        if value:
            found.append(value)
    return found
