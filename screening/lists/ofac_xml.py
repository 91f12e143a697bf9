"""OFAC ``SDN_ADVANCED.XML`` (and ``CONS_ADVANCED.XML``), the Sanctions List Service schema.

Everything coded is resolved through ``ReferenceValueSets`` (alias, party, feature, document
types, countries) rather than fixed ids. ``DistinctParty/@FixedRef`` is the same entry number
as in the legacy CSV, so both layouts give the same entity ids.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.ofac_remarks import ID_LABELS
from screening.lists.values import country_code, entity_schema, parse_date
from screening.lists.version import stated_or_named
from screening.lists.xmlsafe import line_of, parse_xml, text

SDN_LIST_ID: Final = "1550"  # the advanced XML's ListID of the SDN List; the non-SDN lists have others

ALIAS_TYPES: Final[dict[str, str]] = {"A.K.A.": "alias", "F.K.A.": "former", "N.K.A.": "alias"}
LINK_TYPES: Final = frozenset({"Owned or Controlled By", "Linked To"})
DOC_TYPES: Final[dict[str, str]] = {"Vessel Registration Identification": "IMO"}


class _Refs:
    """The reference values of one file, looked up by id."""

    def __init__(self, root: ET.Element) -> None:
        sets = root.find("ReferenceValueSets")
        self.values: dict[str, dict[str, ET.Element]] = {}
        for item in sets.iter() if sets is not None else []:
            if item.get("ID") is not None:
                self.values.setdefault(item.tag, {})[item.get("ID", "")] = item
        self.location_country = {
            loc.get("ID", ""): country.get("CountryID", "")
            for loc in root.iterfind("Locations/Location")
            for country in loc.iterfind("LocationCountry")
        }

    def name(self, kind: str, ref: str | None) -> str:
        """Return the text of a reference value, or an empty string."""
        item = self.values.get(kind, {}).get(ref or "")
        return " ".join((item.text or "").split()) if item is not None else ""

    def country(self, ref: str | None) -> str:
        """Return the ISO-2 code of a Country reference."""
        item = self.values.get("Country", {}).get(ref or "")
        if item is None:
            return ""
        return country_code(item.get("ISO2")) or country_code(item.text) or ""


def _schema(refs: _Refs, profile: ET.Element) -> str:
    """Return the entity schema of a profile from its party sub-type and type."""
    sub = refs.values.get("PartySubType", {}).get(profile.get("PartySubTypeID", ""))
    if sub is None:
        return "Unknown"
    if (sub.text or "").strip() not in ("", "Unknown"):
        return entity_schema(sub.text)
    return entity_schema(refs.name("PartyType", sub.get("PartyTypeID")))


def _names(refs: _Refs, profile: ET.Element) -> list[tuple[str, str]]:
    """Return (name, name_type) of a profile's aliases, the primary one first."""
    found = []
    for alias in profile.iterfind("Identity/Alias"):
        parts = [" ".join((p.text or "").split()) for p in alias.iter("NamePartValue")]
        kind = (
            "primary"
            if alias.get("Primary") == "true"
            else ALIAS_TYPES.get(refs.name("AliasType", alias.get("AliasTypeID")), "alias")
        )
        kind = "weak_alias" if alias.get("LowQuality") == "true" else kind
        found.append((" ".join(p for p in parts if p), kind))
    return sorted(found, key=lambda n: n[1] != "primary")


def _features(refs: _Refs, profile: ET.Element) -> tuple[list[str], list[str]]:
    """Return the birth dates and countries stated as features of a profile."""
    dates, countries = [], []
    for feature in profile.iterfind("Feature"):
        kind = refs.name("FeatureType", feature.get("FeatureTypeID"))
        for version in feature.iterfind("FeatureVersion"):
            if kind == "Birthdate":
                dates += _period_starts(version)
            elif "Country" in kind or "Flag" in kind:
                countries += [
                    refs.country(refs.location_country.get(loc.get("LocationID", "")))
                    for loc in version.iterfind("VersionLocation")
                ]
    return dates, countries


def _period_starts(version: ET.Element) -> list[str]:
    """Return the ISO start dates (or years) of a feature's date periods."""
    found = []
    for start in version.iterfind("DatePeriod/Start/From"):
        year, month, day = (text(start, p) for p in ("Year", "Month", "Day"))
        exact = version.find("DatePeriod/Start")
        whole = exact is not None and exact.get("Approximate") == "false" and month and day
        found.append(f"{year}-{int(month):02d}-{int(day):02d}" if whole else year)
    return [f for f in found if f]


def _source(root: ET.Element) -> str:
    """Return the source a publication is: the SDN list when an entry is on it, else the non-SDN lists."""
    lists = {entry.get("ListID") for entry in root.iter("SanctionsEntry")}
    return "us_ofac_sdn" if not lists or SDN_LIST_ID in lists else "us_ofac_cons"


def read_ofac_xml(path: Path) -> ListImport:
    """Read OFAC's SDN_ADVANCED.XML."""
    root = parse_xml(path)
    if root.tag != "Sanctions" or root.find("DistinctParties") is None:
        raise ListError(located(str(path), line_of(root), f"expected OFAC advanced <Sanctions>, found <{root.tag}>"))
    refs = _Refs(root)
    b = ListBuilder(_source(root), str(path))
    profiles: dict[str, str] = {}
    for party in root.iterfind("DistinctParties/DistinctParty"):
        profile = party.find("Profile")
        if profile is not None:
            profiles[profile.get("ID", "")] = b.entity_id(party.get("FixedRef", ""))
            _add_party(b, refs, party, profile)
    _add_documents(b, refs, root, profiles)
    _add_entries(b, refs, root, profiles)
    issued = root.find("DateOfIssue")
    version = (
        "-".join(f"{int(text(issued, p)):02d}" for p in ("Year", "Month", "Day"))
        if (issued is not None and text(issued, "Day"))
        else ""
    )
    return b.finish(stated_or_named(version or None, path), "ofac_xml", path)


def _add_party(b: ListBuilder, refs: _Refs, party: ET.Element, profile: ET.Element) -> None:
    """Add one DistinctParty with its names and features."""
    names = _names(refs, profile)
    dates, countries = _features(refs, profile)
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(party.get("FixedRef", "")),
            entity_schema=_schema(refs, profile),
            caption=names[0][0] if names else "",
            countries=countries,
            birth_dates=dates,
            remarks=text(party, "Comment") or None,
        ),
        line_of(party),
        party.get("FixedRef", ""),
    )
    for name, kind in names[1:] if entity else []:
        b.add_name(entity.entity_id if entity else "", name, kind)


def _add_documents(b: ListBuilder, refs: _Refs, root: ET.Element, profiles: dict[str, str]) -> None:
    """Add identity documents as identifiers of their profile."""
    identities = {
        i.get("ID", ""): profiles.get(p.get("ID", ""), "")
        for p in root.iterfind("DistinctParties/DistinctParty/Profile")
        for i in p.iterfind("Identity")
    }
    for doc in root.iterfind("IDRegDocuments/IDRegDocument"):
        label = refs.name("IDRegDocType", doc.get("IDRegDocTypeID"))
        kind = DOC_TYPES.get(label) or next(
            (k for lab, k in ID_LABELS if label.startswith(lab.rstrip(".#: "))), "OTHER"
        )
        b.add_identifier(identities.get(doc.get("IdentityID", ""), ""), kind, text(doc, "IDRegistrationNo"))


def _add_entries(b: ListBuilder, refs: _Refs, root: ET.Element, profiles: dict[str, str]) -> None:
    """Add programmes and listing dates of SanctionsEntries, and links between profiles."""
    for entry in root.iterfind("SanctionsEntries/SanctionsEntry"):
        entity = b.entities.get(profiles.get(entry.get("ProfileID", ""), ""))
        if entity is None:
            continue
        entity.programs += [text(m, "Comment") for m in entry.iterfind("SanctionsMeasure")]
        for event in entry.iterfind("EntryEvent/Date"):
            stamp = "-".join(text(event, p).zfill(2) for p in ("Year", "Month", "Day"))
            found = parse_date(stamp)
            if found and (entity.listed_on is None or found < entity.listed_on):
                entity.listed_on = found
    for rel in root.iterfind("ProfileRelationships/ProfileRelationship"):
        if refs.name("RelationType", rel.get("RelationTypeID")) in LINK_TYPES:
            owned = profiles.get(rel.get("From-ProfileID", ""), "")
            owner = profiles.get(rel.get("To-ProfileID", ""), "")
            if owned in b.entities and owner in b.entities:
                b.add_link(owner, owned, None, line_of(rel))
