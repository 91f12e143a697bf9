"""`screening match`: list files (several), the store's imported lists (all or some), Excel queries."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from screening.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
OFAC = str(FIXTURES / "ofac_sdn_2021-07")
GENERIC = str(FIXTURES / "generic_watchlist.csv")


def _queries(tmp_path: Path, suffix: str) -> str:
    rows = [("1", "Banco Nacional de Cuba"), ("2", "OOO Romashka"), ("3", "Harmless Trading Ltd")]
    path = tmp_path / f"queries{suffix}"
    if suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Customers, December"])  # a title row above the header
        sheet.append(["id", "name"])
        for row in rows:
            sheet.append([int(row[0]), row[1]])
        book.save(path)
    else:
        pl.DataFrame(rows, schema=["id", "name"], orient="row").write_csv(path)
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Return a store holding the OFAC fixture and the generic list."""
    path = str(tmp_path / "s.duckdb")
    assert main(["--db", path, "lists", "import", OFAC, GENERIC]) == 0
    return path


@pytest.mark.parametrize(
    ("suffix", "options", "expected"),
    [
        (".csv", ["--watchlist", OFAC], {"1": "us_ofac_sdn:306"}),
        (".csv", ["--watchlist", OFAC, "--watchlist", GENERIC], {"1": "us_ofac_sdn:306", "2": "generic:romashka-1"}),
        (".xlsx", ["--watchlist", GENERIC], {"2": "generic:romashka-1"}),
        (".xlsx", ["STORE"], {"1": "us_ofac_sdn:306", "2": "generic:romashka-1"}),
        (".csv", ["STORE", "--source", "generic"], {"2": "generic:romashka-1"}),
        (
            ".csv",
            ["--watchlist", OFAC, "--watchlist", GENERIC, "--scorer", "model"],
            {"1": "us_ofac_sdn:306", "2": "generic:romashka-1"},
        ),
    ],
)
def test_match_sources(tmp_path: Path, db: str, suffix: str, options: list[str], expected: dict[str, str]) -> None:
    out = tmp_path / "out.csv"
    store = ["--db", db] if "STORE" in options else []
    argv = [*store, "match", _queries(tmp_path, suffix), *[o for o in options if o != "STORE"], "--out", str(out)]
    assert main(argv) == 0
    hits = pl.read_csv(out, infer_schema=False)
    assert dict(hits.select("query_id", "entity_id").rows()) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--watchlist", "LIST.txt"], "cannot tell the list format; pass --list-format"),
        (["--db", "STORE", "--source", "nope"], "--source: nope not imported; imported sources: generic, us_ofac_sdn"),
        (["--db", "NOSTORE"], "no store here; pass --watchlist LIST"),
        (["--watchlist", "LIST.txt", "--list-format", "pdf"], "--list-format: 'pdf' is not one of"),
    ],
)
def test_match_errors_name_real_options(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    (tmp_path / "LIST.txt").write_text("something\n", encoding="utf-8")
    swap = {"LIST.txt": str(tmp_path / "LIST.txt"), "STORE": db, "NOSTORE": str(tmp_path / "none.duckdb")}
    opts = [swap.get(o, o) for o in options]
    db_opts, rest = (opts[:2], opts[2:]) if opts[0] == "--db" else ([], opts)
    argv = [*db_opts, "match", _queries(tmp_path, ".csv"), *rest, "--out", str(tmp_path / "o.csv")]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
