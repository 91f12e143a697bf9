"""Analysts' decisions on hits: confirm or clear, suppression on later runs, and the history.

A decision is about a hit's *subject* — its rule, its party (or its record when the hit names no
party) and the list entry it points at — not about one run, so a cleared name match stays
cleared on every later run and every record that carries the same party. It records two
fingerprints taken when it was made: the list entry's data (names, identifiers, programmes,
countries) and the party's data (a counterparty file's row, else the name as written). A later
hit with the same subject is

- ``cleared`` (suppressed: stored, but not reported and not counted for ``--fail-on``) when the
  latest decision cleared it and both fingerprints are unchanged;
- ``reopened`` when the latest decision cleared it but the list entry or the party changed;
- ``confirmed`` when the latest decision confirmed it;
- left open (``review`` null) when the latest decision escalated it to a reviewer (``screening serve``).

Decisions are only ever appended; the latest one per subject stands, the rest are history.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final, Literal

import polars as pl

from screening.errors import ConfigError
from screening.store import Store
from screening.stored_hits import typed_hits

Decision = Literal["confirmed", "cleared", "escalated"]
SUBJECT: Final = ("rule_id", "subject", "entity_id")
_ENTRY_HASH: Final = """
    SELECT e.entity_id, md5(concat_ws('|', e.caption, e.programs, e.countries, e.birth_dates, e.listed_on,
        (SELECT string_agg(n.name || '/' || n.name_type, ';' ORDER BY n.name, n.name_type)
           FROM list_names n WHERE n.entity_id = e.entity_id),
        (SELECT string_agg(i.id_type || ':' || i.value, ';' ORDER BY i.id_type, i.value)
           FROM list_identifiers i WHERE i.entity_id = e.entity_id))) AS entry_hash
    FROM list_entities e WHERE e.entity_id IN (SELECT entity_id FROM wanted)
"""
_DECIDED: Final = """
    SELECT h.* FROM hits h WHERE h.run_id = ? AND EXISTS (
        SELECT 1 FROM decisions d WHERE d.rule_id = h.rule_id
        AND d.subject IS NOT DISTINCT FROM coalesce(h.party, h.record_id)
        AND d.entity_id IS NOT DISTINCT FROM h.entity_id)
"""
_PARTY_HASH: Final = """
    SELECT w.hit_id, CASE WHEN p.record_id IS NULL THEN md5(w.subject)
        ELSE md5(concat_ws('|', p.name, p.country, p.address, p.identifier, p.entity_schema, p.birth_date,
                           p.phone, p.director, p.incorporated)) END AS party_hash
    FROM wanted w LEFT JOIN parties p ON p.record_id = w.record_id AND p.run_id = w.run_id
    QUALIFY row_number() OVER (PARTITION BY w.hit_id ORDER BY p.line) = 1
"""


def fingerprints(store: Store, hits: pl.DataFrame) -> pl.DataFrame:
    """Return the hits' subjects with the current list-entry and party fingerprints."""
    subjects = hits.select(
        "run_id",
        "hit_id",
        "rule_id",
        "record_id",
        pl.coalesce("party", "record_id").alias("subject"),
        "entity_id",
    )
    store.con.register("wanted", subjects.to_arrow())
    try:
        entries = store.frame(_ENTRY_HASH)
        parties = store.frame(_PARTY_HASH)
    finally:
        store.con.unregister("wanted")
    entries = entries.cast({"entity_id": pl.String, "entry_hash": pl.String})
    parties = parties.cast({"hit_id": pl.String, "party_hash": pl.String})
    return subjects.join(entries, on="entity_id", how="left").join(parties, on="hit_id", how="left")


def standing(store: Store) -> pl.DataFrame:
    """Return the latest decision per subject."""
    decisions = store.frame("SELECT * FROM decisions ORDER BY decided_at, decision_id")
    return decisions.group_by(list(SUBJECT), maintain_order=True).last()


def apply_decisions(store: Store, hits: pl.DataFrame) -> pl.DataFrame:
    """Return the hits with ``review`` set from the standing decisions on their subjects."""
    if hits.height == 0 or not store.scalar("SELECT count(*) FROM decisions"):
        return hits
    now = fingerprints(store, hits).select("hit_id", *SUBJECT, "entry_hash", "party_hash")
    decided = standing(store).select(
        *SUBJECT, "decision", pl.col("entry_hash").alias("then_entry"), pl.col("party_hash").alias("then_party")
    )
    joined = now.join(decided, on=list(SUBJECT), how="left", nulls_equal=True)
    unchanged = joined["entry_hash"].eq_missing(joined["then_entry"]) & joined["party_hash"].eq_missing(
        joined["then_party"]
    )
    review = (
        pl.when(pl.col("decision") == "confirmed")
        .then(pl.lit("confirmed"))
        .when((pl.col("decision") == "cleared") & unchanged)
        .then(pl.lit("cleared"))
        .when(pl.col("decision") == "cleared")
        .then(pl.lit("reopened"))
    )
    status = joined.select("hit_id", review.alias("review")).unique("hit_id", keep="first")
    return hits.drop("review").join(status, on="hit_id", how="left", maintain_order="left").select(hits.columns)


def review_run(store: Store, run_id: str) -> int:
    """Set and store ``review`` on a run's hits from the standing decisions; return how many hits have a decision."""
    if not store.scalar("SELECT count(*) FROM decisions"):
        return 0
    # only hits whose subject was ever decided are read: a big run's other hits stay in the store
    subjects = typed_hits(store.frame(_DECIDED, [run_id]))
    reviewed = apply_decisions(store, subjects)
    decided = reviewed.filter(pl.col("review").is_not_null()).select("hit_id", "review").unique("hit_id")
    if decided.height:
        store.con.register("_reviewed", decided.to_arrow())
        try:
            store.con.execute(
                "UPDATE hits SET review = r.review FROM _reviewed r WHERE hits.run_id = ? AND hits.hit_id = r.hit_id",
                [run_id],
            )
        finally:
            store.con.unregister("_reviewed")
    return subjects.height


def decide(
    store: Store, run_id: str, hit_id: str, *, decision: Decision, reason: str, analyst: str
) -> dict[str, object]:
    """Record a decision on one hit of a past run and return it."""
    if not reason.strip() or not analyst.strip():
        raise ConfigError("a decision needs a reason (--reason) and who made it (--by)")
    hits = store.frame("SELECT * FROM hits WHERE run_id = ? AND hit_id = ?", [run_id, hit_id])
    if hits.height == 0:
        raise ConfigError(f"run {run_id} has no hit {hit_id}; `screening runs show {run_id}` lists its hits")
    subject = fingerprints(store, hits.head(1)).row(0, named=True)
    number = int(store.scalar("SELECT count(*) FROM decisions")) + 1
    row = {
        "decision_id": f"D{number:06d}",
        "decided_at": datetime.now(UTC).replace(tzinfo=None),
        "run_id": run_id,
        "hit_id": hit_id,
        "rule_id": subject["rule_id"],
        "subject": subject["subject"],
        "entity_id": subject["entity_id"],
        "entry_hash": subject["entry_hash"],
        "party_hash": subject["party_hash"],
        "decision": decision,
        "reason": reason.strip(),
        "analyst": analyst.strip(),
    }
    store.append("decisions", pl.DataFrame([row]))
    return row


def history(store: Store, hit_id: str | None = None) -> pl.DataFrame:
    """Return every decision, or those on the subject of one hit, oldest first."""
    if hit_id is None:
        return store.frame("SELECT * FROM decisions ORDER BY decided_at, decision_id")
    return store.frame(
        "SELECT d.* FROM decisions d WHERE EXISTS (SELECT 1 FROM hits h WHERE h.hit_id = ? AND h.rule_id = d.rule_id "
        "AND coalesce(h.party, h.record_id) = d.subject AND h.entity_id IS NOT DISTINCT FROM d.entity_id) "
        "ORDER BY d.decided_at, d.decision_id",
        [hit_id],
    )
