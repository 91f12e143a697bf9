"""The party roles of a payment message read from its XML: a party's or an agent's name, country, BIC and ids.

A role is written to its column as the party's name (an agent's BIC when it has one: the rules read
a bank's country from it), with every identifier kept in ``party_ids`` as ``role=scheme:id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.ingest.messages.flat import View


@dataclass
class Found:
    """What a message says of its roles: a value per column, the ids, and the XPath per role."""

    values: dict[str, str | None] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    xpaths: dict[str, str] = field(default_factory=dict)


def read_party(found: Found, column: str, party: View, where: str) -> None:
    """Record a party (PartyIdentification): its name, address country and identifiers."""
    wrapped = party.below("Pty")  # camt's related parties (version 8 on) wrap the party
    if wrapped is not None:
        party, where = wrapped, f"{where}/Pty"
    bic, lei = party.text("Id/OrgId/AnyBIC"), party.text("Id/OrgId/LEI")
    ids = [f"BIC:{bic}"] if bic else []
    ids += [f"LEI:{lei}"] if lei else []
    ids += party.others("Id/OrgId") + party.others("Id/PrvtId")
    found.values[column] = party.text("Nm") or bic
    found.values.setdefault(f"{column}__country", party.text("PstlAdr/Ctry") or party.text("CtryOfRes"))
    found.ids.extend(f"{column}={i}" for i in ids)
    found.xpaths[column] = where


def read_agent(found: Found, column: str, agent: View, where: str) -> None:
    """Record an agent (BranchAndFinancialInstitutionIdentification): its BIC, else its name, and its ids."""
    bic = agent.text("FinInstnId/BICFI") or agent.text("FinInstnId/BIC")
    name, lei = agent.text("FinInstnId/Nm"), agent.text("FinInstnId/LEI")
    member = agent.text("FinInstnId/ClrSysMmbId/MmbId")
    ids = [f"BIC:{bic}"] if bic else []
    ids += [f"name:{name}"] if name and bic else []
    ids += [f"LEI:{lei}"] if lei else []
    ids += [f"clearing:{member}"] if member else []
    found.values[column] = bic or name or member
    found.ids.extend(f"{column}={i}" for i in ids)
    found.xpaths[column] = f"{where}/FinInstnId"


def read_account(found: Found, column: str, account: View, where: str) -> None:
    """Record an account: its IBAN, else its other id as written."""
    found.values[column] = account.text("Id/IBAN") or account.text("Id/Othr/Id")
    found.xpaths[column] = f"{where}/Id"
