"""Exceptions of the screening engine.

One root, so the CLI catches exactly one type and turns it into a one-line message and exit 2::

    ScreeningError
    ├── InputError        a data file cannot be read (format, encoding, structure)
    ├── RuleError         a rule file is invalid (file:line, what, the valid options)
    ├── ListError         a sanctions-list file cannot be imported
    ├── StoreError        the DuckDB store is unusable (newer schema, locked, corrupt)
    └── ConfigError       a command-line option or mapping file is wrong

Every message names the place (file, line, column) and the problem; where there is a closed set
of valid values, it lists them.
"""

from __future__ import annotations


class ScreeningError(Exception):
    """Root of every error the engine raises on purpose."""


class InputError(ScreeningError):
    """A data file cannot be read."""


class RuleError(ScreeningError):
    """A rule file is invalid."""


class ListError(ScreeningError):
    """A sanctions-list file cannot be imported."""


class StoreError(ScreeningError):
    """The store cannot be opened or written."""


class ConfigError(ScreeningError):
    """An option or a mapping file is wrong."""


def yaml_problem(exc: Exception) -> tuple[int | None, str]:
    """Return the 1-based line and the one-line problem of a YAML parse error."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark is not None else None), str(problem)


def located(path: str, line: int | None, message: str) -> str:
    """Return `path:line: message`, leaving out the line when unknown."""
    where = f"{path}:{line}" if line is not None else path
    return f"{where}: {message}"
