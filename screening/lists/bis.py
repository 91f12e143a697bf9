"""BIS Denied Persons List, tab-separated with a header (``Name``, ``Street_Address`` …).

The list repeats a party once per address; rows with the same name and effective date are one
entry, whose id is derived from both so that it stays stable between publications.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from screening.errors import ListError, located
from screening.lists.model import Entity, ListBuilder, ListImport
from screening.lists.textio import dict_rows
from screening.lists.values import country_code, us_date
from screening.lists.version import stated_or_named

SOURCE: Final = "us_bis_dpl"
REQUIRED: Final = frozenset({"Name", "Country", "Effective_Date"})


def _local_id(name: str, effective: str) -> str:
    """Return the entry id of a name listed on a date."""
    key = f"{' '.join(name.upper().split())}|{effective.strip()}"
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def read_bis_dpl(path: Path) -> ListImport:
    """Read the BIS Denied Persons List."""
    b = ListBuilder(SOURCE, str(path))
    for line, row in dict_rows(path, delimiter="\t"):
        if "__problem__" in row:
            b.problem(line, row["__problem__"], row["__raw__"])
            continue
        if REQUIRED - row.keys():
            missing = sorted(REQUIRED - row.keys())
            raise ListError(located(str(path), 1, f"not a Denied Persons List: missing {missing}"))
        eid = b.entity_id(_local_id(row["Name"], row["Effective_Date"]))
        if eid not in b.entities:
            b.add_entity(
                Entity(
                    entity_id=eid,
                    entity_schema="Unknown",
                    caption=row["Name"],
                    programs=["DPL"],
                    listed_on=us_date(row["Effective_Date"]),
                    remarks=row.get("Action") or None,
                ),
                line,
                "\t".join(row.values()),
            )
        if eid in b.entities:
            country = country_code(row["Country"]) or ("US" if row.get("State") else "")
            b.entities[eid].countries.append(country)
    return b.finish(stated_or_named(None, path), "bis_dpl", path)
