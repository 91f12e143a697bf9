"""Review decisions through their life cycle, run diffs, explain and the audit trail, on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from screening.cli import main
from screening.errors import ConfigError, StoreError
from screening.pipeline import scan
from screening.report.diff import diff_runs
from screening.report.explain import evidence
from screening.review import decide
from screening.store import Store, open_store

PARTIES = [
    {"id": "P1", "name": "Aquanika OOO", "country": "RU", "address": "Moscow, Tverskaya 1"},
    {"id": "P2", "name": "Concern Almaz-Antey JSC", "country": "RU", "address": "Moscow, Vereiskaya 41"},
    {"id": "P3", "name": "Porcelain Plates GmbH", "country": "DE", "address": "Berlin"},
]


def _write(folder: Path, rows: list[dict[str, str]], name: str = "parties.csv") -> Path:
    path = folder / name
    pl.DataFrame(rows).write_csv(path)
    return path


def _name_hit(store: Store, run_id: str, record_id: str) -> dict[str, object]:
    hits = store.frame(
        "SELECT * FROM hits WHERE run_id = ? AND rule_id = 'NAME-001' AND record_id = ?", [run_id, record_id]
    )
    assert hits.height == 1
    return hits.row(0, named=True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = open_store(tmp_path / "s.duckdb")
    yield db
    db.close()


def test_cleared_hit_is_suppressed_until_the_party_changes(tmp_path: Path, store: Store) -> None:
    path = _write(tmp_path, PARTIES)
    first = scan([path], store=store)
    assert set(first.hits.filter(pl.col("rule_id") == "NAME-001")["record_id"]) == {"P1", "P2"}
    hit = _name_hit(store, first.run_id, "P1")
    decide(
        store, first.run_id, str(hit["hit_id"]), decision="cleared", reason="other company, INN differs", analyst="anna"
    )
    decide(
        store,
        first.run_id,
        str(_name_hit(store, first.run_id, "P2")["hit_id"]),
        decision="confirmed",
        reason="same INN",
        analyst="anna",
    )

    second = scan([path], store=store)  # the same data: the cleared hit stays away, the confirmed one is marked
    assert "P1" not in set(second.hits["record_id"])
    assert second.suppressed.select("record_id", "review").rows() == [("P1", "cleared")]
    assert second.hits.filter(pl.col("record_id") == "P2")["review"].to_list() == ["confirmed"]
    assert _name_hit(store, second.run_id, "P1")["hit_id"] == hit["hit_id"]  # same hit, same id
    stored = [_name_hit(store, second.run_id, p)["review"] for p in ("P1", "P2")]
    assert stored == ["cleared", "confirmed"]  # the store's hits carry the review too
    assert _name_hit(store, first.run_id, "P1")["review"] is None  # an earlier run's hits keep theirs

    moved = [{**PARTIES[0], "address": "Bishkek, Chui Ave 125"}, *PARTIES[1:]]
    third = scan([_write(tmp_path, moved, "parties_v2.csv")], store=store)  # the party's data changed
    reopened = third.hits.filter(pl.col("record_id") == "P1")
    assert reopened["review"].to_list() == ["reopened"]
    assert third.suppressed.height == 0


def test_diff_reports_new_gone_and_changed_hits(tmp_path: Path, store: Store) -> None:
    before = scan([_write(tmp_path, PARTIES)], store=store)
    cleared = _name_hit(store, before.run_id, "P1")
    decide(store, before.run_id, str(cleared["hit_id"]), decision="cleared", reason="other firm", analyst="anna")
    after_rows = [*PARTIES[:1], {**PARTIES[2], "id": "P4", "name": "Hangzhou Hikvision Digital Technology Co Ltd"}]
    after = scan([_write(tmp_path, after_rows, "parties_v2.csv")], store=store)
    changes = diff_runs(store, before.run_id, after.run_id)
    by_change = {c: set(changes.filter(pl.col("change") == c)["record_id"]) for c in ("new", "gone", "changed")}
    assert by_change == {"new": {"P4"}, "gone": {"P2"}, "changed": {"P1"}}  # P1's hit is the same but now cleared
    row = changes.filter(pl.col("change") == "changed").row(0, named=True)
    assert (row["hit_id"], row["review"], row["score"]) == (cleared["hit_id"], "cleared", row["score_before"])
    assert diff_runs(store, after.run_id, after.run_id).height == 0  # unchanged hits are not listed


def test_explain_gives_the_list_entry_and_the_names_side_by_side(tmp_path: Path, store: Store) -> None:
    run = scan([_write(tmp_path, PARTIES)], store=store)
    hit = _name_hit(store, run.run_id, "P2")
    doc = evidence(store, run.run_id, str(hit["hit_id"]))
    assert doc["record"]["name"] == "Concern Almaz-Antey JSC"
    assert doc["list_entry"] is not None and doc["list_entry"]["entity_id"] == hit["entity_id"]
    assert any("ALMAZ" in str(n).upper() for n in doc["list_entry"]["names"])
    assert [n["role"] for n in doc["names"]][:2] == ["party", "listed"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: decide(s, "run-nope", "abc", decision="cleared", reason="x", analyst="y"), "has no hit abc"),
        (lambda s: decide(s, "run-nope", "abc", decision="cleared", reason=" ", analyst="y"), "needs a reason"),
        (lambda s: diff_runs(s, "run-nope", "run-other"), "no run run-nope"),
    ],
)
def test_bad_review_requests_are_refused_clearly(store: Store, call: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        call(store)  # type: ignore[operator]


def test_a_recorded_run_is_never_overwritten(tmp_path: Path, store: Store) -> None:
    run = scan([_write(tmp_path, PARTIES)], store=store)
    again = scan([_write(tmp_path, PARTIES)], store=store)
    assert again.run_id == f"{run.run_id}-2"  # same inputs and rules: a new run id, the old run stays
    record = store.frame("SELECT * FROM runs WHERE run_id = ?", [run.run_id])
    with pytest.raises(StoreError, match="refused to overwrite"):
        store.append("runs", record)
    params = json.loads(record["params"][0])
    assert params["rule_params"]["NAME-001"]["scorer"] == "hand"
    assert params["rule_params"]["NAME-001"]["threshold"] == {"model": pytest.approx(0.73), "hand": pytest.approx(0.88)}
    assert json.loads(record["inputs"][0])[0]["sha256"]


def test_review_commands_run_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    path = _write(tmp_path, PARTIES)
    assert main(["--db", db, "scan", str(path), "--quiet"]) == 0
    assert main(["--db", db, "runs", "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)[0]["run_id"]
    assert main(["--db", db, "runs", run_id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    hits = shown["hits"]
    assert len(hits) == shown["hits_total"] > 1
    assert main(["--db", db, "runs", run_id, "--json", "--limit", "1"]) == 0
    assert [h["hit_id"] for h in json.loads(capsys.readouterr().out)["hits"]] == [hits[0]["hit_id"]]
    hit_id = next(h["hit_id"] for h in hits if h["rule_id"] == "NAME-001" and h["record_id"] == "P1")
    assert main(["--db", db, "review", "clear", run_id, hit_id, "--reason", "other company", "--by", "anna"]) == 0
    assert main(["--db", db, "review", "history", hit_id]) == 0
    assert main(["--db", db, "explain", run_id, hit_id]) == 0
    out = capsys.readouterr().out
    assert "cleared" in out and "NAME-001" in out
    assert main(["--db", db, "diff", run_id, run_id]) == 0
    assert "0 new, 0 gone, 0 changed" in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "none.duckdb"), "runs"]) == 2


def test_a_recorded_run_reports_again_with_the_same_hits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    path = _write(tmp_path, PARTIES)
    assert main(["--db", db, "scan", str(path), "--quiet", "--out", str(tmp_path / "first"), "--format", "json"]) == 0
    run_id = json.loads((tmp_path / "first" / "summary.json").read_text(encoding="utf-8"))["run_id"]
    assert main(["--db", db, "report", run_id, "--format", "json", "--out", str(tmp_path / "again")]) == 0
    first, again = (json.loads((tmp_path / d / "hits.json").read_text(encoding="utf-8")) for d in ("first", "again"))
    key = lambda hit: (hit["hit_id"], hit["detail"], hit["score"])  # noqa: E731
    assert sorted(map(key, again)) == sorted(map(key, first))
    assert main(["--db", db, "report", run_id]) == 0
    assert run_id in capsys.readouterr().out
    assert main(["--db", db, "report", "run-missing"]) == 2


def test_explain_gives_a_corridor_hit_its_yearly_series(tmp_path: Path, store: Store) -> None:
    seeds = Path(__file__).parents[2] / "fixtures" / "trade" / "seeds_flows.csv"
    run = scan([seeds], store=store)
    hit = run.hits.filter(pl.col("record_id") == "CN>KG 8482 2023").row(0, named=True)
    doc = evidence(store, run.run_id, hit["hit_id"])
    assert doc["record"] is None  # a corridor is no record
    values = {row["year"]: row["value"] for row in doc["corridor"]}
    assert values[2023] / (sum(values[y] for y in (2019, 2020, 2021)) / 3) == pytest.approx(25.92, rel=0.01)
