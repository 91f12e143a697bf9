"""The HTML report in a real headless browser (Debian's ``chromium``): charts paint, the pager fills page one.

Skipped when ``chromium`` is not on PATH (``.ci/run`` installs it). The report is rendered from a real scan
(the demo ledger with the planted network cases, see ``test_html.py``), so every chart has data.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Final, cast

import pytest
from PIL import Image

from screening.report.charts import PALETTE
from screening.report.html import PAGE_SIZE, render_html

CHROMIUM: Final = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS: Final = ("--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--disable-extensions")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def _helpers() -> object:
    """Return the sibling test module that builds a realistic scan."""
    spec = importlib.util.spec_from_file_location("html_cases", Path(__file__).with_name("test_html.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def browse(page: Path, *args: str) -> str:
    """Run chromium headless on a local file and return what it prints on stdout."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, *args, page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a rendered report of a realistic scan."""
    directory = tmp_path_factory.mktemp("browser")
    result = _helpers().scanned(directory)  # type: ignore[attr-defined]
    path = render_html(result, directory / "report.html", top=5)
    result.store.close()
    return path


def _hex(color: str) -> tuple[int, int, int]:
    """Return an #rrggbb colour as a tuple."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@pytest.mark.parametrize(("color", "least"), [(PALETTE[0], 2_000), (PALETTE[2], 500), ("#f8d0d0", 200)])
def test_screenshot_shows_the_charts(page: Path, color: str, least: int) -> None:
    shot = page.with_name(f"shot-{color[1:]}.png")
    browse(page, f"--screenshot={shot}", "--window-size=1280,4000")
    image = Image.open(shot).convert("RGB")
    counts: dict[tuple[int, ...], int] = {tuple(cast(Any, rgb)): n for n, rgb in image.getcolors(1 << 24) or []}
    assert len(counts) > 50  # not a blank page
    target = _hex(color)
    near = sum(n for rgb, n in counts.items() if max(abs(a - b) for a, b in zip(rgb, target, strict=True)) <= 12)
    assert near >= least  # chart colours that nothing else on the page uses


def test_pager_renders_the_first_page(page: Path) -> None:
    dom = browse(page, "--dump-dom", "--virtual-time-budget=5000")
    body = dom[dom.index('id="hits-table"') :].split("</table>")[0]
    assert body.count("<tr>") == PAGE_SIZE + 1  # the header row and one page of hits
    assert re.search(r'id="hits-status"[^>]*>page 1 of \d+ · [\d,]+ hits<', dom)
    assert 'class="sev sev-critical"' in body
