"""Word keys of the one-query path: the batch path's phonetic key and consonant skeleton of a token."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from screening.names.phonetic import FOREIGN_READING
from screening.names.single.forms import skeleton

_VOWELS: Final = str.maketrans("", "", "AEIOU")
_VOWELS_V: Final = str.maketrans("", "", "AEIOUV")
# the batch path's letters (digraphs first, as its replace_many reads them leftmost), so the two cannot drift apart
_FOREIGN: Final = tuple(sorted(FOREIGN_READING.items(), key=lambda pair: -len(pair[0])))


def phonetic_key(token: str) -> str:
    """Return the phonetic key of a skeleton token: its first letter and its later consonants."""
    return token[:1] + token[1:].translate(_VOWELS)


def consonants(token: str) -> str:
    """Return the consonants of a skeleton token, V counted as a vowel (as :func:`.phonetic.consonants`)."""
    return token.translate(_VOWELS_V)


@lru_cache(maxsize=1 << 14)
def foreign_consonants(spelt: str) -> str:
    """Return a Latin-script word's consonants, from its spelling, as an abjad writes them (as the batch path)."""
    for letters, written in _FOREIGN:
        spelt = spelt.replace(letters, written)
    return consonants(skeleton(spelt))
