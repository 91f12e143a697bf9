"""The ``screening serve`` application: the match API and the workbench on one Starlette app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from screening.errors import ScreeningError
from screening.serve import api, matching, workbench
from screening.serve.access import StoreAccess, StoreBusyError
from screening.serve.batching import WINDOW
from screening.serve.live import POLL_SECONDS, LiveIndex
from screening.serve.web import RefusedError, render

STATIC = Path(__file__).with_name("static")


@dataclass(frozen=True)
class ServeConfig:
    """How a server runs: its store, whether cookies need HTTPS, how often it looks for new lists, its batch window."""

    db: str
    secure_cookies: bool = True
    poll_seconds: float = POLL_SECONDS
    batch_window: float = WINDOW  # seconds (``serve --batch-window`` in ms)


async def _refused(request: Request, exc: Exception) -> Response:
    """Show a refused workbench request as a page with its status."""
    assert isinstance(exc, RefusedError)
    return render("error.html", status=exc.status, message=exc.message)


async def _failed(request: Request, exc: Exception) -> Response:
    """Show a store or input error (a busy store, a hit that is not there, a missing reason) as a page."""
    status = 503 if isinstance(exc, StoreBusyError) else 403 if isinstance(exc, PermissionError) else 400
    return render("error.html", status=status, message=str(exc))


def create_app(config: ServeConfig) -> Starlette:
    """Return the application serving a store's lists and runs."""
    access = StoreAccess(config.db)
    live = LiveIndex(access, poll=config.poll_seconds)
    matching.BATCHER.window = config.batch_window

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(live.refresh)  # the index is built once before the first request
        live.start()
        yield
        live.stop()

    app = Starlette(
        routes=[*api.ROUTES, *workbench.ROUTES, Mount("/static", StaticFiles(directory=STATIC), name="static")],
        exception_handlers={
            api.ApiError: api.api_error,
            RefusedError: _refused,
            ScreeningError: _failed,
            PermissionError: _failed,
        },
        lifespan=lifespan,
    )
    app.state.config, app.state.access, app.state.live = config, access, live
    return app
