"""The registry of rule kinds: one literal dict, so grep finds where every kind comes from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from screening.kinds.base import Check, RunCheck
from screening.kinds.corridors import corridor_surge, corridor_triangle, mirror_gap
from screening.kinds.destination import destination_country
from screening.kinds.goods import chpl_goods, eu_export_ban, hs_code_quality
from screening.kinds.keywords import goods_keywords
from screening.kinds.messages import hub_routing, listed_identifiers, remittance_text
from screening.kinds.names import name_match
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

KINDS: Final[dict[str, Callable[..., Check | RunCheck]]] = {
    "chpl_goods": chpl_goods,
    "eu_export_ban": eu_export_ban,
    "hs_code_quality": hs_code_quality,
    "goods_keywords": goods_keywords,
    "destination_country": destination_country,
    "name_match": name_match,
    "corridor_surge": corridor_surge,
    "corridor_triangle": corridor_triangle,
    "mirror_gap": mirror_gap,
    "ownership_exposure": ownership_exposure,
    "payment_chain": payment_chain,
    "hub_routing": hub_routing,  # with remittance_text: payment messages (issue 21)
    "remittance_text": remittance_text,
    "listed_identifiers": listed_identifiers,
    "entity_new_party": entity_new_party,
    "entity_chpl_without_history": entity_chpl_without_history,
    "entity_russian_links": entity_russian_links,
    "entity_shared_contacts": entity_shared_contacts,
    "entity_forwarder_end_user": entity_forwarder_end_user,
    "entity_settlement": entity_settlement,
    "entity_late_change": entity_late_change,
}

__all__ = ["KINDS", "Check", "RunCheck"]
