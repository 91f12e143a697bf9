"""Output formats: one registry, and the one dispatcher that ``scan``, ``report`` and the Python API use.

The behaviour is the same for every caller:

- ``out`` (``--out DIR``) always receives the machine outputs: ``hits``, ``quarantine`` and ``notes`` as
  tables in the format's table format, and ``summary.json``; ``html`` adds ``report.html``.
  A batch job finds the same files whichever view it asked for.
- Without ``out``, ``rich`` prints the terminal report and ``json`` prints the hits as one JSON
  array on stdout; a format that writes files or binary data (``csv``, ``parquet``, ``html``)
  needs ``out``.
- The terminal report is printed unless stdout carries data (``json`` without ``out``) or
  ``quiet`` is set.

A new output format is one entry in :data:`OUTPUT_FORMATS` (and its writer, when it writes a
page of its own beside the tables).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from rich.console import Console

from screening.errors import ConfigError
from screening.pipeline import ScanResult
from screening.report.export import write_json, write_outputs
from screening.report.html import render_html
from screening.report.terminal import render
from screening.schema import HIT_COLUMNS
from screening.stored_hits import shaped

Told = Callable[[Path], None]


@dataclass(frozen=True)
class OutputFormat:
    """What one ``--format`` writes: its tables, a page beside them, and what it prints without ``--out``."""

    description: str
    tables: str  # the format of hits and quarantine in --out: json, csv or parquet (export.FORMATS)
    page: Callable[[ScanResult, Path], Path] | None = None  # a document written into --out, e.g. report.html
    page_name: str = ""
    stream: Callable[[ScanResult, TextIO], None] | None = None  # the data printed on stdout without --out
    needs_out: bool = True


def _json_hits(result: ScanResult, handle: TextIO) -> None:
    """Print the reported hits as one JSON array."""
    write_json(shaped(HIT_COLUMNS, result.reported.batches()), handle)
    handle.write("\n")


OUTPUT_FORMATS: Final[dict[str, OutputFormat]] = {
    "rich": OutputFormat("the terminal report (default); with --out also the JSON files", "json", needs_out=False),
    "json": OutputFormat(
        "hits, quarantine, notes and summary as JSON in --out; without --out the hits as a JSON array on stdout",
        "json",
        stream=_json_hits,
        needs_out=False,
    ),
    "csv": OutputFormat("hits, quarantine and notes as CSV, and summary.json, in --out", "csv"),
    "parquet": OutputFormat("hits, quarantine and notes as Parquet, and summary.json, in --out", "parquet"),
    "html": OutputFormat(
        "report.html (one self-contained page) and the JSON files in --out", "json", render_html, "report.html"
    ),
}


def format_help() -> str:
    """Return the ``--format`` help text, one clause per registered format."""
    return "; ".join(f"{name}: {spec.description}" for name, spec in OUTPUT_FORMATS.items())


def output_table() -> str:
    """Return the Markdown table of the output formats (the README's, checked by a test)."""
    rows = [f"| `{name}` | {'yes' if s.needs_out else 'no'} | {s.description} |" for name, s in OUTPUT_FORMATS.items()]
    return "\n".join(["| `--format` | Needs `--out` | Writes |", "|---|---|---|", *rows])


def output_format(name: str) -> OutputFormat:
    """Return a registered output format; raise ConfigError naming the valid ones otherwise."""
    spec = OUTPUT_FORMATS.get(name)
    if spec is None:
        raise ConfigError(f"--format {name}: unknown output format; valid: {', '.join(OUTPUT_FORMATS)}")
    return spec


def check_output(name: str, out: Path | str | None) -> OutputFormat:
    """Return the format after checking that it can be written where asked (before a scan starts)."""
    spec = output_format(name)
    if out is None and spec.needs_out:
        raise ConfigError(f"--format {name} needs --out DIR")
    return spec


def write_report(
    result: ScanResult,
    fmt: str = "rich",
    out: Path | str | None = None,
    *,
    quiet: bool = False,
    console: Console | None = None,
    told: Told | None = None,
) -> list[Path]:
    """Write a run's report in one format, to ``out`` or stdout, and return the files written."""
    spec = check_output(fmt, out)
    say = told or (lambda path: None)
    if out is None and spec.stream is not None:
        spec.stream(result, sys.stdout)
        return []
    written = [_told(say, spec.page(result, Path(out) / spec.page_name))] if out is not None and spec.page else []
    if not quiet:
        render(result, console or Console(highlight=False, soft_wrap=True))
    if out is not None:
        written += [_told(say, path) for path in write_outputs(result, Path(out), spec.tables)]
    return written


def _told(say: Told, path: Path) -> Path:
    """Tell of a written file and return it."""
    say(path)
    return path


def tell_stderr(path: Path) -> None:
    """Say on stderr that a file was written (the commands' ``told``)."""
    print(f"wrote {path}", file=sys.stderr)
