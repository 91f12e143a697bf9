"""The full evidence behind one hit: its record, the list entry, normalised names, corridor series, decisions."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from screening.errors import ConfigError
from screening.frames import exact_sum
from screening.kinds.names import PARTY_SCHEMA
from screening.lists import listed_relations
from screening.names import normalize_names
from screening.names.single.forms import kind_of
from screening.report.diff import require_run
from screening.report.html_data import corridor_hits, corridor_series
from screening.report.message_refs import REF_COLUMNS, with_refs
from screening.review import history
from screening.safe_text import cell, cells
from screening.schema import RECORD_TABLES
from screening.store import Store

NAME_FIELDS = ("name", "script", "legal_form", "tokens")


def evidence(store: Store, run_id: str, hit_id: str) -> dict[str, Any]:
    """Return everything the store knows about one hit of a run."""
    require_run(store, run_id)
    hits = store.frame("SELECT * FROM hits WHERE run_id = ? AND hit_id = ?", [run_id, hit_id])
    if hits.height == 0:
        raise ConfigError(f"run {run_id} has no hit {hit_id}; `screening runs show {run_id}` lists its hits")
    hit = hits.row(0, named=True)
    entry = _list_entry(store, run_id, hit["entity_id"]) if hit["entity_id"] else None
    return {
        "hit": hit,
        "rule": store.scalar("SELECT params FROM runs WHERE run_id = ?", [run_id]),
        "record": _record(store, run_id, hit["record_id"]),
        "message": _message(store, run_id, hits),
        "list_entry": entry,
        "names": _names(hit["party"], entry) if hit["party"] else [],
        "corridor": _corridor(store, run_id, hits),
        "decisions": history(store, hit_id).to_dicts(),
    }


def _corridor(store: Store, run_id: str, hits: pl.DataFrame) -> list[dict[str, Any]]:
    """Return the yearly values of the corridor a ROUTE hit is about, from the run's records."""
    keys = corridor_hits(hits, 1)
    if keys.height == 0:
        return []
    series = corridor_series(keys, store, run_id)
    yearly = series.group_by((pl.col("mi") // 12).alias("year")).agg(exact_sum("value")).sort("year")
    return yearly.to_dicts()


def _message(store: Store, run_id: str, hits: pl.DataFrame) -> dict[str, Any] | None:
    """Return where a hit on a payment message's record points: file, line, ids, offset, role and XPath."""
    refs = with_refs(store, run_id, hits.head(1)).row(0, named=True)
    if refs["message_id"] is None:
        return None
    found = {c: refs[c] for c in ("source_file", "line", *REF_COLUMNS)}
    return {k: v for k, v in found.items() if v is not None}


def _record(store: Store, run_id: str, record_id: str) -> dict[str, Any] | None:
    """Return the stored record a hit is about, from whichever record table holds it."""
    for table in RECORD_TABLES.values():
        rows = store.frame(f"SELECT * FROM {table} WHERE run_id = ? AND record_id = ? LIMIT 1", [run_id, record_id])
        if rows.height:
            return {k: v for k, v in rows.row(0, named=True).items() if v is not None}
    return None


def _list_entry(store: Store, run_id: str, entity_id: str) -> dict[str, Any] | None:
    """Return a list entry the run screened against, with its source, version, listing date, names and identifiers."""
    listed = listed_relations(store, run_id)
    rows = store.frame(f"SELECT * FROM {listed.entities} WHERE entity_id = ? LIMIT 1", [entity_id])
    if rows.height == 0:
        return None
    entry = rows.row(0, named=True)
    names = store.frame(f"SELECT name, strength FROM {listed.names} WHERE entity_id = ? ORDER BY name", [entity_id])
    ids = store.frame(
        f"SELECT id_type, raw FROM {listed.identifiers} WHERE entity_id = ? ORDER BY id_type", [entity_id]
    )
    weak = names.filter(pl.col("strength") == "weak")["name"].to_list()  # issue 18: alias strength shown
    return {**entry, "names": names["name"].to_list(), "weak_aliases": weak, "identifiers": ids.rows()}


def _names(party: str, entry: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Return the party's name and the entry's names as the matcher normalises them (titles by the matcher's rule)."""
    listed = entry["names"] if entry else []
    kind = kind_of(str((entry or {}).get("entity_schema") or ""))
    kinds = [kind_of(PARTY_SCHEMA), *[kind] * len(listed)]  # the scan screens a party as a LegalEntity: untyped
    frame = normalize_names(pl.Series([party, *listed]), pl.Series(kinds, dtype=pl.String))
    shown = [c for c in frame.columns if c not in ("id",)]
    return [{"role": "party" if i == 0 else "listed", **row} for i, row in enumerate(frame.select(shown).to_dicts())]


def render_evidence(doc: dict[str, Any], console: Console) -> None:
    """Print the evidence as panels."""
    hit = doc["hit"]
    head = (
        f"{hit['rule_id']} · {hit['severity']} · score {hit['score']:.3f} · hit {hit['hit_id']} · run {hit['run_id']}"
    )
    console.print(Panel(cell(hit["detail"]), title=cell(head), expand=False))
    if doc.get("message"):
        console.print(_pairs("Message", doc["message"]))
    if doc["record"]:
        console.print(_pairs("Record", doc["record"]))
    if doc["list_entry"]:
        entry = {k: v for k, v in doc["list_entry"].items() if v not in (None, [], "")}
        console.print(_pairs("List entry", entry))
    if doc["names"]:
        console.print(_name_table(doc["names"]))
    if doc["corridor"]:
        table = Table(title="Corridor by year", title_justify="left")
        table.add_column("year")
        table.add_column("value (USD)", justify="right")
        for row in doc["corridor"]:
            table.add_row(*cells(row["year"], f"{row['value']:,.0f}"))
        console.print(table)
    if doc["decisions"]:
        table = Table(title="Decisions", title_justify="left")
        for column in ("decided_at", "decision", "analyst", "reason", "run_id"):
            table.add_column(column, overflow="fold")
        for row in doc["decisions"]:
            table.add_row(*cells(*(row[c] for c in ("decided_at", "decision", "analyst", "reason", "run_id"))))
        console.print(table)


def _pairs(title: str, values: dict[str, Any]) -> Panel:
    """Return a panel of field: value lines."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(overflow="fold")
    for key, value in values.items():
        table.add_row(*cells(key, ", ".join(map(str, value)) if isinstance(value, list) else value))
    return Panel(Group(table), title=title, expand=False)


def _name_table(rows: list[dict[str, Any]]) -> Table:
    """Return the normalised names side by side."""
    columns = [c for c in rows[0] if c != "role"][:6]
    table = Table(title="Names as the matcher sees them", title_justify="left")
    table.add_column("role")
    for column in columns:
        table.add_column(cell(column), overflow="fold")
    for row in rows:
        table.add_row(*cells(row["role"], *(row[c] for c in columns)))
    return table
