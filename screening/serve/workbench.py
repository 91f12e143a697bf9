"""The analysts' workbench: sign-in, runs, the alert queue, a case's evidence, decisions and their history.

Every page opens the store for its own length (off the event loop) and needs a signed-in user; every
form is checked for its CSRF token before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from screening.names import NameIndex
from screening.report.explain import evidence
from screening.review import history
from screening.serve import queue as q
from screening.serve.accounts import Session, end_session, start_session, verify_password
from screening.serve.case import MAX_PATHS, MAX_WALKS, case_decisions, corridor_svg, ownership_chain
from screening.serve.decide import ALLOWED, record
from screening.serve.export import queue_csv
from screening.serve.web import (
    HEADERS,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    RefusedError,
    check_csrf,
    form_of,
    login_token,
    redirect,
    render,
    session_of,
    set_cookie,
)
from screening.store import Store

Page = Callable[[Store, Session, Request, dict[str, str] | None], Response]
SESSION_SECONDS: Final = 12 * 3600
SVG_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'"  # matplotlib styles its SVG inline


def _access(request: Request) -> Any:
    """Return the server's store access."""
    return request.app.state.access


def _signed_in(request: Request, page: Page, fields: dict[str, str] | None) -> Response:
    """Run a page with the store open, for a signed-in user (and a form whose CSRF token is theirs)."""
    with _access(request).open() as store:
        session = session_of(request, store)
        if session is None:
            return redirect("/login")
        if fields is not None:
            check_csrf(request, fields, session)
        return page(store, session, request, fields)


def _get(page: Page) -> Callable[[Request], Any]:
    """Return an endpoint that shows a page to a signed-in user."""

    async def endpoint(request: Request) -> Response:
        response: Response = await run_in_threadpool(_signed_in, request, page, None)
        return response

    return endpoint


def _post(page: Page) -> Callable[[Request], Any]:
    """Return an endpoint that handles a signed-in user's form."""

    async def endpoint(request: Request) -> Response:
        fields = await form_of(request)
        response: Response = await run_in_threadpool(_signed_in, request, page, fields)
        return response

    return endpoint


def runs_page(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Show the runs with their hit counts."""
    return render("runs.html", session=session, runs=q.runs(store).to_dicts())


def _filters(store: Store, request: Request) -> q.Filters:
    """Return the queue filters of a request, the latest run when none is named."""
    filters = q.Filters.from_params(request.query_params)
    if not filters.run:
        latest = store.scalar("SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1")
        filters = q.Filters(**{**filters.query(), "run": latest or ""})
    return filters


def _page_number(request: Request) -> int:
    """Return the queue page a request asks for (1 when none or not a number)."""
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() else 1  # "²" is a digit to isdigit, not to int


def queue_page(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Show one page of a run's alert queue, filtered and grouped into cases."""
    filters = _filters(store, request)
    shown = q.page(store, filters, _page_number(request))
    here = urlencode(filters.query())
    return render(
        "queue.html",
        session=session,
        filters=filters,
        page=shown,
        cases=shown.cases,
        case_rows=q.CASE_ROWS,
        choices=q.choices(store, filters.run),
        states=("active", *q.STATES, "any"),
        groups=q.GROUPS,
        export=f"/queue.csv?{here}",
        pages=f"/queue?{here}&page=",
        back=f"/queue?{here}&page={shown.number}",
    )


def export_csv(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Return the filtered queue as CSV, formula-like cells neutralised."""
    filters = _filters(store, request)
    body = queue_csv(q.queue(store, filters))
    name = f"queue-{filters.run or 'none'}.csv"
    return Response(body, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _index(request: Request) -> NameIndex | None:
    """Return the served name index, or None while the lists load."""
    state = request.app.state.live.state
    return None if state is None else state.index


def case_page(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Show one hit's evidence, its ownership chain, the case's decision history and the decision form."""
    run_id, hit_id = request.path_params["run_id"], request.path_params["hit_id"]
    doc = evidence(store, run_id, hit_id)
    back = request.query_params.get("back", "")
    return render(
        "case.html",
        session=session,
        doc=doc,
        run_id=run_id,
        hit_id=hit_id,
        ownership=ownership_chain(store, run_id, doc["hit"]["party"], _index(request)),
        limits={"paths": MAX_PATHS, "walks": MAX_WALKS},
        case_decisions=case_decisions(store, doc["hit"]),
        actions=sorted(ALLOWED.get(session.user.role, ())),
        back=back if back.startswith("/queue?") else f"/queue?run={run_id}",
    )


def corridor_chart(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Return a corridor hit's chart as an SVG image (its own strict policy: styles only, no scripts)."""
    svg = corridor_svg(store, request.path_params["run_id"], request.path_params["hit_id"])
    if svg is None:
        raise RefusedError(404, "this hit is about no corridor with a stored series")
    return Response(svg, media_type="image/svg+xml", headers={**HEADERS, "Content-Security-Policy": SVG_POLICY})


def decide_post(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Record the signed-in user's decision on a hit and go back to the queue."""
    assert fields is not None
    run_id, hit_id = request.path_params["run_id"], request.path_params["hit_id"]
    record(store, session.user, run_id, hit_id, action=fields.get("action", ""), reason=fields.get("reason", ""))
    back = fields.get("back", "")
    return redirect(back if back.startswith("/queue?") else f"/queue?run={run_id}")


def history_page(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """Show every decision, newest first."""
    rows = history(store).reverse().to_dicts()
    return render("history.html", session=session, decisions=rows)


def logout_post(store: Store, session: Session, request: Request, fields: dict[str, str] | None) -> Response:
    """End the session."""
    end_session(store, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def login_form(request: Request) -> Response:
    """Show the sign-in form with a fresh CSRF token."""
    token = login_token(request)
    response = render("login.html", csrf=token, error=None)
    set_cookie(request, response, LOGIN_COOKIE, token)
    return response


def _login(request: Request, fields: dict[str, str]) -> Response:
    """Check the credentials and start a session, or show the form again."""
    check_csrf(request, fields, None)
    with _access(request).open() as store:
        user = verify_password(store, fields.get("name", ""), fields.get("password", ""))
        token = start_session(store, user) if user else ""
    if not user:
        return render(
            "login.html", status=401, csrf=request.cookies.get(LOGIN_COOKIE, ""), error="unknown user or wrong password"
        )
    response = redirect("/queue")
    set_cookie(request, response, SESSION_COOKIE, token, max_age=SESSION_SECONDS)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def login_post(request: Request) -> Response:
    """Sign a user in."""
    fields = await form_of(request)
    response: Response = await run_in_threadpool(_login, request, fields)
    return response


async def home(request: Request) -> Response:
    """Send the browser to the queue."""
    return redirect("/queue")


async def docs(request: Request) -> Response:
    """Show the API's routes, read from its OpenAPI description (no external scripts)."""
    from screening.serve.openapi import SPEC  # noqa: PLC0415

    return render("docs.html", spec=SPEC)


ROUTES: Final = [
    Route("/", home, methods=["GET"]),
    Route("/docs", docs, methods=["GET"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_post, methods=["POST"]),
    Route("/logout", _post(logout_post), methods=["POST"]),
    Route("/runs", _get(runs_page), methods=["GET"]),
    Route("/queue", _get(queue_page), methods=["GET"]),
    Route("/queue.csv", _get(export_csv), methods=["GET"]),
    Route("/history", _get(history_page), methods=["GET"]),
    Route("/case/{run_id}/{hit_id}", _get(case_page), methods=["GET"]),
    Route("/case/{run_id}/{hit_id}/corridor.svg", _get(corridor_chart), methods=["GET"]),
    Route("/case/{run_id}/{hit_id}/decide", _post(decide_post), methods=["POST"]),
]
