"""The queue in pages: a run of about 19,000 hits (the planted cases) shows 50 cases a page, 20 hits a case."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pytest
from starlette.testclient import TestClient

from screening.lists import ImportOptions, import_list
from screening.pipeline import scan
from screening.serve import queue as q
from screening.serve.accounts import User
from screening.serve.app import ServeConfig, create_app
from screening.serve.decide import record
from screening.store import Store, open_store
from tests.serve.conftest import Planted
from tests.serve.test_workbench import sign_in


@pytest.fixture
def store(planted: Planted) -> Iterator[Store]:
    """Return the planted store, open."""
    opened = open_store(planted.db)
    yield opened
    opened.close()


def _filters(planted: Planted, **given: str) -> q.Filters:
    """Return queue filters of the planted run (every state unless told)."""
    return q.Filters(**{"run": planted.run_id, "state": "any", **given})


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (1, 1), (2, 2), (99, 2), (10**19, 2)])
def test_page_numbers_stay_in_range(store: Store, planted: Planted, asked: int, shown: int) -> None:
    """A page number below the first or past the last shows the first or the last page."""
    page = q.page(store, _filters(planted), asked)
    assert (page.number, page.pages) == (shown, 2)


@dataclass
class CountingStore(Store):
    """The real store, counting the queries it answers."""

    queries: list[str] = field(default_factory=list)

    def frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run and count a query."""
        self.queries.append(sql)
        return super().frame(sql, params)


@pytest.mark.parametrize(
    ("asked", "queries"),
    [(1, 1), (2, 1), (0, 1), (99, 3)],  # past the last page: one empty page, a count, then the last page
)
def test_a_page_evaluates_the_filtered_hits_once(store: Store, planted: Planted, asked: int, queries: int) -> None:
    """A page and the queue's totals come from one query over the filtered hits, not a count and a page."""
    counting = CountingStore(store.con, store.path)
    page = q.page(counting, _filters(planted), asked)
    assert len(counting.queries) == queries
    first = q.page(store, _filters(planted), 1)
    assert (page.total_hits, page.total_cases, page.pages) == (first.total_hits, first.total_cases, first.pages)


def test_pages_cover_every_case_once(store: Store, planted: Planted) -> None:
    """The pages hold every case once, best first, each with its worst hits and its full hit count."""
    filters = _filters(planted)
    pages = [q.page(store, filters, n) for n in (1, 2)]
    cases = [c for page in pages for c in page.cases]
    total = store.scalar("SELECT count(*) FROM hits WHERE run_id = ?", [planted.run_id])
    assert len({c["case_key"] for c in cases}) == len(cases) == pages[0].total_cases
    assert sum(c["hits"] for c in cases) == pages[0].total_hits == total
    assert all(len(c["items"]) == min(c["hits"], q.CASE_ROWS) for c in cases)
    assert [c["score"] for c in cases] == sorted((c["score"] for c in cases), reverse=True)
    assert len(pages[0].cases) == q.PAGE_CASES


@pytest.mark.parametrize(
    ("given", "cases"),
    [
        ({"rule": "OWN-001"}, 4),  # the four parties owned by listed owners
        ({"rule": "OWN-001", "state": "cleared"}, 0),
        ({"rule": "ROUTE-001", "group": "corridor"}, None),  # one case per corridor, whatever its years
    ],
)
def test_filters_apply_to_pages(store: Store, planted: Planted, given: dict[str, str], cases: int | None) -> None:
    """Filters narrow the cases counted and shown."""
    page = q.page(store, _filters(planted, **given), 1)
    if cases is None:  # a corridor flagged in several years is one case
        assert page.total_cases < page.total_hits
    else:
        assert page.total_cases == cases
    assert all(given.get("rule", "") in c["rules"] for c in page.cases)


@pytest.fixture(scope="module")
def client(planted: Planted) -> Iterator[TestClient]:
    """Return a client signed in as the analyst."""
    with TestClient(create_app(ServeConfig(db=str(planted.db))), base_url="https://testserver") as signed_in:
        sign_in(signed_in, "ana")
        yield signed_in


def test_queue_page_renders_one_page(client: TestClient, planted: Planted) -> None:
    """A queue of about 19,000 hits renders one page of cases, links to the next, and its cases link back to it."""
    page = client.get("/queue", params={"run": planted.run_id, "state": "any", "page": "2"}).text
    assert len(re.findall(r'<tr class="hit"', page)) <= q.PAGE_CASES * q.CASE_ROWS
    assert "page 2 of 2" in page and 'rel="prev"' in page and 'rel="next"' not in page
    link = re.search(r'href="(/case/[^"]+)"', page)
    assert link is not None
    case = client.get(link.group(1).replace("&amp;", "&")).text
    back = re.search(r'<a href="([^"]+)" id="back">', case)
    assert back is not None and "state=any" in back.group(1) and "page=2" in back.group(1)


def test_export_holds_every_hit(client: TestClient, planted: Planted) -> None:
    """The CSV export of a queue holds all its hits, not the first page's (nor the first 5,000)."""
    rows = list(
        csv.DictReader(io.StringIO(client.get("/queue.csv", params={"run": planted.run_id, "state": "any"}).text))
    )
    store = open_store(planted.db)
    try:
        total = store.scalar("SELECT count(*) FROM hits WHERE run_id = ?", [planted.run_id])
    finally:
        store.close()
    assert len(rows) == total > 5_000


PROGRAMMED = """entity_id,name,schema,source,program
1,ROSOBORONEXPORT,Organization,,RUSSIA-EO14024
2,NORTH STAR TRADING,Organization,,IRAN-EO13846
"""


@pytest.fixture(scope="module")
def programmed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    """Return a store whose list names programmes, scanned once, with North Star's hit escalated."""
    directory = tmp_path_factory.mktemp("programmes")
    watch, parties = directory / "watch.csv", directory / "parties.csv"
    watch.write_text(PROGRAMMED, encoding="utf-8")
    parties.write_text(
        "party_name,country\nRosoboronexport,RU\nNorth Star Trading,AE\nAcme GmbH,DE\n", encoding="utf-8"
    )
    store = open_store(directory / "p.duckdb")
    import_list(store, watch, options=ImportOptions(version="2026-01-01", source="plist"))
    run_id = scan([parties], store=store).run_id
    hit = store.scalar("SELECT hit_id FROM hits WHERE run_id = ? AND party = 'North Star Trading'", [run_id])
    record(store, User("rev", "reviewer"), run_id, str(hit), action="escalate", reason="ask the bank")
    yield store, run_id
    store.close()


@pytest.mark.parametrize(
    ("given", "parties"),
    [
        ({}, ["North Star Trading", "Rosoboronexport"]),
        ({"programme": "eo14024"}, ["Rosoboronexport"]),  # part of the programme's name, any case
        ({"programme": "IRAN"}, ["North Star Trading"]),
        ({"programme": "SDGT"}, []),
        ({"state": "escalated"}, ["North Star Trading"]),
        ({"state": "open"}, ["Rosoboronexport"]),
        ({"state": "escalated", "programme": "EO14024"}, []),
    ],
)
def test_programme_and_state_filters(programmed: tuple[Store, str], given: dict[str, str], parties: list[str]) -> None:
    """The programme filter finds a hit by part of its list entry's programme; the state filter by its decision."""
    store, run_id = programmed
    page = q.page(store, q.Filters(**{"run": run_id, **given}), 1)
    assert sorted(c["case_key"] for c in page.cases) == parties


def test_sample_list_choices(store: Store, planted: Planted) -> None:
    """A run screened against the bundled sample lists (none imported) offers their lists and programmes as filters."""
    offered = q.choices(store, planted.run_id)
    assert "us_ofac_sdn" in offered["source"]
    assert offered["programme"] == ["UKRAINE-EO13685"]  # the planted listed parties' programme


@pytest.mark.parametrize(("given", "found"), [({"source": "us_ofac_sdn"}, True), ({"source": "nowhere"}, False)])
def test_sample_list_filter(store: Store, planted: Planted, given: dict[str, str], found: bool) -> None:
    """The list filter finds the hits on bundled sample entries, and their rows name the list."""
    rows = q.queue(store, _filters(planted, **given))
    assert (rows.height > 0) is found
    assert rows["list_source"].to_list() == [given["source"]] * rows.height


@pytest.mark.parametrize("asked", ["²", "x", "-1", ""])
def test_a_page_that_is_no_number_shows_the_first(client: TestClient, planted: Planted, asked: str) -> None:
    """A page parameter that is not an ASCII number (a superscript two passes ``isdigit``) shows page 1, no error."""
    reply = client.get("/queue", params={"run": planted.run_id, "state": "any", "page": asked})
    assert reply.status_code == 200 and "page 1 of 2" in reply.text
