"""Inputs as given on the command line: files, and folders read file by file (Parquet partitions too).

A folder is walked in sorted order; every file with a supported extension (:data:`EXTENSIONS`)
is an input, hidden files (``.DS_Store``, Spark's ``_SUCCESS``) are passed over, and any other
file is skipped with a reason; so is a folder's file that nothing in it maps (see
:func:`screening.pipeline.scan`). An input whose bytes equal an earlier input's is flagged and not
read again, so its rows are not stored and screened twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screening.ingest.files import EXTENSIONS, SUPPORTED, file_sha256


@dataclass(frozen=True)
class Skipped:
    """An input not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Expanded:
    """The files to read, each with its hash, and the inputs skipped."""

    files: list[tuple[str, str]]  # (path as reported, sha256)
    skipped: list[Skipped] = field(default_factory=list)
    in_folders: set[str] = field(default_factory=set)  # the files found in a folder, not named


def expand_inputs(inputs: Sequence[str | Path]) -> Expanded:
    """Return the files of the inputs with their hashes; identical and unsupported files are skipped."""
    files: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    first: dict[str, str] = {}  # sha256 -> the first path with those bytes
    found = _walk(inputs)
    for path, reason in found:
        if reason is not None:
            skipped.append(Skipped(path, reason))
            continue
        digest = file_sha256(Path(path))
        if digest in first:
            skipped.append(Skipped(path, f"identical to {first[digest]} (same bytes), not read again"))
            continue
        first[digest] = path
        files.append((path, digest))
    named = {str(p) for p in inputs}
    return Expanded(files, skipped, {path for path, _ in found} - named)


def _walk(inputs: Sequence[str | Path]) -> list[tuple[str, str | None]]:
    """Return (path, reason to skip or None) for each input file, folders expanded."""
    found: list[tuple[str, str | None]] = []
    for given in inputs:
        path = Path(given)
        if not path.is_dir():
            found.append((str(given), None))  # a file given by name is read, or fails loudly
            continue
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            if any(part.startswith((".", "_")) for part in member.relative_to(path).parts):
                continue
            supported = member.suffix.lower() in EXTENSIONS
            found.append((str(member), None if supported else f"unsupported format; supported: {SUPPORTED}"))
    return found
