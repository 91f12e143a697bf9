"""UN Security Council consolidated list XML (``CONSOLIDATED_LIST``).

Aliases of QUALITY ``Good`` or ``a.k.a.`` are strong, ``Low`` ones weak, ``f.k.a.`` former;
``NAME_ORIGINAL_SCRIPT`` becomes an original-script name; documents become identifiers, their type
read from the label in English, French or Spanish (``Numéro de passeport``, ``Pasaporte``); places of
birth and documents' issuing countries are kept as countries.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.values import country_code, document_type, iso_date, parse_date
from screening.lists.version import stated_or_named
from screening.lists.xmlsafe import line_of, parse_list_xml, text, texts

SOURCE: Final = "un_sc"
QUALITIES: Final[dict[str, str]] = {
    "good": "alias",
    "a.k.a.": "alias",
    "low": "weak_alias",
    "f.k.a.": "former",
}


def read_un_xml(path: Path) -> ListImport:
    """Read the UN consolidated list XML."""
    root = parse_list_xml(path, "CONSOLIDATED_LIST", "a UN CONSOLIDATED_LIST")
    b = ListBuilder(SOURCE, str(path))
    for node in root.iter("INDIVIDUAL"):
        _add(b, node, "Person", "INDIVIDUAL")
    for node in root.iter("ENTITY"):
        _add(b, node, "Organization", "ENTITY")
    version = stated_or_named(iso_date(root.get("dateGenerated")), path)
    return b.finish(version, "un_xml", path)


def _caption(node: ET.Element) -> str:
    """Return the entry's name from its name parts."""
    parts = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    return " ".join(t for t in (text(node, p) for p in parts) if t)


def _add(b: ListBuilder, node: ET.Element, schema: str, prefix: str) -> None:
    """Add one INDIVIDUAL or ENTITY with its names, dates and documents."""
    local = text(node, "REFERENCE_NUMBER") or text(node, "DATAID")
    places = (
        "NATIONALITY/VALUE",
        f"{prefix}_ADDRESS/COUNTRY",
        f"{prefix}_PLACE_OF_BIRTH/COUNTRY",
        f"{prefix}_DOCUMENT/ISSUING_COUNTRY",
        f"{prefix}_DOCUMENT/COUNTRY_OF_ISSUE",
    )
    countries = [country_code(c) or "" for place in places for c in texts(node, place)]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(local),
            entity_schema=schema,
            caption=_caption(node),
            programs=[text(node, "UN_LIST_TYPE")],
            countries=countries,
            birth_dates=_birth_dates(node),
            listed_on=parse_date(text(node, "LISTED_ON")),
            remarks=text(node, "COMMENTS1") or None,
        ),
        line_of(node),
        local,
    )
    if entity is None:
        return
    for alias in node.iterfind(f"{prefix}_ALIAS"):
        kind = QUALITIES.get(text(alias, "QUALITY").lower(), "alias")
        b.add_name(entity.entity_id, text(alias, "ALIAS_NAME"), kind)
    for name in texts(node, "NAME_ORIGINAL_SCRIPT"):
        b.add_name(entity.entity_id, name, "original_script")
    for doc in node.iterfind(f"{prefix}_DOCUMENT"):
        kind = document_type(text(doc, "TYPE_OF_DOCUMENT"))
        b.add_identifier(entity.entity_id, kind, text(doc, "NUMBER"))


def _birth_dates(node: ET.Element) -> list[str]:
    """Return ISO dates or years of birth, including both ends of a range."""
    found: list[str] = []
    for dob in node.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        for part in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            value = iso_date(text(dob, part))
            if value:
                found.append(value)
    return found
