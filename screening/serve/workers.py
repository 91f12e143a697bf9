"""Several server processes on one port (``serve --workers N``), supervised by uvicorn.

One process answers one ``/match`` at a time under the GIL, so on a machine of N cores N processes
answer up to N times as many. uvicorn's own multi-process mode binds the socket once and *spawns*
the workers (fresh interpreters: no polars or DuckDB thread state is copied by a fork); it restarts
a worker that dies and stops them all on SIGINT or SIGTERM. Each worker imports the application
through :func:`app_from_environment`, reading the server's settings from one environment variable,
and builds its own index (memory at rest is per worker). What workers must agree on lives in the
store: sessions with their CSRF tokens, API keys, decisions; the login form's token is a cookie the
form repeats, not a per-process secret. Each worker opens the store per request and retries while
another process (a worker, a scan) holds DuckDB's file lock (:mod:`.access`). The supervisor is
:mod:`.supervisor`, a process that does not import the package (about 0.2 GB less at rest).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from dataclasses import asdict
from typing import Final

from starlette.applications import Starlette

from screening.cores import usable_cores
from screening.errors import ConfigError, ScreeningError
from screening.safe_text import clean
from screening.serve import supervisor
from screening.serve.app import ServeConfig, create_app

CONFIG_VARIABLE: Final = "SCREENING_SERVE_CONFIG"
FACTORY: Final = supervisor.FACTORY  # what ``serve --workers`` starts (a test names a failing one)
MAX_WORKERS: Final = 64
DEFAULT_CAP: Final = 4  # each worker holds its own index (0.4-0.6 GB at 100k names)
PARENT_CHECK_SECONDS: Final = 1.0
SUPERVISOR_VARIABLE: Final = "SCREENING_SERVE_SUPERVISOR"


def default_workers(cores: int | None = None) -> int:
    """Return the workers a server starts without ``--workers``: one per core it may use (quota too), at most four."""
    return max(1, min(usable_cores() if cores is None else cores, DEFAULT_CAP))


def check_workers(workers: int) -> int:
    """Return a worker count, or raise ConfigError when it is not one."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"--workers: {workers} is not a process count (1 to {MAX_WORKERS})")
    return workers


def publish(config: ServeConfig) -> None:
    """Put the server's settings where the workers it spawns read them (its environment, which they inherit)."""
    os.environ[CONFIG_VARIABLE] = json.dumps(asdict(config))
    os.environ[SUPERVISOR_VARIABLE] = str(os.getpid())


def app_from_environment() -> Starlette:
    """Return the application of a worker, made from the settings its supervisor published."""
    try:
        app = create_app(_config())
        parent = int(os.environ.get(SUPERVISOR_VARIABLE, os.getppid()))
    except (ScreeningError, ValueError, TypeError) as exc:  # a restart would fail alike: stop the supervisor
        print(f"screening serve: a worker cannot start: {clean(str(exc))}", file=sys.stderr)
        sys.exit(supervisor.STARTUP_FAILURE)
    threading.Thread(target=_follow, args=(parent,), name="screening-serve-parent", daemon=True).start()
    return app


def _config() -> ServeConfig:
    """Return the settings the supervisor published, or raise ConfigError when there are none."""
    raw = os.environ.get(CONFIG_VARIABLE)
    if raw is None:
        raise ConfigError(f"{CONFIG_VARIABLE} is not set: workers are started by `screening serve --workers N`")
    settings = json.loads(raw)
    if not isinstance(settings, dict):
        raise ConfigError(f"{CONFIG_VARIABLE} does not hold the server's settings")
    return ServeConfig(**settings)


def _follow(parent: int) -> None:
    """Stop this worker (as SIGTERM does) once its supervisor is gone, killed without the chance to stop it."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    table = os.environ.get(supervisor.TABLE_VARIABLE)
    if table:  # the supervisor could not remove it (the workers' connection counts, balance.py)
        supervisor.remove_table(table)
    os.kill(os.getpid(), signal.SIGTERM)
