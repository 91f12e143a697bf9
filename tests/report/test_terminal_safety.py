"""Every command shows data strings as they are: rich markup is not interpreted, escapes do not reach the terminal.

A party name, a date, a list file's name, a rule title, an analyst's name and a review reason each
carry a closing markup tag, a link tag, ANSI and OSC escape sequences and a bidirectional override.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from screening.cli import main
from screening.store import open_store

HOSTILE = "[/x] [link=http://e]x[/link] \x1b[2J \x1b]0;title\x07 \u202eevil"
RULES = Path(__file__).resolve().parents[2] / "rules"
INTERPRETED = ("\x1b[2J", "\x1b]0;", "\x1b]8;", "\x07", "\u202e")  # a cleared screen, a title, a link, a bell, bidi


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Scan a hostile ledger against a hostile list; return the store, run id and hit ids."""
    root = tmp_path_factory.mktemp("hostile")
    watchlist = root / "list[bold]x\x1b]0;t\x07.csv"
    pl.DataFrame({"entity_id": ["E1"], "name": [f"Rosoboronexport {HOSTILE}"]}).write_csv(watchlist)
    ledger = root / "tx.parquet"
    pl.DataFrame(
        {
            "record_id": ["T1", f"T2{HOSTILE}"],
            "date": ["2024-01-05", f"bad {HOSTILE}"],
            "hs_code": ["854231", "854231"],
            "shipper": [f"Rosoboronexport {HOSTILE}", "A"],
            "consignee": [f"Cons {HOSTILE}", "B"],
            "destination_country": ["RU", "RU"],
        }
    ).write_parquet(ledger)
    rules = root / "rules"
    shutil.copytree(RULES, rules)
    rule = rules / "DEST-001-russia-belarus-occupied.yaml"
    text = rule.read_text(encoding="utf-8").replace("\ntitle: Shipment", '\ntitle: "[/x] \\e[2J \\u202e Shipment')
    rule.write_text(text.replace("Ukraine\n", 'Ukraine"\n', 1))
    db = str(root / "s.duckdb")
    assert main(["--db", db, "lists", "import", str(watchlist), "--format", "generic_csv"]) == 0
    assert main(["--db", db, "scan", str(ledger), "--quiet"]) == 0
    store = open_store(db)
    run = str(store.scalar("SELECT run_id FROM runs"))
    hit = str(store.scalar("SELECT hit_id FROM hits WHERE rule_id = 'NAME-001'"))
    store.close()
    assert main(["--db", db, "review", "clear", run, hit, "--reason", HOSTILE, "--by", HOSTILE]) == 0
    return {"db": db, "run": run, "hit": hit, "ledger": str(ledger), "rules": str(rules)}


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["scan", "{ledger}"], "Cons [/x] [link=http://e]x[/link] \\x1b[2J \\x1b]0;title\\x07 \\u202eevil"),
        (["runs"], "complete"),
        (["runs", "{run}"], "[link=http://e]x[/link]"),
        (["report", "{run}"], "[link=http://e]x[/link]"),
        (["explain", "{run}", "{hit}"], "Rosoboronexport [/x] [link=http://e]x[/link] \\x1b[2J"),
        (["diff", "{run}", "{run}"], "0 new"),
        (["review", "history"], "[/x] [link=http://e]x[/link] \\x1b[2J \\x1b]0;title\\x07 \\u202eevil"),
        (["lists", "show"], "list[bold]x\\x1b]0;t\\x07.csv"),
        (["rules", "list", "--rules", "{rules}"], "[/x] \\x1b[2J \\u202e"),
        (["rules", "show", "DEST-001", "--rules", "{rules}"], 'title: "[/x] \\e[2J'),
    ],
)
def test_data_strings_are_shown_not_obeyed(
    command: list[str],
    shown: str,
    place: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.setenv("FORCE_COLOR", "1")  # as on a terminal: rich would write links and styles
    argv = ["--db", place["db"], *(part.format(**place) for part in command)]
    assert main(argv) in (0, 1)
    out = capsys.readouterr()
    for text in (out.out, out.err):
        assert not any(sequence in text for sequence in INTERPRETED), text
    assert shown in out.out
