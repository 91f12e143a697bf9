"""Downloading lists from local URLs only: file:// and a loopback HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.errors import ListError
from screening.lists import SOURCES, ListSource, update_lists
from screening.store import open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


@pytest.fixture
def server() -> Iterator[str]:
    """Serve the fixtures folder on 127.0.0.1 and return its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_sources_cover_the_official_lists() -> None:
    urls = " ".join(url for source in SOURCES.values() for url, _ in source.files)
    for needle in (
        "SDN.CSV",
        "ALT.CSV",
        "ADD.CSV",
        "SDN_ADVANCED.XML",
        "CONS_PRIM.CSV",
        "fsf",
        "UK-Sanctions-List.csv",
        "UK-Sanctions-List.xml",
        "scsanctions.un.org",
        "consolidated.csv",
        "targets.simple.csv",
        "entities.ftm.json",
    ):
        assert needle in urls


def test_update_from_http_and_file_urls(tmp_path: Path, server: str) -> None:
    ofac = FIXTURES / "ofac_sdn_2021-07"
    catalog = {
        "us_ofac_sdn": ListSource(
            "ofac_csv",
            tuple((f"{server}ofac_sdn_2021-07/{n}", n.upper()) for n in ("sdn.csv", "alt.csv", "add.csv")),
            folder=True,
        ),
        "un_sc": ListSource("un_xml", (((FIXTURES / "un_excerpt_2026-02-27.xml").as_uri(), "consolidated.xml"),)),
    }
    store = open_store(":memory:")
    results = update_lists(store, tmp_path, catalog=catalog)
    assert [(r.source, r.entities.height) for r in results] == [("us_ofac_sdn", 15), ("un_sc", 7)]
    assert (tmp_path / "us_ofac_sdn" / "SDN.CSV").read_bytes() == (ofac / "sdn.csv").read_bytes()
    assert not list(tmp_path.rglob("*.part"))


def test_unreachable_url_says_what_to_do(tmp_path: Path, server: str) -> None:
    url = f"{server}missing.xml"
    catalog = {"un_sc": ListSource("un_xml", ((url, "un.xml"),))}
    with pytest.raises(ListError) as info:
        update_lists(open_store(":memory:"), tmp_path, catalog=catalog)
    assert str(info.value) == (
        f"cannot reach {url}: File not found; download it elsewhere and run `screening lists import FILE`"
    )
    assert not (tmp_path / "un.xml").exists()


def test_unknown_source_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ListError, match=r"^unknown list source 'nope'; choose from us_ofac_sdn, "):
        update_lists(open_store(":memory:"), tmp_path, sources=["nope"])
