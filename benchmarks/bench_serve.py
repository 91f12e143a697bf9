"""Load test of ``screening serve``'s ``/match`` on loopback, beside the same queries through ``screening match``.

    python benchmarks/bench_serve.py --names 100000 --requests 600

A synthetic generic list of ``--names`` names (random syllable words with legal forms: realistic for
latency, not for accuracy) is imported into a fresh store in ``benchmarks/work/``; ``screening
serve`` runs on it in a subprocess. For 1, 8 and 32 concurrent clients (threads in this process,
each sending pre-encoded requests over one keep-alive socket and reading every answer whole, its
status checked: lean, as the clients share the CPUs with the server), a fixed number of single-name
``/match`` requests (capped at ``--seconds``) is sent: half are list names with a typo, half are
names that are not listed. Reported: p50/p95/p99 latency, requests per second, the server's CPU
milliseconds per request (the user and system time of its processes, workers included, over the
level, so that load from other processes on the machine does not count), the load generator's own
CPU per request, each worker's share of the server's CPU and the client connections each worker
holds once all are open (how evenly the keep-alive connections fell to the workers), the server's resident
memory (summed over its processes) at rest (after the index is built) and after the load; and the
same queries through ``screening match`` as one batch (wall time including its index build, and the
matching alone against a prepared index), and under ``batch.plain`` the share of the queries serve
answers the plain one-query way (:func:`screening.names.single.serve.match_rows`), the memory and
CPU build time of its per-index tables and its CPU per query. Results:
``benchmarks/results/serve_<names>.json``. ``--micro ROUNDS`` only times one-name calls on the dev
set's real list, CPU ms per call of the batch matcher and of the plain path, clean and listed names.

``--profile REQUESTS`` only drives the server's application in process (ASGI calls, no sockets,
the matching inline) under cProfile and prints the CPU milliseconds per request of each part.

``--real`` measures on real public data instead: the names development set's list side
(``benchmarks/names/dev/watchlist.csv``: 26,659 names from the OFAC, UN, BIS, CSL and OpenSanctions
files) and a sample of its frozen eval queries (real aliases and clean person names, with their
schema); results in ``benchmarks/results/serve_real.json``. ``--polars-threads N`` starts the server
with ``serve --polars-threads N`` (its polars pool N wide, 0: one thread per core; without it, the
server's default; results get a ``_tN`` suffix); ``--batch-window MS`` likewise (``_wMS``), and
``--workers N`` (``serve --workers N``, ``_pN``). The load generator runs on the same cores as the server.
``--repeat R`` runs the levels R times on one server (how evenly connections fall, run after run).

``--churn CLIENTS`` only measures clients that open a connection per request: ``--idle`` keep-alive
connections (16) are opened and held first (each answered once, so each is held by a worker), then
``CLIENTS`` threads send ``GET /healthz`` with ``Connection: close``, each on a new connection read
to its end, ``--requests`` in all (capped at ``--seconds``); reported: requests per second,
p50/p95/p99 latency including the connection, and the idle connections each worker holds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Final

import polars as pl
from machine import describe

from screening.serve.batching import WINDOW
from screening.serve.cli import DEFAULT_POLARS_THREADS

HERE = Path(__file__).parent
WORK = HERE / "work" / "serve"
SYLLABLES = "ka ro mi to va ne sha lu bor gan del fir ost pol tek vin zar ami ber cor dan eli fal gor".split()  # noqa: SIM905
FORMS = ["", "", "LLC", "LTD", "OOO", "GMBH", "TRADING", "HOLDING", "SHIPPING", "JSC"]


def synthetic_names(count: int, seed: int) -> list[str]:
    """Return distinct random names of two or three syllable words and an optional legal form."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).upper() for _ in range(rng.randint(2, 3))]
        names.add(" ".join([*words, rng.choice(FORMS)]).strip())
    return sorted(names)


def typo(name: str, rng: random.Random) -> str:
    """Return a name with one letter replaced."""
    spot = rng.randrange(len(name))
    return name[:spot] + ("X" if name[spot] != "X" else "Y") + name[spot + 1 :]


def prepare(count: int, seed: int) -> tuple[Path, Path, list[str]]:
    """Write the list, import it into a fresh store with an API key, and return the store, key file and queries."""
    from screening.lists import ImportOptions, import_list  # noqa: PLC0415
    from screening.serve.accounts import add_key  # noqa: PLC0415
    from screening.store import open_store  # noqa: PLC0415

    WORK.mkdir(parents=True, exist_ok=True)
    names = synthetic_names(count, seed)
    listing = WORK / f"list_{count}.csv"
    pl.DataFrame({"entity_id": [str(i) for i in range(count)], "name": names, "schema": "Organization"}).write_csv(
        listing
    )
    db = WORK / f"serve_{count}.duckdb"
    db.unlink(missing_ok=True)
    store = open_store(db)
    import_list(store, listing, options=ImportOptions(version="2026-01-01", source="synthetic"))
    (WORK / "key").write_text(add_key(store, "bench"), encoding="utf-8")
    store.close()
    rng = random.Random(seed + 1)
    unlisted = synthetic_names(count + 400, seed + 2)[-200:]
    queries = [typo(rng.choice(names), rng) for _ in range(200)] + unlisted
    rng.shuffle(queries)
    return db, listing, queries


DEV: Final = HERE / "names" / "dev"


def prepare_real(sample: int, seed: int) -> tuple[Path, Path, list[str]]:
    """Import the dev set's real list names into a fresh store with an API key; return it, the list and eval queries."""
    from screening.lists import ImportOptions, import_list  # noqa: PLC0415
    from screening.serve.accounts import add_key  # noqa: PLC0415
    from screening.store import open_store  # noqa: PLC0415

    WORK.mkdir(parents=True, exist_ok=True)
    listing = WORK / "list_real.csv"
    pl.read_csv(DEV / "watchlist.csv", infer_schema=False).drop("list").write_csv(listing)
    db = WORK / "serve_real.duckdb"
    db.unlink(missing_ok=True)
    store = open_store(db)
    import_list(store, listing, options=ImportOptions(version="dev-set", source="names-dev"))
    (WORK / "key").write_text(add_key(store, "bench"), encoding="utf-8")
    store.close()
    queries = pl.read_csv(DEV / "queries.csv", infer_schema=False).filter(pl.col("split") == "eval")
    return db, listing, queries.sample(min(sample, queries.height), seed=seed)["name"].to_list()


def tree(pid: int) -> list[int]:
    """Return a process and all its descendants (``serve --workers``: the supervisor and its workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += tree(int(child))
    return found


def rss_mib(pid: int) -> float:
    """Return the resident memory of a process and its descendants in MiB (shared pages counted in each)."""
    total = 0
    for member in tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def start_server(
    db: Path, threads: int | None = None, window: float | None = None, workers: int | None = None
) -> tuple[subprocess.Popen[bytes], int, float]:
    """Start ``screening serve`` (pool ``threads`` wide, batch ``window`` ms, ``workers`` processes, if given).

    Return it, its port and the seconds until every worker answered ``/readyz``.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "screening.cli", "--db", str(db), "serve", "--port", str(port)]
    cmd += [] if threads is None else ["--polars-threads", str(threads)]
    cmd += [] if window is None else ["--batch-window", str(window)]
    cmd += [] if workers is None else ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}  # the server's option decides
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=env)
    ready: set[int] = set()
    while time.perf_counter() - started < 600:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            answer = conn.getresponse()
            if answer.status == 200:
                ready.add(json.loads(answer.read())["pid"])
            if ready and len(ready) >= max(len(_workers(server.pid)), workers or 1):
                return server, port, time.perf_counter() - started
            time.sleep(0.05)
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not become ready in 600 s")


def _workers(pid: int) -> list[int]:
    """Return the processes answering requests: the workers of ``serve --workers``, or the server itself."""
    spawned = [p for p in tree(pid)[1:] if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return spawned or [pid]


def connections(port: int, workers: list[int]) -> list[int]:
    """Return how many established connections to ``port`` each worker holds (Linux: read from /proc)."""
    held: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                held.add(f"socket:[{fields[9]}]")
    return [sum(1 for fd in _fds(worker) if _target(fd) in held) for worker in workers]


def _fds(pid: int) -> list[Path]:
    """Return a process's file descriptor links, none once it has ended (a worker respawned)."""
    try:
        return list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return []


def _target(link: Path) -> str:
    """Return where a file descriptor link points, or an empty string when it closed meanwhile."""
    try:
        return os.readlink(link)
    except OSError:
        return ""


def _split(port: int, workers: list[int], clients: int, threads: list[threading.Thread]) -> list[int]:
    """Return the connections per worker once all ``clients`` are connected (the most seen if some end first)."""
    most = seen = connections(port, workers)
    while sum(seen) < clients and any(thread.is_alive() for thread in threads):
        time.sleep(0.05)  # a look costs ~10 ms of kernel CPU (the /proc tables): not so often it loads the machine
        seen = connections(port, workers)
        most = max(most, seen, key=sum)
    return most


def cpu_seconds(pid: int) -> float:
    """Return the CPU seconds (user and system, all threads) a process and its descendants have used."""
    total = 0
    for member in tree(pid):
        fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _request(port: int, key: str, name: str) -> bytes:
    """Return the bytes of one keep-alive ``POST /match/default`` request for one name."""
    body = _body(name)
    head = (f"POST /match/default HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: ApiKey {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
    return head.encode() + body


def _answer(sock: socket.socket, pending: bytes) -> tuple[int, bytes]:
    """Read one whole HTTP response (status line, headers, ``Content-Length`` body); return its status and the rest."""
    data = pending
    while b"\r\n\r\n" not in data:
        data += _recv(sock)
    head, _, data = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    size = int(fields["content-length"])
    while len(data) < size:
        data += _recv(sock)
    return int(lines[0].split()[1]), data[size:]


def _recv(sock: socket.socket) -> bytes:
    """Return the next bytes from a socket, or raise when the server closed it."""
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection")
    return chunk


def _client(port: int, requests: list[bytes], *, stop: float, out: list[float], errors: list[int]) -> None:
    """Send pre-encoded requests one at a time on one keep-alive socket, reading each answer whole; record ms."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rest = b""
        for request in requests:
            if time.perf_counter() > stop:
                break
            began = time.perf_counter()
            sock.sendall(request)
            status, rest = _answer(sock, rest)
            out.append((time.perf_counter() - began) * 1000)
            if status != 200:
                errors.append(status)


def load(
    port: int, key: str, queries: list[str], *, clients: int, requests: int, seconds: float, pid: int
) -> dict[str, Any]:
    """Send ``requests`` queries from ``clients`` threads; return latency percentiles, throughput and server CPU."""
    plan = [_request(port, key, queries[i % len(queries)]) for i in range(requests)]
    shares = [plan[i::clients] for i in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, share), kwargs={"stop": stop, "out": out, "errors": errors})
        for share, out in zip(shares, latencies, strict=True)
    ]
    workers = _workers(pid)
    cpu, began, each = cpu_seconds(pid), time.perf_counter(), [cpu_seconds(w) for w in workers]
    own = time.process_time()
    for thread in threads:
        thread.start()
    looking = time.thread_time()  # this thread only: the clients run meanwhile
    split = _split(port, workers, clients, threads)
    own += time.thread_time() - looking  # its start moved on: the connection count is not the clients' work
    for thread in threads:
        thread.join()
    wall, cpu, own = time.perf_counter() - began, cpu_seconds(pid) - cpu, time.process_time() - own
    each = [cpu_seconds(w) - c for w, c in zip(workers, each, strict=True)]
    done = pl.Series([x for part in latencies for x in part], dtype=pl.Float64)
    quantile = {f"p{q}": round(float(done.quantile(q / 100, "linear") or 0), 1) for q in (50, 95, 99)}
    return {"clients": clients, "requests": done.len(), "errors": len(errors), "seconds": round(wall, 2),
            "req_per_s": round(done.len() / wall, 1), **quantile,
            "server_cpu_ms_per_request": round(cpu * 1000 / max(done.len(), 1), 2),
            "client_cpu_ms_per_request": round(own * 1000 / max(done.len(), 1), 2),
            "worker_cpu_share": [round(c / max(sum(each), 1e-9), 2) for c in each],
            "worker_connections": split}  # fmt: skip


def _closing(port: int, count: int, *, stop: float, out: list[float], errors: list[int]) -> None:
    """Send ``count`` ``GET /healthz`` requests, each on a new connection the server closes; record ms."""
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    for _ in range(count):
        if time.perf_counter() > stop:
            break
        began = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        out.append((time.perf_counter() - began) * 1000)
        if not data.startswith(b"HTTP/1.1 200"):
            errors.append(1)


def churn(port: int, pid: int, *, clients: int, idle: int, requests: int, seconds: float) -> dict[str, Any]:
    """Return the speed of clients opening a connection per request while ``idle`` keep-alive connections are held."""
    held = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(idle)]
    try:
        for sock in held:  # answered once: accepted and held by a worker, as a client's idle connection is
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            _answer(sock, b"")
        split = connections(port, _workers(pid))
        latencies: list[list[float]] = [[] for _ in range(clients)]
        errors: list[int] = []
        stop = time.perf_counter() + seconds
        shares = [requests // clients + (i < requests % clients) for i in range(clients)]
        threads = [
            threading.Thread(target=_closing, args=(port, share), kwargs={"stop": stop, "out": out, "errors": errors})
            for share, out in zip(shares, latencies, strict=True)
        ]
        cpu, began = cpu_seconds(pid), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall, cpu = time.perf_counter() - began, cpu_seconds(pid) - cpu
    finally:
        for sock in held:
            sock.close()
    done = pl.Series([x for part in latencies for x in part], dtype=pl.Float64)
    quantile = {f"p{q}": round(float(done.quantile(q / 100, "linear") or 0), 1) for q in (50, 95, 99)}
    return {"clients": clients, "idle_held": idle, "requests": done.len(), "errors": len(errors),
            "seconds": round(wall, 2), "req_per_s": round(done.len() / wall, 1), **quantile,
            "server_cpu_ms_per_request": round(cpu * 1000 / max(done.len(), 1), 2),
            "idle_worker_connections": split}  # fmt: skip


def run_churn(db: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Start the server ``args`` describe, measure ``--churn`` clients against it and stop it."""
    server, port, _ = start_server(db, args.polars_threads, args.batch_window, args.workers)
    try:
        return churn(port, server.pid, clients=args.churn, idle=args.idle, requests=args.requests, seconds=args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)


def batch(listing: Path, queries: list[str]) -> dict[str, Any]:
    """Return the time of the same queries through ``screening match`` and through a prepared index."""
    from screening.names import DEFAULT_THRESHOLD, build_index, match_index  # noqa: PLC0415

    frame = pl.DataFrame({"id": [str(i) for i in range(len(queries))], "name": queries, "schema": "Company"})
    frame.write_csv(WORK / "queries.csv")
    began = time.perf_counter()
    cmd = [sys.executable, "-m", "screening.cli", "match", str(WORK / "queries.csv"), "--watchlist", str(listing),
           "--out", str(WORK / "batch.csv")]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)
    cli = time.perf_counter() - began
    index = build_index(pl.read_csv(listing, infer_schema=False))
    began = time.perf_counter()
    match_index(frame, index, DEFAULT_THRESHOLD, 5)
    alone = time.perf_counter() - began
    return {"queries": len(queries), "cli_seconds": round(cli, 2), "match_seconds": round(alone, 3),
            "match_ms_per_query": round(alone * 1000 / len(queries), 2),
            "plain": plain_path(index, queries)}  # fmt: skip


def plain_path(index: Any, queries: list[str]) -> dict[str, Any]:
    """Return the share of the load's queries serve answers the plain one-query way, its tables' build and memory."""
    from screening.names import DEFAULT_THRESHOLD  # noqa: PLC0415
    from screening.names.single.candidates import view  # noqa: PLC0415
    from screening.names.single.serve import match_rows  # noqa: PLC0415

    began = time.process_time()
    tables = view(index)
    built = time.process_time() - began
    empty = dict.fromkeys(("country", "birth_date", "identifier"))
    rows = [{"id": "q", "name": name, "schema": "Company", **empty} for name in queries]
    began = time.process_time()
    plain = sum(match_rows(row, index, DEFAULT_THRESHOLD, 10) is not None for row in rows)
    cpu = time.process_time() - began
    per_query = round(cpu * 1000 / max(len(rows), 1), 2)
    return {"share": round(plain / max(len(queries), 1), 3), "tables_mib": round(tables.nbytes / 2**20, 1),
            "tables_build_cpu_s": round(built, 2), "match_rows_cpu_ms_per_query": per_query}  # fmt: skip


MICRO_NAMES: Final = {
    "clean": ("Zzyzx Qwrtp", "Fleur Sam Mallien", "Filipe Lourenço", "Maja Hansen"),
    "listed": ("ROSSIYA AIRLINES", "Vladimir Putin", "ARESH SEPHERI ESHTAJRAN", "BANK MELLI IRAN"),
}


def micro(rounds: int) -> dict[str, Any]:
    """Return the CPU ms of one-name calls on the dev set's real list: the batch matcher against the plain path."""
    from screening.names import DEFAULT_THRESHOLD, build_index, match_index  # noqa: PLC0415
    from screening.names.single.serve import match_one  # noqa: PLC0415

    index = build_index(pl.read_csv(DEV / "watchlist.csv", infer_schema=False))
    out: dict[str, Any] = {}
    for kind, names in MICRO_NAMES.items():
        for name in names:
            row = {
                "id": "q",
                "name": name,
                "schema": "Company",
                "country": None,
                "birth_date": None,
                "identifier": None,
            }
            frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String()))
            plain = match_one(row, index, DEFAULT_THRESHOLD, 10)
            out[name] = {
                "kind": kind,
                "batch_cpu_ms": _cpu_ms(lambda f=frame: match_index(f, index, DEFAULT_THRESHOLD, 10), rounds),
                "plain_cpu_ms": _cpu_ms(lambda r=row: match_one(r, index, DEFAULT_THRESHOLD, 10), rounds),
                "answered_plainly": plain is not None,
            }
    return out


def _cpu_ms(call: Any, rounds: int) -> float:
    """Return the mean CPU milliseconds of ``rounds`` calls after one warm-up call."""
    call()
    began = time.process_time()
    for _ in range(rounds):
        call()
    return round((time.process_time() - began) * 1000 / rounds, 2)


PROFILE_PARTS: Final = {  # (file tail, function): a part of one /match request served in process
    "request total (ASGI app)": ("starlette/applications.py", "__call__"),
    "auth + readiness": ("serve/api.py", "_ready"),
    "body parse + FtM check": ("serve/api.py", "_body"),
    "match_examples": ("serve/matching.py", "match_examples"),
    "normal form": ("single/forms.py", "query_form"),
    "candidates": ("single/candidates.py", "candidate_wids"),
    "scoring": ("single/score.py", "score_one"),
    "entity rendering": ("serve/matching.py", "scored"),
    "JSON response": ("starlette/responses.py", "render"),
}


def _asgi_request(app: Any, body: bytes, key: str) -> Any:
    """Return a coroutine sending one ``POST /match/default`` to an ASGI app and checking it answers 200."""
    headers = [(b"authorization", f"ApiKey {key}".encode()), (b"content-type", b"application/json")]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/match/default", "raw_path": b"/match/default", "query_string": b"",
             "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8000),
             "headers": headers}  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise SystemExit(f"/match answered {sent[0]['status']}: {sent[-1].get('body')!r}")

    return call()


def profile(db: Path, key: str, queries: list[str], requests: int) -> dict[str, Any]:
    """Return CPU ms per request of each part of ``/match``, the server's app driven in process under cProfile."""
    import asyncio  # noqa: PLC0415
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    from screening.serve import api  # noqa: PLC0415
    from screening.serve.app import ServeConfig, create_app  # noqa: PLC0415

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    setattr(api, "run_in_threadpool", inline)  # noqa: B010 - cProfile sees one thread: the matching runs in it here
    app = create_app(ServeConfig(db=str(db), poll_seconds=3600))
    bodies = [_body(queries[i % len(queries)]) for i in range(requests)]

    async def drive(prof: cProfile.Profile | None) -> float:
        async with app.router.lifespan_context(app):
            for body in bodies[:50]:
                await _asgi_request(app, body, key)
            began = time.process_time()
            if prof is not None:
                prof.enable()
            for body in bodies:
                await _asgi_request(app, body, key)
            if prof is not None:
                prof.disable()
            return time.process_time() - began

    plain = asyncio.run(drive(None))
    prof = cProfile.Profile(time.process_time)  # CPU of every thread, polars' pool included
    asyncio.run(drive(prof))
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    return {"requests": requests, "cpu_ms_per_request_unprofiled": round(plain * 1000 / requests, 3),
            "profiled_cumulative_ms_per_request": _parts(prof, requests)}  # fmt: skip


def _parts(prof: Any, requests: int) -> dict[str, float]:
    """Return the cumulative CPU ms per request of each of ``PROFILE_PARTS`` in a profile."""
    import pstats  # noqa: PLC0415

    parts = dict.fromkeys(PROFILE_PARTS, 0.0)
    for (file, _, func), (_, _, _, cumulative, _) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        for part, (tail, name) in PROFILE_PARTS.items():
            if func == name and file.endswith(tail):
                parts[part] += cumulative
    return {part: round(seconds * 1000 / requests, 3) for part, seconds in parts.items()}


def _body(name: str) -> bytes:
    """Return the JSON body of a one-name ``/match`` request."""
    return json.dumps({"queries": {"q": {"schema": "Company", "properties": {"name": [name]}}}}).encode()


def main() -> None:
    """Run the load test and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600, help="requests per concurrency level")
    parser.add_argument("--seconds", type=float, default=60.0, help="cap per concurrency level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only (CI smoke run)")
    parser.add_argument("--real", action="store_true", help="the names dev set's real list names and eval queries")
    parser.add_argument("--polars-threads", type=int, help="start the server with --polars-threads N (0: all cores)")
    parser.add_argument("--batch-window", type=float, help="start the server with --batch-window MS")
    parser.add_argument("--workers", type=int, help="start the server with --workers N (default: the server's)")
    parser.add_argument("--micro", type=int, metavar="ROUNDS", help="only time one-name calls, plain and batch")
    parser.add_argument("--no-batch", action="store_true", help="skip the same queries through screening match")
    parser.add_argument("--profile", type=int, metavar="REQUESTS", help="only profile /match in process, per part")
    parser.add_argument("--repeat", type=int, default=1, help="run the levels this many times on one server")
    parser.add_argument("--churn", type=int, metavar="CLIENTS", help="only clients opening a connection per request")
    parser.add_argument("--idle", type=int, default=16, help="keep-alive connections held during --churn")
    args = parser.parse_args()
    if args.micro:
        print(json.dumps({"machine": describe(), "micro": micro(args.micro)}, indent=2))
        return
    db, listing, queries = prepare_real(400, args.seed) if args.real else prepare(args.names, args.seed)
    key = (WORK / "key").read_text(encoding="utf-8")
    if args.profile:
        print(json.dumps({"machine": describe(), "profile": profile(db, key, queries, args.profile)}, indent=2))
        return
    if args.churn:
        found = run_churn(db, args)
        print(json.dumps({"machine": describe(), "server_workers": args.workers, "churn": found}, indent=2))
        return
    server, port, ready = start_server(db, args.polars_threads, args.batch_window, args.workers)
    try:
        at_rest, workers = rss_mib(server.pid), _workers(server.pid)
        levels = [
            load(port, key, queries, clients=n, requests=args.requests, seconds=args.seconds, pid=server.pid)
            for _ in range(args.repeat)
            for n in args.clients
        ]
        after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {"machine": describe(), "names": "real" if args.real else args.names, "ready_seconds": round(ready, 1),
              "server_polars_threads": DEFAULT_POLARS_THREADS if args.polars_threads is None else args.polars_threads,
              "server_batch_window_ms": WINDOW * 1000 if args.batch_window is None else args.batch_window,
              "server_workers": len(workers), "server_processes": len(tree(server.pid)),
              "rss_mib_at_rest": at_rest, "rss_mib_after_load": after, "load": levels,
              "batch": None if args.no_batch else batch(listing, queries)}  # fmt: skip
    print(json.dumps(result, indent=2))
    if not args.no_write:
        suffix = "" if args.polars_threads is None else f"_t{args.polars_threads}"
        suffix += "" if args.batch_window is None else f"_w{args.batch_window:g}"
        suffix += "" if args.workers is None else f"_p{args.workers}"
        out = HERE / "results" / f"serve_{'real' if args.real else args.names}{suffix}.json"
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("SCREENING_STORE_MEMORY", "1GB")
    main()
