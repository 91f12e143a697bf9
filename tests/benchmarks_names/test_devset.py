"""The committed development set holds together; a rebuild from the shared data writes the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "benchmarks" / "names" / "dev"
DATA = ROOT / ".." / "shared" / "data"
FILES = ("queries.csv", "watchlist.csv", "pairs.csv", "tasks.json")


def committed() -> tuple[pl.DataFrame, pl.DataFrame, dict[str, dict[str, object]]]:
    """Return the committed queries, list sides and tasks."""
    queries = pl.read_csv(DEV / "queries.csv", infer_schema=False)
    watch = pl.read_csv(DEV / "watchlist.csv", infer_schema=False)
    return queries, watch, json.loads((DEV / "tasks.json").read_text(encoding="utf-8"))["tasks"]


def test_every_expected_entity_is_on_its_task_list_side(bench_dev: ModuleType) -> None:
    queries, watch, tasks = committed()
    for column in ("expected_entity", "equivalent"):
        pairs = bench_dev.expected_pairs(queries, column)
        for task, spec in tasks.items():
            side = bench_dev.task_list(watch, spec)
            stray = pairs.filter(pl.col("task") == task).join(side, on="entity_id", how="anti")
            assert stray.is_empty(), (task, column, stray.head(3).rows())


def test_query_ids_are_unique() -> None:
    queries, _, _ = committed()
    assert queries.select("task", "query_id").is_duplicated().sum() == 0


def test_each_entity_lies_in_one_split() -> None:
    queries, _, _ = committed()
    single = queries.filter(~pl.col("expected_entity").str.contains(";"))
    assert single.group_by("expected_entity").agg(pl.col("split").n_unique()).filter(pl.col("split") > 1).is_empty()


def test_the_generated_perturbations_lie_in_the_fit_split_only() -> None:
    queries, _, _ = committed()
    perturbed = queries.filter(pl.col("task") == "perturbed_real")
    assert perturbed.height > 1000
    assert perturbed["split"].unique().to_list() == ["fit"]


@pytest.mark.parametrize(("split", "low", "high"), [("fit", 0.55, 0.65), ("eval", 0.35, 0.45)])
def test_split_shares(split: str, low: float, high: float) -> None:
    queries, _, _ = committed()
    entities = queries.select(key=pl.coalesce("expected_entity", "origin"), split="split").unique()
    share = entities.filter(pl.col("split") == split).height / entities.height
    assert low <= share <= high


@pytest.mark.parametrize(
    ("key", "split"),
    [("us_ofac_sdn:36", "fit"), ("un_sc:CDi.001", "fit"), ("valrep_negatives_us.csv:2", "eval")],
)
def test_split_is_stable(devset: ModuleType, key: str, split: str) -> None:
    assert devset.split_of(key) == split


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("José Álvarez", "LATIN"),
        ("Владимир Путин", "CYRILLIC"),
        ("金正恩", "HAN"),
        ("أحمد حسن", "ARABIC"),
        ("", "LATIN"),
    ],
)
def test_script_of(devset: ModuleType, name: str, script: str) -> None:
    assert devset.script_of(name) == script


@pytest.mark.skipif(
    not (DATA / "names_dev" / "putin_names.txt").exists(), reason="needs ../shared/data/names_dev/putin_names.txt"
)
def test_rebuild_writes_the_committed_files(devset: ModuleType, tmp_path: Path) -> None:
    devset.write(tmp_path, *devset.build(DATA))
    for name in FILES:
        built = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        kept = (DEV / name).read_text(encoding="utf-8").splitlines()
        pairs = enumerate(zip(built, kept, strict=False), start=1)
        differing = [f"line {n}: {a!r} != {b!r}" for n, (a, b) in pairs if a != b][:3]
        # the set keys names by the matcher's own key: a normalisation change is meant to be rebuilt and committed
        assert built == kept, f"{name}: {len(built)} lines built, {len(kept)} committed; rerun devset.py; {differing}"
        assert (tmp_path / name).read_bytes() == (DEV / name).read_bytes(), name


# (entity, name, birth dates): A's name asked against its list; who counts neither way
OTHERS = [
    ("A", "IVAN PETROV", "1960-05-01"),
    ("B", "Ivan Petrov", "1960-02-02"),  # the same name (the matcher's key) and birth year: not told apart
    ("C", "IVAN PETROV", "1990-01-01"),  # the same name thirty years apart: another person, a false alert
    ("D", "IVAN  PETROV.", None),  # the same name, no birth date
    ("E", "IVAN PETROVICH", "1960-05-01"),  # another name: a false alert
]


@pytest.mark.parametrize(
    ("entity", "equivalent", "birth_date"),
    [("A", "A;B;D", "1960-05-01"), ("C", "C;D", "1990-01-01"), ("D", "A;B;C;D", None), ("E", "E", "1960-05-01")],
)
def test_list_others_asks_each_name_against_the_other_entities(
    devset: ModuleType, entity: str, equivalent: str, birth_date: str | None
) -> None:
    frame = pl.DataFrame(
        [(e, n, "primary", "Person", "RU", b) for e, n, b in OTHERS],
        schema=["entity_id", "name", "name_type", "entity_schema", "countries", "birth_dates"],
        orient="row",
    )
    asked = devset.others_queries(frame).filter(pl.col("origin") == entity)
    assert asked.select("equivalent", "birth_date", "country", "expected_entity").rows() == [
        (equivalent, birth_date, None, None)
    ]


# (list, entity, name, name type, birth dates): the list side of an all-lists task
SIDE = [
    ("un", "U", "AHMAD HASAN", "primary", "1960"),
    ("sdn", "S", "HASAN, Ahmad", "primary", "1960-01-01"),  # the same name in the matcher's key and birth year
    ("sdn", "T", "Ahmad Hasan", "alias", "1985"),  # the same name, another birth year: another person
    ("sdn", "V", "Ahmad Hasan", "original_script", None),  # not a Latin name of the list side
    ("csl", "W", "AHMED HASSAN TRADING", "primary", None),  # another name
]


@pytest.mark.parametrize(
    ("equivalent", "widened"),
    [(None, "S"), ("X", "S;X"), ("S", "S")],
)
def test_twins_count_other_lists_entities_of_the_same_name_neither_way(
    devset: ModuleType, equivalent: str | None, widened: str
) -> None:
    side = pl.DataFrame(SIDE, schema=["list", "entity_id", "name", "name_type", "birth_dates"], orient="row")
    asked = pl.DataFrame(
        {"name": ["أحمد حسن"], "expected_entity": ["U"], "equivalent": [equivalent]},
        schema=dict.fromkeys(("name", "expected_entity", "equivalent"), pl.String),
    )
    assert devset.twins(asked, side)["equivalent"].to_list() == [widened]


def test_all_lists_tasks_repeat_the_script_queries_against_every_real_list() -> None:
    queries, _, tasks = committed()
    for task in ("un_script", "cross_script", "putin"):
        old = queries.filter(pl.col("task") == task).select("name", "expected_entity", "split").sort(pl.all())
        new = queries.filter(pl.col("task") == f"{task}_all").select("name", "expected_entity", "split").sort(pl.all())
        assert new.equals(old), task
        assert set(tasks[f"{task}_all"]["lists"]) >= {"sdn", "cons", "un", "csl", "bis", "ftm_t1", "ftm_zala"}


@pytest.mark.parametrize(
    ("task", "ops", "schema"),
    [("perturbed_people", "PERTURBATIONS", "Person"), ("perturbed_entities", "ENTITY_PERTURBATIONS", "Organization")],
)
def test_perturbed_tasks_lie_in_both_splits_one_query_per_entity_and_class(
    perturb: ModuleType, task: str, ops: str, schema: str
) -> None:
    queries, _, tasks = committed()
    asked = queries.filter(pl.col("task") == task)
    assert tasks[task]["role"] == "perturbed"  # neither pooled nor fitted on
    assert sorted(asked["split"].unique()) == ["eval", "fit"]
    assert set(asked["name_type"]) == set(getattr(perturb, ops))
    assert asked["schema"].unique().to_list() == [schema]
    assert asked.select("expected_entity", "name_type").is_duplicated().sum() == 0
    assert asked["expected_entity"].str.contains(";").sum() == 0


@pytest.mark.parametrize(
    ("name_type", "column"),
    [("birth_missing", "birth_date"), ("country_missing", "country")],
)
def test_a_missing_qualifier_class_leaves_the_qualifier_empty(name_type: str, column: str) -> None:
    queries, _, _ = committed()
    people = queries.filter((pl.col("task") == "perturbed_people") & (pl.col("name_type") == name_type))
    assert people.height > 100
    assert people[column].null_count() == people.height
