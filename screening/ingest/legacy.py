"""Which single-byte code page a text is in, decided from the evidence of its words.

Each candidate decodes the sample; its score adds one for each non-ASCII letter common in the
languages that code page serves and takes one for any other, and takes a word's length for a
word that mixes Latin and Cyrillic letters or, in a Latin code page, a word of three or more
letters that are mostly accented (no Western or Central European word looks like ``Òðàíñîéë``).
The best score wins; it is *sure* when it leads the next by at least a quarter of the letters
weighed (and by two), else the decision names the candidates it rejected and their scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

_WESTERN: Final = "éèêëàâäáíìîïóòôöõúùûüñçåøæßãÿœ"
_CENTRAL: Final = "áäčďéěíňóôöőřšťúůüűýžąćęłńśźżăâîșşțţ"
COMMON: Final[dict[str, frozenset[str]]] = {
    "cp1252": frozenset(_WESTERN + _WESTERN.upper()),
    "cp1250": frozenset(_CENTRAL + _CENTRAL.upper()),
    "cp1251": frozenset(chr(c) for c in range(0x0410, 0x0450)) | frozenset("ЁёЄєІіЇїЎўҐґ"),
}
# charset-normalizer names of the code pages this module decides between, and their look-alikes
FAMILY: Final = frozenset({"cp1250", "cp1251", "cp1252", "latin_1", "iso8859_2", "iso8859_15"})
# letters a guess's own decoding may show: these code pages' and Greek, Hebrew and Arabic ones
_ANY: Final = frozenset().union(
    *COMMON.values(),
    (chr(c) for c in range(0x0386, 0x03CF)),
    (chr(c) for c in range(0x05D0, 0x05EB)),
    (chr(c) for c in range(0x0620, 0x064B)),
)
_WORD: Final = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")


@dataclass(frozen=True)
class Decision:
    """The code page chosen, whether the evidence was clear, and the candidates rejected with their scores."""

    encoding: str
    sure: bool
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def note(self) -> str:
        """Return a one-line account of an unsure decision (empty when sure)."""
        if self.sure:
            return ""
        others = ", ".join(f"{name} ({score})" for name, score in self.rejected.items())
        return f"encoding read as {self.encoding}, not sure; rejected: {others}"


def legacy_or(guess: str, sample: bytes) -> str:
    """Return the code page the words support best, unless the guess's own decoding has more evidence.

    A short sample often looks like another encoding to charset-normalizer (Cyrillic cp1251 as
    Hebrew cp1255, Western cp1252 as Baltic cp1257, a latin-1 line as a Chinese double-byte code);
    the guess stands when its own decoding has as much evidence as this module's choice (letters of
    these code pages, Greek, Hebrew or Arabic ones), or the choice has none: a Greek cp1253 or a
    KOI8-R file keeps its guess.
    """
    decision = decide_legacy(sample)
    if guess in FAMILY:
        return decision.encoding
    own = _score(sample.decode(guess, errors="replace"), _ANY)
    chosen = _score(sample.decode(decision.encoding, errors="replace"), COMMON[decision.encoding], _latin(decision))
    return decision.encoding if chosen > max(own, 0) else guess


def decide_legacy(sample: bytes) -> Decision:
    """Return the code page among cp1252, cp1250 and cp1251 that the sample's words support best."""
    scores = {name: _score(sample.decode(name, errors="replace"), COMMON[name], name != "cp1251") for name in COMMON}
    ranked = sorted(scores, key=lambda name: (-scores[name], list(COMMON).index(name)))
    best, second = ranked[0], ranked[1]
    weighed = sum(1 for ch in sample if ch > 0x7F)
    sure = scores[best] - scores[second] >= max(2, weighed // 4)
    return Decision(best, sure, {name: scores[name] for name in ranked[1:]})


def _latin(decision: Decision) -> bool:
    """Tell whether a decision's code page writes a Latin script."""
    return decision.encoding != "cp1251"


def _score(text: str, common: frozenset[str], latin: bool | None = None) -> int:
    """Return the evidence for a decoding: common letters for it, rare letters and implausible words against.

    ``latin`` says the decoding is a Latin code page, where a word of mostly non-ASCII letters is
    implausible; None (a guess of unknown script) weighs Latin-range accented letters only.
    """
    score = 0
    for word in _WORD.findall(text):
        wide = [ch for ch in word if ord(ch) > 0x7F]
        accented = sum(1 for ch in wide if "\u00c0" <= ch <= "\u024f")
        score += sum(1 if ch in common else -1 for ch in wide)
        cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        latins = sum(1 for ch in word if ch.isascii() or ("\u00c0" <= ch <= "\u024f"))
        odd = len(wide) if latin else accented if latin is None else 0
        accented_only = len(word) >= 3 and odd * 2 > len(word)
        if (cyrillic and latins) or accented_only:
            score -= len(word)
    return score
