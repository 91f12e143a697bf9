"""Text encodings: detect one, and transcode anything that is not UTF-8 to a temporary UTF-8 file.

Detection order: a byte-order mark (UTF-8, UTF-16 LE/BE); then UTF-8 validity of a sample — a
sample that holds valid multi-byte UTF-8, or only a few bad bytes, is UTF-8 and its bad lines are
quarantined later; then charset-normalizer on the sample. NUL bytes or many control characters
without a UTF-16 mark mean binary data. Transcoding streams in chunks and replaces undecodable
bytes with U+FFFD, which the CSV reader turns into quarantined lines.

When the guess is one of the single-byte Windows code pages, the whole sample decides between
Western (cp1252, a superset of latin-1's letters), Central European (cp1250) and Cyrillic
(cp1251) by the evidence of its words (:func:`decide_legacy`): letters common in the languages
written in that code page count for it, rare ones against it, a word mixing scripts or a
Latin word made only of accented letters (``ÎÎÎ Òðàíñîéë``, Cyrillic read as cp1252) against it.
This is the one policy for data files and for list files (:func:`decode_text`).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Final

from charset_normalizer import from_bytes

from screening.errors import InputError, located
from screening.ingest.legacy import legacy_or

SAMPLE_BYTES: Final = 1 << 20
_CHUNK: Final = 1 << 24
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def detect_encoding(path: Path) -> str:
    """Return the Python codec name of a text file; raise InputError for binary data."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        more = bool(handle.read(1))
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if more and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    if b"\x00" in sample:
        raise _binary(path)
    encoding = _utf8_or_guess(path, sample)
    if len(_CONTROL.findall(sample.decode(encoding, "replace"))) > max(8, len(sample) // 100):
        raise _binary(path)
    return encoding


def _utf8_or_guess(path: Path, sample: bytes) -> str:
    """Return utf-8 for valid or mostly valid UTF-8, else the legacy code page or charset-normalizer's guess."""
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    has_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in set(text))
    if bad == 0 or has_multibyte or bad <= text.count("\n") // 100:
        return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        raise _binary(path)
    if best.encoding in ("utf_8", "ascii"):
        return "utf-8"
    return legacy_or(best.encoding, sample)


def decode_text(data: bytes) -> str:
    """Return a whole file's text by the one policy: UTF-8 (BOM or not), else the best-evidenced code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        sample = data[:SAMPLE_BYTES]
        sample = sample[: sample.rfind(b"\n") + 1] or sample
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
