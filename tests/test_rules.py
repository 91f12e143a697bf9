"""Rule loading: the bundled rules, the fingerprint, and broken rule files with exact messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screening.errors import RuleError
from screening.rules import default_rules_dir, load_rule, load_rules

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
        ":7: param 'threshold' must be float, got 'high'",
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


@pytest.mark.parametrize(
    ("setup", "message"), [("missing", "rules directory not found"), ("empty", "no rule files")]
)
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
    assert {"GOODS-001", "GOODS-002", "GOODS-003", "GOODS-004", "DEST-001", "DEST-002"} <= {
        r.id for r in rules.rules
    }
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    assert load_rules(copy).fingerprint == rules.fingerprint
    target = copy / "DEST-002-chpl-to-transit-hubs.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("weight: 0.5", "weight: 0.4"), encoding="utf-8"
    )
    assert load_rules(copy).fingerprint != rules.fingerprint


def test_disabled_rule_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "TEST-001-a.yaml").write_text(GOOD + "enabled: false\n", encoding="utf-8")
    (tmp_path / "TEST-002-b.yaml").write_text(
        GOOD.replace("TEST-001", "TEST-002"), encoding="utf-8"
    )
    assert [r.id for r in load_rules(tmp_path).rules] == ["TEST-002"]
