"""The case page's own evidence on the planted cases: ownership chains, the corridor chart, the case's decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from screening.names import build_index
from screening.serve.accounts import User
from screening.serve.app import ServeConfig, create_app
from screening.serve.case import case_decisions, corridor_svg, ownership_chain
from screening.serve.decide import record
from screening.serve.live import _from_sample
from screening.store import Store, open_store
from tests.serve.conftest import Planted
from tests.serve.test_workbench import sign_in


@pytest.fixture
def store(planted: Planted) -> Iterator[Store]:
    """Return the planted store, open."""
    opened = open_store(planted.db)
    yield opened
    opened.close()


def _hit(store: Store, run_id: str, where: str) -> str:
    """Return the first hit id of the run matching a condition."""
    return str(store.scalar(f"SELECT min(hit_id) FROM hits WHERE run_id = ? AND {where}", [run_id]))


@pytest.mark.parametrize(
    ("party", "chains"),
    [
        (  # two links up: the listed owner's 60 % makes the holding blocked, which owns 80 %
            "Sever Promtekh TOO",
            [("OBORONLOGISTIKA, OOO* 60 % > Vostok Kompozit LLC 80 %", "48 %")],
        ),
        ("Altai Mikro LLC", [("GAZPROM BURENIE, OOO* 30 %", "30 %"), ("KOZITSYN, Nikolai* 25 %", "25 %")]),
        ("Kama Instrument LLC", [("TIMCHENKO, Gennady* ? %", None)]),  # a stake of unknown size
        (
            "ural detal llc",  # names compare case-folded
            [("<script>alert(1)</script> Holding 10 %", "10 %"), ("Ivan Petrovich Sidorov 60 %", "60 %")],
        ),
        (  # spelled otherwise than in the ownership file: the matcher finds the owned name
            "VOSTOK KOMPOZIT OOO",
            [("OBORONLOGISTIKA, OOO* 60 %", "60 %")],
        ),
        ("Nobody Ltd", []),
        (None, []),
    ],
)
def test_ownership_chain(
    store: Store, planted: Planted, party: str | None, chains: list[tuple[str, str | None]]
) -> None:
    """A party's chains climb to its top owners with each stake, listed owners starred, the stakes multiplied."""
    watch, ids, _, _ = _from_sample()
    got = ownership_chain(store, planted.run_id, party, build_index(watch, ids))
    shown = [
        (" > ".join(f"{k['owner']}{'*' if k['listed'] else ''} {k['percent']}" for k in c["links"]), c["through"])
        for c in got
    ]
    assert sorted(shown) == sorted(chains)


@pytest.mark.parametrize(("rule", "drawn"), [("ROUTE-001", True), ("OWN-001", False)])
def test_corridor_svg(store: Store, planted: Planted, rule: str, drawn: bool) -> None:
    """A corridor hit gets its chart, the corridor named as escaped text; other hits get none."""
    svg = corridor_svg(store, planted.run_id, _hit(store, planted.run_id, f"rule_id = '{rule}'"))
    assert (svg is not None) == drawn
    if svg is not None:
        assert svg.startswith("<svg") and "<script" not in svg
        assert re.search(r"[A-Z]{2}&gt;[A-Z]{2} \d+ +\(ROUTE-001", svg)  # the panel's title, escaped


def test_case_decisions_span_the_subject(store: Store, planted: Planted) -> None:
    """A decision on one hit of a party shows in the history of the party's other hits, marked as another hit's."""
    owned = _hit(store, planted.run_id, "rule_id = 'OWN-001' AND party = 'Vostok Kompozit LLC'")
    record(store, User("ana", "analyst"), planted.run_id, owned, action="escalate", reason="check the register")
    other = store.frame(
        "SELECT * FROM hits WHERE run_id = ? AND rule_id = 'ENTITY-001' AND party = 'Vostok Kompozit LLC' LIMIT 1",
        [planted.run_id],
    ).row(0, named=True)
    this = store.frame("SELECT * FROM hits WHERE hit_id = ?", [owned]).row(0, named=True)
    assert [(d["reason"], d["this_hit"]) for d in case_decisions(store, other)] == [("check the register", False)]
    assert [(d["reason"], d["this_hit"]) for d in case_decisions(store, this)] == [("check the register", True)]


@pytest.fixture(scope="module")
def client(planted: Planted) -> Iterator[TestClient]:
    """Return a client signed in as the analyst."""
    app = create_app(ServeConfig(db=str(planted.db)))
    with TestClient(app, base_url="https://testserver") as signed_in:
        sign_in(signed_in, "ana")
        yield signed_in


@pytest.mark.parametrize(
    ("where", "present", "absent"),
    [
        ("rule_id = 'ROUTE-001'", ['id="corridor-chart"', "/corridor.svg"], ['id="ownership-chain"']),
        (
            "rule_id = 'OWN-001' AND party = 'Sever Promtekh TOO'",
            ['id="ownership-chain"', "listed: us_ofac_sdn", "48 % through the chain"],
            ['id="corridor-chart"'],
        ),
        ("party = 'Ural Detal LLC'", ["&lt;script&gt;alert(1)&lt;/script&gt; Holding"], ["<script>alert"]),
    ],
)
def test_case_page_shows_chart_and_chain(
    client: TestClient, planted: Planted, store: Store, where: str, present: list[str], absent: list[str]
) -> None:
    """The case page shows a corridor hit's chart and a party's ownership chain, names escaped."""
    page = client.get(f"/case/{planted.run_id}/{_hit(store, planted.run_id, where)}").text
    assert all(p in page for p in present), present
    assert not any(a in page for a in absent), absent


def test_chart_is_an_image_behind_the_sign_in(client: TestClient, planted: Planted, store: Store) -> None:
    """The chart is served as an SVG image with a policy that allows no script, and only to a signed-in user."""
    route = _hit(store, planted.run_id, "rule_id = 'ROUTE-001'")
    path = f"/case/{planted.run_id}/{route}/corridor.svg"
    answer = client.get(path)
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert "script-src" not in answer.headers["content-security-policy"]
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    other = _hit(store, planted.run_id, "rule_id = 'OWN-001'")
    assert client.get(f"/case/{planted.run_id}/{other}/corridor.svg").status_code == 404
    with TestClient(create_app(ServeConfig(db=str(planted.db))), base_url="https://testserver") as anonymous:
        assert anonymous.get(path, follow_redirects=False).headers["location"] == "/login"
