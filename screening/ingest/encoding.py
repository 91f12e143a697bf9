"""Text encodings: detect one, and transcode anything that is not UTF-8 to a temporary UTF-8 file.

Detection order: a byte-order mark (UTF-8, UTF-16 LE/BE); then UTF-8 validity of a sample — a
sample that holds at least as many valid multi-byte UTF-8 characters as bad bytes, or only a few
bad bytes, is UTF-8 and its bad lines are quarantined later; then charset-normalizer on the
sample. NUL bytes or many control characters without a UTF-16 mark mean binary data. Transcoding
streams in chunks and replaces undecodable bytes with U+FFFD, which the CSV reader turns into
quarantined lines.

When the guess is one of the single-byte Windows code pages, the whole sample decides between
Western (cp1252, a superset of latin-1's letters), Central European (cp1250) and Cyrillic
(cp1251) by the evidence of its words (:func:`decide_legacy`): letters common in the languages
written in that code page count for it, rare ones against it, a word mixing scripts or a
Latin word made only of accented letters (``ÎÎÎ Òðàíñîéë``, Cyrillic read as cp1252) against it.
This is the one policy for data files and for list files. Data files stream through
:func:`detect_encoding` and :func:`utf8_copy`; list files are read whole by :func:`read_text`
(:func:`decode_text`). Both take the same steps in the same order — byte-order mark, binary data,
UTF-8, the code page the words support — with one difference, kept as it was: a data file that is
UTF-8 but for a few bad bytes stays UTF-8 (its bad lines are quarantined with file and line), while
a list file, decoded whole with no line to quarantine, must be UTF-8 throughout or is read in the
code page its words support.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Final

from charset_normalizer import from_bytes

from screening.errors import InputError, ScreeningError, located
from screening.ingest.legacy import legacy_or

SAMPLE_BYTES: Final = 1 << 20
_CHUNK: Final = 1 << 24
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MULTIBYTE: Final = re.compile(r"[^\x00-\x7f\ufffd]")


def detect_encoding(path: Path) -> str:
    """Return the Python codec name of a text file; raise InputError for binary data."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        more = bool(handle.read(1))
    bom = _bom(sample)
    if bom is not None:
        return bom
    sample = _whole_lines(sample, more)
    if b"\x00" in sample:
        raise _binary(path)
    encoding = _utf8_or_guess(path, sample)
    if _controlled(sample, encoding):
        raise _binary(path)
    return encoding


def _bom(sample: bytes) -> str | None:
    """Return the codec a byte-order mark names, or None without one."""
    return next((name for bom, name in _BOMS if sample.startswith(bom)), None)


def _whole_lines(sample: bytes, more: bool) -> bytes:
    """Return a sample cut after its last line end when the file goes on (a character may be cut in two)."""
    return sample[: sample.rindex(b"\n") + 1] if more and b"\n" in sample else sample


def _controlled(sample: bytes, encoding: str) -> bool:
    """Tell whether a decoded sample holds too many control characters to be text."""
    return len(_CONTROL.findall(sample.decode(encoding, "replace"))) > max(8, len(sample) // 100)


def _utf8_or_guess(path: Path, sample: bytes) -> str:
    """Return utf-8 for valid or mostly valid UTF-8, else the legacy code page or charset-normalizer's guess."""
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    # a code page's letters can pair into a valid UTF-8 character by chance (cp1251 'Лі' is U+02F3):
    # valid multi-byte characters count for UTF-8 only when they are at least as many as the bad bytes
    multibyte = len(_MULTIBYTE.findall(text))
    if bad == 0 or multibyte >= bad or bad <= text.count("\n") // 100:
        return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        raise _binary(path)
    if best.encoding in ("utf_8", "ascii"):
        return "utf-8"
    return legacy_or(best.encoding, sample)


def read_text(path: Path, error: type[ScreeningError] = InputError, what: str = "text file") -> str:
    """Return a whole file's text by the one policy; raise ``error`` for an unreadable or binary file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(located(str(path), None, f"cannot read: {exc.strerror}")) from exc
    sample = _whole_lines(data[:SAMPLE_BYTES], len(data) > SAMPLE_BYTES)
    if _bom(sample) is None and (b"\x00" in sample or _controlled(sample, "utf-8")):
        raise error(located(str(path), None, f"binary data, not a {what}"))
    return decode_text(data)


def decode_text(data: bytes) -> str:
    """Return a file's text: by its byte-order mark, as UTF-8 when all of it is, else the best-evidenced code page."""
    bom = _bom(data)
    if bom is not None:
        return data.decode(bom, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        sample = _whole_lines(data[:SAMPLE_BYTES], more=True)
        best = from_bytes(sample).best()
        return data.decode(legacy_or(best.encoding if best else "cp1252", sample), errors="replace")


def _binary(path: Path) -> InputError:
    """Return the error for a file that is not text."""
    return InputError(located(str(path), None, "binary data, not a text file"))


def utf8_copy(path: Path, encoding: str, directory: Path) -> tuple[Path, int]:
    """Return a UTF-8 file with the same lines and the number of leading bytes to skip."""
    if encoding == "utf-8":
        return path, 0
    if encoding == "utf-8-sig":
        return path, len(codecs.BOM_UTF8)
    target = directory / f"{path.stem}.utf8{path.suffix}"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        while chunk := source.read(_CHUNK):
            sink.write(decoder.decode(chunk))
        sink.write(decoder.decode(b"", final=True))
    return target, 0
