"""The match API through Starlette's test client: keys, yente's shapes, errors as ``{"detail": ...}``.

``yente_match_shape.json`` is yente's ``POST /match/{dataset}`` answer written from its pydantic models
(``EntityMatchResponse``, ``EntityMatches``, ``ScoredEntityResponse``, ``TotalSpec``, ``EntityExample`` in
opensanctions/yente ``yente/data/common.py``): field names and JSON types, yente's own example values.
Keys in angle brackets stand for any key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from screening.serve.api import version_age_days
from screening.serve.app import ServeConfig, create_app
from tests.serve.conftest import Served

SHAPE = json.loads((Path(__file__).with_name("yente_match_shape.json")).read_text(encoding="utf-8"))


@pytest.fixture
def client(served: Served) -> Iterator[TestClient]:
    """Return a client of a running app (its lists loaded)."""
    with TestClient(create_app(ServeConfig(db=str(served.db))), base_url="https://testserver") as client:
        client.headers["Authorization"] = f"ApiKey {served.key}"
        yield client


def _match(client: TestClient, queries: dict[str, Any], **params: str) -> Any:
    """Post queries to /match/default and return the response."""
    return client.post("/match/default", params=params, json={"queries": queries})


def _same_shape(got: Any, want: Any, where: str = "$") -> None:
    """Assert that every key of the recorded yente shape is present with a value of the same JSON type."""
    if isinstance(want, dict):
        assert isinstance(got, dict), where
        for key, value in want.items():
            if key.startswith("<") or not got:  # a placeholder key stands for any key; an empty map has none
                for sub_key, sub in got.items():
                    _same_shape(sub, value, f"{where}.{sub_key}")
                continue
            assert key in got, f"{where}: missing {key}"
            _same_shape(got[key], value, f"{where}.{key}")
    elif isinstance(want, list) and want:
        assert isinstance(got, list), where
        for n, item in enumerate(got):
            _same_shape(item, want[0], f"{where}[{n}]")
    elif want is not None:
        kinds = (int, float) if isinstance(want, (int, float)) and not isinstance(want, bool) else type(want)
        assert isinstance(got, kinds), f"{where}: {got!r} is not like {want!r}"


def test_match_answers_in_yentes_shape(client: TestClient) -> None:
    """A yente client's request gets every field of yente's recorded response, and the listed company first."""
    queries = {"q1": {"schema": "Company", "properties": {"name": ["Rosoboronexport"], "jurisdiction": ["ru"]}}}
    body = _match(client, queries).json()
    _same_shape(body, SHAPE)
    best = body["responses"]["q1"]["results"][0]
    assert (best["id"], best["match"], best["datasets"]) == ("testlist:1", True, ["testlist"])
    assert best["features"]["name_match"] == best["score"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"schema": "Person", "properties": {"name": ["Ivan Petrovich Ivanov"], "birthDate": ["1970-03-15"]}},
            "testlist:4",
        ),
        ({"schema": "Person", "properties": {"firstName": ["Ivan"], "lastName": ["Petrovich Ivanov"]}}, "testlist:4"),
        ({"schema": "Vessel", "properties": {"name": "Sea Breeze"}}, "testlist:2"),  # a lone string reads as a list
        ({"schema": "Person", "properties": {"name": ["Sea Breeze"]}}, None),  # a person is no vessel
        ({"schema": "Company", "properties": {"name": ["Acme GmbH"]}}, None),
        (  # the first birth date is another person's; the second agrees, and the best-agreeing value counts
            {
                "schema": "Person",
                "properties": {"name": ["Ivan Petrovich Ivanov"], "birthDate": ["1990-01-02", "1970-03-15"]},
            },
            "testlist:4",
        ),
        ({"schema": "Person", "properties": {"name": ["Ivan Petrovich Ivanov"], "birthDate": ["1990-01-02"]}}, None),
        (  # a second name finds the entity the first does not
            {"schema": "Company", "properties": {"name": ["Acme GmbH", "Rosoboronexport"], "country": ["de", "ru"]}},
            "testlist:1",
        ),
    ],
)
@pytest.mark.parametrize("scorer", ["model", "hand"])
def test_match_finds_the_listed_entity(
    client: TestClient, query: dict[str, Any], expected: str | None, scorer: str
) -> None:
    """Each query finds its entity, or nothing at the scorer's own default threshold."""
    results = _match(client, {"k": query}, scorer=scorer).json()["responses"]["k"]["results"]
    assert [r["id"] for r in results if r["match"]][:1] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("headers", "params", "status"),
    [
        ({}, {}, 401),
        ({"Authorization": "ApiKey sk_nope_nope"}, {}, 401),
        ({"Authorization": "Bearer {key}"}, {}, 200),
        ({}, {"api_key": "{key}"}, 200),
    ],
)
def test_match_needs_a_key(served: Served, headers: dict[str, str], params: dict[str, str], status: int) -> None:
    """Without a live key the API answers 401 with a detail; the key works as a header or a parameter."""
    fill = {k: v.format(key=served.key) for k, v in headers.items()}
    query = {k: v.format(key=served.key) for k, v in params.items()}
    with TestClient(create_app(ServeConfig(db=str(served.db))), base_url="https://testserver") as client:
        answer = client.post("/match/default", headers=fill, params=query, json={"queries": {"q": {"schema": "Thing"}}})
    assert answer.status_code == status
    assert status == 200 or "detail" in answer.json()


@pytest.mark.parametrize(
    ("body", "params", "status", "fragment"),
    [
        (b"not json", {}, 400, "not JSON"),
        (b'{"queries": {}}', {}, 400, "expected"),
        (b'{"queries": {"q": {"properties": {}}}}', {}, 400, "queries.q.schema"),
        (
            b'{"queries": {"q": {"schema": "Person", "properties": {"name": [1]}}}}',
            {},
            400,
            "queries.q.properties.name",
        ),
        (b'{"queries": {"q": {"schema": "Person", "properties": {}}}}', {"threshold": "2"}, 400, "threshold"),
        (b'{"queries": {"q": {"schema": "Person", "properties": {}}}}', {"limit": "x"}, 400, "limit"),
        (b'{"queries": {"q": {"schema": "Person", "properties": {}}}}', {"scorer": "fuzzy"}, 400, "scorer"),
    ],
)
def test_bad_match_requests_say_what(
    client: TestClient, body: bytes, params: dict[str, str], status: int, fragment: str
) -> None:
    """A malformed request is a 400 whose detail names the problem."""
    answer = client.post("/match/default", content=body, params=params)
    assert (answer.status_code, fragment in answer.json()["detail"]) == (status, True)


@pytest.mark.parametrize(
    ("params", "note", "named"),
    [({}, False, "hand"), ({"scorer": "hand"}, False, "hand"), ({"scorer": "model"}, True, "model name_model.json")],
)
def test_one_name_is_scored_by_hand_unless_the_model_is_asked(
    client: TestClient, params: dict[str, str], note: bool, named: str
) -> None:
    """The hand weights score a request by default; the model when asked (its detail names what moved it)."""
    queries = {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}
    answer = _match(client, queries, **params).json()
    assert ("model:" in answer["responses"]["q"]["results"][0]["detail"]) == note
    assert answer["matcher"]["name_match"]["description"].endswith(f"scored by {named}") == (named == "hand")
    assert f"scored by {named}" in answer["matcher"]["name_match"]["description"]


def test_unknown_dataset_is_404(client: TestClient) -> None:
    """A dataset that is no list source is a 404, as yente answers."""
    answer = _match(client, {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}})
    assert answer.status_code == 200
    assert client.post("/match/nope", json={"queries": {"q": {"schema": "Thing"}}}).status_code == 404


@pytest.mark.parametrize(("dataset", "found"), [("testlist", ["testlist:1"]), ("default", ["testlist:1"])])
def test_search_and_entities(client: TestClient, dataset: str, found: list[str]) -> None:
    """Search finds an entity by name, and /entities returns it with its FtM properties."""
    body = client.get(f"/search/{dataset}", params={"q": "rosoboronexport"}).json()
    assert set(body) >= {"limit", "offset", "total", "results", "facets"}
    assert [r["id"] for r in body["results"]][:1] == found
    entity = client.get("/entities/testlist:1").json()
    assert (entity["caption"], entity["properties"]["country"]) == ("ROSOBORONEXPORT", ["ru"])
    assert client.get("/entities/testlist:999").status_code == 404


def test_health_ready_and_docs(client: TestClient) -> None:
    """Health needs no key; readiness names the lists with their versions; the docs load no outside script."""
    assert client.get("/healthz", headers={"Authorization": ""}).json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert [(v["source"], v["list_version"]) for v in ready["lists"]] == [("testlist", "2026-01-01")]
    assert ready["lists"][0]["age_seconds"] >= 0
    assert ready["lists"][0]["version_age_days"] >= 0 and ready["memory_rss_bytes"] > 10_000_000
    assert "/match/{dataset}" in client.get("/openapi.json").json()["paths"]
    assert "<script" not in client.get("/docs").text


@pytest.mark.parametrize(
    ("version", "days"),
    [("2026-01-01", 31), ("2026-02-01T06:00:00", 0), ("unknown", None), (None, None)],
)
def test_version_age_days(version: str | None, days: int | None) -> None:
    """A list's age counts from the publication date its version states, when it states one."""
    assert version_age_days({"list_version": version}, date(2026, 2, 1)) == days
