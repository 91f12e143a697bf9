"""Rule files: loading, validation with file:line errors, and the rule-set fingerprint.

A rule is one YAML file in ``rules/`` named after its permanent id (``GOODS-001-chpl.yaml``).
Its ``kind`` names a function in :data:`screening.kinds.KINDS`; its ``params`` are that
function's keyword arguments, checked against the signature before anything runs.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from screening import yamlsafe
from screening.errors import RuleError, located, yaml_problem
from screening.kinds import KINDS
from screening.kinds.base import Check, Range, RunCheck
from screening.schema import SEVERITIES

REQUIRED: Final = ("id", "title", "kind", "severity", "rationale")
OPTIONAL: Final = ("weight", "params", "references", "examples", "enabled")
ID_PATTERN: Final = re.compile(r"^[A-Z]+-\d{3}$")


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
    """Load and validate every ``*.yaml`` rule file of a directory."""
    folder = Path(directory) if directory is not None else default_rules_dir()
    if not folder.is_dir():
        raise RuleError(f"{folder}: rules directory not found")
    rules = [load_rule(path) for path in sorted(folder.glob("*.yaml"))]
    if not rules:
        raise RuleError(f"{folder}: no rule files (*.yaml)")
    _check_unique(rules)
    rules.sort(key=lambda rule: rule.id)
    enabled = tuple(rule for rule in rules if rule.enabled)
    return RuleSet(rules=enabled, fingerprint=fingerprint(enabled), directory=str(folder))


def load_rule(path: Path) -> Rule:
    """Load and validate one rule file."""
    text = _read_text(path)
    data, lines = _parse(path, text)
    where = str(path)
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        valid = ", ".join(REQUIRED + OPTIONAL)
        raise RuleError(
            located(
                where, lines.get(unknown[0]), f"unknown key '{unknown[0]}'; valid keys: {valid}"
            )
        )
    for key in REQUIRED:
        if key not in data:
            raise RuleError(located(where, 1, f"missing required key '{key}'"))
    rule_id = _check_id(data["id"], path, lines.get("id"))
    kind = _check_choice(data["kind"], sorted(KINDS), "kind", where, lines.get("kind"))
    severity = _check_choice(
        data["severity"], list(SEVERITIES), "severity", where, lines.get("severity")
    )
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise RuleError(
            located(where, lines.get("params"), "params must be a mapping of name: value")
        )
    check = build_check(kind, params, where, lines)
    return Rule(
        id=rule_id,
        title=str(data["title"]),
        kind=kind,
        severity=severity,
        weight=_check_weight(data.get("weight", 1.0), where, lines.get("weight")),
        params=params,
        rationale=str(data["rationale"]).strip(),
        path=where,
        check=check,
        references=tuple(str(ref) for ref in data.get("references") or ()),
        examples=_check_examples(data.get("examples") or [], where, lines.get("examples")),
        enabled=data.get("enabled", True) is not False,
    )


def build_check(kind: str, params: dict[str, Any], where: str, lines: dict[str, int]) -> Check | RunCheck:
    """Check params against the kind's signature and call it."""
    function = KINDS[kind].build
    line = lines.get("params")
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function, include_extras=True)
    valid = list(signature.parameters)
    for name, value in params.items():
        at = lines.get(f"params.{name}", line)
        if name not in signature.parameters:
            options = ", ".join(valid) or "none"
            raise RuleError(
                located(where, at, f"kind {kind} has no parameter '{name}'; valid: {options}")
            )
        if not _matches(value, hints.get(name, Any)):
            expected = _type_name(hints.get(name, Any))
            raise RuleError(located(where, at, f"param '{name}' must be {expected}, got {value!r}"))
        bounds = _range(hints.get(name, Any))
        if bounds is not None and isinstance(value, int | float) and not bounds.admits(value):
            raise RuleError(located(where, at, f"param '{name}' must be {bounds}, got {value!r}"))
    missing = [
        name
        for name, p in signature.parameters.items()
        if p.default is inspect.Parameter.empty and name not in params
    ]
    if missing:
        raise RuleError(located(where, line, f"kind {kind} needs param '{missing[0]}'"))
    try:
        return function(**params)
    except ValueError as exc:
        raise RuleError(located(where, line, str(exc))) from exc


def fingerprint(rules: tuple[Rule, ...]) -> str:
    """Return a short SHA-256 of what the rules do (id, kind, severity, weight, params)."""
    payload = [
        {"id": r.id, "kind": r.kind, "severity": r.severity, "weight": r.weight, "params": r.params}
        for r in rules
    ]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"sha256:{digest[:16]}"


def _read_text(path: Path) -> str:
    """Read a rule file as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise RuleError(f"{path}: cannot read ({exc.strerror})") from exc


def _parse(path: Path, text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse YAML safely; return the mapping and the 1-based line of each top-level key."""
    try:
        node = yamlsafe.compose(text)
        data = yamlsafe.load(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        raise RuleError(located(str(path), line, f"invalid YAML: {problem}")) from exc
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise RuleError(located(str(path), 1, "a rule file must be a YAML mapping (key: value)"))
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    for key, value in node.value:
        if key.value == "params" and isinstance(value, yaml.MappingNode):
            lines.update({f"params.{k.value}": k.start_mark.line + 1 for k, _ in value.value})
    return data, lines


def _check_id(value: Any, path: Path, line: int | None) -> str:
    """Validate the permanent id and that the file is named after it."""
    rule_id = str(value)
    if not ID_PATTERN.match(rule_id):
        raise RuleError(
            located(
                str(path),
                line,
                f"id '{rule_id}' must look like GOODS-001 (letters, dash, 3 digits)",
            )
        )
    if not path.stem.startswith(rule_id):
        raise RuleError(
            located(str(path), line, f"file name must start with the rule id '{rule_id}'")
        )
    return rule_id


def _check_choice(value: Any, options: list[str], key: str, where: str, line: int | None) -> str:
    """Validate a value drawn from a closed set."""
    if value not in options:
        raise RuleError(
            located(where, line, f"unknown {key} '{value}'; valid: {', '.join(options)}")
        )
    return str(value)


def _check_weight(value: Any, where: str, line: int | None) -> float:
    """Validate the weight, a number in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise RuleError(located(where, line, f"weight must be a number in (0, 1], got {value!r}"))
    return float(value)


def _check_examples(value: Any, where: str, line: int | None) -> tuple[dict[str, Any], ...]:
    """Validate examples: mappings with ``expect: hit|miss`` and record fields."""
    if not isinstance(value, list):
        raise RuleError(located(where, line, "examples must be a list of mappings"))
    for number, example in enumerate(value, start=1):
        if not isinstance(example, dict) or example.get("expect") not in ("hit", "miss"):
            raise RuleError(
                located(where, line, f"example {number} needs 'expect: hit' or 'expect: miss'")
            )
    return tuple(value)


def _range(hint: Any) -> Range | None:
    """Return the range a parameter's hint declares (``Annotated[float, Range(...)]``, also inside ``| None``)."""
    if typing.get_origin(hint) is typing.Annotated:
        return next((m for m in hint.__metadata__ if isinstance(m, Range)), None)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return next((r for arg in typing.get_args(hint) if (r := _range(arg)) is not None), None)
    return None


def _matches(value: Any, hint: Any) -> bool:  # noqa: PLR0911 - one return per kind of hint
    """Tell whether a YAML value fits a parameter's type hint (shallowly for containers)."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    return isinstance(value, hint)


def _type_name(hint: Any) -> str:
    """Return a readable name for a type hint."""
    if typing.get_origin(hint) is typing.Annotated:
        return _type_name(typing.get_args(hint)[0])
    if typing.get_origin(hint) is not None:
        return str(hint).replace("typing.", "")
    return getattr(hint, "__name__", None) or str(hint)


def _check_unique(rules: list[Rule]) -> None:
    """Refuse two files with the same rule id."""
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{rule.path}: id {rule.id} is already used by {seen[rule.id]}")
        seen[rule.id] = rule.path
