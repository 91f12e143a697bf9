"""FollowTheMoney-shaped queries in, yente-shaped entities out.

A query example (``{"schema": "Person", "properties": {"name": [...], "birthDate": [...]}}``)
becomes matcher query rows: one per name, birth date and country it gives (FtM properties are
lists, and the value that agrees best with an entity counts), and one per further identifier; an
example with identifiers but no name is matched on its identifiers. The rows of an example are one
query: the matcher ranks all their hits together, each entity at its best. An entity comes back as
yente's ``EntityResponse``: id, caption, schema, FtM properties, datasets.
"""

from __future__ import annotations

from typing import Any, Final

import polars as pl

NAME_PROPS: Final = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
COUNTRY_PROPS: Final = ("nationality", "citizenship", "country", "jurisdiction", "registrationCountry", "flag")
BIRTH_PROPS: Final = ("birthDate", "incorporationDate")
ID_PROPS: Final = (
    "idNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode", "leiCode", "swiftBic",
    "imoNumber", "passportNumber", "vatCode",
)  # fmt: skip
MAX_VALUES: Final = 20
MAX_QUALIFIERS: Final = 3  # birth dates and countries tried per example: rows grow as names x dates x countries
# the list's name types and identifier types as FtM properties
NAME_TYPE_PROP: Final = {"primary": "name", "alias": "alias", "weak_alias": "weakAlias", "former": "previousName"}
ID_TYPE_PROP: Final = {
    "IMO": "imoNumber", "INN": "innCode", "OGRN": "ogrnCode", "LEI": "leiCode", "BIC": "swiftBic",
    "PASSPORT": "passportNumber", "NATIONAL_ID": "idNumber", "TAX": "taxNumber",
}  # fmt: skip


class QueryError(ValueError):
    """A query example is not FollowTheMoney-shaped; the message says where."""


def _values(props: dict[str, Any], names: tuple[str, ...], where: str) -> list[str]:
    """Return the string values of some properties, in order, a lone string read as a list of one."""
    found: list[str] = []
    for prop in names:
        if prop not in props:  # most of the properties asked for are absent: skip their checks
            continue
        value = props[prop]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise QueryError(f"{where}.properties.{prop}: expected a string or a list of strings")
        found.extend(v.strip() for v in items if v.strip())
    return found[:MAX_VALUES]


def example(key: str, raw: object) -> dict[str, Any]:
    """Return a query example with its properties as lists of strings, or raise QueryError."""
    where = f"queries.{key}"
    if not isinstance(raw, dict):
        raise QueryError(f"{where}: expected an object with 'schema' and 'properties'")
    schema, props = raw.get("schema"), raw.get("properties", {})
    if not isinstance(schema, str) or not schema:
        raise QueryError(f"{where}.schema: expected an FtM schema name such as Person, Company or Vessel")
    if not isinstance(props, dict):
        raise QueryError(f"{where}.properties: expected an object of property lists")
    clean = {prop: _values(props, (prop,), where) for prop in props}
    return {"id": raw.get("id") if isinstance(raw.get("id"), str) else None, "schema": schema, "properties": clean}


def _names(props: dict[str, Any], key: str) -> list[str]:
    """Return the names an example is matched on: its names, else its given names joined, else its identifiers."""
    names = _values(props, NAME_PROPS[:4], key)
    if not names:
        given = " ".join(_values(props, NAME_PROPS[4:], key))
        names = [given] if given else _values(props, ID_PROPS, key)
    return names


def _distinct(values: list[str]) -> list[str | None]:
    """Return the first distinct values (case folded) a qualifier is tried with, or [None] when there are none."""
    kept: dict[str, str | None] = {}
    for value in values:
        kept.setdefault(value.upper(), value)
    return list(kept.values())[:MAX_QUALIFIERS] or [None]


def query_rows(key: str, ex: dict[str, Any]) -> list[dict[str, str | None]]:
    """Return the query rows of an example: each name, birth date and country, then each other identifier."""
    props = ex["properties"]
    names, ids = list(dict.fromkeys(_names(props, key))), _values(props, ID_PROPS, key)
    if not names:
        return []
    countries, dates = _distinct(_values(props, COUNTRY_PROPS, key)), _distinct(_values(props, BIRTH_PROPS, key))
    first_id = ids[0] if ids else None
    combos = [(n, c, d, first_id) for n in names for d in dates for c in countries]
    combos += [(names[0], countries[0], dates[0], other) for other in dict.fromkeys(ids[1:]) if other != first_id]
    columns = ("name", "country", "birth_date", "identifier")
    return [{"id": key, "schema": ex["schema"], **dict(zip(columns, combo, strict=True))} for combo in combos]


def queries_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Return query rows as the matcher's query frame."""
    schema = dict.fromkeys(("id", "name", "schema", "country", "birth_date", "identifier"), pl.String())
    return pl.DataFrame(rows, schema=schema)


def _split(value: str | None, sep: str = ";") -> list[str]:
    """Return the non-empty parts of a joined list field."""
    return [part.strip() for part in (value or "").split(sep) if part.strip()]


def properties(row: dict[str, Any]) -> dict[str, list[str]]:
    """Return an entity row's FtM properties."""
    props: dict[str, list[str]] = {}
    for name, kind in zip(row.get("name") or [], row.get("name_type") or [], strict=False):
        props.setdefault(NAME_TYPE_PROP.get(kind or "", "name"), []).append(name)
    for kind, raw in zip(row.get("id_type") or [], row.get("raw") or [], strict=False):
        props.setdefault(ID_TYPE_PROP.get(kind or "", "registrationNumber"), []).append(raw)
    extra = {
        "birthDate": _split(row.get("birth_dates")),
        "country": [c.lower() for c in _split(row.get("countries"))],
        "program": _split(row.get("programs")),
        "topics": _split(row.get("topics")) or ["sanction"],
        "notes": _split(row.get("remarks"), "\n"),
    }
    props.update({k: v for k, v in extra.items() if v})
    return {k: sorted(set(v), key=v.index) for k, v in props.items()}


def entity(row: dict[str, Any]) -> dict[str, Any]:
    """Return an entity row in yente's ``EntityResponse`` shape."""
    return {
        "id": row["entity_id"],
        "caption": row.get("caption") or next(iter(row.get("name") or []), row["entity_id"]),
        "schema": row.get("entity_schema") or "LegalEntity",
        "properties": properties(row),
        "datasets": [row["source"]] if row.get("source") else [],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": str(row["listed_on"]) if row.get("listed_on") else None,
    }
