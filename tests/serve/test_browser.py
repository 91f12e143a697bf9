"""The workbench in a real browser (Playwright driving the system ``chromium``) against a live server.

An analyst signs in, opens the queue, filters it, opens a case, clears it with a reason, sees it gone
from the queue and present in the decision history; a later scan of the same file keeps it cleared.
Skipped when ``chromium`` (``.ci/run`` installs it) or the ``playwright`` package is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Final

import pytest

from screening.pipeline import scan
from screening.serve.app import ServeConfig, create_app
from tests.serve.conftest import PASSWORD, Served

CHROMIUM: Final = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extra)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (serve extra)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def _free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def base_url(served: Served) -> Iterator[str]:
    """Run the server on loopback in a thread and return its address."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(served.db))), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start in 60 s"
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_clear_a_case_in_the_browser(served: Served, base_url: str) -> None:
    """Sign in, filter, open a case, clear it, and find it cleared in the queue, history and a later scan."""
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(f"{base_url}/login")
        page.fill("input[name=name]", "ana")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base_url}/queue")
        page.fill("input[name=min_score]", "0.99")
        page.click("#filters button[type=submit]")
        page.wait_for_url("**min_score=0.99**")
        assert "Rosoboronexprot" not in page.content()  # its 0.96 is filtered out
        case = page.locator("section.case").filter(has_text="Rosoboronexport")
        assert case.count() == 1
        hit = case.locator("tr.hit").first.get_attribute("data-hit")
        case.locator("tr.hit a").first.click()
        page.wait_for_url(f"**/case/**/{hit}?**")
        page.fill("textarea[name=reason]", "state-owned exporter's namesake; registry number differs")
        page.click("button[value=clear]")
        page.wait_for_url("**/queue?**")
        assert page.locator(f"tr[data-hit='{hit}']").count() == 0
        page.goto(f"{base_url}/history")
        assert "registry number differs" in page.locator("#history").inner_text()
        assert "ana" in page.locator("#history").inner_text()
        result = scan([served.parties], store=served.db)  # the pipeline API, while the server runs
        result.store.close()
        page.goto(f"{base_url}/queue?state=any")
        row = page.locator(f"tr[data-hit='{hit}'] td.state")
        assert row.count() == 1 and row.inner_text() == "cleared"
        assert result.run_id in page.locator("h1").inner_text()
        browser.close()
