"""OpenSanctions ``targets.simple.csv``: one row per target, multi-values joined by ``;``.

Columns: ``id, schema, name, aliases, birth_date, countries, addresses, identifiers, sanctions,
phones, emails, program_ids, dataset, first_seen, last_seen, last_change`` (``program_ids`` is
missing from older exports). Identifiers come without their type, so they are stored as OTHER.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.os_ftm import SCHEMAS
from screening.lists.textio import dict_rows
from screening.lists.values import country_code, iso_date
from screening.lists.version import stated_or_named

SOURCE: Final = "opensanctions"
REQUIRED: Final = frozenset({"id", "schema", "name", "aliases", "identifiers"})


def _split(value: str | None) -> list[str]:
    """Return the non-empty parts of a ';'-joined value."""
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _add_row(b: ListBuilder, line: int, row: dict[str, str]) -> str:
    """Add one target row; return its last_change date."""
    entity = b.add_entity(
        Entity(
            entity_id=b.entity_id(row["id"]),
            entity_schema=SCHEMAS.get(row["schema"], "Unknown"),
            caption=row["name"],
            programs=_split(row.get("program_ids")),
            countries=[country_code(c) or "" for c in _split(row.get("countries"))],
            birth_dates=[d for d in map(iso_date, _split(row.get("birth_date"))) if d],
            remarks=row.get("sanctions") or None,
        ),
        line,
        ",".join(row.values()),
    )
    if entity is not None:
        for alias in _split(row.get("aliases")):
            b.add_name(entity.entity_id, alias, "alias")
        for value in _split(row.get("identifiers")):
            b.add_identifier(entity.entity_id, "OTHER", value)
    return row.get("last_change", "")


def read_os_simple(path: Path) -> ListImport:
    """Read OpenSanctions targets.simple.csv."""
    b = ListBuilder(SOURCE, str(path))
    latest = ""
    for line, row in dict_rows(path):
        if "__problem__" in row:
            b.problem(line, row["__problem__"], row["__raw__"])
            continue
        if REQUIRED - row.keys():
            missing = sorted(REQUIRED - row.keys())
            raise ListError(located(str(path), 1, f"not a targets.simple.csv: missing {missing}"))
        latest = max(latest, _add_row(b, line, row))
    return b.finish(stated_or_named(iso_date(latest), path), "os_simple_csv", path)
