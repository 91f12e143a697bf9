"""Output files that appear whole or not at all: written to a temporary file beside them, then renamed.

A failure while writing (a full disk, a read-only place, a signal, a crash) leaves the old file or
none, never a truncated one; the temporary file is removed. A place that cannot be written is a
one-line :class:`~screening.errors.ConfigError` naming the path and the reason.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from screening.errors import ConfigError


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; rename it onto ``path`` when the block ends well."""
    if path.is_dir():
        raise ConfigError(f"{path}: cannot write the output: it is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the output ({exc.strerror or exc})") from exc
    os.close(handle)
    temporary = Path(name)
    temporary.chmod(_mode(path))  # mkstemp makes it owner-only; outputs keep the mode files get here
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the output ({exc.strerror or exc})") from exc
    finally:
        temporary.unlink(missing_ok=True)


def _mode(path: Path) -> int:
    """Return the mode for a new output: the existing file's, else what the umask gives a new file."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path: Path, text: str) -> Path:
    """Write a text file whole or not at all and return its path."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path
