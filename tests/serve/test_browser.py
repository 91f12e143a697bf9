"""The workbench in a real browser (Playwright driving the system ``chromium``) against a live server.

An analyst signs in, opens the queue, filters it, opens a case, clears it with a reason, sees it gone
from the queue and present in the decision history; a later scan of the same file keeps it cleared.
Then, on the planted cases, a corridor case's chart loads under the page's policy and an ownership
case shows its chain. Skipped when ``chromium`` (``.ci/run`` installs it) or the ``playwright``
package is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import pytest

from screening.pipeline import scan
from screening.serve.app import ServeConfig, create_app
from tests.serve.conftest import PASSWORD, Planted, Served

CHROMIUM: Final = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extra)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (serve extra)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def _free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(db: Path) -> Iterator[str]:
    """Run the server of a store on loopback in a thread and return its address."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(db))), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start in 60 s"
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def base_url(served: Served) -> Iterator[str]:
    """Run the served store's server and return its address."""
    with _serving(served.db) as url:
        yield url


def _sign_in(page: Any, base_url: str) -> None:
    """Sign the analyst in through the login form."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/queue")


def _case_evidence(page: Any, planted: Planted) -> None:
    """Open a corridor case and an ownership case of the planted run: the chart loads, the chain shows."""
    with _serving(planted.db) as url:
        _sign_in(page, url)
        page.goto(f"{url}/queue?run={planted.run_id}&rule=ROUTE-001&state=any")
        page.locator("tr.hit a").first.click()
        chart = page.locator("#corridor-chart img")
        chart.wait_for()
        # an image the page's policy or a broken SVG refused has no natural width
        assert page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
        page.goto(f"{url}/queue?run={planted.run_id}&rule=OWN-001&state=any")
        page.locator("section.case").filter(has_text="Sever Promtekh TOO").locator("tr.hit a").first.click()
        chain = page.locator("#ownership-chain").inner_text()
        assert "OBORONLOGISTIKA, OOO (listed: us_ofac_sdn" in chain and "—80 %→" in chain


def test_clear_a_case_in_the_browser(served: Served, base_url: str, planted: Planted) -> None:
    """Sign in, filter, clear a case, find it cleared in queue, history and a later scan; see a chart and a chain."""
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        _sign_in(page, base_url)
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
        _case_evidence(page, planted)
        browser.close()
