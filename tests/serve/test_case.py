"""The case page's own evidence on the planted cases: ownership chains, the corridor chart, the case's decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import duckdb
import polars as pl
import pytest
from starlette.testclient import TestClient

from screening.names import build_index
from screening.network.keys import name_keys
from screening.pipeline import scan
from screening.serve.accounts import User, add_user
from screening.serve.app import ServeConfig, create_app
from screening.serve.case import MAX_PATHS, case_decisions, corridor_svg, ownership_chain
from screening.serve.decide import record
from screening.serve.live import _from_sample
from screening.store import Store, open_store
from tests.serve.conftest import PASSWORD, Planted
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
    assert sorted(_shown(got.chains)) == sorted(chains)
    assert not got.cut


def _shown(chains: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """Return each chain as 'OWNER* 60 % > OWNER 80 %' (listed owners starred) with its share through the chain."""
    return [
        (" > ".join(f"{k['owner']}{'*' if k['listed'] else ''} {k['percent']}" for k in c["links"]), c["through"])
        for c in chains
    ]


# The names the case page compared before it keyed them as OWN-001 does, through both comparisons.
FOLDED = "upper(trim(regexp_replace(?, '\\s+', ' ', 'g')))"


@pytest.mark.parametrize(
    ("first", "second", "folded_equal", "keys_equal"),
    [
        ("Ural Detal LLC", "  ural   detal llc ", True, True),
        ("Romashka Holding OOO", "ROMASHKA HOLDING LLC", False, True),  # legal form
        ("ООО Ромашка", "OOO Romashka", False, True),  # script
        ("Sidorov Ivan Petrovich", "Ivan Petrovich Sidorov", False, True),  # word order
        ("Alfa Trade", "Alfa Trading", False, False),
        ("!!!", "!!!", True, True),
    ],
)
def test_chain_names_compare_as_own_001_compares_them(
    first: str, second: str, folded_equal: bool, keys_equal: bool
) -> None:
    """The case page keys names with name_keys (as OWN-001 does), a superset of the case-folded comparison."""
    con = duckdb.connect()
    folded = [con.execute(f"SELECT {FOLDED}", [n]).fetchone()[0] for n in (first, second)]  # type: ignore[index]
    keys = name_keys(pl.Series([first, second]))
    assert (folded[0] == folded[1]) is folded_equal
    assert (keys["key"].n_unique() == 1) is keys_equal


WIDE = 250  # owners of one holding: more than the page climbs (MAX_WALKS a level)
WIDE_OWNERS = [(f"Owner {i:03} GmbH 0.4 %", "0.4 %") for i in range(WIDE)]
SPELLINGS = """owner,owned,share
Romashka Holding OOO,Vektor LLC,60 %
KOZITSYN Nikolai,ROMASHKA HOLDING LLC,70 %
OBORONLOGISTIKA OOO,Wide Holding LLC,60 %
"""


@pytest.fixture(scope="module")
def spelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    """Return a store with one scan of an ownership file that spells a holding two ways and one wide holding."""
    path = tmp_path_factory.mktemp("spelled") / "ownership.csv"
    wide = "".join(f"Owner {i:03} GmbH,Wide Holding LLC,0.4 %\n" for i in range(WIDE))
    path.write_text(SPELLINGS + wide, encoding="utf-8")
    result = scan([path], store=path.with_suffix(".duckdb"))
    add_user(result.store, "ana", "analyst", PASSWORD)
    yield result.store, result.run_id
    result.store.close()


@pytest.mark.parametrize(
    ("party", "chains", "cut"),
    [
        # the holding's two spellings are one node, as they are to OWN-001: the chain climbs through both
        ("Vektor LLC", [("KOZITSYN Nikolai 70 % > Romashka Holding OOO 60 %", "42 %")], False),
        # the largest stake first, then the first owners in key order, up to the page's chains
        ("Wide Holding LLC", [("OBORONLOGISTIKA OOO 60 %", "60 %"), *WIDE_OWNERS[: MAX_PATHS - 1]], True),
    ],
)
def test_chain_climbs_keyed_names_and_says_when_it_cuts(
    spelled: tuple[Store, str], party: str, chains: list[tuple[str, str | None]], cut: bool
) -> None:
    store, run_id = spelled
    got = ownership_chain(store, run_id, party, None)
    assert sorted(_shown(got.chains)) == sorted(chains)
    assert got.cut is cut


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


@pytest.mark.parametrize(("party", "note"), [("Wide Holding LLC", True), ("Vektor LLC", False)])
def test_case_page_says_when_the_chain_is_cut(spelled: tuple[Store, str], party: str, note: bool) -> None:
    """The case page says when a party has more owners than it shows."""
    store, run_id = spelled
    hit = _hit(store, run_id, f"rule_id = 'OWN-001' AND party = '{party}'")
    with TestClient(create_app(ServeConfig(db=store.path)), base_url="https://testserver") as client:
        sign_in(client, "ana")
        page = client.get(f"/case/{run_id}/{hit}").text
    assert ('id="ownership-cut"' in page) is note
