"""Problems of rule files, each at a structured location: file, line, column and YAML path as fields.

The idea is pySigma's ``SigmaRuleLocation``: a location is data a tool can read (an editor jumps to
the line, CI annotates the file), not text folded into a message. :class:`RuleFileError` carries
one problem of one file; :class:`RuleSetError` carries every problem of a rules directory, so
``screening rules check`` reports every broken file at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening.errors import RuleError, located


@dataclass(frozen=True)
class RuleLocation:
    """Where in a rule file a problem is: 1-based line and column, and the YAML path of the value."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""  # dotted YAML path of the value at fault ("params.threshold"); empty: the whole file

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def as_dict(self) -> dict[str, Any]:
        """Return the location's fields by name."""
        return {"file": self.file, "line": self.line, "column": self.column, "path": self.path}


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong with a rule file, and where."""

    location: RuleLocation
    message: str

    def __str__(self) -> str:
        return located(self.location.file, self.location.line, self.message)


class RuleFileError(RuleError):
    """A rule file is invalid at one location."""

    def __init__(self, problem: RuleProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class RuleSetError(RuleError):
    """Rule files of a directory are invalid; the message names the first, ``problems`` holds them all."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - 1
        tail = f" (and {more} more; `screening rules check` lists every one)" if more else ""
        super().__init__(f"{self.problems[0]}{tail}")


def problem(file: str, line: int | None, message: str, column: int | None = None, path: str = "") -> RuleFileError:
    """Return the error for one problem at a location."""
    return RuleFileError(RuleProblem(RuleLocation(file, line, column, path), message))
