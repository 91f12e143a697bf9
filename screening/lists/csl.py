"""trade.gov Consolidated Screening List CSV (several US lists in one file, with a header).

``ids`` holds ``country, number, type`` items separated by ``;``; ``alt_names`` holds strong
aliases. Rows without an ``entity_number`` get a stable id from their list, name and address.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.ofac_remarks import ID_LABELS
from screening.lists.textio import dict_rows
from screening.lists.values import country_code, entity_schema, iso_date, parse_date
from screening.lists.version import stated_or_named

SOURCE: Final = "us_trade_csl"
REQUIRED: Final = frozenset({"source", "name", "alt_names", "ids"})


def _list_code(source: str) -> str:
    """Return a list's short code: 'Entity List (EL) - Bureau …' gives EL."""
    m = re.search(r"\(([A-Z-]+)\)", source)
    return m[1] if m else re.sub(r"\W+", "_", source).strip("_")[:20] or "CSL"


def _local_id(row: dict[str, str]) -> str:
    """Return the row's id within the CSL."""
    code = _list_code(row["source"])
    if row.get("entity_number"):
        return f"{code}-{row['entity_number']}"
    key = "|".join((row["name"].strip().upper(), row.get("addresses", ""), row.get("start_date", "")))
    return f"{code}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _identifiers(value: str) -> list[tuple[str, str]]:
    """Return (type, number) pairs from the ids column, keeping known identifier types."""
    found = []
    for item in value.split(";"):
        parts = [p.strip() for p in item.split(",")]
        number, label = (parts[1], parts[2]) if len(parts) >= 3 else (parts[0], parts[-1])
        if number.startswith("IMO "):
            found.append(("IMO", number[4:]))
            continue
        kind = next((k for lab, k in ID_LABELS if label.startswith(lab.rstrip(".#: "))), None)
        if kind and number:
            found.append((kind, number))
    return found


def _add_row(b: ListBuilder, line: int, row: dict[str, str]) -> None:
    """Add one CSL row as an entry with its aliases and identifiers."""
    local = _local_id(row)
    countries = re.split(r"[;,]", f"{row.get('citizenships', '')};{row.get('nationalities', '')}")
    countries += [a.rsplit(",", 1)[-1] for a in row.get("addresses", "").split(";")]
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(local),
            entity_schema=entity_schema(row.get("type")),
            caption=row["name"],
            programs=[_list_code(row["source"]), *row.get("programs", "").split(";")],
            countries=[country_code(c) or "" for c in countries],
            birth_dates=[d for d in map(iso_date, row.get("dates_of_birth", "").split(";")) if d],
            listed_on=parse_date(row.get("start_date")),
            remarks=row.get("remarks") or None,
        ),
        line,
        ",".join(row.values()),
    )
    if entity is None:
        return
    for alias in row.get("alt_names", "").split(";"):
        b.add_name(entity.entity_id, alias, "alias")
    for kind, number in _identifiers(row.get("ids", "")):
        b.add_identifier(entity.entity_id, kind, number)


def read_csl_csv(path: Path) -> ListImport:
    """Read the trade.gov Consolidated Screening List CSV."""
    b = ListBuilder(SOURCE, str(path))
    for line, row in dict_rows(path):
        if "__problem__" in row:
            b.problem(line, row["__problem__"], row["__raw__"])
            continue
        missing = REQUIRED - row.keys()
        if missing:
            raise ListError(located(str(path), 1, f"not a CSL file: missing columns {sorted(missing)}"))
        _add_row(b, line, row)
    return b.finish(stated_or_named(None, path), "csl_csv", path)
