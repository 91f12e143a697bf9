"""Titles opening names are dropped alike by the batch and the one-query normal form."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import DEFAULT_THRESHOLD, match_names, normalize_names
from screening.names.single.forms import query_form

# raw name, its core once titles are dropped
CORES = [
    ("Ayatollah Ali Khamenei", "ALI KHAMENEI"),
    ("Hujjat al-Islam Ali Reza", "ALI REZA"),  # a title of three words
    ("Dr. Prof. Ana Lima", "ANA LIMA"),  # a run of titles
    ("Mr. John Smith", "JOHN SMITH"),
    ("Presidente Ana Lima", "ANA LIMA"),
    ("Präsident Karl Huber", "KARL HUBER"),
    ("آية الله علي خامنئي", "LY KHMNIY"),  # Arabic-script titles go before transliteration
    ("حجة الاسلام علي رضا", "LY RD"),
    ("الدكتور أيمن الظواهري", "YMN AL DHWHRY"),
    ("الرئيس بشار الأسد", "BSHR AL SD"),
    ("SMITH, John Mr", "SMITH JOHN MR"),  # a title inside or closing a name stays
    ("Sheikh Ahmed Yassin", "SHEIKH AHMED YASSIN"),  # lists write Sheikh, Haji, Sayyid, Mullah in names
    ("الشيخ أحمد ياسين", "AL SHYKH HMD YSYN"),
    ("Haji Fiazullah", "HAJI FIAZULLAH"),
    ("AL-SHEIKH, Abdulaziz", "AL SHEIKH ABDULAZIZ"),
    ("President", "PRESIDENT"),  # a name of titles alone keeps them
    ("الرئيس", "AL RIYS"),
    ("عمر حسن", "MR HSN"),  # an Arabic name's folded spelling can be a Latin title (عمر: OMAR)
]


@pytest.mark.parametrize(("raw", "core"), CORES)
def test_titles_leave_the_core(raw: str, core: str) -> None:
    batch = normalize_names(pl.Series([raw]))["core"].to_list()
    plain = query_form(raw)
    assert plain is not None
    assert (batch, plain["core"]) == ([core], core)


# query, listed name, whether they match at the default threshold
MATCHES = [
    ("آية الله علي خامنئي", "KHAMENEI, Ali", True),
    ("Ayatollah Ali Khamenei", "KHAMENEI, Ali", True),
    ("Mr. Viktor Bout", "BOUT, Viktor Anatolyevich", True),
    ("President Bout", "BOUT, Viktor Anatolyevich", False),  # a surname alone is not the person
    ("عمر حسن", "Omar HASSAN", True),
]


@pytest.mark.parametrize(("query", "listed", "matched"), MATCHES)
def test_match(query: str, listed: str, matched: bool) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed]})
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), watch, threshold=DEFAULT_THRESHOLD)
    assert (hits.height == 1) == matched, hits["detail"].to_list()
