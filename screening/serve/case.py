"""What a case page shows beyond ``explain``'s evidence: the corridor chart, the ownership chain, the case's decisions.

The ownership chain climbs from the case's party to its owners through this run's ownership files
and the lists' own links, names compared by the node keys OWN-001 compares them by
(:func:`screening.network.keys.name_keys`: "ООО Ромашка" is "ROMASHKA LLC"), at most
:data:`MAX_DEPTH` owners up and :data:`MAX_WALKS` walks per level (:mod:`screening.network.walks`),
showing at most :data:`MAX_PATHS` chains; the page says when a party has more. A party the files
spell otherwise still (a typo) starts from the owned name the matcher finds for it. Each owner is
marked listed when it is a listed list entity or its name matches one in the served index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from screening.lists import listed_relations
from screening.names import NameIndex, build_index, match_index
from screening.network.keys import name_keys
from screening.network.walks import Walks, owner_walks
from screening.report import charts
from screening.report.html_data import corridor_hits, corridor_series
from screening.store import Store

MAX_DEPTH: Final = 6
MAX_PATHS: Final = 20
MAX_WALKS: Final = 10 * MAX_PATHS  # walks kept per level of the climb (:func:`owner_walks`)
_LINKS: Final = """
    SELECT owner AS owner_name, owner_id AS owner_entity, owned AS owned_name, share,
           regexp_replace(source_file, '^.*[\\\\/]', '') || ':' || line AS via
    FROM ownership_records WHERE run_id = ? AND owner IS NOT NULL AND owned IS NOT NULL
    UNION ALL
    SELECT coalesce(a.caption, o.owner_id), o.owner_id, coalesce(b.caption, o.owned_id), o.share, 'list ' || o.source
    FROM {ownership} o LEFT JOIN {entities} a ON a.entity_id = o.owner_id
    LEFT JOIN {entities} b ON b.entity_id = o.owned_id
"""


@dataclass(frozen=True)
class Ownership:
    """The ownership chains a case page shows, and whether there were more than it shows."""

    chains: list[dict[str, Any]]
    cut: bool


def corridor_svg(store: Store, run_id: str, hit_id: str) -> str | None:
    """Return the corridor chart of a corridor hit (monthly legs, baseline mean, flagged years), or None."""
    hits = store.frame("SELECT * FROM hits WHERE run_id = ? AND hit_id = ?", [run_id, hit_id])
    keys = corridor_hits(hits, 1)
    series = corridor_series(keys, store, run_id)
    return charts.corridor_chart(keys, series, columns=1) if keys.height and series.height else None


def _longest(rows: pl.DataFrame) -> tuple[list[list[dict[str, Any]]], bool]:
    """Return the walks no other walk extends (the chains up to their top owners), longest first, and if more."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for keys, steps in rows.select("keys", "steps").rows():  # longest first: an extension comes before its walks
        if tuple(keys) not in seen:
            kept.append(steps)
        seen.update(tuple(keys[:n]) for n in range(2, len(keys) + 1))
    return kept[:MAX_PATHS], len(kept) > MAX_PATHS


def _listed(names: list[str], index: NameIndex | None) -> dict[str, dict[str, Any]]:
    """Return the listed entity the served index finds for each name (its best match by the default scorer)."""
    found: dict[str, dict[str, Any]] = {}
    if index is not None and names:
        queries = pl.DataFrame({"id": names, "name": names})
        for hit in match_index(queries, index).iter_rows(named=True):
            found[hit["query_id"]] = {"entity_id": hit["entity_id"], "source": hit["source"], "score": hit["score"]}
    return found


def _links(store: Store, run_id: str) -> pl.DataFrame:
    """Return the run's and the lists' ownership links keyed as OWN-001 keys names (:func:`name_keys`)."""
    listed = listed_relations(store, run_id)
    rows = store.frame(_LINKS.format(entities=listed.entities, ownership=listed.ownership), [run_id])
    keys = name_keys(pl.concat([rows["owner_name"], rows["owned_name"]]).drop_nulls())
    return (
        rows.join(keys.select(owner_name="raw", owner_key="key"), on="owner_name", maintain_order="left")
        .join(keys.select(owned_name="raw", owned_key="key"), on="owned_name", maintain_order="left")
        .select(
            "owner_key",
            "owned_key",
            step=pl.struct(owner="owner_name", entity="owner_entity", share="share", via="via"),
        )
    )


def _walks(links: pl.DataFrame, name: str) -> Walks:
    """Return the owner walks up from a name, keyed as the links are."""
    start = name_keys(pl.Series([name], dtype=pl.String))["key"][0]
    return owner_walks(links, start, max_depth=MAX_DEPTH, max_walks=MAX_WALKS)


def ownership_chain(store: Store, run_id: str, party: str | None, index: NameIndex | None) -> Ownership:
    """Return the ownership chains above a party, top owner first, each link with its share and listed owners marked."""
    if not party:
        return Ownership([], cut=False)
    links = _links(store, run_id)
    walks = _walks(links, party)
    spelled = _spelled(store, run_id, party) if walks.walks.height == 0 else None
    if spelled is not None:  # the ownership file spells the party otherwise (a typo the keys do not mend)
        walks = _walks(links, spelled)
    paths, more = _longest(walks.walks)
    listed_ids = _listed_entities(store, run_id, [s["entity"] for steps in paths for s in steps if s["entity"]])
    matched = _listed(sorted({s["owner"] for steps in paths for s in steps}), index)
    return Ownership([_chain(steps, party, listed_ids, matched) for steps in paths], walks.cut or more)


def _spelled(store: Store, run_id: str, party: str) -> str | None:
    """Return the owned name of this run's ownership files that the matcher finds for a party, or None."""
    owned = store.frame(
        "SELECT DISTINCT owned AS name FROM ownership_records WHERE run_id = ? AND owned IS NOT NULL ORDER BY 1",
        [run_id],
    )
    if owned.height == 0:
        return None
    index = build_index(owned.with_columns(entity_id=pl.col("name")))
    found = match_index(pl.DataFrame({"id": [party], "name": [party]}), index)
    return str(found["entity_id"][0]) if found.height else None


def _listed_entities(store: Store, run_id: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Return the listed list entities among some entity ids."""
    if not ids:
        return {}
    entities = listed_relations(store, run_id).entities
    rows = store.frame(
        f"SELECT entity_id, source FROM {entities} WHERE entity_id IN (SELECT unnest(?)) AND coalesce(listed, true)",
        [sorted(set(ids))],
    )
    return {r["entity_id"]: {**r, "score": 1.0} for r in rows.iter_rows(named=True)}


def _chain(
    steps: list[dict[str, Any]], party: str, by_id: dict[str, dict[str, Any]], by_name: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Return one chain, top owner first: its links (owner, share, listed entry, where the link comes from)."""
    links = [
        {**s, "listed": by_id.get(s["entity"] or "") or by_name.get(s["owner"]), "percent": _percent(s["share"])}
        for s in reversed(steps)
    ]
    shares = [s["share"] for s in steps]
    through = None if None in shares else _percent(_product(shares))
    return {"links": links, "party": party, "through": through, "listed": any(link["listed"] for link in links)}


def _product(shares: list[float]) -> float:
    """Return the product of the stakes along a chain."""
    total = 1.0
    for share in shares:
        total *= share
    return total


def _percent(share: float | None) -> str:
    """Return a stake as a percentage, ``?`` when its size is unknown."""
    return "? %" if share is None else f"{share * 100:.4g} %"


def case_decisions(store: Store, hit: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every decision on the hit's subject (all rules and list entries), oldest first, this hit's marked."""
    subject = hit["party"] or hit["record_id"]
    rows = store.frame(
        "SELECT *, rule_id = ? AND entity_id IS NOT DISTINCT FROM ? AS this_hit FROM decisions WHERE subject = ? "
        "ORDER BY decided_at, decision_id",
        [hit["rule_id"], hit["entity_id"], subject],
    )
    return rows.to_dicts()
