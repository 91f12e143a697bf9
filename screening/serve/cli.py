"""The ``serve``, ``users`` and ``keys`` commands: run the server, manage its accounts and API keys.

The server's libraries (Starlette, uvicorn, argon2) come with the ``serve`` extra; they are imported
when one of these commands runs, so the rest of the CLI works without them.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Final

from screening.errors import ConfigError
from screening.safe_text import clean
from screening.serve.batching import WINDOW
from screening.store import DEFAULT_PATH, Store, open_store

LOOPBACK: Final = ("127.0.0.1", "localhost", "::1")
THREADS_VARIABLE: Final = "POLARS_MAX_THREADS"
DEFAULT_POLARS_THREADS: Final = 1  # /match frames are small: waking a pool per operation costs more than it gives
MAX_THREADS: Final = 1024
MAX_PORT: Final = 65535
MAX_WINDOW_MS: Final = 1000.0  # a batch waiting longer than a second is no longer a one-off check


def _module(name: str) -> ModuleType:
    """Import a module of the serve extra, or say how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(
            f"`screening serve` needs the serve extra ({exc.name} is missing): pip install 'screening[serve]'"
        ) from exc


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve, users and keys to the subparsers."""
    s = sub.add_parser("serve", help="serve the yente-compatible match API and the analysts' workbench")
    s.add_argument("--db", dest="serve_db", default=None, help=f"DuckDB store (default ./{DEFAULT_PATH})")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument(
        "--insecure-cookies", action="store_true",
        help="send session cookies over plain HTTP too (only behind a TLS proxy that strips it, or on loopback)",
    )  # fmt: skip
    s.add_argument(
        "--polars-threads", type=int, default=DEFAULT_POLARS_THREADS, metavar="N",
        help=f"width of polars' thread pool (default {DEFAULT_POLARS_THREADS}; 0: polars' own, one per core)",
    )  # fmt: skip
    s.add_argument(
        "--batch-window", type=float, default=WINDOW * 1000, metavar="MS",
        help="milliseconds a /match batch waits for as many requests as the last one held "
        f"(default {WINDOW * 1000:g}: start at once)",
    )  # fmt: skip
    s.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="server processes sharing the port, each with its own index (default: one per usable core, at most 4)",
    )  # fmt: skip
    s.set_defaults(func=cmd_serve)
    u = sub.add_parser("users", help="add workbench users (password read from stdin or a prompt)")
    usub = u.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = usub.add_parser("add", help="add a user, or reset an existing user's role and password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("analyst", "reviewer", "admin"))
    add.set_defaults(func=cmd_users_add)
    usub.add_parser("list", help="list the users").set_defaults(func=cmd_users_list)
    k = sub.add_parser("keys", help="API keys of the match API")
    ksub = k.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    kadd = ksub.add_parser("add", help="create a key and print it once")
    kadd.add_argument("name")
    kadd.set_defaults(func=cmd_keys_add)
    krev = ksub.add_parser("revoke", help="revoke every key of a name")
    krev.add_argument("name")
    krev.set_defaults(func=cmd_keys_revoke)
    ksub.add_parser("list", help="list the keys (names and ids, never the keys)").set_defaults(func=cmd_keys_list)


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[Store]:
    """Open the command's store for the length of a ``with`` block."""
    store = open_store(_db(args))
    try:
        yield store
    finally:
        store.close()


def _db(args: argparse.Namespace) -> str:
    """Return the store path of a command: its own --db, the global one, or the default."""
    return str(getattr(args, "serve_db", None) or args.db or DEFAULT_PATH)


def rerun_argv(threads: int, environ: dict[str, str], argv: list[str], orig_argv: list[str]) -> list[str] | None:
    """Return the command line that reruns this process with polars' pool ``threads`` wide, or None to go on.

    Polars sizes its pool from ``POLARS_MAX_THREADS`` once, when it is imported (before any option
    is read), so the only way to choose it is to start again with the variable set. None when the
    variable already says so (the rerun itself), for 0, or when the interpreter's command line does
    not end with this command's arguments.
    """
    if threads <= 0 or environ.get(THREADS_VARIABLE) == str(threads):
        return None
    given = argv[1:]
    if not given or orig_argv[len(orig_argv) - len(given) :] != given:
        return None
    return orig_argv


def _launched_as_command() -> bool:
    """Return whether this process is the ``screening`` command (not ``screening.cli.main`` called from Python)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "screening.cli":  # python -m screening.cli
        return True
    from screening import cli  # noqa: PLC0415  (the console script's __main__ imports its main)

    return getattr(main, "main", None) is cli.main


def _polars_threads(threads: int) -> None:
    """Rerun this command with polars' pool ``threads`` wide, unless it is already (see :func:`rerun_argv`)."""
    if not 0 <= threads <= MAX_THREADS:
        raise ConfigError(f"--polars-threads: {threads} is not a thread count (0 to {MAX_THREADS})")
    command = rerun_argv(threads, dict(os.environ), sys.argv, sys.orig_argv)
    if command is None or not _launched_as_command():
        return
    if not hasattr(os, "execv") or sys.platform == "win32":  # no exec there: set the variable before starting
        print(f"note: --polars-threads needs {THREADS_VARIABLE}={threads} set before start on this system",
              file=sys.stderr)  # fmt: skip
        return
    os.environ[THREADS_VARIABLE] = str(threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the server until interrupted."""
    _polars_threads(args.polars_threads)
    if not 0 <= args.batch_window <= MAX_WINDOW_MS:  # also refuses nan and inf, which would stop the batcher
        raise ConfigError(f"--batch-window: {args.batch_window:g} ms is not a wait (0 to {MAX_WINDOW_MS} ms)")
    if not 0 <= args.port <= MAX_PORT:
        raise ConfigError(f"--port: {args.port} is not a TCP port (0 to {MAX_PORT})")
    uvicorn = _module("uvicorn")
    workers = _module("screening.serve.workers")
    count = workers.check_workers(workers.default_workers() if args.workers is None else args.workers)
    db = _db(args)
    if db == ":memory:":
        raise ConfigError("--db: serve needs a store file (a :memory: store would be empty)")
    open_store(db).close()  # a bad path fails here, as one line
    secure = not args.insecure_cookies
    app_module = _module("screening.serve.app")
    config = app_module.ServeConfig(db=db, secure_cookies=secure, batch_window=args.batch_window / 1000)
    if secure and args.host in LOOPBACK:
        print(
            "note: session cookies are Secure; browsers accept them on http://localhost and 127.0.0.1", file=sys.stderr
        )
    if count == 1:
        uvicorn.run(app_module.create_app(config), host=args.host, port=args.port, log_level="warning")
        return 0
    workers.publish(config)
    if _can_exec_supervisor():
        _become_supervisor(workers.FACTORY, count, args)
    return _supervise(workers, count, args)


def _can_exec_supervisor() -> bool:
    """Return whether this process is the command itself, on a system with exec and an interpreter to run a script."""
    if not (hasattr(os, "execv") and sys.platform != "win32" and sys.executable) or getattr(sys, "frozen", False):
        return False
    from screening.serve import supervisor  # noqa: PLC0415

    given = sys.argv[1:]  # a program calling main() with its own arguments keeps its process
    ours = not given or sys.orig_argv[len(sys.orig_argv) - len(given) :] == given
    return ours and _launched_as_command() and Path(supervisor.__file__).is_file()


def _become_supervisor(factory: str, count: int, args: argparse.Namespace) -> None:
    """Replace this process (same id) with the lean supervisor of ``count`` workers (:mod:`.supervisor`)."""
    from screening.serve import supervisor  # noqa: PLC0415  (its file only: it runs without the package)

    # -P keeps the script's folder off the path; the package's own folder goes on it, for a checkout run uninstalled
    root = str(Path(supervisor.__file__).resolve().parents[2])
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), root) if p)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(
        sys.executable, [sys.executable, "-P", supervisor.__file__, args.host, str(args.port), str(count), factory]
    )


def _supervise(workers: ModuleType, count: int, args: argparse.Namespace) -> int:
    """Run ``count`` worker processes on one socket, supervised in this process; raise when one could not start."""
    supervisor = _module("screening.serve.supervisor")
    failed = supervisor.supervise(args.host, args.port, count, workers.FACTORY)
    if failed is not None:
        raise ConfigError(failed)
    return 0


def _password(name: str) -> str:
    """Return a new password from stdin (when piped) or asked twice at the terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise ConfigError(f"user {name}: the passwords differ")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    """Add a user or reset one."""
    accounts = _module("screening.serve.accounts")
    password = _password(args.name)
    with _store(args) as store:
        user = accounts.add_user(store, args.name, args.role, password)
    print(f"user {clean(user.name)} ({user.role}) saved")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """Print the users."""
    with _store(args) as store:
        rows = store.con.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    for name, role, created in rows:
        print(f"{clean(name, one_line=True)}\t{role}\t{created}")
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    """Create an API key and print it (the store keeps only its hash)."""
    accounts = _module("screening.serve.accounts")
    with _store(args) as store:
        key = accounts.add_key(store, args.name)
    print(key)
    print("store this key now: it is not shown again", file=sys.stderr)
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    """Revoke the keys of a name."""
    accounts = _module("screening.serve.accounts")
    with _store(args) as store:
        count = accounts.revoke_key(store, args.name)
    print(f"revoked {count} key(s) named {clean(args.name, one_line=True)}")
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    """Print the keys' names, ids and states."""
    with _store(args) as store:
        rows = store.con.execute(
            "SELECT name, key_id, created_at, revoked FROM api_keys ORDER BY name, created_at"
        ).fetchall()
    for name, key_id, created, revoked in rows:
        print(f"{clean(name, one_line=True)}\t{key_id}\t{created}\t{'revoked' if revoked else 'live'}")
    return 0
