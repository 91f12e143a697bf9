"""Romanisation keys of one token in plain Python, the same as :mod:`screening.names.romanise` gives them.

The same rewrites in the same order: polars ``replace_many(..., leftmost=True)`` (the leftmost
match, ties to the pattern listed first) is a regular-expression alternation of the patterns in
their order; ``$`` is ``\\Z`` (polars' regex has no newline before the end).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Final

from screening.names.romanise import _DOUBLES, _JA, _KO_CONSONANTS, _KO_VOWELS, _VOWEL, _ZH, _ZH_FINALS

Rewrite = Callable[[str], str]


def _many(table: Mapping[str, str]) -> Rewrite:
    """Return a rewrite of every leftmost match of the table's keys, ties to the key listed first."""
    pattern = re.compile("|".join(map(re.escape, table)))
    return lambda text: pattern.sub(lambda m: table[m.group(0)], text)


def _one(pattern: str, repl: str, *, every: bool = False) -> Rewrite:
    """Return a rewrite of the first (or ``every``) match of a regular expression."""
    compiled = re.compile(pattern)
    return lambda text: compiled.sub(repl, text, count=0 if every else 1)


_KOREAN: Final = (
    _one("RH", "R", every=True),
    _one(f"R([^{_VOWEL}]|\\Z)", r"\g<1>", every=True),
    _one(f"([AEIOU])H([^{_VOWEL}]|\\Z)", r"\g<1>\g<2>", every=True),
    _many(_KO_VOWELS),
    _many(_KO_CONSONANTS),
    _one(r"^L([IY])", r"\g<1>"),
    _one(r"^L([AEU])", r"N\g<1>"),
    _one("^YI", "I"),
    _one("^WU", "U"),
    _many(_DOUBLES),
)
_CHINESE: Final = (
    _one(r"([IE])H\Z", r"\g<1>"),
    _one(r"ERH\Z", "ER"),
    _one(r"([IY])AN\Z", r"\g<1>EN"),
    _one(r"^([GKH])O\Z", r"\g<1>E"),
    _one(r"^YI\Z", "I"),
    _many(_ZH_FINALS),
    _many(_ZH),
    _many(_DOUBLES),
)
_JAPANESE: Final = (
    _one("([KGNHBPMR])IY([AOU])", r"\g<1>Y\g<2>", every=True),
    _one("(SH|CH|J)IY([AOU])", r"\g<1>\g<2>", every=True),
    _one("T([BCDFGHJKLMNPQRSTVWXZ])", r"\g<1>", every=True),
    _one(f"OH([^{_VOWEL}]|\\Z)", r"O\g<1>", every=True),
    _many(_JA),
    _many(_DOUBLES),
)
_STEPS: Final[dict[str, tuple[Rewrite, ...]]] = {"Korean": _KOREAN, "Chinese": _CHINESE, "Japanese": _JAPANESE}


@lru_cache(maxsize=1 << 16)
def syllable_key(token: str, script: str) -> str:
    """Return the key of ``token`` under ``script`` (Korean, Chinese, Japanese), the token itself otherwise."""
    for step in _STEPS.get(script, ()):
        token = step(token)
    return token
