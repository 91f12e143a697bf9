"""``serve --workers``: the settings a worker reads, and a real two-process server driven over sockets."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from screening.errors import StoreError
from screening.lists import ImportOptions, import_list
from screening.pipeline import scan
from screening.review import history
from screening.serve import matching
from screening.serve.access import StoreAccess
from screening.serve.accounts import add_key
from screening.serve.app import ServeConfig
from screening.serve.balance import _SLOT, STALE_VARIABLE, TURN_VARIABLE
from screening.serve.live import POLL_SECONDS
from screening.serve.supervisor import SLOT_BYTES, STARTUP_FAILURE, TABLE_VARIABLE
from screening.serve.workers import (
    CONFIG_VARIABLE,
    SUPERVISOR_VARIABLE,
    app_from_environment,
    default_workers,
    publish,
)
from screening.store import open_store
from tests.serve.conftest import PASSWORD, Served, make_store

LINUX = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through /proc")


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 2), (3, 3), (4, 4), (16, 4)])
def test_default_workers(cores: int, workers: int) -> None:
    """Without --workers a server starts one process per usable core, at most four."""
    assert default_workers(cores) == workers


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (None, f"{CONFIG_VARIABLE} is not set"),
        ("{bad", "Expecting property name"),
        ("[]", "does not hold the server's settings"),
        ('{"db": "x", "colour": 1}', "unexpected keyword argument 'colour'"),
    ],
)
def test_a_worker_without_good_settings_stops_its_supervisor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: str | None, said: str
) -> None:
    """A worker without good settings exits with uvicorn's start-failure code and one line, not a restart loop."""
    if settings is None:
        monkeypatch.delenv(CONFIG_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(CONFIG_VARIABLE, settings)
    with pytest.raises(SystemExit) as stopped:
        app_from_environment()
    assert stopped.value.code == STARTUP_FAILURE
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_a_worker_reads_the_published_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The settings the supervisor publishes make the workers' application."""
    monkeypatch.setenv(CONFIG_VARIABLE, "")  # restored after the test, as publish() overwrites it
    monkeypatch.setenv(SUPERVISOR_VARIABLE, "")
    monkeypatch.setattr(matching.BATCHER, "window", matching.BATCHER.window)
    config = ServeConfig(db=str(tmp_path / "s.duckdb"), secure_cookies=False, poll_seconds=7.0, batch_window=0.002)
    publish(config)
    assert os.environ[SUPERVISOR_VARIABLE] == str(os.getpid())
    monkeypatch.setenv(SUPERVISOR_VARIABLE, str(os.getppid()))  # as in a spawned worker, whose parent published
    assert app_from_environment().state.config == config


def _free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """Return the worker processes of a server (its spawned children, not multiprocessing's resource tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline")
            if cmdline.exists() and b"spawn_main" in cmdline.read_bytes():
                found.append(int(child))
    return sorted(found)


def _alive(pid: int) -> bool:
    """Return whether a process runs (a zombie waiting for its parent to collect it does not)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _call(
    port: int, method: str, path: str, body: dict[str, str] | None = None, **headers: str
) -> tuple[int, str, str]:
    """Send one request on a new connection (any worker may accept it); return the status, cookies set and text."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = None if body is None else urlencode(body)
    if body is not None:
        headers["content-type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers={k.replace("_", "-"): v for k, v in headers.items()})
    answer = conn.getresponse()
    text = answer.read().decode()
    cookies = "; ".join(c.split(";")[0] for c in answer.headers.get_all("set-cookie") or [])
    conn.close()
    return answer.status, cookies, text


class Server:
    """A ``screening serve --workers 2`` subprocess on a free port."""

    def __init__(self, db: Path, env: dict[str, str] | None = None) -> None:
        self.db, self.port = db, _free_port()
        cmd = [sys.executable, "-m", "screening.cli", "--db", str(db), "serve", "--workers", "2"]
        cmd += ["--port", str(self.port), "--insecure-cookies"]
        environ = {**os.environ, **(env or {})}
        self.process = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=environ)
        self.workers = self._wait_for_workers()

    def _wait_for_workers(self) -> list[int]:
        """Return the two workers' ids once each answers /readyz."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            found = _workers(self.process.pid)
            if len(found) == 2 and all(self.ready(pid) for pid in found):
                return found
            time.sleep(0.3)
        raise AssertionError(f"the workers did not start: {self.stop()}")

    def ready(self, pid: int) -> bool:
        """Return whether a worker answers /readyz (the other one stopped meanwhile)."""
        with self.only(pid):
            try:
                status, _, text = _call(self.port, "GET", "/readyz")
            except OSError:
                return False
        return status == 200 and json.loads(text)["pid"] == pid

    @contextmanager
    def only(self, pid: int) -> Iterator[None]:
        """Let one worker alone accept connections for the length of a ``with`` block (the others are stopped)."""
        others = [w for w in _workers(self.process.pid) if w != pid]
        self._stop_idle(others)
        try:
            yield
        finally:
            for other in others:
                os.kill(other, signal.SIGCONT)

    def _stop_idle(self, pids: list[int]) -> None:
        """Stop processes at a moment none of them holds the store (a stopped holder would keep its lock)."""
        for _ in range(100):
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
            try:
                open_store(self.db).close()
                return
            except StoreError:
                for pid in pids:
                    os.kill(pid, signal.SIGCONT)
                time.sleep(0.2)
        raise AssertionError("the workers keep the store locked")

    def stop(self) -> str:
        """Stop the server with SIGTERM and return what it wrote to stderr."""
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=60)
        return err.decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Served]]:
    """Return a two-worker server over a served store."""
    served = make_store(tmp_path_factory.mktemp("workers"))
    running = Server(served.db)
    yield running, served
    running.stop()


def _csrf(text: str) -> str:
    """Return the CSRF token of a page's first form."""
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found is not None
    return found.group(1)


def _sign_in(port: int, name: str) -> str:
    """Sign a user in and return the session cookie."""
    _, login_cookie, page = _call(port, "GET", "/login")
    form = {"csrf": _csrf(page), "name": name, "password": PASSWORD}
    status, session, text = _call(port, "POST", "/login", form, cookie=login_cookie)
    assert status == 303, text
    return session


def _decide(port: int, cookie: str, run_id: str, hit: str, reason: str) -> int:
    """Clear a hit from its case page and return the status of the post."""
    status, _, page = _call(port, "GET", f"/case/{run_id}/{hit}", cookie=cookie)
    assert status == 200, page
    form = {"csrf": _csrf(page), "action": "clear", "reason": reason}
    return _call(port, "POST", f"/case/{run_id}/{hit}/decide", form, cookie=cookie)[0]


def _hits(db: Path, run_id: str) -> list[str]:
    """Return the hit ids of a run."""
    with StoreAccess(str(db)).open() as store:  # waits while a worker holds the store
        return [str(h) for (h,) in store.con.execute("SELECT hit_id FROM hits WHERE run_id = ?", [run_id]).fetchall()]


def _decided(db: Path) -> set[tuple[str, str]]:
    """Return the (decision, reason) pairs of the store's decision history."""
    with StoreAccess(str(db)).open() as store:
        return set(history(store).select("decision", "reason").rows())


@LINUX
def test_both_workers_match(server: tuple[Server, Served]) -> None:
    """Each worker answers /match from its own index, with the same answer."""
    running, served = server
    body = json.dumps({"queries": {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}})
    answers = []
    for pid in running.workers:
        with running.only(pid):
            conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
            conn.request("POST", "/match/default", body=body, headers={"authorization": f"ApiKey {served.key}"})
            answer = conn.getresponse()
            answers.append((answer.status, json.loads(answer.read())["responses"]["q"]["results"][0]["id"]))
    assert answers == [(200, "testlist:1")] * 2


@LINUX
def test_a_login_on_one_worker_decides_on_the_other(server: tuple[Server, Served]) -> None:
    """A session and its CSRF token made by one worker are accepted by the other, and the decision is stored."""
    running, served = server
    first, second = running.workers
    with running.only(first):
        cookie = _sign_in(running.port, "ana")
    hit = _hits(served.db, served.run_id)[0]
    with running.only(second):
        assert _decide(running.port, cookie, served.run_id, hit, "cleared on the second worker") == 303
    assert ("cleared", "cleared on the second worker") in _decided(served.db)


@LINUX
def test_concurrent_decisions_on_both_workers_are_all_stored(server: tuple[Server, Served]) -> None:
    """Decisions posted at once to both workers all land (each waits its turn for the store's lock)."""
    running, served = server
    cookie = _sign_in(running.port, "rev")
    hits = _hits(served.db, served.run_id)
    reasons = [f"concurrent {i}" for i in range(len(hits))]
    with ThreadPoolExecutor(len(reasons)) as pool:
        done = pool.map(
            lambda i: _decide(running.port, cookie, served.run_id, hits[i % len(hits)], reasons[i]), range(len(reasons))
        )
        assert set(done) == {303}
    assert {("cleared", reason) for reason in reasons} <= _decided(served.db)


@LINUX
def test_a_scan_runs_while_the_workers_serve(server: tuple[Server, Served]) -> None:
    """A batch scan writes the store while both workers run; the workers then serve its run."""
    running, served = server
    time.sleep(2 * POLL_SECONDS + 1)  # the workers' pollers have read the last decisions and leave the file alone
    result = scan([served.parties], store=served.db)
    run_id = result.run_id
    result.store.close()
    cookie = _sign_in(running.port, "ana")
    for pid in running.workers:
        with running.only(pid):
            assert run_id in _call(running.port, "GET", "/runs", cookie=cookie)[2]


def _served_by(running: Server, pid: int, key: str) -> tuple[list[str], int]:
    """Return the list sources one worker serves and the status of its answer to a /match with ``key``."""
    body = json.dumps({"queries": {"q": {"schema": "Company", "properties": {"name": ["New Listed Co"]}}}})
    with running.only(pid):
        _, _, text = _call(running.port, "GET", "/readyz")
        conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=60)
        conn.request("POST", "/match/default", body=body, headers={"authorization": f"ApiKey {key}"})
        status = conn.getresponse().status
    return [v["source"] for v in json.loads(text)["lists"]], status


@LINUX
def test_each_worker_follows_a_list_import_and_a_new_key(server: tuple[Server, Served], tmp_path: Path) -> None:
    """A list imported and a key added while the server runs reach every worker's own index and key set."""
    running, served = server
    extra = tmp_path / "more.csv"
    extra.write_text("entity_id,name,schema\n9,NEW LISTED CO,Organization\n", encoding="utf-8")
    with StoreAccess(str(served.db)).open() as store:
        import_list(store, extra, options=ImportOptions(version="2026-02-01", source="second"))
        key = add_key(store, "later")
    for pid in running.workers:
        deadline, seen = time.monotonic() + 60, _served_by(running, pid, key)
        while time.monotonic() < deadline and seen != (["second", "testlist"], 200):
            time.sleep(0.5)
            seen = _served_by(running, pid, key)
        assert seen == (["second", "testlist"], 200)


@LINUX
def test_a_dead_worker_is_replaced_and_sigterm_stops_all(tmp_path: Path) -> None:
    """A killed worker is reported and replaced; SIGTERM stops the server and every worker."""
    running = Server(make_store(tmp_path).db)
    first, second = running.workers
    os.kill(first, signal.SIGKILL)
    deadline, workers = time.monotonic() + 120, [first]
    while time.monotonic() < deadline and (len(workers) < 2 or first in workers):
        time.sleep(0.3)
        workers = _workers(running.process.pid)
    assert second in workers and first not in workers and len(workers) == 2
    err = running.stop()
    assert f"Child process [{first}] died" in err and running.process.returncode == 0
    assert not any(map(_alive, workers))


@LINUX
def test_workers_stop_when_their_supervisor_is_killed(tmp_path: Path) -> None:
    """Workers whose supervisor was killed outright stop themselves within seconds, and remove its table's folder."""
    running = Server(make_store(tmp_path).db)
    table = _table(running.workers[0])
    assert table.is_file()
    running.process.kill()
    running.process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(map(_alive, running.workers)):
        time.sleep(0.3)
    assert not any(map(_alive, running.workers)) and not table.parent.exists()


def _table(worker: int) -> Path:
    """Return the workers' table a worker was given (Linux: read from its environment)."""
    environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
    return Path(next(v for k, _, v in (e.partition(b"=") for e in environ) if k == TABLE_VARIABLE.encode()).decode())


def _held(table: Path) -> list[int]:
    """Return the connections each worker in a table holds."""
    raw = table.read_bytes()
    return [_SLOT.unpack_from(raw, start)[1] for start in range(0, len(raw), SLOT_BYTES)]


def _listed(table: Path) -> set[int]:
    """Return the process ids of the workers a table lists as listening."""
    raw = table.read_bytes()
    return {_SLOT.unpack_from(raw, start)[0] for start in range(0, len(raw), SLOT_BYTES)} - {0}


@LINUX
def test_workers_restarted_by_sighup_keep_balancing(tmp_path: Path) -> None:
    """Workers uvicorn restarts on SIGHUP (each replacement started before the worker it replaces stops) take slots."""
    running = Server(make_store(tmp_path).db)
    try:
        table = _table(running.workers[0])
        deadline = time.monotonic() + 60
        while _listed(table) != set(running.workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _listed(table) == set(running.workers)
        running.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            now = _workers(running.process.pid)
            if len(now) == 2 and not set(now) & set(running.workers) and _listed(table) == set(now):
                break
            time.sleep(0.1)
        assert _listed(table) == set(now) and not set(now) & set(running.workers), (_listed(table), now)
    finally:
        running.stop()


def _pids(port: int, count: int) -> list[int]:
    """Open ``count`` keep-alive connections at once, then return the worker answering /readyz on each."""
    opened = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(count)]
    for conn in opened:
        conn.connect()  # all wait in the socket's queue before a worker accepts any: the burst a worker took whole
    pids = []
    for conn in opened:
        conn.request("GET", "/readyz")
        pids.append(json.loads(conn.getresponse().read())["pid"])
    for conn in opened:
        conn.close()
    return pids


@LINUX
def test_keep_alive_connections_split_evenly(tmp_path: Path) -> None:
    """Keep-alive connections opened at once fall to the two workers evenly, a burst as well as one by one."""
    # a worker over its share waits a minute, not 20 ms, for its peer to take a connection, and a peer silent ten
    # minutes, not 2 s, is still counted: on a loaded machine a peer woken or scheduled late is still waited for,
    # and each round starts once the table shows the last round's connections closed, so the split is exact
    env = {TURN_VARIABLE: "60000", STALE_VARIABLE: "600000"}
    running = Server(make_store(tmp_path).db, env=env)
    try:
        table = _table(running.workers[0])
        for count in (1, 2, 7, 8, 32):
            deadline = time.monotonic() + 60
            while any(_held(table)) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not any(_held(table))
            pids = _pids(running.port, count)
            per_worker = [pids.count(pid) for pid in running.workers]
            assert sum(per_worker) == count and max(per_worker) - min(per_worker) <= 1, (count, per_worker)
    finally:
        running.stop()


FAILING_APP = "screening.serve.workers:no_such_factory"
FAILING = f"""import sys
if __name__ == "__main__":
    import screening.serve.workers as workers
    workers.FACTORY = "{FAILING_APP}"  # every worker fails to load the application
    from screening.cli import main
    sys.exit(main(["--db", sys.argv[1], "serve", "--workers", "2", "--port", sys.argv[2], "--polars-threads", "0"]))
"""


def test_a_worker_that_cannot_start_stops_the_server(tmp_path: Path) -> None:
    """When a worker fails before serving, the server stops with exit 2 and a line saying so."""
    script = tmp_path / "failing.py"
    script.write_text(FAILING, encoding="utf-8")
    command = [sys.executable, str(script), str(tmp_path / "s.duckdb"), str(_free_port())]
    done = subprocess.run(command, check=False, capture_output=True, timeout=300)
    last = done.stderr.decode().strip().splitlines()[-1]
    expected = f"screening: error: {FAILING_APP}: a worker failed to start (see above); the server stopped"
    assert (done.returncode, last) == (2, expected)
