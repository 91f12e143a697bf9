"""The registry of rule kinds: one literal dict, so grep finds where every kind comes from.

Each entry is a :class:`KindSpec`: the function that builds a rule's check from its params, and
what the kind declares about itself (row or run level, the stored tables it reads, whether its hits
say a party is listed, its report chart, which of its reads an engine answers, the resources it
shares with Spark's workers). Scoring, reports and engines read these, never a rule's id, so a new
kind needs no edit outside its module, this entry and its rule file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final, Protocol

from screening.kinds.base import Check, Family, KindSpec, RunCheck
from screening.kinds.corridors import corridor_surge, corridor_triangle, mirror_gap
from screening.kinds.destination import destination_country
from screening.kinds.goods import chpl_goods, eu_export_ban, hs_code_quality
from screening.kinds.keywords import goods_keywords
from screening.kinds.messages import ENTITY_CORES, TEXT_FORMS, hub_routing, listed_identifiers, remittance_text
from screening.kinds.names import NAME_INDEX, name_match
from screening.kinds.ownership import ownership_exposure
from screening.kinds.payments import payment_chain
from screening.kinds.redflags import (
    entity_chpl_without_history,
    entity_forwarder_end_user,
    entity_late_change,
    entity_new_party,
    entity_russian_links,
    entity_settlement,
    entity_shared_contacts,
)

# The tables a kind reads that an engine with its own copy of the run's transactions (Spark) answers.
_ENGINE: Final = frozenset({"transactions"})
_CORRIDORS: Final = frozenset({"transactions", "flows"})

KINDS: Final[dict[str, KindSpec]] = {
    "chpl_goods": KindSpec(chpl_goods, "row", family="goods"),
    "eu_export_ban": KindSpec(eu_export_ban, "row", family="goods"),
    "hs_code_quality": KindSpec(hs_code_quality, "row", family="goods"),
    "goods_keywords": KindSpec(goods_keywords, "row", family="goods"),
    "destination_country": KindSpec(destination_country, "row"),
    "name_match": KindSpec(name_match, "row", lists_party=True, shares=(NAME_INDEX,)),
    "corridor_surge": KindSpec(corridor_surge, "run", _CORRIDORS, family="corridors", engine_reads=_ENGINE),
    "corridor_triangle": KindSpec(corridor_triangle, "run", _CORRIDORS, family="corridors", engine_reads=_ENGINE),
    "mirror_gap": KindSpec(mirror_gap, "run", _CORRIDORS, family="corridors", engine_reads=_ENGINE),
    "ownership_exposure": KindSpec(
        ownership_exposure,
        "run",
        frozenset({"transactions", "parties", "ownership"}),
        family="ownership",
        engine_reads=_ENGINE,
    ),
    "payment_chain": KindSpec(payment_chain, "run", _ENGINE, engine_reads=_ENGINE),
    "hub_routing": KindSpec(hub_routing, "row"),  # with the next two: payment messages (issue 21)
    "remittance_text": KindSpec(
        remittance_text, "row", lists_party=True, shares=(NAME_INDEX, TEXT_FORMS, ENTITY_CORES)
    ),
    "listed_identifiers": KindSpec(listed_identifiers, "row", lists_party=True, shares=(NAME_INDEX,)),
    "entity_new_party": KindSpec(entity_new_party, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_chpl_without_history": KindSpec(entity_chpl_without_history, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_russian_links": KindSpec(entity_russian_links, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_shared_contacts": KindSpec(entity_shared_contacts, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_forwarder_end_user": KindSpec(entity_forwarder_end_user, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_settlement": KindSpec(entity_settlement, "run", _ENGINE, engine_reads=_ENGINE),
    "entity_late_change": KindSpec(entity_late_change, "run", _ENGINE, engine_reads=_ENGINE),
}


class RuleLike(Protocol):
    """What the kind registry needs of a rule: its id and its kind's name."""

    @property
    def id(self) -> str:
        """Return the rule's permanent id."""
        ...

    @property
    def kind(self) -> str:
        """Return the name of the rule's kind in :data:`KINDS`."""
        ...


def rule_ids(rules: Iterable[RuleLike], test: Callable[[KindSpec], bool]) -> list[str]:
    """Return the ids of the rules whose kind passes ``test`` (a report's family, the listing kinds), in rule order."""
    return [rule.id for rule in rules if rule.kind in KINDS and test(KINDS[rule.kind])]


def in_family(family: Family) -> Callable[[KindSpec], bool]:
    """Return the test of a kind's report family, for :func:`rule_ids`."""
    return lambda spec: spec.family == family


__all__ = ["KINDS", "Check", "KindSpec", "RunCheck", "in_family", "rule_ids"]
