"""Sanctions-list importers: one module per list format, all writing the store's list tables.

``read_list`` reads a file into a :class:`ListImport` (entities, names, identifiers, ownership
links and the problems met); ``import_list`` also writes it into the store as its source's current
version unless it has more problems than allowed, recording every import (``history``) and keeping
each accepted version's entries for ``diff_imports``. ``watchlist_frame`` gives the names matcher
one row per name.
"""

from __future__ import annotations

from screening.lists.history import diff_imports, history
from screening.lists.model import ListImport
from screening.lists.registry import FORMATS, detect_format, read_list
from screening.lists.sample import (
    Listed,
    has_lists,
    import_sample,
    listed_relations,
    sample_paths,
    sample_versions,
    sample_watchlist,
    screened_sample,
)
from screening.lists.storage import (
    WATCHLIST_COLUMNS,
    ImportOptions,
    ImportRefusedError,
    import_list,
    list_age_warnings,
    store_import,
    watchlist_frame,
    watchlist_from_import,
)
from screening.lists.update import SOURCES, ListSource, update_lists

__all__ = [
    "FORMATS",
    "SOURCES",
    "WATCHLIST_COLUMNS",
    "ImportOptions",
    "ImportRefusedError",
    "ListImport",
    "ListSource",
    "Listed",
    "detect_format",
    "diff_imports",
    "has_lists",
    "history",
    "import_list",
    "import_sample",
    "list_age_warnings",
    "listed_relations",
    "read_list",
    "sample_paths",
    "sample_versions",
    "sample_watchlist",
    "screened_sample",
    "store_import",
    "update_lists",
    "watchlist_frame",
    "watchlist_from_import",
]
