"""FollowTheMoney-shaped queries in, yente-shaped entities out.

A query example (``{"schema": "Person", "properties": {"name": [...], "birthDate": [...]}}``)
becomes one matcher query row per name, carrying the first birth date, country and identifier it
gives; an example with identifiers but no name is matched on its identifiers. An entity comes back
as yente's ``EntityResponse``: id, caption, schema, FtM properties, datasets.
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
        value = props.get(prop, [])
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


def query_rows(key: str, ex: dict[str, Any]) -> list[dict[str, str | None]]:
    """Return the matcher's query rows of one example."""
    props = ex["properties"]
    names = _values(props, NAME_PROPS[:4], key)
    if not names:
        given = " ".join(_values(props, NAME_PROPS[4:], key))
        names = [given] if given else _values(props, ID_PROPS, key)
    first = {
        "country": next(iter(_values(props, COUNTRY_PROPS, key)), None),
        "birth_date": next(iter(_values(props, BIRTH_PROPS, key)), None),
        "identifier": next(iter(_values(props, ID_PROPS, key)), None),
    }
    return [{"id": key, "name": n, "schema": ex["schema"], **first} for n in names]


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
