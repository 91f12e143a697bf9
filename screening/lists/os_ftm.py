"""OpenSanctions FollowTheMoney JSON lines (``entities.ftm.json``).

Parties (Person, Company, Organization, LegalEntity, PublicBody, Vessel, Airplane) become
entries; ``Ownership`` entities become ownership links with ``percentage`` as a fraction (null
when unknown); ``Sanction`` entities add programmes and listing dates to their entity. Other
schemas (Address, Family, Directorship …) describe context the screen does not use. A party keeps
its ``topics`` (``none`` when it has none): only ``sanction`` makes it a listed party, the others
(``role.pep``, ``crime``, ``debarment`` …) are other risk categories.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.textio import read_text
from screening.lists.values import country_code, iso_date, parse_date
from screening.lists.version import stated_or_named

SOURCE: Final = "opensanctions"
NO_TOPIC: Final = "none"  # an FtM entity without topics: not known to be sanctioned
SCHEMAS: Final[dict[str, str]] = {
    "Person": "Person",
    "Company": "Organization",
    "Organization": "Organization",
    "LegalEntity": "Organization",
    "PublicBody": "Organization",
    "Vessel": "Vessel",
    "Airplane": "Aircraft",
}
NAME_PROPS: Final = (
    ("name", "alias"),
    ("alias", "alias"),
    ("weakAlias", "weak_alias"),
    ("previousName", "former"),
)
COUNTRY_PROPS: Final = ("country", "nationality", "citizenship", "jurisdiction", "flag")
ID_PROPS: Final[dict[str, str]] = {
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "imoNumber": "IMO",
    "leiCode": "LEI",
    "swiftBic": "BIC",
    "bicCode": "BIC",
    "isinCode": "ISIN",
    "taxNumber": "TAX",
    "registrationNumber": "REGISTRATION",
    "passportNumber": "PASSPORT",
    "idNumber": "NATIONAL_ID",
    "callSign": "CALL_SIGN",
}
Record = dict[str, Any]


def _records(path: Path, b: ListBuilder) -> list[tuple[int, Record]]:
    """Return the JSON objects of the file with their lines, reporting unreadable lines."""
    found: list[tuple[int, Record]] = []
    for line, raw in enumerate(read_text(path).splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            if not found and line == 1:
                raise ListError(located(str(path), line, f"not FtM JSON lines: {exc.msg}")) from exc
            b.problem(line, f"not a JSON object: {exc.msg}", raw)
            continue
        if not isinstance(record, dict) or not record.get("id") or not record.get("schema"):
            b.problem(line, "JSON line without id and schema", raw)
            continue
        found.append((line, record))
    return found


def _props(record: Record, name: str) -> list[str]:
    """Return the string values of a property."""
    values = record.get("properties", {}).get(name, [])
    return [str(v) for v in values] if isinstance(values, list) else []


def _add_party(b: ListBuilder, line: int, record: Record) -> None:
    """Add a party with its names, countries, birth dates and identifiers."""
    names = [(n, kind) for prop, kind in NAME_PROPS for n in _props(record, prop)]
    caption = str(record.get("caption") or (names[0][0] if names else ""))
    countries = [country_code(c) or "" for p in COUNTRY_PROPS for c in _props(record, p)]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(record["id"]),
            entity_schema=SCHEMAS[record["schema"]],
            caption=caption,
            countries=countries,
            birth_dates=[d for d in map(iso_date, _props(record, "birthDate")) if d],
            remarks=None if record.get("target", True) else "not a sanctions target itself",
            listed=bool(record.get("target", True)),
            topics=_props(record, "topics") or [NO_TOPIC],
        ),
        line,
        json.dumps(record, ensure_ascii=False),
    )
    if entity is None:
        return
    for name, kind in names:
        b.add_name(entity.entity_id, name, kind)
    for prop, kind in ID_PROPS.items():
        for value in _props(record, prop):
            b.add_identifier(entity.entity_id, kind, value)


def _share(record: Record) -> float | None:
    """Return an ownership percentage as a fraction, or None when unknown or unreadable."""
    for value in _props(record, "percentage"):
        try:
            share = float(value.strip().rstrip("%")) / 100
        except ValueError:
            continue
        if 0 <= share <= 1:
            return share
    return None


def _apply_sanction(b: ListBuilder, record: Record) -> None:
    """Add a Sanction's programmes and listing date to its entity."""
    for target in _props(record, "entity"):
        entity = b.entities.get(b.entity_id(target))
        if entity is None:
            continue
        entity.programs += _props(record, "programId") or _props(record, "program")
        dates = [d for p in ("listingDate", "startDate") for d in map(parse_date, _props(record, p))]
        known = [d for d in [*dates, entity.listed_on] if d]
        entity.listed_on = min(known) if known else None


def read_ftm_json(path: Path) -> ListImport:
    """Read OpenSanctions FtM JSON lines."""
    b = ListBuilder(SOURCE, str(path))
    records = _records(path, b)
    for line, record in records:
        if record["schema"] in SCHEMAS:
            _add_party(b, line, record)
    for line, record in records:
        if record["schema"] == "Ownership":
            for owner in _props(record, "owner"):
                for asset in _props(record, "asset"):
                    b.add_link(b.entity_id(owner), b.entity_id(asset), _share(record), line)
        elif record["schema"] == "Sanction":
            _apply_sanction(b, record)
    changes = [str(r.get("last_change") or "") for _, r in records]
    return b.finish(stated_or_named(iso_date(max(changes, default="")), path), "ftm_json", path)
