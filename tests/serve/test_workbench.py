"""The workbench through Starlette's test client: sign-in, CSRF, escaping, decisions, the CSV export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from screening.review import history
from screening.serve.app import ServeConfig, create_app
from screening.store import open_store
from tests.serve.conftest import PASSWORD, Served

XSS = "<script>alert(1)</script>"


def _app_client(served: Served) -> TestClient:
    """Return a test client over HTTPS (the session cookie is Secure)."""
    return TestClient(create_app(ServeConfig(db=str(served.db))), base_url="https://testserver")


def _csrf(html: str) -> str:
    """Return the CSRF token of the first form of a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, name: str) -> None:
    """Sign a user in through the login form."""
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


@pytest.fixture
def analyst(served: Served) -> Iterator[TestClient]:
    """Return a client signed in as the analyst."""
    with _app_client(served) as client:
        sign_in(client, "ana")
        yield client


def _hit(served: Served, party: str) -> str:
    """Return the hit id of the run's hit on a party."""
    store = open_store(served.db)
    try:
        return str(store.scalar("SELECT hit_id FROM hits WHERE run_id = ? AND party = ?", [served.run_id, party]))
    finally:
        store.close()


@pytest.mark.parametrize("path", ["/queue", "/runs", "/history", "/queue.csv", "/case/r/h"])
def test_pages_need_a_sign_in(served: Served, path: str) -> None:
    """Every workbench page sends a stranger to the login form."""
    with _app_client(served) as client:
        answer = client.get(path, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


@pytest.mark.parametrize(
    ("password", "token", "status"),
    [(PASSWORD, "good", 303), ("wrong password", "good", 401), (PASSWORD, "", 403), (PASSWORD, "forged", 403)],
)
def test_login_checks_password_and_csrf(served: Served, password: str, token: str, status: int) -> None:
    """A login needs the right password and the form's CSRF token; the session cookie is locked down."""
    with _app_client(served) as client:
        good = _csrf(client.get("/login").text)
        sent = {"good": good, "": "", "forged": "x" * 43}[token]
        answer = client.post("/login", data={"csrf": sent, "name": "ana", "password": password}, follow_redirects=False)
    assert answer.status_code == status
    cookie = answer.headers.get("set-cookie", "")
    if status == 303:
        assert all(flag in cookie for flag in ("HttpOnly", "Secure", "SameSite=strict"))


def test_queue_escapes_list_data_and_party_names(analyst: TestClient) -> None:
    """A party and a list entry named like a script tag render as text, never as markup."""
    page = analyst.get("/queue", params={"state": "any"}).text
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in analyst.get("/queue").headers


@pytest.mark.parametrize(
    ("params", "parties"),
    [
        ({}, {"Rosoboronexport", "Rosoboronexprot", XSS + " Trading", "=Ivan Petrovich Ivanov"}),
        ({"min_score": "0.99"}, {"Rosoboronexport", XSS + " Trading", "=Ivan Petrovich Ivanov"}),
        ({"max_score": "0.99", "min_score": "not a number"}, {"Rosoboronexprot"}),
        (
            {"source": "testlist", "rule": "NAME-001", "severity": "critical"},
            {"Rosoboronexport", "Rosoboronexprot", XSS + " Trading", "=Ivan Petrovich Ivanov"},
        ),
        ({"source": "nope"}, set()),
        ({"state": "cleared"}, set()),
    ],
)
def test_queue_filters(analyst: TestClient, params: dict[str, str], parties: set[str]) -> None:
    """Filters narrow the queue (score, list, state); the CSV export holds the same rows."""
    rows = csv.DictReader(io.StringIO(analyst.get("/queue.csv", params=params).text))
    assert {row["party"].removeprefix("'") for row in rows} == parties


def test_export_neutralises_formulas(analyst: TestClient) -> None:
    """A cell that starts like a spreadsheet formula is exported with an apostrophe before it."""
    rows = csv.DictReader(io.StringIO(analyst.get("/queue.csv").text))
    assert [row["party"] for row in rows if "Ivan" in row["party"]] == ["'=Ivan Petrovich Ivanov"]


def _decide(client: TestClient, served: Served, hit: str, action: str, reason: str, token: str | None = None) -> int:
    """Post a decision from the case page and return the status."""
    page = client.get(f"/case/{served.run_id}/{hit}")
    data = {"csrf": _csrf(page.text) if token is None else token, "action": action, "reason": reason}
    return client.post(f"/case/{served.run_id}/{hit}/decide", data=data, follow_redirects=False).status_code


@pytest.mark.parametrize(
    ("user", "action", "reason", "token", "status", "decided"),
    [
        ("ana", "clear", "same name, other company (registry checked)", None, 303, "cleared"),
        ("ana", "escalate", "needs a second look", None, 303, "escalated"),
        ("ana", "confirm", "it is them", None, 403, None),  # confirming takes a reviewer
        ("rev", "confirm", "it is them", None, 303, "confirmed"),
        ("ana", "clear", "   ", None, 400, None),  # a reason is mandatory
        ("ana", "clear", "no token", "", 403, None),
        ("ana", "clear", "forged token", "forged", 403, None),
    ],
)
def test_decisions_are_signed_and_checked(
    served: Served, user: str, action: str, reason: str, token: str | None, status: int, decided: str | None
) -> None:
    """A decision needs the session's CSRF token, a reason and the right role, and is signed with the user."""
    hit = _hit(served, "Rosoboronexport")
    with _app_client(served) as client:
        sign_in(client, user)
        assert _decide(client, served, hit, action, reason, token) == status
        queue = client.get("/queue").text
    store = open_store(served.db)
    rows = history(store).select("decision", "analyst").rows()
    store.close()
    assert rows == ([(decided, user)] if decided else [])
    assert (f"/{hit}?" in queue) == (decided not in {"cleared", "confirmed"})


def test_cleared_hit_leaves_the_queue_and_shows_in_history(analyst: TestClient, served: Served) -> None:
    """Clearing a hit takes it off the queue, lists it under cleared and in the decisions page."""
    hit = _hit(served, "Rosoboronexport")
    assert _decide(analyst, served, hit, "clear", "a different entity") == 303
    assert hit not in analyst.get("/queue").text
    assert hit in analyst.get("/queue", params={"state": "cleared"}).text
    assert "a different entity" in analyst.get("/history").text


def test_logout_ends_the_session(analyst: TestClient) -> None:
    """After signing out, the old cookie opens nothing."""
    token = _csrf(analyst.get("/queue").text)
    assert analyst.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert analyst.get("/queue", follow_redirects=False).status_code == 303
