"""The HTML report: sections, escaping of untrusted names, the paginated hits payload, empty runs, size at 100k hits.

Results come from the real engine: ``screening.scan`` over the demo ledger (with its bad rows), the planted
network cases (customs statistics, ownership file) and a few hand-written rows. The bundled rules have no
corridor (ROUTE-*) rule yet, so corridor hits are made by the real surge analysis
(:func:`screening.trade.baseline.surge`) over the run's stored records and added as ``ROUTE-001`` hits.
"""

from __future__ import annotations

import csv
import json
import re
import time
from html import unescape
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from screening import scan
from screening.demo import write_demo_ledger
from screening.kinds.base import ScanContext, run_records
from screening.lists.sample import import_sample
from screening.pipeline import ScanResult
from screening.report import html as html_report
from screening.report.html import NO_RECORDS, render_html
from screening.report.html_data import LIST_COLUMNS, table_rows
from screening.schema import HIT_COLUMNS, RECORD_TABLES
from screening.store import open_store
from screening.synth import plant_cases, write_planted
from screening.trade.baseline import surge
from screening.trade.corridors import legs_from_flows, legs_from_transactions

HOSTILE = [
    "<script>alert(1)</script> OOO",
    "</script><img src=x onerror=alert(1)> LLC",
    "Ромашка <!-- & \"quoted\" 'single' $x$ LLC",
]


def with_route_hits(result: ScanResult) -> ScanResult:
    """Return the result with corridor surges of its stored records added to its store as ROUTE-001 hits."""
    ctx = ScanContext(record_kind="transactions", store=result.store, run_id=result.run_id)
    legs = pl.concat(
        [
            legs_from_flows(run_records(ctx, "flows").lazy()),
            legs_from_transactions(run_records(ctx, "transactions").lazy()),
        ]
    )
    found = surge(legs).with_columns(rule_id=pl.lit("ROUTE-001"), severity=pl.lit("high"), run_id=pl.lit(result.run_id))
    route = found.select(
        [(pl.col(c) if c in found.columns else pl.lit(None)).cast(t).alias(c) for c, t in HIT_COLUMNS.items()]
    )
    result.store.append("hits", route)
    return result


def scanned(directory: Path) -> ScanResult:
    """Return a scan of the demo ledger and the planted cases, with corridor hits, in an in-memory store."""
    ledger, _ = write_demo_ledger(directory, 1500, 7)
    planted = write_planted(plant_cases(7), directory)
    inputs = [ledger, planted["transactions"], planted["flows"], planted["ownership"]]
    return with_route_hits(scan(inputs, store=open_store(":memory:")))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write transaction rows as a CSV file."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def shipment(n: int, consignee: str, hs_code: str, destination: str) -> dict[str, str]:
    """Return one transaction row."""
    return {
        "record_id": f"T{n}", "date": "2023-05-02", "hs_code": hs_code, "description": "goods",
        "shipper": "Acme GmbH", "shipper_country": "DE", "consignee": consignee, "consignee_country": destination,
        "origin_country": "DE", "destination_country": destination, "value": "1000", "currency": "USD",
    }  # fmt: skip


def hits_table(page: str) -> pl.DataFrame:
    """Return the hits payload embedded in a page, decoded the way the page's script decodes it."""
    raw = re.search(r'<script type="application/json" id="hits-data">(.*?)</script>', page, re.S)
    assert raw is not None
    payload: dict[str, Any] = json.loads(raw.group(1))
    columns = {
        name: col if isinstance(col, list) else [None if i is None else col["values"][i] for i in col["codes"]]
        for name, col in payload["columns"].items()
    }
    frame = pl.DataFrame(columns, strict=False)
    assert frame.height == payload["rows"]
    return frame


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, str]:
    """Return a realistic scan with its rendered report."""
    directory = tmp_path_factory.mktemp("html")
    result = scanned(directory)
    page = render_html(result, directory / "report.html").read_text(encoding="utf-8")
    return result, page  # the store stays open: the result reads its hits from it


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ('id="run-id"', "run-"),
        ('id="inputs"', "ledger.csv"),
        ('id="counts"', "rows read"),
        ('id="by-rule"', "GOODS-001"),
        ('id="parties"', "Vostok Kompozit LLC"),
        ('id="records"', "strongest reason"),
        ('id="chart-scores"', "<svg"),
        ('id="chart-goods"', "<svg"),
        ('id="chart-corridors"', "<svg"),
        ('id="chart-ownership"', "<svg"),
        ('id="hits-table"', "<tbody></tbody>"),
        ('id="quarantine"', "TXBAD"),
    ],
)
def test_sections_present(report: tuple[ScanResult, str], anchor: str, expected: str) -> None:
    _, page = report
    assert anchor in page
    section = page[page.index(anchor) : page.index(anchor) + 400_000]
    assert expected in section.split("</section>")[0]


@pytest.mark.parametrize(
    "fact",
    [
        lambda r: r.run_id,
        lambda r: r.rules.fingerprint,
        lambda r: r.files[0].sha256,
        lambda r: f"{r.rows_read:,}",
        lambda r: f"{r.quarantined:,}",
    ],
)
def test_header_names_the_run(report: tuple[ScanResult, str], fact: Any) -> None:
    result, page = report
    assert str(fact(result)) in page


@pytest.mark.parametrize(
    "node", ["Sever Promtekh TOO", "Vostok Kompozit LLC", "OBORONLOGISTIKA, OOO", "Altai Mikro LLC"]
)
def test_ownership_graph_draws_the_chain(report: tuple[ScanResult, str], node: str) -> None:
    _, page = report
    chart = page[page.index('id="chart-ownership"') :].split("</figure>")[0]
    assert node in unescape(chart)
    assert "#f8d0d0" in chart and "#e8e8e8" in chart  # blocked parties and their owners drawn apart


def test_corridor_chart_shows_series_and_baseline(report: tuple[ScanResult, str]) -> None:
    _, page = report
    chart = page[page.index('id="chart-corridors"') :].split("</figure>")[0]
    assert "monthly value" in chart
    assert "2019–2021 mean" in chart
    assert re.search(r"[A-Z]{2}&gt;[A-Z]{2} \d+", chart)  # panel titles name the corridor, escaped


def test_pagination_payload_holds_every_hit_in_order(report: tuple[ScanResult, str]) -> None:
    result, page = report
    table = hits_table(page)
    assert table.height == result.hits.height
    assert sorted(table["record_id"].to_list()) == sorted(result.hits["record_id"].to_list())
    ranks = table["severity"].replace_strict({"low": 0, "medium": 1, "high": 2, "critical": 3}).to_list()
    assert ranks == sorted(ranks, reverse=True)
    assert "pageSize = 100" in page


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """Return the hits table of a report on a run screened against the sample lists imported into its store."""
    directory = tmp_path_factory.mktemp("listed")
    store = open_store(":memory:")
    import_sample(store)
    parties = ["Concern Almaz-Antey JSC", "UVZ", "KBP OAO"]
    rows = [shipment(n, party, "848210", "RU") for n, party in enumerate(parties)]
    result = scan([write_rows(directory / "tx.csv", rows)], store=store)
    return hits_table(render_html(result, directory / "report.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ("Concern Almaz-Antey JSC", ("us_ofac_sdn 2021-07", "UKRAINE-EO13661", "strong", "critical")),
        ("UVZ", ("us_ofac_sdn 2021-07", "UKRAINE-EO13661", "weak", "medium")),
        ("KBP OAO", ("us_ofac_sdn 2021-07", "UKRAINE-EO13661", "weak", "medium")),
    ],
)
def test_name_hits_show_list_programme_and_strength(
    listed: pl.DataFrame, party: str, expected: tuple[str, ...]
) -> None:
    row = listed.filter(pl.col("rule_id") == "NAME-001", pl.col("party") == party)
    assert row.select(*LIST_COLUMNS, "severity").rows() == [expected]


def test_other_hits_leave_list_cells_empty(listed: pl.DataFrame) -> None:
    other = listed.filter(pl.col("rule_id") != "NAME-001").select(LIST_COLUMNS)
    assert other.height > 0
    assert other.null_count().row(0) == (other.height,) * len(LIST_COLUMNS)


def test_name_hits_on_the_bundled_sample_show_their_list(report: tuple[ScanResult, str]) -> None:
    result, page = report
    names = hits_table(page).filter(pl.col("rule_id") == "NAME-001")
    assert names.height == result.hits.filter(pl.col("rule_id") == "NAME-001").height > 0
    assert names.select(LIST_COLUMNS).null_count().row(0) == (0, 0, 0)
    assert names["list"].str.contains(r"^us_ofac_(sdn|cons) \d{4}-\d{2}").all()


@pytest.mark.parametrize("name", HOSTILE)
def test_untrusted_names_are_escaped(tmp_path: Path, name: str) -> None:
    rows = [shipment(1, name, "8542.31.00", "RU"), shipment(2, "Plain Trading LLC", "848210", "KZ")]
    result = scan([write_rows(tmp_path / "tx.csv", rows)])
    assert name in result.hits["party"].to_list()
    page = render_html(result, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert page.count("<script") == 2  # the payload and the pager, nothing a name opened
    assert name in hits_table(page)["party"].to_list()  # the payload round-trips the name exactly
    parties = page[page.index('id="parties"') :].split("</section>")[0]
    assert name not in parties and unescape(parties).count(name) == 1


def test_empty_run_says_so(tmp_path: Path) -> None:
    rows = [shipment(1, "Plain Trading LLC", "691110", "FR")]
    result = scan([write_rows(tmp_path / "tx.csv", rows)])
    assert result.hits.height == 0
    page = render_html(result, tmp_path / "report.html").read_text(encoding="utf-8")
    for note in ("No party was flagged.", "No record was flagged.", "No hits.", "No row was quarantined."):
        assert note in page
    assert hits_table(page).height == 0
    assert "<svg" not in page


@pytest.fixture(scope="module")
def recordless(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the report of a run whose store holds its hits but not its records, as after a Spark run."""
    directory = tmp_path_factory.mktemp("recordless")
    result = scanned(directory)
    for table in RECORD_TABLES.values():
        result.store.con.execute(f"DELETE FROM {table} WHERE run_id = ?", [result.run_id])
    return render_html(result, directory / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("chart", ["goods", "ownership", "corridors"])
def test_store_without_records_charts_say_why(recordless: str, chart: str) -> None:
    page = recordless
    figure = page[page.index(f'id="chart-{chart}"') :].split("</figure>")[0]
    assert unescape(figure).count(NO_RECORDS) == 1
    assert ("<svg" in figure) == (chart == "corridors")  # corridor scores are still drawn as bars


def test_hundred_thousand_hits_stay_small_and_fast(tmp_path: Path, report: tuple[ScanResult, str]) -> None:
    result, _ = report
    n = 100_000
    many = result.hits.sample(n, with_replacement=True, seed=1).with_row_index("i")
    # worst case for the payload: every record id and detail distinct
    many = many.with_columns(
        pl.format("{}-{}", "record_id", "i").alias("record_id"), pl.format("{} #{}", "detail", "i").alias("detail")
    ).drop("i")
    store = open_store(":memory:")
    store.append("hits", many.with_columns(run_id=pl.lit("run-big")))
    big = ScanResult(run_id="run-big", rules=result.rules, store=store, files=result.files)
    clock = time.perf_counter()
    path = render_html(big, tmp_path / "big.html")
    seconds = time.perf_counter() - clock
    size = path.stat().st_size
    print(f"100k hits: {size / 1e6:.1f} MB in {seconds:.1f} s")
    assert hits_table(path.read_text(encoding="utf-8")).height == n
    assert size < 30_000_000
    assert seconds < 60


def test_table_keeps_the_most_severe_hits_and_says_how_many_more(
    tmp_path: Path, report: tuple[ScanResult, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = report
    monkeypatch.setattr(html_report, "TABLE_HITS", 3)
    page = render_html(result, tmp_path / "capped.html").read_text(encoding="utf-8")
    table = hits_table(page)
    assert table.height == 3 < result.hits.height
    top = table_rows(result.reported, 3)
    assert table["record_id"].to_list() == top["record_id"].to_list()
    assert f"3 most severe, highest-scoring of {result.hits.height:,} hits" in unescape(page)


def test_notes_section(tmp_path: Path) -> None:
    rows = [shipment(1, "Vostok LLC", "848210", "KG"), shipment(2, "Vostok LLC", "848210", "KG")]
    rows[0]["origin_country"] = "<b>Atlantis</b>"
    rows[1]["date"] = "2023-13-45"
    result = scan([write_rows(tmp_path / "noted.csv", rows)], store=open_store(":memory:"))
    page = render_html(result, tmp_path / "report.html").read_text(encoding="utf-8")
    section = page[page.index('id="notes"') :].split("</section>")[0]
    assert "2 fields nulled, rows kept and screened" in section
    assert "noted.csv:2" in section and "&lt;b&gt;Atlantis&lt;/b&gt;" in section and "<b>Atlantis" not in section
    assert "noted.csv:3" in section and "2023-13-45" in section
    assert "fields noted" in page[page.index('id="counts"') :].split("</section>")[0]
