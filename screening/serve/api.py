"""The HTTP match API, shaped like yente's: /match, /search, /entities, /healthz, /readyz, /openapi.json.

Every route but the health checks and the docs asks for an API key (``Authorization: ApiKey KEY``,
``Bearer KEY`` or ``?api_key=KEY``), created with ``screening keys add``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from screening.names.model import DEFAULT_SCORER, NameModel, named_scorer, own_threshold
from screening.serve import ftm, matching
from screening.serve.accounts import key_matches
from screening.serve.live import ListState, LiveIndex, age_seconds
from screening.serve.openapi import SPEC

DEFAULT_LIMIT: Final = 5
SEARCH_CUTOFF: Final = 0.7  # a search lists weaker candidates than a match accepts (or the scorer's threshold)


class ApiError(Exception):
    """An API request fails with a status and a one-line detail."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _live(request: Request) -> LiveIndex:
    """Return the server's live index."""
    live: LiveIndex = request.app.state.live
    return live


def _presented_key(request: Request) -> str:
    """Return the API key a request carries, or an empty string."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("apikey", "bearer") and value.strip():
        return value.strip()
    return request.query_params.get("api_key", "")


def _ready(request: Request) -> ListState:
    """Return the served lists after checking the request's API key."""
    live = _live(request)
    if not key_matches(live.keys, _presented_key(request)):
        raise ApiError(
            401, "a valid API key is required (Authorization: ApiKey KEY); create one with `screening keys add`"
        )
    if live.state is None:
        raise ApiError(503, f"the lists are not loaded yet{f': {live.error}' if live.error else ''}")
    return live.state


def _scorer(request: Request) -> NameModel | None:
    """Return the model a request's ``scorer`` names (default: hand, None; "model": the shipped one), or a 400."""
    try:
        return named_scorer(request.query_params.get("scorer", DEFAULT_SCORER))
    except ValueError as exc:
        raise ApiError(400, f"query parameter {exc}") from exc


def _number(request: Request, name: str, default: float, low: float, high: float) -> float:
    """Return a numeric query parameter within bounds, or raise a 400."""
    raw = request.query_params.get(name)
    try:
        value = default if raw is None else float(raw)
    except ValueError:
        raise ApiError(400, f"query parameter {name}: {raw!r} is not a number") from None
    if not low <= value <= high:
        raise ApiError(400, f"query parameter {name}: {value} is outside {low}..{high}")
    return value


async def _body(request: Request) -> dict[str, dict[str, Any]]:
    """Return the parsed query examples of a /match body, or raise a 400 saying what is wrong."""
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"request body: not JSON ({exc})") from None
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, dict) or not queries:
        raise ApiError(400, 'request body: expected {"queries": {"KEY": {"schema": ..., "properties": {...}}}}')
    if len(queries) > matching.MAX_BATCH:
        raise ApiError(400, f"Too many queries in one batch (limit: {matching.MAX_BATCH})")
    try:
        return {str(k): ftm.example(str(k), v) for k, v in queries.items()}
    except ftm.QueryError as exc:
        raise ApiError(400, f"Cannot parse example entity: {exc}") from None


async def match(request: Request) -> Response:
    """Match FtM query examples against a dataset."""
    state = _ready(request)
    examples = await _body(request)
    model = _scorer(request)
    threshold = _number(request, "threshold", own_threshold(model), 0.0, 1.0)
    cutoff = _number(request, "cutoff", threshold, 0.0, 1.0)
    limit = int(_number(request, "limit", DEFAULT_LIMIT, 1, matching.MAX_LIMIT))
    dataset = request.path_params["dataset"]
    answer = await run_in_threadpool(
        _guarded,
        matching.match_examples,
        state,
        examples,
        threshold=threshold,
        cutoff=cutoff,
        limit=limit,
        dataset=dataset,
        model=model,
    )
    return JSONResponse(answer, headers={"x-batch-size": str(len(examples))})


def _guarded(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a matching function, turning an unknown dataset into a 404."""
    try:
        return func(*args, **kwargs)
    except KeyError as exc:
        raise ApiError(404, f"Dataset not found: {exc.args[0]} (use default or a list source)") from None


async def search(request: Request) -> Response:
    """Search a dataset by name."""
    state = _ready(request)
    text = request.query_params.get("q", "").strip()
    if not text:
        raise ApiError(400, "query parameter q: a name to search for is required")
    limit = int(_number(request, "limit", 10, 1, matching.MAX_LIMIT))
    offset = int(_number(request, "offset", 0, 0, 10_000))
    model = _scorer(request)
    cutoff = _number(request, "cutoff", min(SEARCH_CUTOFF, own_threshold(model)), 0.0, 1.0)
    answer = await run_in_threadpool(
        _guarded,
        matching.search,
        state,
        text,
        limit=limit,
        offset=offset,
        dataset=request.path_params["dataset"],
        cutoff=cutoff,
        model=model,
    )
    return JSONResponse(answer)


async def entity(request: Request) -> Response:
    """Return one listed entity."""
    state = _ready(request)
    row = state.entity(request.path_params["entity_id"])
    if row is None:
        raise ApiError(404, f"Entity not found: {request.path_params['entity_id']}")
    return JSONResponse(ftm.entity(row))


async def healthz(request: Request) -> Response:
    """Answer that the process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Answer whether this process's lists are loaded, with their versions and age."""
    live = _live(request)
    state = live.state
    if state is None:
        return JSONResponse({"status": "loading", "error": live.error, "lists": []}, status_code=503)
    versions = [{**v, "age_seconds": age_seconds(v), "version_age_days": version_age_days(v)} for v in state.versions]
    body = {"status": "ok", "names": state.index.names.height, "entities": state.entities.height, "lists": versions}
    extra = {"built_at": state.built_at.isoformat(), "error": live.error, "memory_rss_bytes": rss_bytes()}
    extra["pid"] = os.getpid()  # each worker of ``serve --workers`` answers for its own index
    return JSONResponse({**body, **extra})


def version_age_days(version: dict[str, Any], today: date | None = None) -> int | None:
    """Return how many days old a list's stated publication date is, or None when it states none."""
    try:
        published = date.fromisoformat(str(version.get("list_version") or "")[:10])
    except ValueError:
        return None
    return ((today or datetime.now(UTC).date()) - published).days


def rss_bytes() -> int | None:
    """Return the process's resident memory in bytes (Linux ``/proc``), or None where it cannot be read."""
    try:
        resident = Path("/proc/self/statm").read_text(encoding="ascii").split()[1]
    except (OSError, IndexError):
        return None
    return int(resident) * os.sysconf("SC_PAGE_SIZE")


async def openapi(request: Request) -> Response:
    """Return the OpenAPI description of the API."""
    return JSONResponse(SPEC)


async def api_error(request: Request, exc: Exception) -> Response:
    """Answer an ApiError as yente does: its status and ``{"detail": ...}``."""
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "ApiKey"} if exc.status == 401 else None
    return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=headers)


ROUTES: Final = [
    Route("/match/{dataset}", match, methods=["POST"]),
    Route("/search/{dataset}", search, methods=["GET"]),
    Route("/entities/{entity_id:path}", entity, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"]),
]
