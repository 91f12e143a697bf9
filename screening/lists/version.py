"""List versions: the publication date a list file states, its dated folder or file name, or unknown.

A file's modification time is never a version: a copy made today of a 2023 list would read as
current, and ``--max-list-age`` would never warn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

UNKNOWN: Final = "unknown"
_DATED: Final = re.compile(r"(?<!\d)((?:19|20)\d{2})-?(0[1-9]|1[0-2])(?:-?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def dated_name(path: Path) -> str | None:
    """Return the ISO date (or year-month) a file or its folder names, e.g. sdn_2021-07-15/ or 20210715.csv."""
    for part in (path.name, path.parent.name) if path.is_file() else (path.name,):
        if m := _DATED.search(part):
            return "-".join(p for p in m.groups() if p)
    return None


def stated_or_named(stated: str | None, path: Path) -> str:
    """Return the date the file states, else the one its name states, else 'unknown'."""
    return stated or dated_name(path) or UNKNOWN
