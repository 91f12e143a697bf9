"""Rule loading: the bundled rules, the fingerprint, and broken rule files with exact messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screening import rules as rules_module
from screening.errors import RuleError
from screening.rule_problems import RuleSetError
from screening.rules import default_rules_dir, load_rule, load_rules, name_scorer

GOOD = """id: TEST-001
title: A test rule
kind: destination_country
severity: high
rationale: testing
params:
  countries: [RU]
"""

BROKEN = [
    (
        "TEST-001-x.yaml",
        GOOD.replace("kind: destination_country", "kind: nope"),
        ":3: unknown kind 'nope'; valid: chpl_goods",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("severity: high", "severity: urgent"),
        ":4: unknown severity 'urgent'; valid: low, medium, high, critical",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("title: A test rule\n", ""),
        ":1: missing required key 'title'",
    ),
    (
        "TEST-001-x.yaml",
        GOOD + "colour: red\n",
        ":8: unknown key 'colour'; valid keys: id, title, kind",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("countries: [RU]", "countries: RU"),
        ":7: param 'countries' must be list[str], got 'RU'",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("countries: [RU]", "countries: [RU]\n  colour: red"),
        ":8: kind destination_country has no parameter 'colour'; valid: countries, goods, fields",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("  countries: [RU]", "  goods: chpl"),
        ":6: kind destination_country needs param 'countries'",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("  countries: [RU]", "  countries: [RU]\n  goods: toys"),
        ":6: goods must be one of any, chpl, got 'toys'",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("id: TEST-001", "id: test1"),
        ":1: id 'test1' must look like GOODS-001",
    ),
    ("OTHER-001.yaml", GOOD, ":1: file name must start with the rule id 'TEST-001'"),
    ("TEST-001-x.yaml", GOOD + "weight: 2\n", ":8: weight must be a number in (0, 1], got 2"),
    (
        "TEST-001-x.yaml",
        GOOD + "examples: [{hs_code: '1'}]\n",
        ":8: example 1 needs 'expect: hit' or 'expect: miss'",
    ),
    ("TEST-001-x.yaml", "id: [unclosed\n", ":2: invalid YAML"),
    # parameter ranges declared on the kind: a value outside would silently turn the rule off
    (
        "TEST-001-x.yaml",
        GOOD.replace("destination_country", "name_match").replace("  countries: [RU]", "  threshold: 5"),
        ":7: param 'threshold' must be from 0 to 1, got 5",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("destination_country", "name_match").replace("  countries: [RU]", "  top: -1"),
        ":7: param 'top' must be at least 1, got -1",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("destination_country", "name_match").replace("  countries: [RU]", "  threshold: high"),
        ":7: param 'threshold' must be float | dict[str, float] | None, got 'high'",
    ),
    (  # a bad value per scorer: at its own line, not the params line
        "TEST-001-x.yaml",
        GOOD.replace("destination_country", "name_match").replace(
            "  countries: [RU]", "  top: 1\n  threshold: {model: 1.5, hand: 0.88}"
        ),
        ":8: threshold: {'model': 1.5, 'hand': 0.88} is not a score from 0 to 1 per scorer",
    ),
    (
        "TEST-001-x.yaml",
        GOOD.replace("destination_country", "corridor_surge").replace("  countries: [RU]", "  min_value: -1"),
        ":7: param 'min_value' must be at least 0, got -1",
    ),
    ("TEST-001-x.yaml", "- just\n- a list\n", ":1: a rule file must be a YAML mapping"),
    ("TEST-001-x.yaml", "id: !!python/object:os.system x\n", "invalid YAML"),
    (
        "TEST-001-x.yaml",
        'a: &a ["x","x","x","x"]\nb: &b [*a,*a,*a,*a]\nparams: {top: [*b,*b,*b,*b]}\n',
        ":2: invalid YAML: aliases (*a) are not allowed here",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BROKEN)
def test_broken_rule_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rule(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "TEST-001-a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "TEST-001-b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleError, match="id TEST-001 is already used by"):
        load_rules(tmp_path)


@pytest.mark.parametrize(("setup", "message"), [("missing", "rules directory not found"), ("empty", "no rule files")])
def test_bad_directories(tmp_path: Path, setup: str, message: str) -> None:
    folder = tmp_path / "rules"
    if setup == "empty":
        folder.mkdir()
    with pytest.raises(RuleError, match=message):
        load_rules(folder)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "TEST-001-x.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    with pytest.raises(RuleError, match="not UTF-8 text"):
        load_rule(path)


def test_bundled_rules_and_fingerprint(tmp_path: Path) -> None:
    rules = load_rules()
    assert [r.id for r in rules.rules] == sorted(r.id for r in rules.rules)
    assert {"GOODS-001", "GOODS-002", "GOODS-003", "GOODS-004", "DEST-001", "DEST-002"} <= {r.id for r in rules.rules}
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    assert load_rules(copy).fingerprint == rules.fingerprint
    target = copy / "DEST-002-chpl-to-transit-hubs.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("weight: 0.5", "weight: 0.4"), encoding="utf-8")
    assert load_rules(copy).fingerprint != rules.fingerprint


@pytest.mark.parametrize(("scorer", "refit_changes_it"), [("hand", False), ("model", True)])
def test_the_fingerprint_names_the_model_a_rule_scores_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scorer: str, refit_changes_it: bool
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    target = copy / "NAME-001-listed-party.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  scorer: hand ", f"  scorer: {scorer} "), encoding="utf-8")
    rules = load_rules(copy)
    assert name_scorer(rules.get("NAME-001")) == scorer
    monkeypatch.setattr(rules_module, "shipped_sha256", lambda: "0" * 64)  # as after a refit
    assert (load_rules(copy).fingerprint != rules.fingerprint) is refit_changes_it


def test_disabled_rule_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "TEST-001-a.yaml").write_text(GOOD + "enabled: false\n", encoding="utf-8")
    (tmp_path / "TEST-002-b.yaml").write_text(GOOD.replace("TEST-001", "TEST-002"), encoding="utf-8")
    assert [r.id for r in load_rules(tmp_path).rules] == ["TEST-002"]


# One directory holding a good file and one broken file per case; every case's problem is reported,
# each at a location whose fields (line, column, YAML path) are data, not text in the message.
LOCATED = [
    ("TEST-002-id.yaml", GOOD.replace("TEST-001", "test2"), (1, 1, "id"), "id 'test2' must look like GOODS-001"),
    ("TEST-003-kind.yaml", GOOD.replace("TEST-001", "TEST-003").replace("destination_country", "nope"), (3, 1, "kind"),
     "unknown kind 'nope'"),
    ("TEST-004-type.yaml", GOOD.replace("TEST-001", "TEST-004").replace("[RU]", "RU"), (7, 3, "params.countries"),
     "param 'countries' must be list[str], got 'RU'"),
    ("TEST-005-range.yaml", GOOD.replace("TEST-001", "TEST-005").replace("destination_country", "name_match")
     .replace("countries: [RU]", "threshold: 1.5"), (7, 3, "params.threshold"), "'threshold' must be from 0 to 1"),
    ("TEST-006-yaml.yaml", "id: TEST-006\ntitle: [unclosed\nkind: x\n", (3, 5, ""), "invalid YAML: "),
    ("TEST-008-a.yaml", GOOD.replace("TEST-001", "TEST-008"), None, ""),
    ("TEST-008-b.yaml", GOOD.replace("TEST-001", "TEST-008"), (1, None, "id"), "id TEST-008 is already used by"),
]  # fmt: skip


def _broken_folder(folder: Path) -> Path:
    """Write the good rule and every broken case into a folder."""
    folder.mkdir()
    (folder / "TEST-001-good.yaml").write_text(GOOD, encoding="utf-8")
    for name, text, _, _ in LOCATED:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "text", "at", "message"), [case for case in LOCATED if case[2] is not None])
def test_every_broken_file_is_reported_at_its_location(
    tmp_path: Path, name: str, text: str, at: tuple[int, int | None, str], message: str
) -> None:
    folder = _broken_folder(tmp_path / "rules")
    with pytest.raises(RuleSetError) as info:
        load_rules(folder)
    found = [p for p in info.value.problems if p.location.file == str(folder / name)]
    assert len(found) == 1
    location = found[0].location
    assert (location.line, location.column, location.path) == at
    assert message in found[0].message
    assert str(found[0]).startswith(f"{folder / name}:{at[0]}: ")


def test_rule_set_error_names_the_first_problem_and_counts_the_rest(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path / "rules")
    with pytest.raises(RuleSetError) as info:
        load_rules(folder)
    problems = info.value.problems
    assert len(problems) == 6
    assert [p.location.file for p in problems] == sorted(p.location.file for p in problems)
    assert str(info.value) == f"{problems[0]} (and 5 more; `screening rules check` lists every one)"


def test_one_broken_file_keeps_the_one_line_message(tmp_path: Path) -> None:
    (tmp_path / "TEST-001-x.yaml").write_text(GOOD.replace("severity: high", "severity: urgent"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    assert (
        str(info.value)
        == f"{tmp_path / 'TEST-001-x.yaml'}:4: unknown severity 'urgent'; valid: low, medium, high, critical"
    )
