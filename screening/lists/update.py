"""Downloading the official list files and importing them (``screening lists update``).

Downloads go to a temporary name and are renamed when complete, so an interrupted update never
leaves a truncated list behind. Without network access the error says which URL failed and how
to import a file downloaded elsewhere.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from screening.errors import ListError
from screening.lists.model import ListImport
from screening.lists.storage import import_list
from screening.store import Store

TIMEOUT_S: Final = 60.0
Opener = Callable[..., IO[bytes]]

OFAC: Final = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
OPENSANCTIONS: Final = "https://data.opensanctions.org/datasets/latest/sanctions/"


@dataclass(frozen=True)
class ListSource:
    """Where one list is published: its files (URL, local name) and the format to import."""

    fmt: str
    files: tuple[tuple[str, str], ...]
    folder: bool = False  # import the folder of files rather than the single file


def _ofac(*names: str) -> tuple[tuple[str, str], ...]:
    """Return OFAC Sanctions List Service downloads, named as OFAC names them."""
    return tuple((OFAC + name, name) for name in names)


SOURCES: Final[dict[str, ListSource]] = {
    "us_ofac_sdn": ListSource("ofac_csv", _ofac("SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"), folder=True),
    "us_ofac_sdn_xml": ListSource("ofac_xml", _ofac("SDN_ADVANCED.XML")),
    "us_ofac_cons": ListSource(
        "ofac_csv",
        _ofac("CONS_PRIM.CSV", "CONS_ALT.CSV", "CONS_ADD.CSV", "CONS_COMMENTS.CSV"),
        folder=True,
    ),
    "eu_fsf": ListSource(
        "eu_xml",
        (
            (
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
                "?token=dG9rZW4tMjAxNw",
                "eu_fsf.xml",
            ),
        ),
    ),
    "gb_fcdo": ListSource(
        "uk_xml",
        (
            (
                "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
                "UK-Sanctions-List.xml",
            ),
        ),
    ),
    "gb_fcdo_csv": ListSource(
        "uk_csv",
        (
            (
                "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
                "UK-Sanctions-List.csv",
            ),
        ),
    ),
    "un_sc": ListSource(
        "un_xml",
        (("https://scsanctions.un.org/resources/xml/en/consolidated.xml", "un_consolidated.xml"),),
    ),
    "us_trade_csl": ListSource(
        "csl_csv",
        (
            (
                "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                "consolidated.csv",
            ),
        ),
    ),
    "us_bis_dpl": ListSource("bis_dpl", (("https://www.bis.doc.gov/dpl/dpl.txt", "dpl.txt"),)),
    "opensanctions": ListSource("os_simple_csv", ((OPENSANCTIONS + "targets.simple.csv", "targets.simple.csv"),)),
    "opensanctions_ftm": ListSource("ftm_json", ((OPENSANCTIONS + "entities.ftm.json", "entities.ftm.json"),)),
}
# OpenSanctions data is licensed for non-commercial use, so it is fetched only when named.
DEFAULT_SOURCES: Final = (
    "us_ofac_sdn",
    "us_ofac_cons",
    "eu_fsf",
    "gb_fcdo",
    "un_sc",
    "us_trade_csl",
)


def _download(url: str, target: Path, opener: Opener) -> None:
    """Fetch a URL into a file, replacing it only when the download completes."""
    partial = target.with_name(target.name + ".part")
    try:
        with opener(url, timeout=TIMEOUT_S) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise ListError(
            f"cannot reach {url}: {reason}; download it elsewhere and run `screening lists import FILE`"
        ) from exc
    partial.replace(target)


def fetch_source(name: str, source: ListSource, dest_dir: Path, opener: Opener) -> Path:
    """Download one source's files under dest_dir; return what to import."""
    folder = dest_dir / name if source.folder else dest_dir
    folder.mkdir(parents=True, exist_ok=True)
    for url, filename in source.files:
        _download(url, folder / filename, opener)
    return folder if source.folder else folder / source.files[0][1]


def update_lists(
    store: Store,
    dest_dir: str | Path,
    sources: Sequence[str] | None = None,
    opener: Opener = urllib.request.urlopen,
    catalog: Mapping[str, ListSource] | None = None,
) -> list[ListImport]:
    """Download the named sources (default: the official free lists) and import them."""
    known: Mapping[str, Any] = SOURCES if catalog is None else catalog
    names = list(sources or (DEFAULT_SOURCES if catalog is None else known))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ListError(f"unknown list source {unknown[0]!r}; choose from {', '.join(known)}")
    results = []
    for name in names:
        path = fetch_source(name, known[name], Path(dest_dir), opener)
        results.append(import_list(store, path, known[name].fmt))
    return results
