"""Rule files: loading, validation with file:line errors, and the rule-set fingerprint.

A rule is one YAML file in ``rules/`` named after its permanent id (``GOODS-001-chpl.yaml``).
Its ``kind`` names a function in :data:`screening.kinds.KINDS`; its ``params`` are that
function's keyword arguments, checked against the signature before anything runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from screening import yamlsafe
from screening.errors import RuleError, yaml_problem
from screening.kinds import KINDS
from screening.kinds.base import Check, RunCheck
from screening.names.model import DEFAULT_SCORER, shipped_sha256
from screening.rule_params import kind_function, kind_params, matches
from screening.rule_problems import RuleFileError, RuleLocation, RuleProblem, RuleSetError, problem
from screening.schema import SEVERITIES

REQUIRED: Final = ("id", "title", "kind", "severity", "rationale")
OPTIONAL: Final = ("weight", "params", "references", "examples", "enabled")
ID_PATTERN: Final = re.compile(r"^[A-Z]+-\d{3}$")
Marks = dict[str, tuple[int, int]]  # YAML path -> 1-based (line, column) of its key


@dataclass(frozen=True)
class Rule:
    """One validated rule and the check its kind built from its params."""

    id: str
    title: str
    kind: str
    severity: str
    weight: float
    params: dict[str, Any]
    rationale: str
    path: str
    check: Check | RunCheck = field(repr=False, compare=False)
    references: tuple[str, ...] = ()
    examples: tuple[dict[str, Any], ...] = ()
    enabled: bool = True
    id_line: int | None = field(default=None, repr=False, compare=False)  # where the id is written


@dataclass(frozen=True)
class RuleSet:
    """The rules of one directory, in id order, with their fingerprint."""

    rules: tuple[Rule, ...]
    fingerprint: str
    directory: str

    def get(self, rule_id: str) -> Rule:
        """Return the rule with this id."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RuleError(f"{self.directory}: no rule {rule_id}; rules are {self.ids()}")

    def ids(self) -> str:
        """Return the rule ids, comma-separated."""
        return ", ".join(rule.id for rule in self.rules)


def default_rules_dir() -> Path:
    """Return the bundled rules: the checkout's ``rules/`` or the copy inside the wheel."""
    package = Path(__file__).parent
    checkout = package.parent / "rules"
    return checkout if checkout.is_dir() else package / "bundled_rules"


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate every ``*.yaml`` rule file of a directory; raise RuleSetError naming every broken one."""
    folder = Path(directory) if directory is not None else default_rules_dir()
    if not folder.is_dir():
        raise RuleError(f"{folder}: rules directory not found")
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise RuleError(f"{folder}: no rule files (*.yaml)")
    rules: list[Rule] = []
    problems: list[RuleProblem] = []
    for path in paths:
        try:
            rules.append(load_rule(path))
        except RuleFileError as exc:
            problems.append(exc.problem)
    problems.extend(_duplicates(rules))
    problems.sort(key=lambda found: (found.location.file, found.location.line or 0))
    if problems:
        raise RuleSetError(problems)
    rules.sort(key=lambda rule: rule.id)
    enabled = tuple(rule for rule in rules if rule.enabled)
    return RuleSet(rules=enabled, fingerprint=fingerprint(enabled), directory=str(folder))


def load_rule(path: Path) -> Rule:
    """Load and validate one rule file; raise RuleFileError at the first problem."""
    data, marks = _parse(path, _read_text(path))
    where = str(path)
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        valid = ", ".join(REQUIRED + OPTIONAL)
        raise _at(where, marks, unknown[0], f"unknown key '{unknown[0]}'; valid keys: {valid}")
    for key in REQUIRED:
        if key not in data:
            raise problem(where, 1, f"missing required key '{key}'", 1, key)
    rule_id = _check_id(data["id"], path, marks)
    kind = _check_choice(data["kind"], sorted(KINDS), "kind", where, marks)
    severity = _check_choice(data["severity"], list(SEVERITIES), "severity", where, marks)
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise _at(where, marks, "params", "params must be a mapping of name: value")
    return Rule(
        id=rule_id,
        title=str(data["title"]),
        kind=kind,
        severity=severity,
        weight=_check_weight(data.get("weight", 1.0), where, marks),
        params=params,
        rationale=str(data["rationale"]).strip(),
        path=where,
        check=build_check(kind, params, where, marks),
        references=tuple(str(ref) for ref in data.get("references") or ()),
        examples=_check_examples(data.get("examples") or [], where, marks),
        enabled=data.get("enabled", True) is not False,
        id_line=marks["id"][0],
    )


def build_check(kind: str, params: dict[str, Any], where: str, marks: Marks) -> Check | RunCheck:
    """Check params against the kind's signature and call it."""
    declared = {p.name: p for p in kind_params(kind)}
    for name, value in params.items():
        key = f"params.{name}" if f"params.{name}" in marks else "params"
        if name not in declared:
            options = ", ".join(declared) or "none"
            raise _at(where, marks, key, f"kind {kind} has no parameter '{name}'; valid: {options}")
        param = declared[name]
        if not matches(value, param.hint):
            raise _at(where, marks, key, f"param '{name}' must be {param.type_name}, got {value!r}")
        bounds = param.bounds
        if bounds is not None and isinstance(value, int | float) and not bounds.admits(value):
            raise _at(where, marks, key, f"param '{name}' must be {bounds}, got {value!r}")
    missing = [p.name for p in declared.values() if p.required and p.name not in params]
    if missing:
        raise _at(where, marks, "params", f"kind {kind} needs param '{missing[0]}'")
    try:
        return kind_function(kind)(**params)
    except ValueError as exc:
        named = f"params.{str(exc).split(':', 1)[0]}"  # a kind's message starting "name:" is about that param
        raise _at(where, marks, named if named in marks else "params", str(exc)) from exc


def name_scorer(rule: Rule) -> str | None:
    """Return the name scorer a rule screens by ("hand" or "model"), or None where its kind takes no scorer."""
    if all(param.name != "scorer" for param in kind_params(rule.kind)):
        return None
    return str(rule.params.get("scorer", DEFAULT_SCORER))


def fingerprint(rules: tuple[Rule, ...]) -> str:
    """Return a short SHA-256 of what the rules do (id, kind, severity, weight, params; the name model's file)."""
    payload = [
        {"id": r.id, "kind": r.kind, "severity": r.severity, "weight": r.weight, "params": r.params}
        | ({"name_model": shipped_sha256()} if name_scorer(r) == "model" else {})
        for r in rules
    ]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"sha256:{digest[:16]}"


def _read_text(path: Path) -> str:
    """Read a rule file as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise problem(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise problem(str(path), None, f"cannot read ({exc.strerror})") from exc


def _parse(path: Path, text: str) -> tuple[dict[str, Any], Marks]:
    """Parse YAML safely; return the mapping and the 1-based (line, column) of each key, nested ones dotted."""
    try:
        node = yamlsafe.compose(text)
        data = yamlsafe.load(text)
    except yaml.YAMLError as exc:
        line, what = yaml_problem(exc)
        mark = getattr(exc, "problem_mark", None)
        column = mark.column + 1 if mark is not None else None
        raise problem(str(path), line, f"invalid YAML: {what}", column) from exc
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise problem(str(path), 1, "a rule file must be a YAML mapping (key: value)", 1)
    marks = {str(key.value): _mark(key) for key, _ in node.value}
    for key, value in node.value:
        if key.value == "params" and isinstance(value, yaml.MappingNode):
            marks.update({f"params.{k.value}": _mark(k) for k, _ in value.value})
    return data, marks


def _mark(node: yaml.Node) -> tuple[int, int]:
    """Return a node's 1-based line and column."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _at(where: str, marks: Marks, key: str, message: str) -> RuleFileError:
    """Return the error for a problem with the value at a YAML path (its key's place when known)."""
    line, column = marks.get(key, (None, None))
    return problem(where, line, message, column, key)


def _check_id(value: Any, path: Path, marks: Marks) -> str:
    """Validate the permanent id and that the file is named after it."""
    rule_id = str(value)
    if not ID_PATTERN.match(rule_id):
        message = f"id '{rule_id}' must look like GOODS-001 (letters, dash, 3 digits)"
        raise _at(str(path), marks, "id", message)
    if not path.stem.startswith(rule_id):
        raise _at(str(path), marks, "id", f"file name must start with the rule id '{rule_id}'")
    return rule_id


def _check_choice(value: Any, options: list[str], key: str, where: str, marks: Marks) -> str:
    """Validate a value drawn from a closed set."""
    if value not in options:
        raise _at(where, marks, key, f"unknown {key} '{value}'; valid: {', '.join(options)}")
    return str(value)


def _check_weight(value: Any, where: str, marks: Marks) -> float:
    """Validate the weight, a number in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise _at(where, marks, "weight", f"weight must be a number in (0, 1], got {value!r}")
    return float(value)


def _check_examples(value: Any, where: str, marks: Marks) -> tuple[dict[str, Any], ...]:
    """Validate examples: mappings with ``expect: hit|miss`` and record fields."""
    if not isinstance(value, list):
        raise _at(where, marks, "examples", "examples must be a list of mappings")
    for number, example in enumerate(value, start=1):
        if not isinstance(example, dict) or example.get("expect") not in ("hit", "miss"):
            raise _at(where, marks, "examples", f"example {number} needs 'expect: hit' or 'expect: miss'")
    return tuple(value)


def _duplicates(rules: list[Rule]) -> list[RuleProblem]:
    """Return a problem for every file whose rule id an earlier file (by name) already uses."""
    seen: dict[str, str] = {}
    found: list[RuleProblem] = []
    for rule in rules:
        if rule.id in seen:
            where = RuleLocation(rule.path, rule.id_line, None, "id")
            found.append(RuleProblem(where, f"id {rule.id} is already used by {seen[rule.id]}"))
        seen.setdefault(rule.id, rule.path)
    return found
