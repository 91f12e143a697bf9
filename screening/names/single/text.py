"""Word keys of the one-query path: the batch path's phonetic key and consonant skeleton of a token."""

from __future__ import annotations

from typing import Final

_VOWELS: Final = str.maketrans("", "", "AEIOU")
_VOWELS_V: Final = str.maketrans("", "", "AEIOUV")
_ABJAD: Final = str.maketrans("P", "B", "AEIOUVF")


def phonetic_key(token: str) -> str:
    """Return the phonetic key of a skeleton token: its first letter and its later consonants."""
    return token[:1] + token[1:].translate(_VOWELS)


def consonants(token: str) -> str:
    """Return the consonants of a skeleton token, V counted as a vowel (as :func:`.phonetic.consonants`)."""
    return token.translate(_VOWELS_V)


def abjad_consonants(token: str) -> str:
    """Return the consonants a pair with a side written in an abjad compares (as :func:`.phonetic.abjad_consonants`)."""
    return token.translate(_ABJAD)
